import { randomUUID } from "node:crypto";
import { z } from "zod";
import { clockNowMs } from "../core/clock/now.ts";
import { InputError } from "../core/input-error.ts";
import { zonedInstantMs, zonedInstantProblem } from "../core/instant-input.ts";
import { checkWriteTarget, replaceWithTemp } from "../core/safe-write.ts";
import type { Checkpoint, Operation, Store } from "../core/store/index.ts";
import type { CxonePort } from "../platform/port.ts";
import { type OutcomeAnalysis, OutcomeAnalyzer } from "./analysis.ts";
import { updatedSinceProblem } from "./changes-query.ts";
import { ComplianceHash } from "./compliance-hash.ts";
import { Categorizer, DEFAULT_DISPOSITION_MAP, type DispositionMap } from "./disposition-map.ts";
import { ExportFile } from "./export-file.ts";
import { exportFileKind, exportWriteOptions } from "./export-targets.ts";
import {
  type CanonicalRecord,
  CSV_HEADER,
  canonicalLine,
  canonicalRecord,
  csvRows,
  type TsrFields,
} from "./record-format.ts";
/**
 * The incremental export (production platform): the campaign's calls whose record was created or
 * changed since a point, written as an NDJSON or CSV export (same records, compliance hash and
 * analysis as the window export), and a per-campaign cursor in the store so the next run
 * continues where this one stopped ("since last").
 *
 * The cursor is CXone's own time of the listing (`lastPollTime`), taken back by `overlapMs`
 * (default: the platform's 30-minute warehouse lag, DX): a contact warehoused late carries a
 * `lastUpdateTime` before the time it became visible, and would be missed by a cursor at that
 * time. Records of the overlap that an earlier run already wrote (same contact, same
 * `lastUpdateTime`) are kept in the cursor and skipped, so each change is exported once. A 304
 * ("no change") writes an empty export and keeps the cursor. The cursor advances in the same
 * store transaction as the audit record, only after the file is complete.
 */
export const CHANGES_CURSORS = "outcomes.changes";
export const CHANGES_OPERATION = "outcomes.changes";
/** CXone's completed contacts appear up to 30 minutes late (DX). */
export const DEFAULT_OVERLAP_MS = 30 * 60_000;
/** Clock skew allowed between this machine and CXone when keeping the overlap's records. */
const SKEW_MS = 60 * 60_000;
/** Records encoded and written at a time. */
const BATCH = 1000;

export interface ChangesCursor {
  version: 1;
  /** The next run's `updatedSince`. */
  updatedSince: string;
  /** `<contactId>@<lastUpdateTime>` of records already written whose change is at or after `updatedSince`. */
  seen: string[];
  /** CXone's time of the listing that set this cursor (null: it said none, or nothing changed). */
  lastPollTime: string | null;
}

export interface ChangesExportOptions {
  client: Pick<CxonePort, "outcomes" | "support">;
  store: Store;
  campaignId: string;
  /** Start here (ISO 8601 with a zone); absent: continue from the campaign's stored cursor. */
  updatedSince?: string;
  out: string;
  format?: "ndjson" | "csv";
  pageSize?: number;
  overlapMs?: number;
  map?: DispositionMap;
  /** IANA zone of the day/hour breakdowns. */
  zone?: string;
  /** Replace an existing `out` that is not an export cxo wrote (never a link or a directory). */
  replace?: boolean;
  /** The mode of the file written (default 0o600). */
  fileMode?: number;
  signal?: AbortSignal;
  /** The TSR call-detail fields the platform's records do not carry (issue 79 §4; `compliance.tsr`). */
  tsr?: TsrFields | undefined;
}

export interface ChangesExportSummary extends OutcomeAnalysis {
  campaignId: string;
  /** Where this run started (the stored cursor, or the one given). */
  updatedSince: string;
  /** Where the next `since last` run starts. */
  nextUpdatedSince: string;
  /** CXone answered "no change" (304): nothing written, the cursor kept. */
  unchanged: boolean;
  /** Records of the overlap that an earlier run had already written. */
  skippedAlreadyExported: number;
  format: "ndjson" | "csv";
  out: string;
  bytes: number;
  complianceHash: string;
  elapsedMs: number;
}

interface ChangesRecordPayload {
  campaignId: string;
  updatedSince: string;
  nextUpdatedSince: string;
  unchanged: boolean;
  out: string;
  format: string;
  complianceHash: string;
  totalRecords: number;
  bytes: number;
  cursor: ChangesCursor;
}

/** The audit record of an incremental export and its new cursor, committed together. */
export const changesRecordOperation: Operation<ChangesRecordPayload, { recorded: true }> = {
  kind: CHANGES_OPERATION,
  effect: async () => ({ recorded: true }),
  finish(settled, payload) {
    const { cursor, ...audit } = payload;
    const checkpoints: Checkpoint[] = [
      { namespace: CHANGES_CURSORS, key: payload.campaignId, value: cursor },
    ];
    const details = { operation: CHANGES_OPERATION, target: payload.campaignId, ...audit };
    if (!settled.ok) return { outcome: "failed", details, checkpoints: [] };
    return {
      outcome: "done",
      status: null,
      after: { complianceHash: payload.complianceHash, totalRecords: payload.totalRecords },
      details,
      checkpoints,
    };
  },
};

