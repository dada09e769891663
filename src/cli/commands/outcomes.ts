import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, extname, join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { type Command, Option } from "commander";
import { clockNowDate } from "../../core/clock/now.ts";
import { counted, fileSize } from "../../core/counted.ts";
import { cxoneWords, NotFoundError, ValidationError } from "../../core/http/errors.ts";
import { InputError, type InputProblem, ProblemCollector } from "../../core/input-error.ts";
import { unknownCodesParts } from "../../outcomes/analysis.ts";
import { changesQueryProblems } from "../../outcomes/changes-query.ts";
import { DEFAULT_DISPOSITION_MAP, loadDispositionMap } from "../../outcomes/disposition-map.ts";
import { ExportInterruptedError } from "../../outcomes/export.ts";
import { ExportResumeError } from "../../outcomes/export-file.ts";
import { exportTarget } from "../../outcomes/export-target.ts";
import { exportProgress } from "../../outcomes/progress.ts";
import { parseExportQuery } from "../../outcomes/query.ts";
import type { ExportFormat } from "../../outcomes/read-export.ts";
import type { TsrCheckResult } from "../../outcomes/tsr-check.ts";
import type { OutcomeExportSummary, OutcomeQuery } from "../../sdk/outcomes.ts";
import { type CliContext, withContext } from "../context.ts";
import { renameFields, withFlagNames, withFlagNamesSync } from "../flag-names.ts";
import { missingDirectory } from "../output-target.ts";

/**
 * `cxo outcomes export` and `cxo outcomes verify` (seed 004).
 * export: 0 done; 1 failed or interrupted (rerun with --resume); 2 bad input, nothing sent.
 * verify: 0 the file's hash matches; 1 it does not (or the file is not an export); 2 bad input.
 */
interface ExportFlags {
  campaign?: string;
  from?: string;
  to?: string;
  codes?: string;
  out?: string;
  format?: ExportFormat;
  pageSize?: string;
  tz?: string;
  report?: string;
  map?: string;
  resume?: boolean;
  crm: boolean;
  updatedSince?: string;
  sinceLast?: boolean;
  overlapMinutes?: string;
  force?: boolean;
  fileMode?: string;
}

/** The flag that sets each field of the export query (the SDK's errors name the fields). */
const FLAG_OF: Record<string, string> = {
  campaignId: "--campaign",
  from: "--from",
  to: "--to",
  codes: "--codes",
  pageSize: "--page-size",
  tz: "--tz",
  out: "--out",
  report: "--report",
  replace: "--force",
  fileMode: "--file-mode",
};

export function registerOutcomeCommands(program: Command): void {
  const outcomes = program
    .command("outcomes")
    .description("export, analyse and verify outbound call outcome records (seed 004)");
  registerExportCommand(outcomes);
  registerVerifyCommand(outcomes);
}

