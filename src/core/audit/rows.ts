import { canonicalJson } from "./canonical-json.ts";
import type { AuditRecord } from "./record.ts";

/** How an audit record maps to its table row (JSON fields are canonical JSON text). */
export interface AuditRow {
  seq: number;
  recorded_at: string;
  actor: string | null;
  operation: string;
  target: string | null;
  outcome: string;
  status_code: number | null;
  latency_ms: number | null;
  idempotency_key: string | null;
  before_json: string | null;
  after_json: string | null;
  details_json: string | null;
  prev_hash: string;
  hash: string;
}

export const jsonColumn = (value: unknown): string | null => (value === null ? null : canonicalJson(value));
const parseColumn = (value: string | null): unknown => (value === null ? null : JSON.parse(value));

export function rowToRecord(row: AuditRow): AuditRecord {
  return {
    seq: Number(row.seq),
    time: row.recorded_at,
    actor: row.actor,
    operation: row.operation,
    target: row.target,
    outcome: row.outcome,
    status: row.status_code,
    latencyMs: row.latency_ms,
    idempotencyKey: row.idempotency_key,
    before: parseColumn(row.before_json),
    after: parseColumn(row.after_json),
    details: parseColumn(row.details_json),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
