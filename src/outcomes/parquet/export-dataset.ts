import { mkdir } from "node:fs/promises";
import path, { resolve } from "node:path";
import { setImmediate } from "node:timers/promises";
import { DoubleBuffer } from "../../core/double-buffer.ts";
import { prefetched } from "../../core/http/pagination.ts";
import { InputError } from "../../core/input-error.ts";
import { OutcomeAnalyzer } from "../analysis.ts";
import { ComplianceHash } from "../compliance-hash.ts";
import { Categorizer, DEFAULT_DISPOSITION_MAP } from "../disposition-map.ts";
import { ExportResumeError } from "../export-file.ts";
import {
  completeExport,
  type ExportCheckpoint,
  ExportInterruptedError,
  type ExportOptions,
  type ExportSummary,
  emptyRun,
  finishSummary,
  progressOf,
  type RunStats,
} from "../export-run.ts";
import { exportKey, toCallQuery } from "../query.ts";
import { EXPORT_CHECKPOINTS, exportRecordOperation } from "../record-export.ts";
import { canonicalLine, canonicalRecord, dispositionNameOf } from "../record-format.ts";
import {
  campaignDatasetDir,
  checkDatasetDir,
  cleanDataset,
  DatasetWriter,
  prepareDatasetDir,
  readPart,
} from "./dataset.ts";
import { partitionDay } from "./schema.ts";

/**
 * `exportOutcomes` with `format: "parquet"`: the records go to a hive-partitioned dataset
 * directory (dataset.ts) instead of one file, with the same hash, analysis, audit record and CRM
 * event as an NDJSON export of the same window (the hash is over the same canonical lines).
 *
 * Resumable at part granularity. The checkpoint, committed after every part is durable and
 * renamed, records the parts done and the position just after their last record: the page token
 * that fetches the page holding the next record and how many of that page's records are already
 * in parts. A run killed at any point leaves the dataset with whole parts only (a part being
 * written is a hidden temp file); `--resume` removes temp files and parts the checkpoint does
 * not list, reads the listed parts back to recompute the hash (it must equal the checkpointed
 * one) and the analysis, and fetches on from the recorded position. A fresh export replaces the
 * partitions (UTC days) its window covers; other days in the directory are left alone, so a
 * scheduled daily export appends one partition per day, and re-running a day rewrites that
 * day's partition with the same records.
 */
export interface DatasetCheckpoint {
  version: 1;
  out: string;
  format: "parquet";
  /** The page token of the page holding the next record (null: the first page). */
  token: string | null;
  /** Records of that page already in committed parts. */
  skip: number;
  exhausted: boolean;
  records: number;
  /** Pages whose every record is in committed parts. */
  pages: number;
  bytes: number;
  parts: string[];
  nextPart: number;
  hashSoFar: string;
  completed: boolean;
  complianceHash?: string;
}

/** Records encoded between two turns of the event loop (as the NDJSON exporter does). */
const SLICE = 500;

