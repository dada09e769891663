import type { CxoneDncFreshness } from "../../compliance/cxone-dnc-freshness.ts";
import type { SegmentedContact } from "./segmented-contact.ts";

/** Running totals of a segmentation: callable or not, by reason code, by zone, by state. */
export interface SegmentSummary {
  listId: string;
  at: string;
  consentOnly: boolean;
  total: number;
  callable: number;
  notCallable: number;
  /** Contacts with each reason code (a contact counts once per code). */
  byReason: Record<string, number>;
  byZone: Record<string, { callable: number; notCallable: number }>;
  byState: Record<string, { callable: number; notCallable: number }>;
  /** With --consent-only: contacts the server returned although their consent is not true. */
  serverFilterMisses: number;
  invalidPhones: number;
  campaignId: string | null;
  /** The campaign's own zone, for information only: the rules use the CALLED party's zones. */
  campaignZone: string | null;
  campaignCaps: { perDay?: number | undefined; perWeek?: number | undefined } | null;
  /** The kind the list was judged as, or null: none declared, none known for the campaign. */
  kind: "sales" | "collections" | null;
  durationMs: number;
  contactsPerSec: number;
  /** The copy of the tenant's CXone DNC groups the scrub read (synced first when it was stale). */
  cxoneDnc?: CxoneDncFreshness;
}

export function emptySummary(
  base: Pick<
    SegmentSummary,
    "listId" | "at" | "consentOnly" | "campaignId" | "campaignZone" | "campaignCaps" | "kind"
  >,
): SegmentSummary {
  return {
    ...base,
    total: 0,
    callable: 0,
    notCallable: 0,
    byReason: {},
    byZone: {},
    byState: {},
    serverFilterMisses: 0,
    invalidPhones: 0,
    durationMs: 0,
    contactsPerSec: 0,
  };
}

const bump = (
  table: Record<string, { callable: number; notCallable: number }>,
  key: string,
  allowed: boolean,
) => {
  table[key] ??= { callable: 0, notCallable: 0 };
  if (allowed) table[key].callable += 1;
  else table[key].notCallable += 1;
};

export function countContact(summary: SegmentSummary, row: SegmentedContact): void {
  summary.total += 1;
  if (row.allowed) summary.callable += 1;
  else summary.notCallable += 1;
  // Most rows have no reason or one; a Set only where a code could repeat. No list is made for
  // the common cases: this runs once per contact of a million-contact scrub.
  const { reasons } = row;
  if (reasons.length === 1) bumpReason(summary, (reasons[0] as { code: string }).code);
  else if (reasons.length > 1)
    for (const code of new Set(reasons.map((r) => r.code))) bumpReason(summary, code);
  if (row.zones.length === 0) bump(summary.byZone, UNKNOWN, row.allowed);
  for (const zone of row.zones) bump(summary.byZone, zone, row.allowed);
  if (row.states.length === 0) bump(summary.byState, UNKNOWN, row.allowed);
  for (const state of row.states) bump(summary.byState, state, row.allowed);
}

const UNKNOWN = "(unknown)";

function bumpReason(summary: SegmentSummary, code: string): void {
  summary.byReason[code] = (summary.byReason[code] ?? 0) + 1;
}