/** `cxo outcomes export`: a window's records, or (with --updated-since/--since-last) the changes. */
function registerExportCommand(outcomes: Command): void {
  outcomes
    .command("export")
    .description(
      "stream a campaign's call outcomes to NDJSON/CSV or a partitioned Parquet dataset with conversion analysis, a compliance hash, an optional HTML report and a CRM summary; resumable",
    )
    .option(
      "--campaign <id>",
      "campaign id (on the cxone platform: a Personal Connection skill id, e.g. 101)",
    )
    .option("--from <iso>", "start (inclusive), ISO 8601 with a zone, within the last 90 days")
    .option("--to <iso>", "end (exclusive), ISO 8601 with a zone, not in the future")
    .option("--tz <zone>", "IANA zone for date-times without an offset, and for the day/hour breakdowns")
    .option("--codes <A,B>", "only these disposition codes")
    .option(
      "--out <file>",
      "output file (default outcomes-<campaign>.<format>; - for stdout): .parquet is one Parquet file; a directory (ending in / or existing) a partitioned Parquet dataset",
    )
    .addOption(
      new Option(
        "--format <format>",
        "output format (default: what --out names: .csv, .ndjson, .parquet, a directory for a dataset; else ndjson); one that contradicts --out is refused",
      ).choices(["ndjson", "csv", "parquet"]),
    )
    .option("--page-size <n>", "records per request, 1–5000", "5000")
    .option("--report <file.html>", "also write a self-contained HTML report")
    .option("--map <file>", "disposition → category map (YAML/JSON); default: the seed's map")
    .option("--resume", "continue the interrupted export of the same query and file")
    .option("--force", "replace an --out or --report file that is not one cxo wrote (never a link)")
    .option("--file-mode <octal>", "mode of the files written, e.g. 640 (default 600: owner only)")
    .option("--no-crm", "do not send the summary to the configured crm destination")
    .option(
      "--updated-since <iso>",
      "incremental mode (cxone platform): the calls created or changed since this instant (ISO 8601 with a zone), instead of --from/--to; remembers where it stopped",
    )
    .option(
      "--since-last",
      "incremental mode: continue from where this campaign's last incremental export stopped (a cursor kept in the data directory; CXone's 304 = nothing changed)",
    )
    .option(
      "--overlap-minutes <n>",
      "incremental mode: start the next run this long before CXone's time of this one (its warehouse lag; changes already written are not written again)",
      "30",
    )
    .addHelpText(
      "after",
      "\nIncremental mode (cxone platform):\n  cxo outcomes export --campaign 701 --updated-since 2026-03-01T00:00:00Z --out changes-1.ndjson\n  cxo outcomes export --campaign 701 --since-last --out changes-2.ndjson\nEach run writes only what changed since the last one; the cursor advances when the export completes.",
    )
    .action(
      withContext(async (ctx, flags: ExportFlags) => {
        if (flags.sinceLast || flags.updatedSince !== undefined) return exportChangesCommand(flags, ctx);
        return exportCommand(flags, ctx);
      }),
    );
}

/** A window export: records to a file or stdout, the summary printed, the CRM told. */
async function exportCommand(flags: ExportFlags, ctx: CliContext): Promise<void> {
  const { query, out, map, format, toStdout, files } = checkExportInput(flags, ctx.json);
  const crm = flags.crm && (await ctx.settings()).destinations.crm ? { destination: "crm" } : undefined;
  const interrupt = ctx.interrupt("stopping after the page in flight");
  const progress = exportProgress(ctx.decorated);
  try {
    await withFlagNames(FLAG_OF, () =>
      ctx.withClient(async (client) => {
        const summary = await client.outcomes.export(
          query,
          {
            out,
            format,
            map,
            ...(flags.report ? { report: flags.report } : {}),
            resume: flags.resume === true,
            ...files,
            ...(crm ? { crm } : {}),
            onProgress: (p) => progress.update(p),
          },
          { signal: interrupt.signal },
        );
        progress.stop();
        for (const warning of summary.warnings ?? []) process.stderr.write(`warning: ${warning}\n`);
        if (toStdout) {
          // The records go to stdout (written to a temp file first: the export is resumable
          // and hashes what it wrote); the summary goes to stderr.
          await pipeline(createReadStream(out), process.stdout, { end: false });
          process.stderr.write(`${exportSummaryText(summary)}\n`);
        } else ctx.print(summary, () => exportSummaryText(summary));
      }),
    );
  } catch (error) {
    progress.stop();
    throw asInputError(error, flags) ?? inCliWords(error);
  } finally {
    interrupt.dispose();
    if (toStdout) rmSync(dirname(out), { recursive: true, force: true });
  }
}