/** The UTC days a [from, to) window touches. */
function windowDays(from: string, to: string): Set<string> {
  const days = new Set<string>();
  const start = Date.parse(from);
  const end = Date.parse(to) - 1;
  for (
    let t = Date.UTC(
      new Date(start).getUTCFullYear(),
      new Date(start).getUTCMonth(),
      new Date(start).getUTCDate(),
    );
    t <= end;
    t += 86_400_000
  )
    days.add(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** Part and row-group sizes (tests use small ones to exercise part boundaries). */
export interface DatasetTuning {
  partRows?: number;
  rowGroupRows?: number;
}

export async function exportDataset(
  options: ExportOptions,
  tuning: DatasetTuning = {},
): Promise<ExportSummary> {
  const { store, query, signal } = options;
  if (typeof options.out !== "string")
    throw new InputError({
      field: "out",
      rule: "a Parquet dataset is a directory: give its path, not a stream",
    });
  // Each campaign's records are a dataset of their own under `out` (dataset.ts): two campaigns
  // exported into one directory never replace each other's parts.
  const root = resolve(options.out);
  const out = campaignDatasetDir(root, query.campaignId);
  const key = exportKey(query, out, "parquet");
  const categorizer = new Categorizer(options.map ?? DEFAULT_DISPOSITION_MAP);
  const analyzer = new OutcomeAnalyzer(categorizer, query.zone);
  const hasher = new ComplianceHash();
  const started = performance.now();

  await store.journal.redrivePending([exportRecordOperation]);
  // Where it goes, then whose it is: both refused before anything is written.
  await checkDatasetDir(root, "out");
  await options.client.outcomes.checkCampaign?.(query.campaignId, signal);

  const previous = options.resume
    ? await store.kv.get<DatasetCheckpoint>(EXPORT_CHECKPOINTS, key)
    : undefined;
  let checkpoint: DatasetCheckpoint;
  if (previous && previous.format === "parquet") {
    await replayParts(out, previous, analyzer, hasher);
    checkpoint = previous;
    if (previous.completed)
      return summaryOf(options, out, analyzer, previous, hasher.peek(), emptyRun(started), {
        resumed: true,
        resumedFromRecords: previous.records,
        alreadyComplete: true,
        crm: null,
      });
    await cleanDataset(out, { keep: new Set(previous.parts), fromPart: previous.nextPart });
  } else {
    await prepareDatasetDir(root, "out");
    await mkdir(out, { recursive: true });
    await cleanDataset(out, { keep: new Set(), days: windowDays(query.from, query.to) });
    checkpoint = {
      version: 1,
      out,
      format: "parquet",
      token: null,
      skip: 0,
      exhausted: false,
      records: 0,
      pages: 0,
      bytes: 0,
      parts: [],
      nextPart: 0,
      hashSoFar: hasher.peek(),
      completed: false,
    };
    await store.kv.set(EXPORT_CHECKPOINTS, key, checkpoint);
  }
  const resumed = previous !== undefined && previous.format === "parquet";

  const run = emptyRun(started);
  const writer = new DatasetWriter({ dir: out, firstPart: checkpoint.nextPart, ...tuning });
  // The stream position just after the last record given to the writer.
  let token = checkpoint.token;
  let skip = checkpoint.skip;
  let records = checkpoint.records;
  let pages = checkpoint.pages;
  let bytes = checkpoint.bytes;
  // The canonical lines since the last slice or part boundary, as UTF-8 in a reused buffer, go to
  // the hash in one update (the NDJSON exporter hashes a page, whose bytes it writes; here a
  // slice's are enough, and the buffers stay a slice's size instead of a page's).
  const lines = new DoubleBuffer();
  let unhashed = 0;
  lines.begin();
  const flushLines = (): void => {
    if (unhashed === 0) return;
    hasher.addLines(lines.bytes());
    lines.begin();
    unhashed = 0;
  };
  // Part commits run in order, off the page loop: each part's fdatasync + rename, THEN the
  // checkpoint that lists it. `commits` is the chain; a failure surfaces at the next boundary.
  let commits: Promise<void> = Promise.resolve();
  let committed = checkpoint;
  /** Closes the part being written and queues its commit with a checkpoint at the current position. */
  const commitPart = async (exhausted: boolean): Promise<void> => {
    flushLines();
    const closed = writer.close();
    if (closed === null && !exhausted) return;
    if (closed) bytes += closed.info.bytes;
    checkpoint = {
      ...checkpoint,
      token,
      skip,
      exhausted,
      records,
      pages,
      bytes,
      parts: closed ? [...checkpoint.parts, closed.info.path] : checkpoint.parts,
      nextPart: writer.nextPart,
      hashSoFar: hasher.peek(),
    };
    const state = checkpoint;
    const previousCommits = commits;
    commits = (async () => {
      await previousCommits;
      await closed?.durable;
      await store.kv.set(EXPORT_CHECKPOINTS, key, state);
      committed = state;
    })();
    commits.catch(() => {});
    // At most one part waits for its commit while the next is written.
    await previousCommits;
  };

  try {
    if (!checkpoint.exhausted) {
      const source = options.client.outcomes.callPages(toCallQuery(query, token ?? undefined), signal);
      for await (const { page, latencyMs } of prefetched(source)) {
        if (signal?.aborted) throw signal.reason ?? new Error("aborted");
        run.pageLatency.push(latencyMs);
        run.latencySum += latencyMs;
        run.retries += page.retries;
        run.throttled += page.throttled;
        for (let i = skip; i < page.count; i++) {
          if (i % SLICE === 0) {
            flushLines();
            await setImmediate();
          }
          const record = canonicalRecord(page.call(i).raw);
          const day = partitionDay(record.startTime);
          if (writer.needsNewPart(day)) await commitPart(false);
          lines.writeLine(canonicalLine(record));
          unhashed += 1;
          analyzer.add(record);
          writer.add(
            record,
            day,
            categorizer.categoryOf(record.dispositionCode, dispositionNameOf(record)) ?? null,
          );
          records += 1;
          run.records += 1;
          skip = i + 1;
        }
        flushLines();
        pages += 1;
        run.pages += 1;
        token = page.nextToken || null;
        skip = 0;
        options.onProgress?.(progressOf(run, { records, pages, offset: bytes } as ExportCheckpoint));
        if (!page.nextToken) break;
      }
    }
    await commitPart(true);
    await commits;
  } catch (error) {
    // Keep what was received: the open part is committed at the position reached, so --resume
    // fetches nothing twice (unless the failure is the dataset's own, then nothing more is kept).
    await commitPart(false).catch(() => writer.abandon());
    await commits.catch(() => {});
    checkpoint = committed;
    const aborted = signal?.aborted === true;
    throw new ExportInterruptedError(
      `${aborted ? "export interrupted" : `export failed: ${(error as Error).message}`}; ${checkpoint.records} records in ${checkpoint.parts.length} parts are safely written in ${out} — export again with \`resume: true\` to continue`,
      { records: checkpoint.records, pages: checkpoint.pages, pagesFailed: aborted ? 0 : 1 },
      error,
    );
  }

  const complianceHash = hasher.peek();
  const crmDestination = options.crmDestination ?? null;
  const summary = summaryOf(options, out, analyzer, checkpoint, complianceHash, run, {
    resumed,
    resumedFromRecords: previous?.records ?? 0,
    alreadyComplete: false,
    crm: crmDestination ? { destination: crmDestination, queued: true } : null,
  });
  return completeExport({ options, key, summary, checkpoint, bytes: checkpoint.bytes });
}

function summaryOf(
  options: ExportOptions,
  out: string,
  analyzer: OutcomeAnalyzer,
  checkpoint: DatasetCheckpoint,
  complianceHash: string,
  run: RunStats,
  parts: Pick<
    Parameters<typeof finishSummary>[0],
    "resumed" | "resumedFromRecords" | "alreadyComplete" | "crm"
  >,
): ExportSummary {
  const summary = finishSummary({
    options,
    format: "parquet",
    out,
    analysis: analyzer.result(),
    checkpoint: { pages: checkpoint.pages, offset: checkpoint.bytes } as ExportCheckpoint,
    complianceHash,
    run,
    ...parts,
  });
  return { ...summary, parts: checkpoint.parts.length };
}

/** Feeds the checkpointed parts back into the hash and the analysis (and checks them). */
async function replayParts(
  out: string,
  checkpoint: DatasetCheckpoint,
  analyzer: OutcomeAnalyzer,
  hasher: ComplianceHash,
): Promise<void> {
  let records = 0;
  for (const part of checkpoint.parts) {
    try {
      for await (const record of readPart(path.join(out, part))) {
        hasher.add(canonicalLine(record));
        analyzer.add(record);
        records += 1;
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT")
        throw new ExportResumeError(`cannot resume: ${path.join(out, part)} does not exist any more`);
      throw new ExportResumeError(
        `cannot resume: ${path.join(out, part)} cannot be read back (${(error as Error).message})`,
      );
    }
  }
  const expected = checkpoint.completed ? checkpoint.complianceHash : checkpoint.hashSoFar;
  if (records !== checkpoint.records || hasher.peek() !== expected)
    throw new ExportResumeError(
      `cannot resume: the ${checkpoint.parts.length} parts in ${out} do not hold the ${checkpoint.records} records exported (the dataset was changed); export again without \`resume: true\``,
    );
}
