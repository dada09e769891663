import type { Command } from "commander";
import { campaignIdProblem } from "../../core/ids.ts";
import { InputError } from "../../core/input-error.ts";
import { readPlanRows } from "../../strategy/plan-read.ts";
import { CliContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";

/**
 * `cxo strategy push` and `cxo strategy attempts` (issue 55 §3): hand a plan to the dialer as a
 * calling list whose records carry their call time, and read back the dials made on it. Exit 0
 * done; 1 failed (including the seed platform, which has no such lists: nothing sent); 2 bad
 * input (a plan row missing a column, of another campaign, an attemptAt without offset), nothing
 * sent.
 */
interface PushFlags {
  plan?: string;
  campaign?: string;
  listName?: string;
  staleMinutes?: string;
}

export function registerStrategyPushCommands(strategy: Command): void {
  strategy
    .command("push")
    .description(
      "hand a plan to the dialer: a calling list whose records carry their call time (production platform)",
    )
    .option("--plan <file>", "plan file (NDJSON or CSV) from cxo strategy plan")
    .option("--campaign <id>", "the campaign the list feeds (production: a Personal Connection skill id)")
    .option("--list-name <name>", "the calling list's name (default: cxo plan <campaign> <plan digest>)")
    .option("--stale-minutes <n>", "minutes after its time a record may still be dialled (default 59)")
    .action(async (flags: PushFlags, command: Command) => {
      const ctx = CliContext.fromCommand(command);
      if (!flags.plan) throw new InputError({ field: "--plan", rule: "is required" });
      if (!flags.campaign) throw new InputError({ field: "--campaign", rule: "is required" });
      if (flags.staleMinutes !== undefined && !/^\d+$/.test(flags.staleMinutes))
        throw new InputError({ field: "--stale-minutes", rule: "must be a whole number of minutes" });
      const plan = flags.plan;
      const summary = await ctx.withClient((client) =>
        withFlagNames({ listName: "--list-name", staleMinutes: "--stale-minutes", plan: "--plan" }, () =>
          client.strategy.push(readPlanRows(plan, "--plan"), {
            campaign: flags.campaign as string,
            ...(flags.listName !== undefined ? { listName: flags.listName } : {}),
            ...(flags.staleMinutes !== undefined ? { staleMinutes: Number(flags.staleMinutes) } : {}),
          }),
        ),
      );
      if (summary.pastAtPush > 0)
        ctx.note(
          `${summary.pastAtPush} record(s) had a time already past: the dialer skips those gone stale`,
        );
      if (summary.accountsAtRisk > 0)
        ctx.note(
          `${summary.accountsAtRisk} collections account(s) have two or more records in the list within Regulation F's 7 days: a conversation on one makes a later call about the debt within 7 days a presumed violation — re-plan daily from the attempts (docs/strategy.md, "The dial window")`,
        );
      if (summary.deferred > 0)
        ctx.note(
          `${summary.deferred} later planned attempt(s) not sent: re-plan after the first attempts' outcomes`,
        );
      if (summary.blocked)
        ctx.note(
          `left out, their number may no longer be called: ${Object.entries(summary.blocked)
            .map(([code, n]) => `${code} ${n}`)
            .join(", ")}`,
        );
      if (summary.removed)
        ctx.note(
          `${summary.removed} record(s) taken out of the list: their number became blocked after it was sent`,
        );
      if (summary.notRemoved && summary.notRemoved.length > 0) {
        process.exitCode = 1;
        ctx.note(
          `WARNING: ${summary.notRemoved.length} blocked record(s) could NOT be taken out of the list (${summary.notRemoved
            .slice(0, 5)
            .map((r) => `${r.externalId}: ${r.reason}`)
            .join("; ")}): remove them in CXone before the dialer reaches them`,
        );
      }
      const verb =
        summary.source === "store"
          ? "was pushed before as"
          : summary.source === "resumed"
            ? "finished pushing to"
            : "pushed to";
      ctx.print(
        summary,
        `${summary.records} record(s) ${verb} calling list ${summary.listId} "${summary.listName}" for campaign ${summary.campaign}, ${summary.firstCallAt} → ${summary.lastCallAt}`,
      );
    });

  strategy
    .command("attempts")
    .description("the dials made so far on a pushed calling list's records (production platform)")
    .option("--list <id>", "the calling list's id (cxo strategy push prints it)")
    .action(async (flags: { list?: string }, command: Command) => {
      const ctx = CliContext.fromCommand(command);
      if (!flags.list) throw new InputError({ field: "--list", rule: "is required" });
      // A malformed id is bad input on every platform, before the platform is asked anything.
      const malformed = campaignIdProblem(flags.list, "--list");
      if (malformed) throw new InputError(malformed);
      const list = flags.list;
      const attempts = await ctx.withClient((client) =>
        withFlagNames({ listId: "--list" }, () => client.strategy.attempts(list)),
      );
      ctx.print({ listId: list, attempts }, () =>
        [
          `${attempts.length} attempt(s) on list ${list}`,
          ...attempts.map(
            (a) =>
              `${a.at}  ${a.recordId}  ${a.phone}  ${a.outcome ?? ""}${a.disposition ? ` (${a.disposition})` : ""}`,
          ),
        ].join("\n"),
      );
    });
}
