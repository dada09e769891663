import { createHash } from "node:crypto";
import { appendAuditRecords } from "../audit/audit-log.ts";
import { canonicalJson } from "../audit/canonical-json.ts";
import { clockNowDate } from "../clock/now.ts";
import { scrubSecrets } from "../logging/secrets.ts";
import type { OutboxEventInput } from "../outbox/events.ts";
import { enqueueEvents, type Outbox } from "../outbox/queue.ts";
import { type GroupCommitOptions, GroupCommitter } from "./group-commit.ts";
import { holderIsDeadHere, type InstanceIdentity, newInstanceIdentity } from "./instance.ts";
import { Heartbeat } from "./journal-heartbeat.ts";
import { type Checkpoint, setCheckpoints } from "./kv.ts";
import { assertLeaseHeld, type Lease } from "./leases.ts";
import { clockMsSql, type SqlDb, type SqlExecutor } from "./sql.ts";
import { timeOrderedId } from "./time-ordered-id.ts";
/**
 * The operation journal: the one way a capability makes a side effect on CXone.
 *
 *   1. a `pending` row is committed (kind, target, payload, its digest, idempotency key);
 *   2. the effect runs (the port call, given the idempotency key);
 *   3. ONE transaction: the row becomes done/failed, the audit record is appended, the
 *      outbound events are enqueued, checkpoints are written.
 *
 * Steps 1 and 3 go through a group commit (group-commit.ts): rows of concurrent operations
 * finishing within a few milliseconds share one transaction and one fsync. Each step still
 * waits for ITS commit before going on (the effect runs only once the pending row is durable; a
 * row is done only once its group has committed), so a crash loses exactly what it lost before.
 *
 * A capability describes its operation once (`Operation`: effect + finish) and calls
 * `journal.run(op, request)`; it cannot skip the pending row, the audit record or the events,
 * and the same description re-drives the operation after a crash (`redrivePending`). If step 3
 * cannot complete (crash, database error, a throwing `finish`), nothing of it is kept and the
 * row stays pending, to be re-driven: operations are idempotent upserts, so running the effect
 * again is safe, and the audit record and events then exist exactly once.
 *
 * Rows are leased to the process that runs them (`lease_owner`, renewed by a heartbeat while
 * the effect runs). `redrivePending` only takes rows whose lease ran out or whose owner died on
 * this host: a second process on the same data dir or database never re-drives the live
 * pending work of another (issue 20 item 11), and two re-drivers never run the same row twice.
 */

export interface EffectContext {
  operationId: string;
  /** Send this with the request (e.g. X-Idempotency-Key): stable across re-drives. */
  idempotencyKey: string;
  /** 1 on the first run, more when re-driven. */
  attempt: number;
  redriven: boolean;
  /** The caller's signal (its abort or deadline); absent on a re-drive, which nobody waits for. */
  signal?: AbortSignal | undefined;
}

export type Settled<R> =
  | { ok: true; value: R; latencyMs: number }
  | { ok: false; error: unknown; latencyMs: number };

/** What the journal records once the effect has settled. */
export interface Finish {
  /**
   * `partial`: the effect went through in part (not re-driven: the journal row is `done`); the
   * audit record says `partial`, and `details` what was and was not applied.
   */
  outcome: "done" | "failed" | "partial";
  /** HTTP status (or equivalent) of the effect. */
  status?: number | null;
  /** State before/after, e.g. ETags or version tags. */
  before?: unknown;
  after?: unknown;
  details?: unknown;
  /** Outbound webhook events, enqueued only if this operation's bookkeeping commits. */
  events?: OutboxEventInput[];
  /** Progress that must commit together with the operation (bulk jobs, resume tokens). */
  checkpoints?: Checkpoint[];
  /**
   * What the journal row keeps of its payload once finished, when the payload held something
   * only the effect needed (a user's password hash): the row is re-driven from its payload
   * only while pending, so a finished row need not keep it.
   */
  retainPayload?: unknown;
  /**
   * Earlier finished rows of `kind` on this operation's target keep only `payload` (e.g.
   * removing a user forgets every hash its earlier saves carried).
   */
  forgetPayloads?: { kind: string; payload: unknown };
}