/** A stored cursor as this version writes it; anything else is refused before a request. */
const ISO_WITH_ZONE = z.string().superRefine((value, ctx) => {
  const rule = zonedInstantProblem(value);
  if (rule !== undefined) ctx.addIssue({ code: "custom", message: rule });
});
const cursorSchema = z.strictObject({
  version: z.literal(1),
  updatedSince: ISO_WITH_ZONE,
  seen: z.array(z.string().regex(/^[^@]+@.*$/, "must be contactId@lastUpdateTime")).max(10_000_000),
  lastPollTime: ISO_WITH_ZONE.nullable(),
});
/** How far ahead of this machine's clock a cursor may be (CXone's clock may run ahead of ours). */
const FUTURE_SLACK_MS = 5 * 60_000;

/**
 * The campaign's stored cursor, if an incremental export of it ran in this store, checked: a
 * cursor edited or corrupted by hand (a future `updatedSince` would export nothing, silently,
 * on every later run) is refused, naming the store key and how to restart.
 */
export async function changesCursor(
  store: Store,
  campaignId: string,
  now = clockNowMs(),
): Promise<ChangesCursor | undefined> {
  const refuse = (problem: string) =>
    new InputError({
      field: "sinceLast",
      rule: `the stored cursor of campaign ${campaignId} (store key ${CHANGES_CURSORS}/${campaignId}) ${problem}: nothing was sent or written; restart the incremental export from a time you choose with \`updatedSince\``,
    });
  let stored: unknown;
  try {
    stored = await store.kv.get<unknown>(CHANGES_CURSORS, campaignId);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw refuse(`cannot be read (${error.message})`);
  }
  if (stored === undefined) return undefined;
  const parsed = cursorSchema.safeParse(stored);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "the cursor";
    throw refuse(`is not a cursor this version wrote (${where}: ${issue?.message ?? "invalid"})`);
  }
  if (Date.parse(parsed.data.updatedSince) > now + FUTURE_SLACK_MS)
    throw refuse(
      `is in the future (updatedSince ${parsed.data.updatedSince}), so every run would export nothing`,
    );
  return parsed.data;
}

export async function exportChanges(options: ChangesExportOptions): Promise<ChangesExportSummary> {
  const { store, campaignId, signal } = options;
  const refusal = options.client.support.unsupported("outcomes.changedCalls");
  if (refusal) throw refusal;
  const format = options.format ?? "ndjson";
  const overlapMs = options.overlapMs ?? DEFAULT_OVERLAP_MS;
  if (!Number.isSafeInteger(overlapMs) || overlapMs < 0)
    throw new InputError({ field: "overlapMs", rule: "must be a whole number of milliseconds ≥ 0" });
  // A run given its own start replaces the stored cursor, so a broken one does not stand in its way.
  const previous = options.updatedSince === undefined ? await changesCursor(store, campaignId) : undefined;
  const since = startOf(options, previous);
  // Records an earlier run wrote are skipped only when continuing from its cursor.
  const seenBefore = new Set(previous?.seen ?? []);

  // Where it goes (no link, no foreign file), then whose it is, before the `.partial` file
  // exists (a bad target or campaign leaves nothing behind and sends nothing).
  const target = exportWriteOptions(options, "out", exportFileKind(format));
  const out = checkWriteTarget(options.out, target);
  const partial = checkWriteTarget(`${out}.partial`, { ...target, force: true });
  await options.client.outcomes.checkCampaign?.(campaignId, signal);
  const started = performance.now();
  const analyzer = new OutcomeAnalyzer(new Categorizer(options.map ?? DEFAULT_DISPOSITION_MAP), options.zone);
  const hasher = new ComplianceHash();
  const file = await ExportFile.create(partial, target.mode);
  const run = await writeChanges(options, { file, format, since, seenBefore, overlapMs, analyzer, hasher });
  replaceWithTemp(partial, out, target);

  const cursor = nextCursor(since, seenBefore, run, overlapMs);
  const analysis = analyzer.result();
  const complianceHash = hasher.peek();
  const summary: ChangesExportSummary = {
    campaignId,
    updatedSince: since,
    nextUpdatedSince: cursor.updatedSince,
    unchanged: run.end.unchanged,
    skippedAlreadyExported: run.skipped,
    format,
    out,
    bytes: file.offset,
    complianceHash,
    ...analysis,
    elapsedMs: performance.now() - started,
  };
  await store.journal.run(changesRecordOperation, {
    target: campaignId,
    payload: {
      campaignId,
      updatedSince: since,
      nextUpdatedSince: cursor.updatedSince,
      unchanged: run.end.unchanged,
      out,
      format,
      complianceHash,
      totalRecords: analysis.totalRecords,
      bytes: file.offset,
      cursor,
    },
    idempotencyKey: `outcomes-changes-${campaignId}-${randomUUID()}`,
  });
  return summary;
}