/** `cxo outcomes verify`: an export's records hashed again and compared; `--tsr`: a dataset's TSR record-keeping. */
function registerVerifyCommand(outcomes: Command): void {
  outcomes
    .command("verify")
    .description(
      "recompute an export's compliance hash (NDJSON or CSV file, Parquet dataset directory or part) and compare it; --tsr: check a dataset holds every TSR call-detail field and every day",
    )
    .argument("[file]", "the export file, or the Parquet dataset directory")
    .option("--hash <sha256>", "the compliance hash recorded by the export (audit log / summary)")
    .addOption(
      new Option(
        "--format <format>",
        "file format (default: from the extension; parquet for a directory)",
      ).choices(["ndjson", "csv", "parquet"]),
    )
    .option(
      "--tsr",
      "check the FTC Telemarketing Sales Rule's call-detail records instead (with --dataset, --from, --to)",
    )
    .option("--dataset <dir>", "--tsr: the Parquet outcomes dataset (`cxo outcomes export --out DIR/`)")
    .option("--from <date>", "--tsr: the first day to hold (YYYY-MM-DD, UTC)")
    .option("--to <date>", "--tsr: the day after the last (YYYY-MM-DD, UTC)")
    .action(
      withContext(async (ctx, file: string | undefined, flags: VerifyFlags) => {
        if (flags.tsr) return verifyTsr(ctx, file, flags);
        // The argument is optional for --tsr's sake; the rest is the client's rule, named by its flags.
        const params = {
          file: file ?? "",
          hash: flags.hash ?? "",
          ...(flags.format ? { format: flags.format } : {}),
        };
        const result = await ctx
          .withClient((client) => client.outcomes.verify(params), { offline: true })
          .catch((error: unknown) => {
            throw withTsrHint(renameFields(error, VERIFY_FLAGS));
          });
        if ("error" in result)
          ctx.print(result, `MISMATCH: ${result.file} is not an outcomes export: ${result.error}`);
        else
          ctx.print(result, () =>
            result.ok
              ? `ok: ${result.records} records, compliance hash ${result.complianceHash} matches`
              : `MISMATCH: ${result.records} records hash to ${result.complianceHash}, expected ${result.expectedHash}`,
          );
        if (!result.ok) process.exitCode = 1;
      }),
    );
}

/** The SDK's `verify` fields → the argument and flags that set them. */
const VERIFY_FLAGS: Record<string, string> = { file: "FILE", hash: "--hash", format: "--format" };

/** A missing FILE: the command's other form (--tsr) needs none. */
function withTsrHint(error: unknown): unknown {
  if (!(error instanceof InputError)) return error;
  const hinted = error.problems.map((p) =>
    p.field === "FILE" && p.rule === "is required"
      ? { ...p, rule: "is required (or --tsr with --dataset)" }
      : p,
  );
  return Object.assign(new InputError(hinted), { stack: error.stack });
}

interface VerifyFlags {
  hash?: string;
  format?: ExportFormat;
  tsr?: boolean;
  dataset?: string;
  from?: string;
  to?: string;
}

/** `--tsr`: exit 0 every field and day is there, 1 something is missing (named), 2 bad input. */
async function verifyTsr(ctx: CliContext, file: string | undefined, flags: VerifyFlags): Promise<void> {
  const problems: InputProblem[] = [];
  const dataset = flags.dataset ?? file;
  if (!dataset) problems.push({ field: "--dataset", rule: "is required with --tsr" });
  else if (!existsSync(dataset) || !statSync(dataset).isDirectory())
    problems.push({ field: "--dataset", rule: `${dataset} is not a dataset directory` });
  if (!flags.from) problems.push({ field: "--from", rule: "is required with --tsr" });
  if (!flags.to) problems.push({ field: "--to", rule: "is required with --tsr" });
  if (flags.hash) problems.push({ field: "--hash", rule: "does not go with --tsr" });
  if (problems.length > 0) throw new InputError(problems);
  const params = { dataset: dataset as string, from: flags.from as string, to: flags.to as string };
  const result = await withFlagNames({ from: "--from", to: "--to", dataset: "--dataset" }, () =>
    ctx.withClient((client) => client.outcomes.verifyTsr(params), { offline: true }),
  );
  ctx.print(result, () => humanTsr(result));
  if (!result.ok) process.exitCode = 1;
}

