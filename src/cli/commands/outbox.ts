import type { Command } from "commander";
import { InputError } from "../../core/input-error.ts";
import { withContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";

/** `cxo outbox status | replay | deliver`: see and drive the webhook outbox. */

const age = (ms: number | null): string =>
  ms === null ? "-" : ms < 120_000 ? `${Math.round(ms / 1000)}s` : `${Math.round(ms / 60_000)}m`;

export function registerOutboxCommands(program: Command): void {
  const outbox = program.command("outbox").description("webhook events waiting, delivered and dead-lettered");

  outbox
    .command("status")
    .description("pending / delivered / dead events per destination, and the oldest pending age")
    .action(
      withContext(async (ctx) => {
        const { destinations, totals } = await ctx.withClient((client) => client.outbox.status(), {
          offline: true,
        });
        ctx.print({ destinations, totals }, () =>
          [
            "destination      pending  delivered  dead  oldest-pending",
            ...destinations.map(
              (row) =>
                `${`${row.destination}${row.configured ? "" : " (not configured)"}`.padEnd(16)} ${String(row.pending).padStart(7)}  ${String(row.delivered).padStart(9)}  ${String(row.dead).padStart(4)}  ${age(row.oldestPendingAgeMs)}`,
            ),
            ...destinations.flatMap((row) => (row.note ? [`! ${row.note}`] : [])),
          ].join("\n"),
        );
      }),
    );

  outbox
    .command("replay")
    .description(
      "requeue dead-lettered events (--dead) or one event by id (--id), with a fresh attempt budget",
    )
    .option("--dead", "every dead-lettered event")
    .option("--id <id>", "one event (dead or already delivered)")
    .option("--destination <name>", "with --dead: only this destination")
    .action(
      withContext(async (ctx, options: { dead?: boolean; id?: string; destination?: string }) => {
        if (!options.dead && !options.id)
          throw new InputError({ field: "--dead/--id", rule: "give --dead or --id ID" });
        if (options.dead && options.id)
          throw new InputError({ field: "--dead/--id", rule: "give only one of --dead, --id" });
        if (options.destination && !options.dead)
          throw new InputError({ field: "--destination", rule: "only applies with --dead" });
        const { replayed } = await ctx.withClient(
          (client) =>
            client.outbox.replay(
              options.id
                ? { id: options.id }
                : { dead: true, ...(options.destination ? { destination: options.destination } : {}) },
            ),
          { offline: true },
        );
        ctx.print(
          { replayed },
          `${replayed} event(s) requeued; run \`cxo outbox deliver\` or keep \`cxo serve\` running`,
        );
        if (options.id && replayed === 0) process.exitCode = 1;
      }),
    );

  outbox
    .command("deliver")
    .description("run the dispatcher once: deliver what is due (--until-empty: until nothing is pending)")
    .option("--until-empty", "keep going through retries until no event is pending")
    .option("--timeout-s <s>", "give up after this many seconds", "300")
    .option("--concurrency <n>", "requests in flight per destination", "16")
    .action(
      withContext(async (ctx, options: { untilEmpty?: boolean; timeoutS: string; concurrency: string }) => {
        const timeoutS = Number(options.timeoutS);
        if (!(timeoutS > 0))
          throw new InputError({ field: "--timeout-s", rule: "must be a positive number" });
        if (!/^\d+$/.test(options.concurrency) || Number(options.concurrency) < 1)
          throw new InputError({ field: "--concurrency", rule: "must be a positive integer" });
        // The deliveries are logged (the run's logger), as `cxo serve` logs them.
        const report = await withFlagNames(
          { timeoutMs: "--timeout-s", concurrency: "--concurrency", untilEmpty: "--until-empty" },
          () =>
            ctx.withClient(
              (client) =>
                client.outbox.deliver({
                  untilEmpty: options.untilEmpty === true,
                  timeoutMs: timeoutS * 1000,
                  concurrency: Number(options.concurrency),
                }),
              { offline: true, logs: true },
            ),
        );
        ctx.print(
          report,
          `delivered ${report.delivered}, retried ${report.retried}, dead-lettered ${report.dead}; ${report.pending} still pending`,
        );
        if (options.untilEmpty && !report.drained) process.exitCode = 1;
      }),
    );
}