/** A capability's side effect, described once; used by `run` and by `redrivePending`. */
export interface Operation<P, R> {
  readonly kind: string;
  /** Payload must be JSON data: it is stored and handed back as parsed JSON on re-drive. */
  effect(payload: P, ctx: EffectContext): Promise<R>;
  /** Called for success and failure alike, so the failure path cannot be forgotten. */
  finish(settled: Settled<R>, payload: P): Finish;
}

export interface OperationRequest<P> {
  target: string;
  payload: P;
  /** Defaults to a digest of kind + target + payload: the same request gets the same key. */
  idempotencyKey?: string;
  /** The CXone client id acting; defaults to the store's actor. */
  actor?: string;
  /**
   * The caller's signal. Aborted before the pending row is written: nothing is written or sent.
   * Aborted while the effect runs: the effect is told (ctx.signal) and the call rejects with the
   * signal's reason, but the row stays `pending`, released for the next re-drive: the request
   * may already have reached CXone, so only re-driving it (idempotently) makes the record true.
   */
  signal?: AbortSignal | undefined;
}

export type JournalStatus = "pending" | "done" | "failed";

export interface JournalEntry {
  id: string;
  kind: string;
  target: string;
  actor: string | null;
  idempotencyKey: string;
  payload: unknown;
  payloadDigest: string;
  status: JournalStatus;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  error: string | null;
}

export interface RedriveReport {
  redriven: number;
  done: number;
  failed: number;
  /** Pending rows left alone because a live process holds them (it is running them now). */
  heldElsewhere: number;
  /** Rows left pending: no operation of that kind was given, or their bookkeeping failed again. */
  leftPending: Array<{ id: string; kind: string; reason: string }>;
}

interface JournalRow {
  id: string;
  kind: string;
  target: string;
  actor: string | null;
  idempotency_key: string;
  payload: string;
  payload_digest: string;
  status: JournalStatus;
  attempts: number;
  created_at: string;
  updated_at: string;
  error: string | null;
}