function humanTsr(r: TsrCheckResult): string {
  const lines = [
    `${r.ok ? "ok" : "INCOMPLETE"}: ${r.dataset}, ${r.from} to ${r.to} (exclusive): ${r.daysPresent} of ${r.days} days, ${r.records} records in ${r.parts} parts`,
  ];
  for (const f of r.fields)
    if (f.recordsWithout > 0)
      lines.push(
        `  - ${f.field} (${f.what}): missing in ${f.recordsWithout} of ${r.records} records${f.partsWithoutColumn > 0 ? ` (${f.partsWithoutColumn} parts have no ${f.column} column)` : ""}`,
      );
  for (const run of r.missingDays.slice(0, 30))
    lines.push(
      `  - no records on ${run.from === run.to ? run.from : `${run.from} to ${run.to} (${run.days} days)`}`,
    );
  if (r.missingDays.length > 30)
    lines.push(`  … and ${r.missingDays.length - 30} more runs of missing days (--json lists them all)`);
  return lines.join("\n");
}

/** The SDK's incremental-export fields → the flags that set them. */
const CHANGES_FLAG_OF: Record<string, string> = {
  campaignId: "--campaign",
  updatedSince: "--updated-since",
  sinceLast: "--since-last",
  overlapMinutes: "--overlap-minutes",
  pageSize: "--page-size",
  tz: "--tz",
  format: "--format",
  out: "--out",
  replace: "--force",
  fileMode: "--file-mode",
};

/** `--force` and `--file-mode` as the SDK's `replace` and `fileMode` (a bad mode: a problem). */
function fileFlags(flags: ExportFlags, problems: InputProblem[]): { replace?: true; fileMode?: number } {
  const mode = flags.fileMode;
  if (mode !== undefined && !/^(0o?)?[0-7]{3}$/i.test(mode.trim())) {
    problems.push({
      field: "--file-mode",
      rule: `"${mode}" is not a file mode: three octal digits, e.g. 600 or 640`,
    });
    return {};
  }
  return {
    ...(flags.force ? { replace: true as const } : {}),
    ...(mode === undefined ? {} : { fileMode: Number.parseInt(mode.trim().slice(-3), 8) }),
  };
}

/** `outcomes export --updated-since ISO | --since-last`: the incremental export. */
async function exportChangesCommand(flags: ExportFlags, ctx: CliContext): Promise<void> {
  const collector = new ProblemCollector();
  const { problems } = collector;
  const notWith = (flag: string, set: boolean) => {
    if (set)
      problems.push({
        field: flag,
        rule: "is for a window export; the incremental mode (--updated-since/--since-last) takes none",
      });
  };
  notWith("--from", flags.from !== undefined);
  notWith("--to", flags.to !== undefined);
  notWith("--codes", flags.codes !== undefined);
  notWith("--resume", flags.resume === true);
  notWith("--report", flags.report !== undefined);
  if (flags.sinceLast && flags.updatedSince !== undefined)
    problems.push({
      field: "--since-last",
      rule: "continues from the stored cursor; --updated-since starts from a given instant: give one of them",
    });
  if (!flags.campaign) problems.push({ field: "--campaign", rule: "is required" });
  if (flags.out === "-")
    problems.push({ field: "--out", rule: "the incremental mode writes a file (not -)" });
  const target = collector.attempt(() =>
    exportTarget(flags.out, flags.format, { out: "--out", format: "--format" }),
  );
  const format = target?.format ?? flags.format ?? "ndjson";
  // Flags are text: a number only in the flag's form (`5.0`, `1e3`, ` 5` are no page size).
  const numberIn = (text: string, form: RegExp) => (form.test(text) ? Number(text) : Number.NaN);
  const pageSize = numberIn(flags.pageSize ?? "5000", /^\d+$/);
  const overlap = numberIn(flags.overlapMinutes ?? "30", /^\d+(\.\d+)?$/);
  // The SDK's rules (outcomes/changes-query.ts), by the flags; the format by --out when it named it.
  collector.attempt(() =>
    withFlagNamesSync(
      { ...CHANGES_FLAG_OF, format: flags.format === undefined ? "--out" : "--format" },
      () => {
        const changes = changesQueryProblems({
          format,
          pageSize,
          overlapMinutes: overlap,
          updatedSince: flags.updatedSince,
        });
        if (changes.length > 0) throw new InputError(changes);
      },
    ),
  );
  const stamp = clockNowDate()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const out = resolve(flags.out ?? `outcomes-${flags.campaign ?? "campaign"}-changes-${stamp}.${format}`);
  const outDir = missingDirectory(out);
  if (outDir) problems.push({ field: "--out", rule: outDir });
  const map = flags.map
    ? collector.attempt(() =>
        withFlagNamesSync({ map: "--map" }, () => loadDispositionMap(flags.map as string)),
      )
    : DEFAULT_DISPOSITION_MAP;
  const files = fileFlags(flags, problems);
  if (problems.length > 0) throw new InputError(problems);
  const interrupt = ctx.interrupt("stopping");
  try {
    await withFlagNames(CHANGES_FLAG_OF, () =>
      ctx.withClient(async (client) => {
        const summary = await client.outcomes.exportChanges(
          {
            campaignId: flags.campaign as string,
            ...(flags.updatedSince === undefined ? {} : { updatedSince: flags.updatedSince.trim() }),
            pageSize,
            ...(flags.tz === undefined ? {} : { tz: flags.tz }),
          },
          {
            out,
            format: format as "ndjson" | "csv",
            ...(map ? { map } : {}),
            overlapMinutes: overlap,
            ...files,
          },
          { signal: interrupt.signal },
        );
        ctx.print(summary, () =>
          [
            summary.unchanged
              ? `no change since ${summary.updatedSince} (CXone answered 304): 0 records written to ${summary.out}`
              : `exported ${counted(summary.totalRecords, "changed record")} since ${summary.updatedSince} to ${summary.out} (${summary.format}, ${fileSize(summary.bytes)})${summary.skippedAlreadyExported > 0 ? `; ${summary.skippedAlreadyExported} already written by the last run skipped` : ""}`,
            `next --since-last starts at ${summary.nextUpdatedSince}`,
            `compliance hash ${summary.complianceHash} (recorded in the audit log)`,
          ].join("\n"),
        );
      }),
    );
  } catch (error) {
    throw asInputError(error, flags) ?? error;
  } finally {
    interrupt.dispose();
  }
}

