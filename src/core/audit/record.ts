import { createHash } from "node:crypto";
import { redactValue, scrubSecrets } from "../logging/secrets.ts";
import { canonicalJson, toJsonValue } from "./canonical-json.ts";

/**
 * One audit record and its hash. The hash covers every field, the sequence number and the
 * previous record's hash, so editing, removing or reordering any record breaks the chain at
 * that point.
 */

/** What a caller records. Values pass through `redactValue`: an audit record never holds a secret. */
export interface AuditEntry {
  operation: string;
  outcome: string;
  actor?: string | null;
  target?: string | null;
  status?: number | null;
  latencyMs?: number | null;
  idempotencyKey?: string | null;
  /** State before and after, e.g. ETags or version tags. */
  before?: unknown;
  after?: unknown;
  details?: unknown;
  /** ISO-8601; defaults to now. */
  time?: string;
}

export interface AuditRecord {
  seq: number;
  time: string;
  actor: string | null;
  operation: string;
  target: string | null;
  outcome: string;
  status: number | null;
  latencyMs: number | null;
  idempotencyKey: string | null;
  before: unknown;
  after: unknown;
  details: unknown;
  prevHash: string;
  hash: string;
}

export type UnsealedRecord = Omit<AuditRecord, "hash">;

const text = (value: unknown): string | null =>
  value === undefined || value === null ? null : String(redactValue(String(value)));
const integer = (value: number | null | undefined): number | null =>
  value === undefined || value === null || !Number.isFinite(value) ? null : Math.round(value);
const json = (value: unknown): unknown => {
  if (value === undefined) return null;
  const safe = toJsonValue(redactValue(value));
  // A registered secret that survived as part of a longer token (a key, say) is still caught
  // here, in the serialised text.
  // If scrubbing breaks the JSON, the value is masked whole: never written unscrubbed.
  const text = canonicalJson(safe);
  const scrubbed = scrubSecrets(text);
  if (scrubbed === text) return safe;
  try {
    return JSON.parse(scrubbed);
  } catch {
    return "[REDACTED]";
  }
};

/** Normalises an entry into the exact values that will be stored and hashed. */
export function sealRecord(entry: AuditEntry, seq: number, prevHash: string, now: Date): AuditRecord {
  const record: UnsealedRecord = {
    seq,
    time: entry.time ?? now.toISOString(),
    actor: text(entry.actor),
    operation: String(redactValue(entry.operation)),
    target: text(entry.target),
    outcome: String(entry.outcome),
    status: integer(entry.status),
    latencyMs: integer(entry.latencyMs),
    idempotencyKey: text(entry.idempotencyKey),
    before: json(entry.before),
    after: json(entry.after),
    details: json(entry.details),
    prevHash,
  };
  return { ...record, hash: hashRecord(record) };
}

export function hashRecord(record: UnsealedRecord): string {
  const { seq, time, actor, operation, target, outcome, status, latencyMs, idempotencyKey } = record;
  const { before, after, details, prevHash } = record;
  return createHash("sha256")
    .update(
      canonicalJson({
        seq,
        time,
        actor,
        operation,
        target,
        outcome,
        status,
        latencyMs,
        idempotencyKey,
        before,
        after,
        details,
        prevHash,
      }),
    )
    .digest("hex");
}
