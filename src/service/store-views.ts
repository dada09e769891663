import type { AuditRecord } from "../core/audit/index.ts";
import { clockNowMs } from "../core/clock/now.ts";
import { type DestinationStatus, destinationStatus } from "../core/outbox/index.ts";
import type { Store } from "../core/store/index.ts";
/**
 * Read-only views of the local store for the dashboard: outbox state per destination, the
 * latest audit records (headline fields only: before/after/details can hold personal data and
 * stay in `cxo audit`), and recent bulk tagging progress as the audit log records it.
 */
export type AuditLine = Pick<
  AuditRecord,
  "seq" | "time" | "actor" | "operation" | "target" | "outcome" | "status" | "latencyMs"
> & {
  /**
   * What changed, in words, where the record says it without personal data: a campaign's state
   * (`paused → active`; "already active" when nothing changed), the pacing automation's
   * (`automatic → stopped`). Null otherwise.
   */
  change: string | null;
};

export interface BulkJobView {
  kind: "tagging";
  campaignId: string;
  rowsDone: number;
  rowsFailed: number;
  lastRow: number | null;
  startedAt: string;
  lastAt: string;
  /** No row recorded for a while: the run finished or stopped. */
  active: boolean;
}

export function outboxView(store: Store, destinations: readonly string[]): Promise<DestinationStatus[]> {
  return destinationStatus(store.outbox, destinations);
}

export async function auditView(store: Store, limit: number): Promise<AuditLine[]> {
  const records = await store.audit.tail(limit);
  return records.reverse().map((r) => ({
    seq: r.seq,
    time: r.time,
    actor: r.actor,
    operation: r.operation,
    target: r.target,
    outcome: r.outcome,
    status: r.status,
    latencyMs: r.latencyMs,
    change: changeOf(r),
  }));
}

/** Pause and resume are one operation (`campaigns.set-status`): the list shows the transition. */
function changeOf(record: AuditRecord): string | null {
  const field = (value: unknown, key: string) => {
    const v = (value as Record<string, unknown> | null | undefined)?.[key];
    return typeof v === "string" ? v : null;
  };
  if (record.operation === "campaigns.set-status") {
    const before = field(record.before, "status");
    const after = field(record.after, "status") ?? field(record.details, "target");
    if (!after) return null;
    if (record.outcome === "done" && before === after && record.status === 409) return `already ${after}`;
    return `${before ?? "?"} → ${after}`;
  }
  if (record.operation.startsWith("pacing.automation.")) {
    const after = field(record.after, "state");
    return after ? `pacing ${after === "stopped" ? "automatic → stopped" : "stopped → automatic"}` : null;
  }
  return null;
}

/** A pause this long between two rows of a campaign starts another job. */
const JOB_GAP_MS = 5 * 60_000;
const ACTIVE_WITHIN_MS = 30_000;

/**
 * Bulk tagging rows (`cxo tag --file`) carry their row number in the audit record; rows of one
 * campaign without a long pause between them are one job. Scans the last `scan` records.
 */
export async function bulkJobsView(store: Store, scan = 5_000, nowMs = clockNowMs()): Promise<BulkJobView[]> {
  const jobs: BulkJobView[] = [];
  const open = new Map<string, BulkJobView>();
  for (const record of await store.audit.tail(scan)) {
    if (record.operation !== "dispositions.tag") continue;
    const details = record.details as { row?: unknown; campaignId?: unknown } | null;
    if (typeof details?.row !== "number" || typeof details.campaignId !== "string") continue;
    const at = Date.parse(record.time);
    let job = open.get(details.campaignId);
    if (!job || at - Date.parse(job.lastAt) > JOB_GAP_MS) {
      job = {
        kind: "tagging",
        campaignId: details.campaignId,
        rowsDone: 0,
        rowsFailed: 0,
        lastRow: null,
        startedAt: record.time,
        lastAt: record.time,
        active: false,
      };
      open.set(details.campaignId, job);
      jobs.push(job);
    }
    if (record.outcome === "done") job.rowsDone += 1;
    else job.rowsFailed += 1;
    job.lastRow = Math.max(job.lastRow ?? 0, details.row);
    job.lastAt = record.time;
  }
  for (const job of jobs) job.active = nowMs - Date.parse(job.lastAt) < ACTIVE_WITHIN_MS;
  return jobs.reverse().slice(0, 20);
}
