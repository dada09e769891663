import { existsSync } from "node:fs";
import type { Command } from "commander";
import { utcMinute } from "../../callerid/health.ts";
import type { CallerIdHealthRow } from "../../callerid/types.ts";
import type { InternalClient } from "../../client.ts";
import { clockNowDate } from "../../core/clock/now.ts";
import { InputError } from "../../core/input-error.ts";
import { checkOutput, writeDocument } from "../../strategy/files.ts";
import { withContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";

/** The SDK's field names → this command's flags (errors name what the user typed). */
const FLAGS = {
  campaign: "--campaign",
  from: "--from",
  to: "--to",
  history: "--history",
  dataset: "--dataset",
  carrierColumn: "--carrier-column",
  falseAlarmRate: "--false-alarm-rate",
  pools: "--pools",
  model: "--model",
};

interface HealthFlags {
  campaign?: string;
  from?: string;
  to?: string;
  history?: string;
  dataset?: string;
  carrierColumn?: string;
  falseAlarmRate?: string;
  pools?: string;
  model?: string;
  report?: string;
  force?: boolean;
}

/** `cxo callerid health` (issue 66; docs/callerid.md). */
export function registerCallerIdCommands(program: Command): void {
  const callerid = program
    .command("callerid")
    .description("caller-ID health: outbound numbers carriers have started labelling (docs/callerid.md)");
  callerid
    .command("health")
    .description("per outbound number: answers against its peers' in the same hours, ok | watch | suspect")
    .option(
      "--campaign <id>",
      "the campaign whose numbers are compared (read from CXone unless --history/--dataset)",
    )
    .option("--from <iso>", "window start, ISO 8601 with an offset (default: 21 days before --to)")
    .option("--to <iso>", "window end (exclusive), ISO 8601 with an offset (default: now)")
    .option("--history <file>", "an outcomes export (cxo outcomes export: NDJSON, CSV or Parquet), streamed")
    .option(
      "--dataset <dir>",
      "a Parquet outcomes dataset (cxo outcomes export --out DIR/), read with DuckDB",
    )
    .option("--carrier-column <name>", "field or column naming the called number's carrier: test per carrier")
    .option(
      "--false-alarm-rate <r>",
      "false suspect verdicts per number per 21 days, in (0, 0.5] (default 0.01)",
    )
    .option("--pools <file>", "CSV callerId,pool: numbers sharing a registration or CNAM, tested as one")
    .option("--model <file>", "a strategy model (cxo strategy learn): hour shape for a number without peers")
    .option("--report <file.html>", "also write an HTML report with what to do for each suspect number")
    .option("--force", "replace --report if it exists")
    .action(
      withContext(async (ctx, flags: HealthFlags) => {
        const rate = flags.falseAlarmRate === undefined ? undefined : Number(flags.falseAlarmRate);
        if (
          flags.falseAlarmRate !== undefined &&
          !(flags.falseAlarmRate.trim() !== "" && Number.isFinite(rate))
        )
          throw new InputError({ field: "--false-alarm-rate", rule: "must be a number in (0, 0.5]" });
        if (flags.report !== undefined) {
          if (existsSync(flags.report) && !flags.force)
            throw new InputError({
              field: "--report",
              rule: `${flags.report} exists: pass --force to replace it`,
            });
          checkOutput(flags.report, "--report");
        }
        const params = {
          ...(flags.campaign !== undefined ? { campaign: flags.campaign } : {}),
          ...(flags.from !== undefined ? { from: flags.from } : {}),
          ...(flags.to !== undefined ? { to: flags.to } : {}),
          ...(flags.history !== undefined ? { history: flags.history } : {}),
          ...(flags.dataset !== undefined ? { dataset: flags.dataset } : {}),
          ...(flags.carrierColumn !== undefined ? { carrierColumn: flags.carrierColumn } : {}),
          ...(rate !== undefined ? { falseAlarmRate: rate } : {}),
          ...(flags.pools !== undefined ? { pools: flags.pools } : {}),
          ...(flags.model !== undefined ? { model: flags.model } : {}),
          // Records in no row's calls, and why (issue 91 §4): on stderr, the --json document unchanged.
          onRead: (read: { withoutCallerId: number; outsideWindow: number }) => {
            const skipped = [
              read.withoutCallerId > 0 ? `${read.withoutCallerId} without a caller id` : "",
              read.outsideWindow > 0 ? `${read.outsideWindow} outside --from/--to` : "",
            ].filter((x) => x !== "");
            // stderr in both modes: the --json document on stdout stays the rows alone.
            if (skipped.length > 0)
              process.stderr.write(`records in no number's calls: ${skipped.join(", ")}\n`);
          },
        };
        // A file or a dataset needs no CXone: without a connection the client reads it all the
        // same (the campaign's own outcomes are refused, exit 2), and the report keeps the ids.
        const { rows, campaignNames } = await ctx.withClient(
          async (client) => {
            const rows = await withFlagNames(FLAGS, () => client.callerId.health(params));
            return { rows, campaignNames: await namesOf(client, rows, flags.report !== undefined) };
          },
          { local: true },
        );
        if (flags.report !== undefined) {
          const { callerIdReportHtml } = await import("../../callerid/report-html.ts");
          writeDocument(
            flags.report,
            callerIdReportHtml(rows, { generatedAt: clockNowDate().toISOString(), campaignNames }),
            "--report",
          );
        }
        ctx.print(rows, () => humanTable(rows));
      }),
    );
}

/**
 * The report names each campaign: one read per campaign the rows name, when a report is asked
 * for; a campaign the tenant does not know (a history file's), or a client without a connection,
 * keeps its id.
 */
async function namesOf(
  client: InternalClient,
  rows: CallerIdHealthRow[],
  forReport: boolean,
): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  if (forReport)
    for (const id of new Set(rows.map((r) => r.campaignId))) {
      const found = await client.campaigns.get(id).catch(() => undefined);
      if (found?.name) names[id] = found.name;
    }
  return names;
}

function humanTable(rows: CallerIdHealthRow[]): string {
  if (rows.length === 0) return "no outbound calls with a caller id in the window";
  const lines = rows.map((r) =>
    [
      r.status.padEnd(7),
      r.callerId.padEnd(16),
      (r.carrier ?? "").padEnd(9),
      // Every call of the window, then what the ratio is over: the calls since the drop's onset
      // when watch or suspect (the drop itself; `calls` in --json), else the whole window.
      `${r.evidence.windowCalls} calls`.padStart(12),
      r.onset
        ? `${r.answered}/${r.calls} answered since onset ${utcMinute(r.onset)}`
        : `${r.answered}/${r.calls} answered in the window`,
      `ratio ${r.ratio.toFixed(2)}`,
      r.since ? `${r.status} since ${utcMinute(r.since)}` : "",
    ]
      .join("  ")
      .trimEnd(),
  );
  const suspect = rows.filter((r) => r.status === "suspect").length;
  return [
    ...lines,
    suspect > 0
      ? `${suspect} suspect: confirm each (a test call, a lookup), then see docs/callerid.md "What to do"; never swap in a fresh number`
      : "no suspect number",
  ].join("\n");
}
