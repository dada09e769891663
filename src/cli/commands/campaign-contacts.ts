import type { Command } from "commander";
import type { OutputFormat } from "../../campaigns/segment/contact-writer.ts";
import type { SegmentSummary } from "../../campaigns/segment/summary.ts";
import { clockNowMs } from "../../core/clock/now.ts";
import { campaignIdProblem } from "../../core/ids.ts";
import { InputError, ProblemCollector } from "../../core/input-error.ts";
import { stderrBar } from "../../core/progress-bar.ts";
import { createSafeWriteStream } from "../../core/safe-write.ts";
import { type CliContext, withContext } from "../context.ts";
import { withFlagNamesSync } from "../flag-names.ts";
import { outputTarget } from "../output-target.ts";
import { cxoneDncLine } from "./compliance-cxone-dnc.ts";

/**
 * `cxo campaigns contacts LIST_ID`: every contact of a list with its calling verdict at --at,
 * streamed as NDJSON or CSV (to --out, or stdout), then a summary. With --json the summary is
 * the one JSON document on stdout, so the rows must go to --out.
 * Exit codes: 0 done (callable or not); 1 the listing failed; 2 bad input, nothing sent.
 * Every `cxo campaigns …` command registers this one, so what its action needs (the calling
 * rules' input checks, the DNC reader, the CSV writer) is imported when it runs.
 */
interface ContactsOptions {
  consentOnly?: boolean;
  at?: string;
  out?: string;
  format?: string;
  campaign?: string;
  campaignCaps?: string;
  dnc?: string;
  kind?: string;
  pageSize: string;
  force?: boolean;
}

export function registerCampaignContactCommands(group: Command): void {
  group
    .command("contacts")
    .description(
      "segment a contact list: server-side consent query, every contact re-checked against the calling rules at --at",
    )
    .argument("<listId>", "contact list id")
    .option(
      "--consent-only",
      "ask CXone for contacts with consentFlags.outbound.call==true (re-checked locally)",
    )
    .option("--at <iso>", "the instant to judge, ISO-8601 with an offset or Z (default: now)")
    .option("--out <file>", "write the rows here (default, or -: stdout)")
    .option("--force", "with --out: replace a file there that is not a contacts file cxo wrote")
    .option("--format <format>", "ndjson or csv (default: from --out's extension, else ndjson)")
    .option("--campaign <id>", "the campaign dialling the list: its caps and attempt history apply")
    .option("--campaign-caps <caps>", "per-contact caps, e.g. day=1,week=3 (default: the campaign's own)")
    .option("--dnc <file>", "an internal DNC file (one E.164 per line, # comments), besides the stored list")
    .option(
      "--kind <kind>",
      "sales or collections: the rules' kind-limited rows (default: the --campaign's kind, when this data dir created it)",
    )
    .option("--page-size <n>", "contacts per page (1-1000)", "1000")
    .action(
      withContext(async (ctx, listId: string, options: ContactsOptions) => {
        const checked = await checkOptions(ctx, listId, options);
        const [{ readDncFile }, { contactFileKind, contactWriter }] = await Promise.all([
          import("../../compliance/dnc.ts"),
          import("../../campaigns/segment/contact-writer.ts"),
        ]);
        const fileDnc = options.dnc ? await readDncFile(options.dnc, "--dnc") : new Set<string>();
        const out = checked.file
          ? withFlagNamesSync({ force: "--force" }, () =>
              createSafeWriteStream(checked.file as string, {
                field: "--out",
                kind: contactFileKind(checked.format),
                force: options.force,
              }),
            )
          : process.stdout;
        const sink = contactWriter(out, checked.format, { closeOut: checked.file !== undefined });
        const progress = progressLine(ctx.decorated);
        let summary: SegmentSummary;
        try {
          // The SDK adds the stored internal DNC list and the imported registry copies.
          summary = await ctx.withClient((client) =>
            client.campaigns.segment(listId, {
              atMs: checked.atMs,
              consentOnly: options.consentOnly === true,
              dnc: fileDnc,
              ...(checked.caps ? { campaignCaps: checked.caps } : {}),
              ...(options.campaign === undefined ? {} : { campaignId: options.campaign }),
              ...(checked.kind === undefined ? {} : { kind: checked.kind }),
              pageSize: checked.pageSize,
              sink,
              onProgress: progress.update,
            }),
          );
        } catch (error) {
          // A failed run leaves the --out file as it was (the temporary file goes).
          if (checked.file && !out.writableFinished) out.destroy();
          throw error;
        } finally {
          progress.stop();
        }
        if (checked.file) ctx.print(summary, () => humanSummary(summary));
        else if (!ctx.json) process.stderr.write(`${humanSummary(summary)}\n`);
      }),
    );
}

