import type { Command } from "commander";
import type { AutopilotRunResult } from "../../autopilot/app.ts";
import { autopilotJobOf } from "../../autopilot/job.ts";
import type { AutopilotCampaignStatus } from "../../autopilot/status.ts";
import { withContext } from "../context.ts";
import { limitExitDelivery } from "../deliver-on-exit.ts";
import { withFlagNames } from "../flag-names.ts";

/**
 * `cxo autopilot run --once | status | resume --campaign C` (issue 91 §2): the campaigns of the
 * settings' `autopilot:` section run unattended (docs/autopilot.md). `cxo serve` runs the same step
 * every `autopilot.intervalMinutes`; `run --once` is that step for a cron user. Writes are audited
 * as the person at the terminal acting as `autopilot`.
 */
const FLAGS = { campaign: "--campaign" };

const stepLine = (s: { step: string; at: string; ok: boolean; text: string }) =>
  `  ${s.ok ? "✓" : "✗"} ${s.step.padEnd(7)} ${s.text}`;

/** How long `run --once` lingers delivering its events (a run never waits on them). */
const AUTOPILOT_EXIT_DELIVERY_MS = 2_000;

function runText(run: AutopilotRunResult): string {
  const lines = [`autopilot at ${run.at}`, stepLine({ ...run.honour, step: "honour", at: run.at })];
  for (const campaign of run.campaigns) {
    lines.push(
      `campaign ${campaign.campaign}${campaign.stopped ? ` — STOPPED: ${campaign.stopped.reason}` : ""}${attentionText(campaign.attention)}`,
    );
    lines.push(...campaign.steps.map(stepLine));
  }
  return lines.join("\n");
}

/** An open attention item, said after the campaign's name. */
function attentionText(attention: AutopilotCampaignStatus["attention"]): string {
  return attention
    ? ` — NEEDS ATTENTION: ${attention.step} failing since ${attention.since} (${attention.text})`
    : "";
}

function statusText(rows: readonly AutopilotCampaignStatus[]): string {
  return rows
    .map((row) => {
      const last = row.lastStep
        ? `${row.lastStep.at} ${row.lastStep.step}: ${row.lastStep.text}`
        : "none yet";
      const today = row.today
        ? `today ${row.today.date}: ${row.today.planned} planned, ${row.today.pushed} pushed, ${row.today.heldWaiting} held waiting, ${row.today.refused} refused, ${row.today.drifts} drift(s)`
        : "nothing run today";
      const report = row.lastReport
        ? `last report ${row.lastReport.date}: ${row.lastReport.pushed} pushed, ${row.lastReport.dialled} dialled, ${row.lastReport.answered} answered`
        : "no day report yet";
      return [
        `campaign ${row.campaign} (${row.kind}) ${row.state.toUpperCase()}${attentionText(row.attention)}`,
        `  last: ${last}`,
        `  next: ${row.next.text}`,
        `  ${today}`,
        `  ${report}`,
      ].join("\n");
    })
    .join("\n");
}

export function registerAutopilotCommands(program: Command): void {
  const group = program
    .command("autopilot")
    .description(
      "the outbound day run unattended: learn, plan, push, honour, watch, re-plan held records, report",
    );
  group
    .command("run")
    .description(
      "do what is due now for each campaign of the autopilot: section (what cxo serve runs every few minutes)",
    )
    .requiredOption("--once", "one run, then exit (for cron: */5 * * * *)")
    .option("--campaign <id>", "only this campaign of the section")
    .action(
      withContext(async (person, options: { campaign?: string }) => {
        limitExitDelivery(AUTOPILOT_EXIT_DELIVERY_MS);
        const ctx = person.inRole("autopilot");
        const job = autopilotJobOf(await ctx.settings());
        const run = await ctx.withClient((client) =>
          withFlagNames(FLAGS, () =>
            client.autopilot.run({
              ...job,
              ...(options.campaign === undefined ? {} : { campaign: options.campaign }),
            }),
          ),
        );
        ctx.print(run, () => runText(run));
        // A stopped campaign, or a failure that has lasted past escalateAfterMinutes, needs a
        // person: the cron's mail says so.
        if (run.campaigns.some((c) => c.stopped || c.attention)) process.exitCode = 1;
      }),
    );
  group
    .command("status")
    .description("each campaign's last and next step, the day so far and its last day report")
    .action(
      withContext(async (ctx) => {
        const job = autopilotJobOf(await ctx.settings());
        const rows = await ctx.withClient((client) => client.autopilot.status(job));
        ctx.print({ campaigns: rows }, () => statusText(rows));
      }),
    );
  group
    .command("resume")
    .description("let a campaign the autopilot stopped run again (audited) and resume its skill in CXone")
    .requiredOption("--campaign <id>", "the stopped campaign")
    .action(
      withContext(async (person, options: { campaign: string }) => {
        const ctx = person.inRole("autopilot");
        const job = autopilotJobOf(await ctx.settings());
        const row = await ctx.withClient((client) =>
          withFlagNames(FLAGS, () => client.autopilot.resume({ ...job, campaign: options.campaign })),
        );
        ctx.print(row, () => statusText([row]));
      }),
    );
}
