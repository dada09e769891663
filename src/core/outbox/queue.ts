import { clockNowMs } from "../clock/now.ts";
import { redactValue } from "../logging/secrets.ts";
import { holderIsDeadHere, newInstanceIdentity } from "../store/instance.ts";
import { clockMsSql, rowLock, type SqlDb, type SqlExecutor, type SqlValue } from "../store/sql.ts";
import { outboxActivity } from "./activity.ts";
import {
  newEventId,
  type OutboxEvent,
  type OutboxEventInput,
  type OutboxStatus,
  type StoredOutboxEvent,
} from "./events.ts";

/**
 * The outbox table: enqueue (inside the caller's transaction, so an event exists if and only if
 * the operation that caused it committed), claim with a lease (so two dispatchers never send
 * the same event at once), settle results in batches, report, replay. Rows are never deleted
 * by delivery: a delivered or dead event stays visible.
 */

interface OutboxRow {
  seq: number;
  id: string;
  destination: string;
  type: string;
  occurred_at: string;
  data: string;
  order_key: string | null;
  status: OutboxStatus;
  attempts: number;
  next_attempt_ms: number;
  lease_until_ms: number;
  last_status: number | null;
  last_error: string | null;
  created_ms: number;
  finished_ms: number | null;
}

// Leases and delivery results: losing one to a power cut only means one more delivery.
const RELAXED = { durability: "relaxed" } as const;

/**
 * Whether pending event `o` waits for an earlier pending event with the same order key (events
 * with one key go one at a time, in order). One rule for the claim and for when a lane is next due.
 */
const HELD_BACK_BY_ITS_KEY = `(o.order_key IS NOT NULL AND EXISTS (
  SELECT 1 FROM outbox p WHERE p.destination = o.destination AND p.order_key = o.order_key
    AND p.status = 'pending' AND p.seq < o.seq))`;

/** A claimed event, as the dispatcher needs it. */
export interface ClaimedEvent {
  seq: number;
  id: string;
  type: string;
  destination: string;
  occurredAt: string;
  dataJson: string;
  attempts: number;
}

export type DeliveryResult =
  | { seq: number; outcome: "delivered"; status: number }
  | { seq: number; outcome: "retry"; status: number | null; error: string; nextAttemptMs: number }
  | { seq: number; outcome: "dead"; status: number | null; error: string };

export interface DestinationCounts {
  destination: string;
  pending: number;
  delivered: number;
  dead: number;
  oldestPendingAgeMs: number | null;
}

const iso = (ms: number | null): string | null =>
  ms === null || ms === 0 ? null : new Date(Number(ms)).toISOString();

function rowToEvent(row: OutboxRow): StoredOutboxEvent {
  return {
    seq: Number(row.seq),
    id: row.id,
    type: row.type,
    destination: row.destination,
    occurredAt: row.occurred_at,
    data: JSON.parse(row.data),
    orderKey: row.order_key,
    status: row.status,
    attempts: Number(row.attempts),
    nextAttemptAt: row.status === "pending" ? iso(row.next_attempt_ms) : null,
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: iso(row.created_ms)!,
    finishedAt: iso(row.finished_ms),
  };
}

/** Inserts events inside an open write transaction. A duplicate id fails the whole transaction. */
export async function enqueueEvents(
  tx: SqlExecutor,
  inputs: readonly OutboxEventInput[],
  nowMs = clockNowMs(),
): Promise<OutboxEvent[]> {
  const events: OutboxEvent[] = [];
  for (const input of inputs) {
    // Events leave the process: no credential may be in them, whatever the caller put there.
    const data = redactValue(input.data ?? null);
    const event: OutboxEvent = {
      id: input.id ?? newEventId(),
      type: input.type,
      destination: input.destination,
      occurredAt: input.occurredAt ?? new Date(nowMs).toISOString(),
      data,
    };
    await tx.run(
      `INSERT INTO outbox (id, destination, type, occurred_at, data, order_key, status, attempts,
        next_attempt_ms, lease_until_ms, created_ms) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, 0, ?)`,
      [
        event.id,
        event.destination,
        event.type,
        event.occurredAt,
        JSON.stringify(data),
        input.orderKey ?? null,
        nowMs,
        nowMs,
      ],
    );
    events.push(event);
  }
  return events;
}

/** An instance identity (instance.ts): lets a restarted process free the leases of a dead one on this host. */
export function leaseOwnerId(): string {
  return newInstanceIdentity().id;
}

export class Outbox {
  private readonly db: SqlDb;
  private readonly listeners = new Set<() => void>();

  /**
   * The business unit whose store this is, when tenants are configured: every event delivered
   * from here names it, so a destination several tenants share knows whose it is (issue 63 N13).
   */
  readonly tenant: string | undefined;