async function checkOptions(ctx: CliContext, listId: string, options: ContactsOptions) {
  const { parseAtFlag, parseCampaignCapsFlag } = await import("../compliance-flags.ts");
  const collector = new ProblemCollector();
  const { problems } = collector;
  const attempt = <T>(check: () => T) => collector.attempt(check);
  for (const problem of [
    campaignIdProblem(listId, "listId"),
    campaignIdProblem(options.campaign, "--campaign"),
  ])
    if (problem) problems.push(problem);
  const atMs = attempt(() => parseAtFlag(options.at)) ?? clockNowMs();
  const caps = attempt(() => parseCampaignCapsFlag(options.campaignCaps));
  const target = attempt(() => outputTarget(options.out, options.format));
  const format: OutputFormat = target?.format ?? "ndjson";
  const pageSize = Number(options.pageSize);
  if (!/^\d+$/.test(options.pageSize) || pageSize < 1 || pageSize > 1000)
    problems.push({ field: "--page-size", rule: "must be a whole number from 1 to 1000" });
  if (options.kind !== undefined && options.kind !== "sales" && options.kind !== "collections")
    problems.push({ field: "--kind", rule: "must be sales or collections" });
  if (ctx.json && target?.file === undefined)
    problems.push({ field: "--out", rule: "is required with --json (stdout carries the summary document)" });
  if (problems.length > 0) throw new InputError(problems);
  const kind = options.kind as "sales" | "collections" | undefined;
  return { atMs, caps, format, pageSize, file: target?.file, kind };
}

function progressLine(enabled: boolean): {
  update: (done: number, callable: number) => void;
  stop: () => void;
} {
  if (!enabled) return { update() {}, stop() {} };
  const bar = stderrBar({ format: "segmenting | {value} contacts | {callable} callable now" });
  bar.start(0, 0, { callable: 0 });
  return {
    update: (done, callable) => {
      bar.setTotal(done);
      bar.update(done, { callable });
    },
    stop: () => bar.stop(),
  };
}

function humanSummary(s: SegmentSummary): string {
  const table = (t: Record<string, { callable: number; notCallable: number }>) =>
    Object.entries(t)
      .sort((a, b) => b[1].callable + b[1].notCallable - (a[1].callable + a[1].notCallable))
      .map(([k, v]) => `    ${k}: ${v.callable} callable, ${v.notCallable} not`)
      .join("\n");
  return [
    `list ${s.listId} at ${s.at}: ${s.total} contacts, ${s.callable} callable now, ${s.notCallable} not`,
    s.consentOnly
      ? `  server consent filter: ${s.serverFilterMisses} contact(s) it let through without consent (blocked here)`
      : "",
    `  by reason:\n${
      Object.entries(s.byReason)
        .map(([k, v]) => `    ${k}: ${v}`)
        .join("\n") || "    (none)"
    }`,
    `  by zone:\n${table(s.byZone)}`,
    `  by state:\n${table(s.byState)}`,
    s.campaignId
      ? `  campaign ${s.campaignId} (its zone ${s.campaignZone} is NOT used for calling hours; caps ${JSON.stringify(s.campaignCaps)})`
      : "",
    s.kind ? `  judged as ${s.kind} (the rules' ${s.kind} rows and exemptions)` : "",
    `  ${cxoneDncLine(s.cxoneDnc)}`,
    `  ${s.contactsPerSec} contacts/s`,
  ]
    .filter((line) => line !== "")
    .join("\n");
}