/** Where this run starts: the time given (checked), else the stored cursor's; neither is bad input. */
function startOf(options: ChangesExportOptions, previous: ChangesCursor | undefined): string {
  if (options.updatedSince !== undefined) {
    const problem = updatedSinceProblem(options.updatedSince);
    if (problem) throw new InputError(problem);
    const ms = zonedInstantMs(options.updatedSince) as number;
    if (ms > clockNowMs() + 5 * 60_000)
      throw new InputError({ field: "updatedSince", rule: "is in the future" });
    return new Date(ms).toISOString();
  }
  if (previous) return previous.updatedSince;
  throw new InputError({
    field: "sinceLast",
    rule: `no earlier incremental export of campaign ${options.campaignId} in this data directory: give \`updatedSince\` for the first one`,
  });
}

/** What the listing left for the next cursor. */
interface ChangesRun {
  /** How CXone's listing ended: "no change", and its time of the listing. */
  end: { unchanged: boolean; lastPollTime: string | undefined };
  /** `<contactId>@<lastUpdateTime>` of the records recent enough to fall in a next run's overlap. */
  recent: Map<string, number>;
  /** The newest change seen (-Infinity: none). */
  maxUpdatedMs: number;
  /** Records skipped as written by an earlier run. */
  skipped: number;
}

/** Lists the changed calls into `file` (closed on the way out), in batches, hashed and analysed. */
async function writeChanges(
  options: ChangesExportOptions,
  into: {
    file: ExportFile;
    format: "ndjson" | "csv";
    since: string;
    seenBefore: ReadonlySet<string>;
    overlapMs: number;
    analyzer: OutcomeAnalyzer;
    hasher: ComplianceHash;
  },
): Promise<ChangesRun> {
  const { campaignId, signal } = options;
  const { file, format, seenBefore, analyzer, hasher } = into;
  const keepAfterMs = clockNowMs() - into.overlapMs - SKEW_MS;
  const run: Omit<ChangesRun, "end"> = {
    recent: new Map(),
    maxUpdatedMs: Number.NEGATIVE_INFINITY,
    skipped: 0,
  };
  try {
    if (format === "csv") await file.append(CSV_HEADER);
    let batch: CanonicalRecord[] = [];
    let lines = "";
    const flush = async () => {
      if (batch.length === 0) return;
      hasher.addLines(lines);
      await file.append(format === "csv" ? csvRows(batch) : lines);
      batch = [];
      lines = "";
    };
    const calls = options.client.outcomes.changedCalls(
      { campaignId, updatedSince: into.since, ...(options.pageSize ? { pageSize: options.pageSize } : {}) },
      signal,
    );
    for (;;) {
      const next = await calls.next();
      if (next.done) {
        await flush();
        await file.sync();
        return { ...run, end: next.value };
      }
      if (signal?.aborted) throw signal.reason ?? new Error("aborted");
      const call = next.value;
      const updated = call.dispositionUpdatedAt ?? "";
      const key = `${call.id}@${updated}`;
      const updatedMs = Date.parse(updated);
      if (updatedMs > run.maxUpdatedMs) run.maxUpdatedMs = updatedMs;
      if (updatedMs >= keepAfterMs) run.recent.set(key, updatedMs);
      if (seenBefore.has(key)) {
        run.skipped += 1;
        continue;
      }
      const record = canonicalRecord(call.raw, options.tsr);
      batch.push(record);
      lines += `${canonicalLine(record)}\n`;
      analyzer.add(record);
      if (batch.length >= BATCH) await flush();
    }
  } finally {
    await file.close();
  }
}

/** The next run's cursor: "no change" keeps this one; else CXone's listing time less the overlap. */
function nextCursor(
  since: string,
  seenBefore: ReadonlySet<string>,
  run: ChangesRun,
  overlapMs: number,
): ChangesCursor {
  const { end } = run;
  if (end.unchanged) return { version: 1, updatedSince: since, seen: [...seenBefore], lastPollTime: null };
  const sinceMs = Date.parse(since);
  const pollMs = Date.parse(end.lastPollTime ?? "");
  // CXone's time of the listing; without one, the newest change seen (never this machine's clock).
  const basis = Number.isNaN(pollMs)
    ? Number.isFinite(run.maxUpdatedMs)
      ? run.maxUpdatedMs
      : sinceMs
    : pollMs;
  const nextMs = Math.max(sinceMs, basis - overlapMs);
  return {
    version: 1,
    updatedSince: new Date(nextMs).toISOString(),
    seen: [...run.recent].filter(([, ms]) => ms >= nextMs).map(([key]) => key),
    lastPollTime: end.lastPollTime ?? null,
  };
}
