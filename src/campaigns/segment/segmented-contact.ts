import type { Verdict } from "../../compliance/index.ts";

/** One output row: the contact as listed plus its verdict at the segmentation instant. */
export interface SegmentedContact {
  id: string;
  firstName: string | null;
  lastName: string | null;
  phone: string;
  timeZone: string | null;
  state: string | null;
  consentCall: boolean | null;
  allowed: boolean;
  reasons: Array<{
    code: string;
    jurisdiction: string;
    zone: string | null;
    ruleId: string;
    message: string;
  }>;
  zones: string[];
  states: string[];
  nextAllowedAt: string | null;
}

/**
 * The verdict's reasons as output rows carry them. A verdict from the cache has frozen reasons
 * shared with every contact in the same situation: their rows share one frozen list too (made
 * once, not a list and its objects per contact), which also lets the NDJSON writer encode that
 * part of the row once (row-json.ts).
 */
export function reasonsOf(verdict: Verdict): SegmentedContact["reasons"] {
  const shared = Object.isFrozen(verdict.reasons);
  if (shared) {
    const known = sharedReasons.get(verdict.reasons);
    if (known) return known;
  }
  const reasons = verdict.reasons.map((r) => ({
    code: r.code,
    jurisdiction: r.jurisdiction,
    zone: r.zone,
    ruleId: r.ruleId,
    message: r.message,
  }));
  if (!shared) return reasons;
  for (const reason of reasons) Object.freeze(reason);
  Object.freeze(reasons);
  sharedReasons.set(verdict.reasons, reasons);
  return reasons;
}

const sharedReasons = new WeakMap<readonly unknown[], SegmentedContact["reasons"]>();

/** CSV columns, in order; list-valued cells are `;`-joined. */
export const CSV_COLUMNS = [
  "id",
  "firstName",
  "lastName",
  "phone",
  "timeZone",
  "state",
  "consentCall",
  "allowed",
  "reasonCodes",
  "zones",
  "states",
  "nextAllowedAt",
] as const;

export function csvRecord(row: SegmentedContact): Record<(typeof CSV_COLUMNS)[number], string> {
  return {
    id: row.id,
    firstName: row.firstName ?? "",
    lastName: row.lastName ?? "",
    phone: row.phone,
    timeZone: row.timeZone ?? "",
    state: row.state ?? "",
    consentCall: row.consentCall === null ? "" : String(row.consentCall),
    allowed: String(row.allowed),
    reasonCodes: [...new Set(row.reasons.map((r) => r.code))].join(";"),
    zones: row.zones.join(";"),
    states: row.states.join(";"),
    nextAllowedAt: row.nextAllowedAt ?? "",
  };
}