const rowToEntry = (row: JournalRow): JournalEntry => ({
  id: row.id,
  kind: row.kind,
  target: row.target,
  actor: row.actor,
  idempotencyKey: row.idempotency_key,
  payload: JSON.parse(row.payload),
  payloadDigest: row.payload_digest,
  status: row.status,
  attempts: Number(row.attempts),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  error: row.error,
});

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/** The default finish for a failed effect: its status and message (secrets scrubbed). */
export function failureFinish(error: unknown, extra: Omit<Finish, "outcome"> = {}): Finish {
  const status = (error as { status?: unknown } | null)?.status;
  return {
    outcome: "failed",
    status: typeof status === "number" ? status : null,
    ...extra,
    details: {
      error: scrubSecrets(error instanceof Error ? error.message : String(error)),
      errorName: error instanceof Error ? error.name : typeof error,
      ...(isPlainObject(extra.details) ? extra.details : {}),
    },
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** How long a pending row stays reserved to its process without a heartbeat. */
export const DEFAULT_JOURNAL_LEASE_MS = 30_000;

export class Journal {
  private readonly db: SqlDb;
  private readonly outbox: Outbox;
  private readonly defaultActor: string | null;
  private readonly instance: InstanceIdentity;
  private readonly leaseMs: number;
  private readonly heartbeat: Heartbeat;
  private readonly fence: Lease | undefined;
  private readonly commits: GroupCommitter;

  constructor(
    db: SqlDb,
    outbox: Outbox,
    defaultActor: string | null,
    instance: InstanceIdentity = newInstanceIdentity(),
    leaseMs = DEFAULT_JOURNAL_LEASE_MS,
    shared?: { heartbeat: Heartbeat; fence: Lease; commits: GroupCommitter },
    options: {
      groupCommit?: GroupCommitOptions;
      /** false: this instance never renews its rows' leases (as a host that froze); default true. */
      renewLeases?: boolean;
    } = {},
  ) {
    this.db = db;
    this.outbox = outbox;
    this.defaultActor = defaultActor;
    this.instance = instance;
    this.leaseMs = leaseMs;
    this.heartbeat =
      shared?.heartbeat ?? new Heartbeat(db, instance.id, leaseMs, options.renewLeases ?? true);
    this.fence = shared?.fence;
    // PostgreSQL groups concurrent commits itself (and a SAVEPOINT is a round trip there): the
    // group commit is for SQLite, where each commit is an fsync of its own.
    this.commits =
      shared?.commits ??
      new GroupCommitter(db, db.dialect === "postgres" ? { windowMs: 0 } : (options.groupCommit ?? {}));
  }

  /** Group commits made and the journal steps they carried. */
  groupCommitStats(): { groups: number; units: number } {
    return this.commits.stats();
  }

  /**
   * The same journal, fenced by a lease: a new operation's pending row is only written (and so
   * its effect only runs) while `lease` is still held with its token. Leader-only work uses it,
   * so an old leader that lost its lease while paused cannot act.
   */
  withFence(lease: Lease): Journal {
    return new Journal(this.db, this.outbox, this.defaultActor, this.instance, this.leaseMs, {
      heartbeat: this.heartbeat,
      fence: lease,
      commits: this.commits,
    });
  }

  /** An abandoned row (its caller aborted mid-effect): the next re-drive may take it at once. */
  private async releaseForRedrive(id: string): Promise<void> {
    // No owner either: a heartbeat already under way (it read its rows before this one was
    // released) then finds nothing of ours to renew, whichever statement lands first.
    await this.db.run(
      "UPDATE journal SET lease_until_ms = 0, lease_owner = NULL WHERE id = ? AND status = 'pending'",
      [id],
    );
  }

  /**
   * The store is closing: stop renewing, and free this instance's pending rows at once. An
   * effect still running cannot be recorded any more (the connection goes), so its row is for
   * the next re-drive, which need not wait for the lease to run out.
   */
  async releaseLeases(): Promise<void> {
    this.heartbeat.stop();
    await this.db
      .run(
        "UPDATE journal SET lease_until_ms = 0, lease_owner = NULL WHERE lease_owner = ? AND status = 'pending'",
        [this.instance.id],
      )
      .catch(() => undefined);
  }

  /** Runs one side effect through the journal; resolves with its result or rejects with its error. */
  async run<P, R>(op: Operation<P, R>, request: OperationRequest<P>): Promise<R> {
    // Until it has finished, this operation may still join a group commit: a group that every
    // running operation has joined closes without waiting out its window.
    const leave = this.commits.enter();
    try {
      return await this.runSteps(op, request);
    } finally {
      leave();
    }
  }

  private async runSteps<P, R>(op: Operation<P, R>, request: OperationRequest<P>): Promise<R> {
    const payloadJson = canonicalJson(request.payload);
    const payloadDigest = sha256(payloadJson);
    const idempotencyKey =
      request.idempotencyKey ??
      `idk_${sha256(`${op.kind}\u0000${request.target}\u0000${payloadJson}`).slice(0, 40)}`;
    const id = timeOrderedId("op_");
    const now = clockNowDate().toISOString();
    const fence = this.fence;
    const signal = request.signal;
    signal?.throwIfAborted();
    this.heartbeat.hold(id);
    try {
      const insert = async (tx: SqlExecutor) => {
        await tx.run(
          `INSERT INTO journal (id, kind, target, actor, idempotency_key, caller_key, payload, payload_digest, status,
            attempts, created_at, updated_at, lease_owner, lease_until_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 1, ?, ?, ?, ${clockMsSql(tx.dialect)} + ?)`,
          [
            id,
            op.kind,
            request.target,
            request.actor ?? this.defaultActor,
            idempotencyKey,
            request.idempotencyKey === undefined ? 0 : 1,
            payloadJson,
            payloadDigest,
            now,
            now,
            this.instance.id,
            this.leaseMs,
          ],
        );
      };
      // Fenced: the lease check and the row commit together. Grouped (SQLite): with the rows of
      // other operations, one fsync for all. Otherwise (PostgreSQL): one statement, one commit.
      if (fence || this.commits.grouping)
        await this.commits.submit(async (tx) => {
          if (fence) await assertLeaseHeld(tx, fence);
          await insert(tx);
        });
      else await insert(this.db);
    } catch (error) {
      this.heartbeat.release(id);
      throw error;
    }
    let settled: Settled<R>;
    // Held until the answer is recorded, as a re-drive holds it: a re-drive in this process that
    // reached the row between the effect's answer and the commit would run the effect again.
    try {
      settled = await this.execute(op, request.payload, {
        operationId: id,
        idempotencyKey,
        attempt: 1,
        redriven: false,
        signal,
      });
      if (!settled.ok && signal?.aborted) {
        await this.releaseForRedrive(id);
        throw signal.reason;
      }
      await this.finish(op, request.payload, settled, {
        id,
        target: request.target,
        actor: request.actor ?? this.defaultActor,
        idempotencyKey,
        redriven: false,
      });
    } finally {
      this.heartbeat.release(id);
    }
    if (!settled.ok) throw settled.error;
    return settled.value;
  }

  /**
   * Runs every pending operation again (oldest first) with its stored payload and idempotency
   * key. Call it on start, before new work. Failures are recorded, not thrown. `only` picks the
   * rows to take (the others are left pending, not reported): work whose rows may be re-driven
   * only under a lease of their own (a plan's push) is re-driven key by key.
   */
  async redrivePending(
    operations: readonly Operation<never, unknown>[],
    options: { only?: (entry: JournalEntry) => boolean } = {},
  ): Promise<RedriveReport> {
    const byKind = new Map(operations.map((op) => [op.kind, op as Operation<unknown, unknown>]));
    const report: RedriveReport = { redriven: 0, done: 0, failed: 0, heldElsewhere: 0, leftPending: [] };
    for (const entry of await this.pending()) {
      if (options.only && !options.only(entry)) continue;
      const op = byKind.get(entry.kind);
      if (!op) {
        report.leftPending.push({
          id: entry.id,
          kind: entry.kind,
          reason: "no operation of this kind was given",
        });
        continue;
      }
      // Rows this process is running right now (another caller of the same store) are not ours to redo.
      if (this.heartbeat.running(entry.id)) {
        report.heldElsewhere += 1;
        continue;
      }
      this.heartbeat.hold(entry.id);
      // A participant of the group commit like `run`: re-driven one by one, each finish would
      // otherwise wait out a whole window alone.
      const leave = this.commits.enter();
      try {
        if (!(await this.claim(entry.id))) {
          report.heldElsewhere += 1;
          continue;
        }
        const settled = await this.execute(op, entry.payload, {
          operationId: entry.id,
          idempotencyKey: entry.idempotencyKey,
          attempt: entry.attempts + 1,
          redriven: true,
        });
        report.redriven += 1;
        try {
          const outcome = await this.finish(op, entry.payload, settled, {
            id: entry.id,
            target: entry.target,
            actor: entry.actor,
            idempotencyKey: entry.idempotencyKey,
            redriven: true,
          });
          if (outcome === "done") report.done += 1;
          else if (outcome === "failed") report.failed += 1;
        } catch (error) {
          report.leftPending.push({ id: entry.id, kind: entry.kind, reason: scrubSecrets(String(error)) });
        }
      } finally {
        leave();
        this.heartbeat.release(entry.id);
      }
    }
    return report;
  }

  /**
   * Takes a pending row for this process: free (never leased, or its lease ran out) or held by a
   * process on this host that has died. One UPDATE decides, so of two re-drivers one wins.
   */
  private async claim(id: string): Promise<boolean> {
    const now = clockMsSql(this.db.dialect);
    const take = (extra: string, params: Array<string | number>) =>
      this.db.run(
        `UPDATE journal SET lease_owner = ?, lease_until_ms = ${now} + ?, attempts = attempts + 1, updated_at = ?
          WHERE id = ? AND status = 'pending' AND ${extra}`,
        [this.instance.id, this.leaseMs, clockNowDate().toISOString(), id, ...params],
      );
    const free = await take(`(lease_owner IS NULL OR lease_owner = ? OR lease_until_ms <= ${now})`, [
      this.instance.id,
    ]);
    if (free.changes > 0) return true;
    const row = await this.db.get<{ lease_owner: string | null }>(
      "SELECT lease_owner FROM journal WHERE id = ? AND status = 'pending'",
      [id],
    );
    if (!row?.lease_owner || !holderIsDeadHere(row.lease_owner)) return false;
    return (await take("lease_owner = ?", [row.lease_owner])).changes > 0;
  }

  async pending(): Promise<JournalEntry[]> {
    const rows = await this.db.all<JournalRow>("SELECT * FROM journal WHERE status = 'pending' ORDER BY seq");
    return rows.map(rowToEntry);
  }

  async get(id: string): Promise<JournalEntry | undefined> {
    const row = await this.db.get<JournalRow>("SELECT * FROM journal WHERE id = ?", [id]);
    return row ? rowToEntry(row) : undefined;
  }

  /**
   * The most recent operation run with this idempotency key given by its caller (e.g. a
   * watchdog step skipping work already journaled). Keys the journal derived itself are not
   * indexed, so they are not found here.
   */
  async findByKey(idempotencyKey: string): Promise<JournalEntry | undefined> {
    const row = await this.db.get<JournalRow>(
      "SELECT * FROM journal WHERE caller_key = 1 AND idempotency_key = ? ORDER BY seq DESC LIMIT 1",
      [idempotencyKey],
    );
    return row ? rowToEntry(row) : undefined;
  }

  async counts(): Promise<Record<JournalStatus, number>> {
    const rows = await this.db.all<{ status: JournalStatus; n: number }>(
      "SELECT status, COUNT(*) AS n FROM journal GROUP BY status",
    );
    const counts: Record<JournalStatus, number> = { pending: 0, done: 0, failed: 0 };
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }

  private async execute<P, R>(op: Operation<P, R>, payload: P, ctx: EffectContext): Promise<Settled<R>> {
    const started = performance.now();
    try {
      const value = await op.effect(payload, ctx);
      return { ok: true, value, latencyMs: performance.now() - started };
    } catch (error) {
      return { ok: false, error, latencyMs: performance.now() - started };
    }
  }

  /** Step 3: all or nothing. Returns the outcome, or null if another run had already finished it. */
  private async finish<P, R>(
    op: Operation<P, R>,
    payload: P,
    settled: Settled<R>,
    row: { id: string; target: string; actor: string | null; idempotencyKey: string; redriven: boolean },
  ): Promise<JournalStatus | null> {
    const finish = op.finish(settled, payload);
    const outcome = finish.outcome === "failed" ? "failed" : "done";
    const error =
      outcome === "failed" ? scrubSecrets(JSON.stringify(finish.details ?? null)).slice(0, 1000) : null;
    const details = {
      operationId: row.id,
      ...(row.redriven ? { redriven: true } : {}),
      ...(isPlainObject(finish.details)
        ? finish.details
        : finish.details === undefined
          ? {}
          : { value: finish.details }),
    };
    const events = finish.events ?? [];
    const committed = await this.commits.submit(async (tx) => {
      // Guarded on `pending`: if a concurrent re-drive already finished this operation, its
      // audit record and events stand and ours are not added a second time.
      const changed = await tx.run(
        "UPDATE journal SET status = ?, updated_at = ?, error = ? WHERE id = ? AND status = 'pending'",
        [outcome, clockNowDate().toISOString(), error, row.id],
      );
      if (changed.changes === 0) return false;
      if (finish.forgetPayloads)
        await tx.run("UPDATE journal SET payload = ? WHERE kind = ? AND target = ? AND status <> 'pending'", [
          canonicalJson(finish.forgetPayloads.payload),
          finish.forgetPayloads.kind,
          row.target,
        ]);
      if (finish.retainPayload !== undefined)
        await tx.run("UPDATE journal SET payload = ? WHERE id = ?", [
          canonicalJson(finish.retainPayload),
          row.id,
        ]);
      await appendAuditRecords(tx, [
        {
          operation: op.kind,
          outcome: finish.outcome,
          actor: row.actor,
          target: row.target,
          status: finish.status ?? null,
          latencyMs: settled.latencyMs,
          idempotencyKey: row.idempotencyKey,
          before: finish.before,
          after: finish.after,
          details,
        },
      ]);
      await enqueueEvents(tx, events);
      if (finish.checkpoints?.length) await setCheckpoints(tx, finish.checkpoints);
      return true;
    });
    if (!committed) return null;
    if (events.length > 0) this.outbox.notify();
    return outcome;
  }
}