  constructor(db: SqlDb, tenant?: string) {
    this.db = db;
    this.tenant = tenant;
  }

  async enqueue(events: readonly OutboxEventInput[]): Promise<OutboxEvent[]> {
    const stored = await this.db.transaction((tx) => enqueueEvents(tx, events));
    this.notify();
    return stored;
  }

  /** A running dispatcher in this process subscribes, so new events go out without polling delay. */
  onEnqueued(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    outboxActivity.queued = true;
    for (const listener of this.listeners) listener();
  }

  /**
   * Leases up to `limit` due events of one destination, oldest first. An event with an order key
   * waits while an earlier event with the same key is still pending. Several dispatchers (in
   * several instances) claim at once: on PostgreSQL rows another claimer has locked are skipped
   * (`FOR UPDATE SKIP LOCKED`) and the lease columns keep them apart afterwards; on SQLite the
   * claim transaction holds the write lock.
   */
  claim(
    destination: string,
    limit: number,
    owner: string,
    leaseMs: number,
    nowMs = clockNowMs(),
  ): Promise<ClaimedEvent[]> {
    return this.db.transaction(async (tx) => {
      // One statement picks and leases (a single round trip on PostgreSQL).
      // Leases are judged by the database's clock, as the journal's and the named leases are:
      // instances whose clocks disagree still agree on when a claim runs out. The schedule
      // (next_attempt_ms: backoff, Retry-After) stays in the caller's clock, where it was set.
      const dbNow = clockMsSql(tx.dialect);
      const rows = await tx.all<OutboxRow>(
        `UPDATE outbox SET lease_until_ms = ${dbNow} + ?, lease_owner = ? WHERE seq IN (
          SELECT seq FROM outbox o
            WHERE destination = ? AND status = 'pending' AND next_attempt_ms <= ? AND lease_until_ms <= ${dbNow}
              AND NOT ${HELD_BACK_BY_ITS_KEY}
            ORDER BY seq LIMIT ?${rowLock(tx.dialect, "FOR UPDATE SKIP LOCKED")})
          RETURNING seq, id, type, destination, occurred_at, data, attempts`,
        [leaseMs, owner, destination, nowMs, limit],
      );
      return rows
        .map((row) => ({
          seq: Number(row.seq),
          id: row.id,
          type: row.type,
          destination: row.destination,
          occurredAt: row.occurred_at,
          dataJson: row.data,
          attempts: Number(row.attempts),
        }))
        .sort((a, b) => a.seq - b.seq);
    }, RELAXED);
  }

  /** Records many delivery results in one transaction. Only pending rows change. */
  settle(results: readonly DeliveryResult[], nowMs = clockNowMs()): Promise<void> {
    if (results.length === 0) return Promise.resolve();
    const update = (where: string) =>
      `UPDATE outbox SET status = ?, attempts = attempts + 1, last_status = ?, last_error = ?,
        next_attempt_ms = ?, finished_ms = ?, lease_until_ms = 0, lease_owner = NULL
        WHERE ${where} AND status = 'pending'`;
    // Deliveries with the same answer settle in one statement: one round trip per batch rather
    // than per event (it matters on PostgreSQL, where each statement crosses the network).
    const delivered = new Map<number, number[]>();
    const others: Array<Exclude<DeliveryResult, { outcome: "delivered" }>> = [];
    for (const result of results) {
      if (result.outcome !== "delivered") others.push(result);
      else delivered.set(result.status, [...(delivered.get(result.status) ?? []), result.seq]);
    }
    return this.db.transaction(async (tx) => {
      for (const [status, seqs] of delivered)
        for (let i = 0; i < seqs.length; i += 500) {
          const chunk = seqs.slice(i, i + 500);
          await tx.run(update(`seq IN (${chunk.map(() => "?").join(",")})`), [
            "delivered",
            status,
            null,
            nowMs,
            nowMs,
            ...chunk,
          ]);
        }
      for (const result of others) {
        const params: SqlValue[] =
          result.outcome === "dead"
            ? ["dead", result.status, result.error.slice(0, 500), nowMs, nowMs, result.seq]
            : ["pending", result.status, result.error.slice(0, 500), result.nextAttemptMs, null, result.seq];
        await tx.run(update("seq = ?"), params);
      }
    }, RELAXED);
  }

