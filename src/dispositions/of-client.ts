import { Readable } from "node:stream";
import { checkDeadline, deadlineSignal } from "../core/deadline.ts";
import { InputError } from "../core/input-error.ts";
import { lazyModule } from "../core/lazy-module.ts";
import { idOf } from "../core/params.ts";
import { checkWriteTarget } from "../core/safe-write.ts";
import { withSpooledFile } from "../core/spool.ts";
import type { ClientContext } from "../platform/client-context.ts";
import type { DispositionMatrix } from "../platform/types.ts";
import type { BulkSummary } from "./bulk-tag.ts";
import type { Progress } from "./progress.ts";
import type { TaggingSession } from "./session.ts";
import type { TagOutcome } from "./tag-call.ts";

// Tagging (the journal's tag operation, row rules, the bulk runner with its CSV parser) is
// imported at first use, not with this file: most clients never tag.
const loadTagCall = lazyModule(() => import("./tag-call.ts"));
const loadValidateRow = lazyModule(() => import("./validate-row.ts"));
const loadBulkTag = lazyModule(() => import("./bulk-tag.ts"));
const loadReport = lazyModule(() => import("./report.ts"));
const loadCheckRowFile = lazyModule(() => import("./check-row-file.ts"));
const loadRowSource = lazyModule(() => import("./row-source.ts"));

/** One call to tag: the fields of a tagging row (a CSV/NDJSON file has the same columns). */
export interface TagRow {
  callId: string;
  dispositionCodeId: string;
  reasonCodeId?: string | undefined;
  tags?: string[] | string | undefined;
  notes?: string | undefined;
}

/**
 * A tagged call: CXone's status, the attempts it took and how long, with what was applied: the
 * disposition code (its id, also when the row gave its name) and the tags.
 */
export type TagResult = Extract<TagOutcome, { ok: true }> & {
  dispositionCodeId: string;
  tagsApplied: string[];
};

/**
 * Where `tagFile` reads its rows: a CSV/NDJSON file's path, a readable stream of such a file's
 * bytes (give `format`), or an (async) iterable of rows.
 */
export type TagSource = string | NodeJS.ReadableStream | AsyncIterable<TagRow> | Iterable<TagRow>;

/** How `tagFile` runs (its request options, `signal` and `deadlineMs`, bound the whole call). */
export interface TagFileParams {
  campaignId: string;
  /**
   * The format of a byte stream's rows (`csv` with a header, or `ndjson`); a path's comes from
   * its extension, and rows given as objects need none.
   */
  format?: "csv" | "ndjson";
  /**
   * Rows in flight at once (1–256). Default: enough for the tenant's tagging limit, 32 at the
   * documented 100/s and more at a higher limit (128 at `rateLimitScale: 10`).
   */
  concurrency?: number;
  /** Validate every row, send nothing. */
  dryRun?: boolean;
  /**
   * Write the invalid rows' problems to this CSV file (safely: never through a link; an
   * existing file must be a problem report cxo wrote, unless `replaceReport`).
   */
  reportFile?: string;
  /** Replace a `reportFile` that exists and is not a problem report cxo wrote. */
  replaceReport?: boolean;
  /**
   * Send again the rows an earlier run of the same file (same content, same campaign) already
   * tagged: a deliberate re-send. Without it a rerun skips them, and the summary says so
   * (`skipped`, `warnings`).
   */
  force?: boolean;
  /**
   * No new row starts after this many milliseconds; rows in flight finish and are recorded, and
   * the summary says `interrupted` (a rerun continues). Unlike `deadlineMs`, which stops the
   * whole call at once and rejects.
   */
  noNewRowsAfterMs?: number;
  /**
   * No new row starts once this signal aborts; rows in flight finish and are recorded, and the
   * summary says `interrupted` (what the CLI does on Ctrl-C). Unlike the request option
   * `signal`, which stops the whole call at once and rejects with its reason.
   */
  stopSignal?: AbortSignal;
  /** A progress display for `total` valid rows (the CLI draws a bar). */
  progress?: (total: number) => Progress;
}

/** What each dispositions method works with: the port, the session, the campaigns' code matrices. */
export interface DispositionsContext {
  context: ClientContext;
  /** The tagging session: the store, after what an earlier run left pending was re-driven. */
  session(): Promise<TaggingSession>;
  /** A campaign's code matrix (cached); an unknown campaign is CXone's NotFoundError, named. */
  matrixOf(campaignId: string, signal?: AbortSignal): Promise<DispositionMatrix>;
  /** The tenant's tagging limit, per second (what the default concurrency keeps busy). */
  taggingRatePerSecond(): number;
  /** Runs bulk work with this process's share of the tenant's tagging limit. */
  withRateShare<T>(work: () => Promise<T>): Promise<T>;
}