function checkExportInput(flags: ExportFlags, json: boolean) {
  const collector = new ProblemCollector();
  const { problems } = collector;
  const attempt = <T>(check: () => T) => collector.attempt(check);
  // Checked here too, so every bad flag (query, files) is reported at once.
  attempt(() =>
    withFlagNamesSync(FLAG_OF, () =>
      parseExportQuery({
        campaign: flags.campaign,
        from: flags.from,
        to: flags.to,
        codes: flags.codes,
        pageSize: flags.pageSize,
        tz: flags.tz,
      }),
    ),
  );
  const query: OutcomeQuery = {
    campaignId: flags.campaign as string,
    from: flags.from as string,
    to: flags.to as string,
    ...(flags.codes === undefined ? {} : { codes: flags.codes.split(",") }),
    ...(flags.pageSize === undefined ? {} : { pageSize: Number(flags.pageSize) }),
    ...(flags.tz === undefined ? {} : { tz: flags.tz }),
  };
  const map = flags.map
    ? attempt(() => withFlagNamesSync({ map: "--map" }, () => loadDispositionMap(flags.map as string)))
    : DEFAULT_DISPOSITION_MAP;
  // What --out names decides the format (a .parquet name is one file, a directory a dataset);
  // a --format that contradicts it is refused naming both.
  const target = attempt(() => exportTarget(flags.out, flags.format, { out: "--out", format: "--format" }));
  const format: ExportFormat = target?.format ?? flags.format ?? "ndjson";
  const dataset = format === "parquet" && target?.parquetFile !== true;
  const toStdout = flags.out === "-";
  if (format === "parquet" && toStdout)
    problems.push({
      field: "--out",
      rule: "- (stdout) cannot hold Parquet: give a file name ending in .parquet, or a directory for a dataset",
    });
  if (toStdout && json)
    problems.push({
      field: "--out",
      rule: "- (stdout) cannot be used with --json: stdout carries the summary document",
    });
  if (toStdout && flags.resume)
    problems.push({ field: "--resume", rule: "needs an --out file to resume (not -)" });
  const out = toStdout
    ? join(mkdtempSync(join(tmpdir(), "cxo-export-")), `outcomes.${format}`)
    : resolve(flags.out ?? `outcomes-${flags.campaign ?? "campaign"}${dataset ? "" : `.${format}`}`);
  const outDir = missingDirectory(out);
  if (outDir) problems.push({ field: "--out", rule: outDir });
  if (flags.report) {
    if (extname(flags.report).toLowerCase() !== ".html")
      problems.push({ field: "--report", rule: "must be an .html file" });
    else if (missingDirectory(flags.report))
      problems.push({ field: "--report", rule: missingDirectory(flags.report) as string });
    if (resolve(flags.report) === out)
      problems.push({ field: "--report", rule: "must not be the --out file" });
  }
  if (flags.resume && flags.out === undefined && flags.campaign === undefined)
    problems.push({ field: "--resume", rule: "needs the same --campaign/--out as the interrupted export" });
  const files = fileFlags(flags, problems);
  if (problems.length > 0 || !map) {
    if (toStdout) rmSync(dirname(out), { recursive: true, force: true });
    throw new InputError(problems);
  }
  return { query, out, map, format, toStdout, files };
}

