import type { Command } from "commander";
import { campaignIdProblem } from "../../core/ids.ts";
import { InputError } from "../../core/input-error.ts";
import { readPlanRows } from "../../strategy/plan-read.ts";
import { type CliContext, withContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";
import { requiredFlag } from "./strategy-flags.ts";

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
  fitSkill?: boolean;
  waitS?: string;
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
    .option(
      "--fit-skill",
      "set the skill's retry settings to what the plan needs (one attempt, no non-fresh reload) instead of refusing; restore with cxo strategy restore-skill",
    )
    .option(
      "--wait-s <n>",
      "seconds to wait for another run of the same push (same plan, campaign, list name) to finish before exiting 1 (default 60; 0: at once)",
    )
    .action(withContext(pushAction));

  strategy
    .command("restore-skill")
    .description("put back the retry settings a push with --fit-skill replaced (production platform)")
    .option("--campaign <id>", "the campaign (a Personal Connection skill id)")
    .action(
      withContext(async (ctx, flags: { campaign?: string }) => {
        const campaign = requiredFlag(flags.campaign, "--campaign");
        const restored = await ctx.withClient((client) =>
          withFlagNames({ campaign: "--campaign" }, () => client.strategy.restoreSkill(campaign)),
        );
        ctx.print(
          restored,
          `skill ${campaign}'s retry settings restored to ${JSON.stringify(restored.restored)} (cxo had set ${JSON.stringify(restored.replaced)})`,
        );
      }),
    );

  strategy
    .command("attempts")
    .description("the dials made so far on a pushed calling list's records (production platform)")
    .option("--list <id>", "the calling list's id (cxo strategy push prints it)")
    .action(
      withContext(async (ctx, flags: { list?: string }) => {
        const list = requiredFlag(flags.list, "--list");
        // A malformed id is bad input on every platform, before the platform is asked anything.
        const malformed = campaignIdProblem(list, "--list");
        if (malformed) throw new InputError(malformed);
        const attempts = await ctx.withClient((client) =>
          // Printed whole (the --json document is one array), however many dials.
          withFlagNames({ listId: "--list" }, () =>
            client.strategy.attempts(list).toArray({ limit: Number.POSITIVE_INFINITY }),
          ),
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
      }),
    );
}

/** `cxo strategy watch`: the skill watch of `cxo serve`, once, for a cron without the service. */
export function registerStrategyWatchCommand(strategy: Command): void {
  strategy
    .command("watch")
    .description(
      "read again the skills cxo pushed to: a change that lets CXone dial what a push did not count is put back (retry settings cxo set) or the push's records taken out; what cxo serve does every 5 minutes, for a cron without the service",
    )
    .option("--campaign <id>", "only this campaign (a Personal Connection skill id)")
    .action(
      withContext(async (ctx, flags: { campaign?: string }) => {
        const campaign = flags.campaign;
        if (campaign !== undefined) {
          const malformed = campaignIdProblem(campaign, "--campaign");
          if (malformed) throw new InputError(malformed);
        }
        const drifts = await ctx.withClient((client) =>
          withFlagNames({ campaign: "--campaign" }, () =>
            client.strategy.watchSkills(campaign === undefined ? {} : { campaign }),
          ),
        );
        ctx.print({ drifts }, () =>
          drifts.length === 0
            ? "every skill cxo pushed to is as its push counted"
            : drifts
                .map(
                  (d) =>
                    `skill ${d.skillId} changed after cxo's push (${d.text}): ${d.action === "restore-retry" ? "retry settings put back" : "the push's records taken out of its lists"}`,
                )
                .join("\n"),
        );
      }),
    );
}

/** `cxo strategy push`'s action: the flags checked, the plan read, the SDK's push, the summary. */
async function pushAction(ctx: CliContext, flags: PushFlags): Promise<void> {
  const plan = requiredFlag(flags.plan, "--plan");
  const campaign = requiredFlag(flags.campaign, "--campaign");
  if (flags.staleMinutes !== undefined && !/^\d+$/.test(flags.staleMinutes))
    throw new InputError({ field: "--stale-minutes", rule: "must be a whole number of minutes" });
  if (flags.waitS !== undefined && !(/^\d{1,4}$/.test(flags.waitS) && Number(flags.waitS) <= 3600))
    throw new InputError({ field: "--wait-s", rule: "must be a whole number of seconds (0-3600)" });
  const rows = await peeked(readPlanRows(plan, "--plan"));
  // A day whose plan found no lawful hour for any record (every debt resting, revoked, or at
  // its cap) is a normal day for a daily cron: nothing to send, exit 0 (issue 89).
  if (rows === undefined) {
    ctx.print(
      { campaign, records: 0, source: "empty", warnings: [] },
      `nothing sent: the plan ${plan} has no rows (no record had a lawful hour in its horizon)`,
    );
    return;
  }
  const summary = await ctx.withClient((client) =>
    withFlagNames(
      {
        listName: "--list-name",
        staleMinutes: "--stale-minutes",
        plan: "--plan",
        leaseWaitMs: "--wait-s",
        fitSkill: "--fit-skill",
      },
      () =>
        client.strategy.push(rows, {
          campaign,
          ...(flags.listName !== undefined ? { listName: flags.listName } : {}),
          ...(flags.staleMinutes !== undefined ? { staleMinutes: Number(flags.staleMinutes) } : {}),
          ...(flags.fitSkill ? { fitSkill: true } : {}),
          ...(flags.waitS !== undefined ? { leaseWaitMs: Number(flags.waitS) * 1000 } : {}),
        }),
    ),
  );
  for (const warning of summary.warnings) ctx.note(warning);
  if (summary.notRemoved && summary.notRemoved.length > 0) {
    process.exitCode = 1;
    ctx.note(
      `WARNING: could not take out ${summary.notRemoved
        .slice(0, 5)
        .map((r) => `${r.externalId}: ${r.reason}`)
        .join("; ")}`,
    );
  }
  const verb =
    summary.source === "store"
      ? "was pushed before as"
      : summary.source === "resumed"
        ? "finished pushing to"
        : "pushed to";
  const skill = summary.skill;
  const dials = `the skill dials each record at most ${skill.dialsPerRecord === Number.POSITIVE_INFINITY ? "an unbounded number of" : skill.dialsPerRecord} time(s) in its window`;
  ctx.print(
    summary,
    summary.source === "waiting"
      ? `nothing sent: no record of the plan opens within the next day; push it again from ${summary.nextPushAt ?? "its first window"}`
      : `${summary.records} record(s) ${verb} calling list ${summary.listId} "${summary.listName}" for campaign ${summary.campaign} as ordinary records (${summary.callbacks} callback(s)); ${dials}`,
  );
}

/** The rows again, whole, after reading the first; undefined when there is none. */
async function peeked<T>(rows: AsyncIterable<T>): Promise<AsyncIterable<T> | undefined> {
  const iterator = rows[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return undefined;
  return (async function* () {
    yield first.value;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  })();
}