/** `tag`: one row, its shape then the campaign's codes checked before it is sent. */
export async function tagOne(
  ctx: DispositionsContext,
  campaignId: string,
  row: TagRow,
  signal: AbortSignal | undefined,
): Promise<TagResult> {
  idOf(campaignId, "campaignId");
  if (typeof row !== "object" || row === null)
    throw new InputError({
      field: "row",
      rule: "must be an object ({ callId, dispositionCodeId, … })",
    });
  idOf(row.callId, "callId");
  // Ids that cannot exist on this platform are refused before anything is sent.
  ctx.context.port.support.checkId?.("campaign", campaignId, "campaignId");
  ctx.context.port.support.checkId?.("call", row.callId, "callId");
  // The store first (a bad data dir is bad input, found before anything is sent).
  const deps = await ctx.session();
  const [{ failureOf, tagCall }, { validateTagRow }] = await Promise.all([loadTagCall(), loadValidateRow()]);
  // The row's shape (ids, tags, notes) needs no request: bad input sends nothing.
  const shape = validateTagRow({ ...row }, null);
  if (!shape.ok) throw new InputError(shape.problems);
  const matrix = await ctx.matrixOf(campaignId, signal);
  const checked = validateTagRow({ ...row }, matrix);
  if (!checked.ok) throw new InputError(checked.problems);
  const outcome = await tagCall(deps, campaignId, checked.request, { signal });
  // CXone refused codes the cached matrix offered, and its fresh matrix agrees: bad input.
  if (!outcome.ok && outcome.problems)
    throw new InputError(
      outcome.problems.map((p) => ({
        field: p.field,
        rule: `${p.rule} (the campaign's codes changed)`,
      })),
    );
  if (!outcome.ok) throw failureOf(outcome);
  const missing = outcome.partial?.notApplied.tags ?? [];
  return {
    ...outcome,
    dispositionCodeId: checked.request.dispositionCodeId,
    tagsApplied: checked.request.tags.filter((t) => !missing.includes(t)),
  };
}

/** `tagFile`: a file, stream or iterable of rows, checked whole before any row is sent. */
export async function tagRows(
  ctx: DispositionsContext,
  source: TagSource,
  params: TagFileParams,
  signal: AbortSignal | undefined,
): Promise<BulkSummary> {
  if (typeof params !== "object" || params === null || typeof params.campaignId !== "string")
    throw new InputError({ field: "campaignId", rule: "is required" });
  checkDeadline(params.noNewRowsAfterMs, "noNewRowsAfterMs");
  // Started with the call, as `deadlineMs` was when it meant this.
  const stops = [
    ...(params.stopSignal ? [params.stopSignal] : []),
    ...(params.noNewRowsAfterMs === undefined
      ? []
      : [deadlineSignal(params.noNewRowsAfterMs, "noNewRowsAfterMs")]),
  ];
  const stop = stops.length === 0 ? undefined : AbortSignal.any(stops);
  // The store first (a bad data dir is bad input, found before anything is sent).
  const deps = await ctx.session();
  const { defaultConcurrency, tagFile } = await loadBulkTag();
  // The report's file is checked before anything is sent (a link or a foreign file: bad input).
  if (params.reportFile) {
    const { reportTarget } = await loadReport();
    checkWriteTarget(params.reportFile, reportTarget(params.replaceReport));
  }
  return withRowFile(source, params.format, async (file) => {
    // What needs no request first (UTF-8, header, CSV structure, each row's shape): a
    // file that is bad input sends nothing, not even a token request.
    const [{ checkRowFile }, { formatOf }] = await Promise.all([loadCheckRowFile(), loadRowSource()]);
    const { shapeValid } = await checkRowFile(file, formatOf(file));
    if (shapeValid > 0) await ctx.matrixOf(params.campaignId, signal);
    const run = () =>
      tagFile(deps, {
        campaignId: params.campaignId,
        file,
        concurrency: params.concurrency ?? defaultConcurrency(ctx.taggingRatePerSecond()),
        dryRun: params.dryRun === true,
        force: params.force === true,
        ...(params.reportFile ? { reportFile: params.reportFile } : {}),
        ...(params.replaceReport ? { replaceReport: true } : {}),
        shapeValidRows: shapeValid,
        ...(stop ? { shouldStop: () => stop.aborted } : {}),
        ...(signal ? { signal } : {}),
        ...(params.progress ? { progress: params.progress } : {}),
      });
    // A dry run sends nothing, so it takes no share of the tenant's limit.
    const summary = await (params.dryRun ? run() : ctx.withRateShare(run));
    return typeof source === "string" ? summary : { ...summary, file: STREAM_FILE };
  });
}

/** What a summary names as its file when the rows came from a stream or an iterable. */
const STREAM_FILE = "(stream)";

const isBytes = (value: unknown): value is string | Uint8Array =>
  typeof value === "string" || value instanceof Uint8Array;

/**
 * Runs `work` on a file holding the source's rows: the path itself, or a temporary copy of a
 * stream (its bytes) or an iterable (its rows as NDJSON), removed afterwards.
 */
async function withRowFile<T>(
  source: TagSource,
  format: "csv" | "ndjson" | undefined,
  work: (file: string) => Promise<T>,
): Promise<T> {
  if (typeof source === "string") return work(source);
  const bytes = source instanceof Readable || (source as NodeJS.ReadableStream).pipe !== undefined;
  if (bytes && format === undefined)
    throw new InputError({ field: "format", rule: "is required with a stream of bytes (csv or ndjson)" });
  const items = source as AsyncIterable<unknown> | Iterable<unknown>;
  const rows = (async function* () {
    for await (const item of items) {
      if (bytes || isBytes(item)) yield item;
      else yield `${JSON.stringify(item)}\n`;
    }
  })();
  return withSpooledFile(rows, `rows.${bytes ? format : "ndjson"}`, work);
}
