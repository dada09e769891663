import type { Command } from "commander";
import { InputError } from "../../core/input-error.ts";
import { startService } from "../../service/index.ts";
import { withContext } from "../context.ts";
import { skipExitDelivery } from "../deliver-on-exit.ts";
import { withFlagNames } from "../flag-names.ts";
import { sellerPeerNames } from "../seller-tenants.ts";

/**
 * `cxo serve`: the dashboard, JSON API, /metrics, CXone webhook receiver and background workers
 * (outbox dispatcher, failover watchdogs, scheduled exports, metrics polling), until SIGTERM or
 * SIGINT, which shut it down gracefully. Binds 127.0.0.1 unless told otherwise; any other
 * address needs an access token (exit 2 without one).
 */
interface ServeOptions {
  host?: string;
  port?: string;
  accessToken?: string;
}

function portOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535)
    throw new InputError({
      field: "--port",
      rule: "must be a whole number from 0 to 65535 (0 = any free port)",
    });
  return port;
}

/** startService names its options; the user typed these flags. */
const SERVE_FLAGS: Record<string, string> = { host: "--host", port: "--port", accessToken: "--access-token" };

export function registerServeCommands(program: Command): void {
  program
    .command("serve")
    .description("dashboard, JSON API, /metrics and webhook receiver, with the background workers")
    .option("--host <address>", "address to listen on (default 127.0.0.1; others need --access-token)")
    .option("--port <n>", "port to listen on (default 8080; 0 = any free port)")
    .option(
      "--access-token <token>",
      "bearer token every route but /api/health requires (env CXO_SERVICE_TOKEN)",
    )
    .action(
      withContext(async (ctx, options: ServeOptions) => {
        skipExitDelivery(); // the service's own dispatcher delivers, and stops cleanly on SIGTERM
        const port = portOf(options.port);
        // Several tenants configured and none named: one service for every business unit.
        const served = await ctx.servedTenants();
        const settings = served?.installation ?? (await ctx.settings());
        const tenants =
          served &&
          (await Promise.all(
            served.names.map(async (name) => ({ name, settings: await ctx.forTenant(name).settings() })),
          ));
        const logger = await ctx.logger(settings);
        // One tenant served out of several: the seller's others are not (the consent webhook says so).
        const unserved = served ? [] : await sellerPeerNames(ctx);
        const service = await withFlagNames(SERVE_FLAGS, () =>
          startService({
            settings,
            logger,
            // Each autopilot step, whatever the log level (a JSON line with --json).
            announce: (line) =>
              ctx.json
                ? process.stderr.write(`${JSON.stringify({ ...line.fields, ok: line.ok, msg: line.text })}\n`)
                : ctx.note(`cxo serve: ${line.text}`),
            ...(tenants ? { tenants } : {}),
            ...(unserved.length > 0 ? { unservedSellerTenants: unserved } : {}),
            ...(options.host !== undefined ? { host: options.host } : {}),
            ...(port !== undefined ? { port } : {}),
            ...(options.accessToken !== undefined ? { accessToken: options.accessToken } : {}),
          }),
        );
        const names = [...service.tenants.keys()];
        ctx.print(
          {
            url: service.url,
            host: service.host,
            port: service.port,
            ...(tenants ? { tenants: names } : {}),
          },
          tenants
            ? `cxo serve: ${names.length} business units (${names.join(", ")}), each board at ${service.url}/t/NAME/`
            : `cxo serve: dashboard at ${service.url}/`,
        );
        await new Promise<void>((resolve) => {
          const stop = (signal: NodeJS.Signals) => {
            ctx.note(`${signal}: shutting down (finishing in-flight deliveries)`);
            process.off("SIGTERM", stop);
            process.off("SIGINT", stop);
            void service.close().then(resolve, resolve);
          };
          process.on("SIGTERM", stop);
          process.on("SIGINT", stop);
        });
      }),
    );
}
