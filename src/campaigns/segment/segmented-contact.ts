import type { Verdict } from "../compliance/index.ts";

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

export function reasonsOf(verdict: Verdict): SegmentedContact["reasons"] {
  return verdict.reasons.map((r) => ({
    code: r.code,
    jurisdiction: r.jurisdiction,
    zone: r.zone,
    ruleId: r.ruleId,
    message: r.message,
  }));
}

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
