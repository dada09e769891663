import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import { clockNowDate } from "../core/clock/now.ts";
import { entryOf, type LoggableRequest, type RequestLog } from "./request-log.ts";
/**
 * What the two emulators (the seed API's and NICE's production API's) share below their own
 * pipelines: the Fastify app with form bodies parsed, the request-log entry a request gets once,
 * and listening on a port. Each emulator keeps its own routes, auth and error shapes.
 */

/** A Fastify app that parses form bodies (token requests are forms in most clients) into strings. */
export function createEmulatorApp(
  options: { bodyLimit: number } & Pick<FastifyServerOptions, "rewriteUrl">,
): FastifyInstance {
  const app = Fastify({ logger: false, forceCloseConnections: true, ...options });
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string" },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );
  return app;
}

/** What the pipeline knew of a request when it answered (its group, the caller, when it came). */
export interface LoggedMeta {
  group: string | null;
  clientId: string | null;
  /** The API user behind the token, where it is not the client (the production API's access key). */
  apiUser?: string | null;
  at: Date;
  /** Set once the request is in the log: a truncated answer is logged when it is cut. */
  logged?: boolean;
}

/** Puts the request in the log once, with what the pipeline knew of it (nothing, before routing). */
export function logRequest(
  log: RequestLog,
  request: LoggableRequest,
  meta: LoggedMeta | undefined,
  outcome: { status: number; truncated?: boolean; replayed?: boolean; bodyFields?: string[] },
): void {
  if (meta) meta.logged = true;
  log.add(
    entryOf(request, {
      status: outcome.status,
      at: meta?.at ?? clockNowDate(),
      clientId: meta?.clientId ?? null,
      ...(meta?.apiUser ? { apiUser: meta.apiUser } : {}),
      group: meta?.group ?? null,
      truncated: outcome.truncated ?? false,
      replayed: outcome.replayed ?? false,
      ...(outcome.bodyFields ? { bodyFields: outcome.bodyFields } : {}),
    }),
  );
}

/** A started emulator's address and its once-only close. */
export interface Listening {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on `host:port` (0 = a free port); `close` runs `beforeClose` and closes the app, once. */
export async function listen(
  app: FastifyInstance,
  at: { port: number; host: string },
  beforeClose: () => void = () => {},
): Promise<Listening> {
  await app.listen({ port: at.port, host: at.host });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : at.port;
  const host = at.host.includes(":") ? `[${at.host}]` : at.host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () => {
      closing ??= (async () => {
        beforeClose();
        await app.close();
      })();
      return closing;
    },
  };
}