  /** Frees leases held by processes on this host that no longer exist (killed mid-delivery). */
  async releaseStaleLeases(): Promise<number> {
    const owners = await this.db.all<{ lease_owner: string }>(
      `SELECT DISTINCT lease_owner FROM outbox WHERE status = 'pending' AND lease_until_ms > ${clockMsSql(this.db.dialect)} AND lease_owner IS NOT NULL`,
    );
    let released = 0;
    for (const { lease_owner: owner } of owners) {
      if (!holderIsDeadHere(owner)) continue;
      const result = await this.db.run(
        "UPDATE outbox SET lease_until_ms = 0, lease_owner = NULL WHERE lease_owner = ? AND status = 'pending'",
        [owner],
      );
      released += result.changes;
    }
    return released;
  }

  /**
   * Pending events (of the given destinations, or all), and the earliest time one is due, in the
   * caller's clock (`nowMs`): a leased event's lease end is moved from the database's clock.
   */
  async pendingSummary(
    destinations?: readonly string[],
    nowMs = clockNowMs(),
  ): Promise<{ pending: number; nextDueMs: number | null }> {
    const filter = destinations
      ? ` AND destination IN (${destinations.map(() => "?").join(",") || "NULL"})`
      : "";
    const dbNow = clockMsSql(this.db.dialect);
    const leaseEnd = `(lease_until_ms - ${dbNow} + ?)`;
    // An event held back by an earlier one with its key is due when that one is settled, not at
    // its own time: counting its own (often past) time made lanes re-claim every 5 ms and a
    // one-pass delivery wait out its whole timeout while the earlier event was backing off.
    const row = await this.db.get<{ n: number; due: number | null }>(
      `SELECT COUNT(*) AS n, MIN(CASE WHEN ${HELD_BACK_BY_ITS_KEY} THEN NULL
          WHEN lease_until_ms > ${dbNow} AND ${leaseEnd} > next_attempt_ms
          THEN ${leaseEnd} ELSE next_attempt_ms END) AS due
        FROM outbox o WHERE status = 'pending'${filter}`,
      [nowMs, nowMs, ...(destinations ?? [])],
    );
    return {
      pending: Number(row?.n ?? 0),
      nextDueMs: row?.due === null || row?.due === undefined ? null : Number(row.due),
    };
  }

  async status(nowMs = clockNowMs()): Promise<DestinationCounts[]> {
    const rows = await this.db.all<{
      destination: string;
      status: OutboxStatus;
      n: number;
      oldest: number | null;
    }>(
      "SELECT destination, status, COUNT(*) AS n, MIN(created_ms) AS oldest FROM outbox GROUP BY destination, status ORDER BY destination",
    );
    const byDestination = new Map<string, DestinationCounts>();
    for (const row of rows) {
      let counts = byDestination.get(row.destination);
      if (!counts) {
        counts = {
          destination: row.destination,
          pending: 0,
          delivered: 0,
          dead: 0,
          oldestPendingAgeMs: null,
        };
        byDestination.set(row.destination, counts);
      }
      counts[row.status] = Number(row.n);
      if (row.status === "pending" && row.oldest !== null)
        counts.oldestPendingAgeMs = nowMs - Number(row.oldest);
    }
    return [...byDestination.values()];
  }

  /**
   * Puts events back in the queue with a fresh attempt budget: every dead event (optionally of
   * one destination), or one event by id (dead or delivered: a receiver that lost data can ask
   * for it again). Returns how many were requeued.
   */
  async replay(
    selector: { dead: true; destination?: string } | { id: string },
    nowMs = clockNowMs(),
  ): Promise<number> {
    const reset = `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_ms = ?, lease_until_ms = 0,
      lease_owner = NULL, finished_ms = NULL, last_error = NULL`;
    const result =
      "id" in selector
        ? await this.db.run(`${reset} WHERE id = ? AND status <> 'pending'`, [nowMs, selector.id])
        : selector.destination
          ? await this.db.run(`${reset} WHERE status = 'dead' AND destination = ?`, [
              nowMs,
              selector.destination,
            ])
          : await this.db.run(`${reset} WHERE status = 'dead'`, [nowMs]);
    if (result.changes > 0) this.notify();
    return result.changes;
  }

  async get(id: string): Promise<StoredOutboxEvent | undefined> {
    const row = await this.db.get<OutboxRow>("SELECT * FROM outbox WHERE id = ?", [id]);
    return row ? rowToEvent(row) : undefined;
  }

  async list(
    filter: { status?: OutboxStatus; destination?: string; limit?: number } = {},
  ): Promise<StoredOutboxEvent[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (filter.status) {
      where.push("status = ?");
      params.push(filter.status);
    }
    if (filter.destination) {
      where.push("destination = ?");
      params.push(filter.destination);
    }
    params.push(filter.limit ?? 100);
    const rows = await this.db.all<OutboxRow>(
      `SELECT * FROM outbox${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY seq LIMIT ?`,
      params,
    );
    return rows.map(rowToEvent);
  }
}
