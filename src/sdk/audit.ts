import type { AuditAnchor } from "../core/audit/anchor.ts";
import type { AuditRecord } from "../core/audit/record.ts";
import type { AnchoredVerification } from "../core/audit/verify-anchored.ts";
import type { AsyncList } from "../core/http/pagination.ts";
import { InputError } from "../core/input-error.ts";
import { runCall, runItems } from "./call.ts";
import type { ClientRuntime, RequestOptions } from "./runtime.ts";

// The audit log's reading and anchoring (core/audit) are imported at first use, not with this
// file: every client builds this group, and most never read their audit log.

/** `client.audit.verify`'s params. */
export interface AuditVerifyParams {
  /**
   * A file of signed anchors (`audit.anchor({ file })`, JSON lines) to check the chain against
   * as well: it catches records cut from the end and rewrites below an anchor. Needs the anchor
   * key in force (`createClient({ audit: { anchorKey } })`, or a PostgreSQL store's own).
   */
  anchorFile?: string;
}

/** `client.audit.records`'s filters: every record by default, oldest first. */
export interface AuditRecordsParams {
  /** Only the last `last` records (1 or more), oldest first (`cxo audit tail -n`). */
  last?: number;
  /** Only the records after this sequence number (0 or more): what a follower has not seen yet. */
  after?: number;
  /** Records read per page (1–1000, default 1000): the listing holds one page at a time. */
  pageSize?: number;
  /**
   * Keep the listing open (`tail -f`): once the records asked for are read, look for new ones
   * every `intervalMs` (1 or more; on the client's clock, so a program's test clock drives it)
   * and hand each over as it is appended, until the call's signal aborts or its deadline passes —
   * the listing then ends, without an error. The client's `close()` ends it with a
   * ClientClosedError, as it ends any call in flight.
   */
  follow?: { intervalMs: number };
}

/** `client.audit.anchor`'s params. */
export interface AuditAnchorParams {
  /** Append the anchor to this file (JSON lines) instead of the client's `audit.anchorFile`. */
  file?: string;
}

/** A signed anchor of the chain head and where it went (both null: nowhere, the caller keeps it). */
export interface AuditAnchorResult {
  anchor: AuditAnchor;
  /** The file it was appended to. */
  file: string | null;
  /** The outbox destination it was queued for (an `audit.anchor` event). */
  destination: string | null;
}

export interface AuditGroup {
  /**
   * Checks every link of the data dir's hash-chained audit log (`ok: false` names the first
   * broken record and why), and the signed anchors with it: those of `anchorFile` when given,
   * else those the anchoring in force wrote by itself (its default file, when it exists). A bad
   * anchor file is an InputError naming `anchorFile`. Local: sends nothing.
   */
  verify(params?: AuditVerifyParams, options?: RequestOptions): Promise<AnchoredVerification>;
  /**
   * The audit records, oldest first, read a page at a time as the loop asks for them
   * (`for await (const record of client.audit.records({ after: 120 }))`): all of them, the
   * `last` few, or those `after` a sequence number. Local: sends nothing.
   */
  records(params?: AuditRecordsParams, options?: RequestOptions): AsyncList<AuditRecord>;
  /**
   * Signs the chain head now with the anchor key in force and sends the anchor where the client's
   * `audit` settings say (`anchorFile`, or `file`, which wins; `anchorDestination`). Without an
   * anchor key in force (a SQLite store and no `audit.anchorKey`): an InputError naming
   * `audit.anchorKey`, nothing signed. Local: sends nothing to CXone.
   */
  anchor(params?: AuditAnchorParams, options?: RequestOptions): Promise<AuditAnchorResult>;
}

function paramsObject<T extends object>(params: T | undefined): Partial<T> {
  if (params === undefined) return {};
  if (typeof params !== "object" || params === null || Array.isArray(params))
    throw new InputError({ field: "params", rule: "must be an object (or absent)" });
  return params;
}

function wholeAtLeast(value: unknown, field: string, min: number, max?: number): number | undefined {
  if (value === undefined) return undefined;
  if (
    !Number.isSafeInteger(value) ||
    (value as number) < min ||
    (max !== undefined && (value as number) > max)
  )
    throw new InputError({
      field,
      rule:
        max !== undefined
          ? `must be an integer from ${min} to ${max}`
          : min === 1
            ? "must be a positive integer"
            : `must be an integer of ${min} or more`,
    });
  return value as number;
}

function followIntervalOf(follow: unknown): number | undefined {
  if (follow === undefined) return undefined;
  if (typeof follow !== "object" || follow === null || Array.isArray(follow))
    throw new InputError({ field: "follow", rule: "must be { intervalMs } (or absent)" });
  return wholeAtLeast((follow as { intervalMs?: unknown }).intervalMs, "follow.intervalMs", 1) ?? 500;
}

function pathOf(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "")
    throw new InputError({ field, rule: "must be a file path (non-empty text)" });
  return value;
}

export function auditGroup(runtime: ClientRuntime): AuditGroup {
  return {
    verify: (params, options) =>
      runCall(runtime, options, async () => {
        const file = pathOf(paramsObject(params).anchorFile, "anchorFile");
        const [{ verifyAudit }, { readAnchorsNamed }] = await Promise.all([
          import("../core/audit/verify-anchored.ts"),
          import("../core/audit/anchor.ts"),
        ]);
        // The file read before the store opens: a bad file is bad input, nothing opened.
        const read = (path: string) => readAnchorsNamed(path, "anchorFile");
        const given = file === undefined ? undefined : read(file);
        return verifyAudit(await runtime.store(), runtime.audit, given, read);
      }),

    records: (params, options) =>
      runItems(runtime, options, async function* (signal) {
        const given = paramsObject(params);
        const last = wholeAtLeast(given.last, "last", 1);
        const after = wholeAtLeast(given.after, "after", 0);
        const pageSize = wholeAtLeast(given.pageSize, "pageSize", 1, 1000) ?? 1000;
        const intervalMs = followIntervalOf(given.follow);
        if (last !== undefined && after !== undefined)
          throw new InputError({ field: "last", rule: "give `last` or `after`, not both" });
        const store = await runtime.store();
        // Nothing read yet: the log's head is record 0, or the one before `after`.
        let seen = after ?? 0;
        const read = last !== undefined ? await store.audit.tail(last) : store.audit.records(seen, pageSize);
        for await (const record of read) {
          seen = record.seq;
          yield record;
        }
        if (intervalMs === undefined) return;
        const { systemClock } = await import("../core/clock/clock.ts");
        for (;;) {
          try {
            await systemClock.sleep(intervalMs, signal);
          } catch (error) {
            // Followed until the caller's signal or deadline said stop: the listing ends. The
            // client's close() is not the caller's stop: its ClientClosedError goes on.
            if (signal?.aborted && !runtime.calls.closing.aborted) return;
            throw error;
          }
          for await (const record of store.audit.records(seen, pageSize)) {
            seen = record.seq;
            yield record;
          }
        }
      }),

    anchor: (params, options) =>
      runCall(runtime, options, async () => {
        const file = pathOf(paramsObject(params).file, "file");
        const [{ anchoringInForce }, { emitAnchor }] = await Promise.all([
          import("../core/audit/verify-anchored.ts"),
          import("../core/audit/emit-anchor.ts"),
        ]);
        const store = await runtime.store();
        const { settings } = await anchoringInForce(runtime.audit, store);
        return emitAnchor(store, settings, file === undefined ? {} : { file });
      }),
  };
}