/** The SDK's advice (`resume: true`) in the CLI's words (`--resume`). */
function inCliWords(error: unknown): unknown {
  if (error instanceof ExportInterruptedError || error instanceof ExportResumeError)
    error.message = error.message.replaceAll("`resume: true`", "--resume");
  return error;
}

/** CXone refusing the query itself is bad input too (exit 2), named by the flag it concerns. */
function asInputError(error: unknown, flags: ExportFlags): InputError | undefined {
  const cause = error instanceof ExportInterruptedError ? error.cause : error;
  if (cause instanceof NotFoundError)
    return new InputError({
      field: "--campaign",
      rule: `campaign ${flags.campaign} does not exist${cxoneWords(cause)}`,
    });
  if (cause instanceof ValidationError)
    return new InputError({ field: /code/i.test(cause.message) ? "--codes" : "query", rule: cause.message });
  return undefined;
}

/** The export's summary as the human output prints it. */
export function exportSummaryText(s: OutcomeExportSummary): string {
  const d = s.durationSeconds;
  const lines = [
    s.alreadyComplete
      ? `already complete: ${s.out} (figures recomputed from the file; nothing fetched)`
      : `exported ${counted(s.totalRecords, "record")} in ${counted(s.pages, "page")} to ${s.out} (${s.format}${s.parts === undefined ? "" : `, ${counted(s.parts, "part")}`}, ${fileSize(s.bytes)})${s.resumed ? `, resumed after ${s.resumedFromRecords}` : ""}`,
    `conversion ${(s.conversionRate * 100).toFixed(2)} % (${s.converted} converted)`,
    `categories: ${Object.entries(s.categories)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  ];
  const unknown = unknownCodesParts(s.unknownCodes);
  if (unknown.outsideRecords > 0)
    lines.push(
      `codes outside the map (${counted(unknown.outsideRecords, "record")}): ${unknown.outside
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}`,
    );
  if (unknown.noDisposition > 0)
    lines.push(`${counted(unknown.noDisposition, "record")} with no disposition (no code to map)`);
  if (d.count > 0)
    lines.push(
      `duration s: mean ${d.mean?.toFixed(1)}, p50 ${d.p50?.toFixed(1)}, p90 ${d.p90?.toFixed(1)}, p99 ${d.p99?.toFixed(1)}`,
    );
  lines.push(
    `${s.recordsPerSec.toFixed(0)} records/s; ${s.retries} retries, ${s.throttled} 429 pauses`,
    `compliance hash ${s.complianceHash} (recorded in the audit log)`,
  );
  if (s.report) lines.push(`report: ${s.report}`);
  if (s.crm)
    lines.push(
      s.crm.delivered
        ? "CRM summary delivered"
        : "CRM summary queued in the outbox (run `cxo outbox deliver` or keep `cxo serve` running)",
    );
  return lines.join("\n");
}
