import { DateTime } from "luxon";
import type { FrequencyCapRow } from "./rule-table.ts";
import { type Channel, COUNTED, type CountedPer, type Counts, type TouchPurpose } from "./touches.ts";

/**
 * Counting touches for a cap (issue 79 §1): which touches of the history a cap of the rule table
 * counts toward one call — its channels (`counts`) and its key (`per`: the number, the number for
 * one seller, the account) — and the account of what it counted, for `compliance check --json`.
 * Pure: the touches are the caller's (the store's call attempts and imported touches, a plan's
 * history and its own planned attempts).
 */

/** One touch as the engine sees it (verdict.ts's AttemptTime carries these fields). */
export interface Touch {
  atMs: number;
  untilMs?: number | undefined;
  channel?: Channel | undefined;
  /** The number touched; absent: the number being checked. */
  phone?: string | undefined;
  accountId?: string | undefined;
  seller?: string | undefined;
  campaignId?: string | undefined;
  /** Issue 92 §3: the touch confirmed a revocation by text (revocation-confirmation.ts reads it). */
  purpose?: TouchPurpose | undefined;
  /** What the touch is known by (an evidence record's calls: a contact id, a record id): listed when given. */
  id?: string | undefined;
}

/** Whose touches a call's caps count. */
export interface TouchKey {
  phone: string;
  accountId?: string | undefined;
  seller?: string | undefined;
}

/**
 * The touches a cap counts toward a call. A touch without a number is to the number checked; one
 * without a seller may be this seller's (counted: a touch imported without its source is not
 * assumed to be someone else's); one without an account, to this number, may be about this debt
 * (counted). A check that names no account counts an account cap over the number's touches.
 */
export function touchesCounted<T extends Touch>(
  row: Pick<FrequencyCapRow, "counts" | "per">,
  key: TouchKey,
  touches: readonly T[],
): T[] {
  const channels = COUNTED[row.counts];
  return touches.filter((t) => channels.includes(t.channel ?? "call") && keyMatches(row.per, t, key));
}

function keyMatches(per: CountedPer, t: Touch, key: TouchKey): boolean {
  const own = t.phone === undefined || t.phone === key.phone;
  switch (per) {
    case "number":
      return own;
    case "number_per_seller":
      return own && (t.seller === undefined || key.seller === undefined || t.seller === key.seller);
    case "account":
      if (key.accountId === undefined) return own;
      return t.accountId === key.accountId || (t.accountId === undefined && own);
  }
}

/** Oregon: an established business relationship (a transaction within N months) lifts the cap. */
export function capExempt(
  row: Pick<FrequencyCapRow, "exemptAfterTransactionMonths">,
  lastTransactionMs: number | undefined,
  atMs: number,
): boolean {
  const months = row.exemptAfterTransactionMonths;
  if (months === undefined || lastTransactionMs === undefined || lastTransactionMs > atMs) return false;
  return DateTime.fromMillis(lastTransactionMs, { zone: "UTC" }).plus({ months }).toMillis() > atMs;
}

const COUNTS_TEXT: Record<Counts, string> = {
  calls: "calls",
  calls_and_texts: "calls and texts",
  every_channel: "touches on every channel",
};

const PER_TEXT: Record<CountedPer, string> = {
  number: "to this number",
  number_per_seller: "from this seller to this number",
  account: "about this account",
};

/** What a cap counted, as `compliance check --json` reports it (a reason's fields, and `caps`). */
export interface CapCount {
  ruleId: string;
  citation: string;
  counts: Counts;
  per: CountedPer;
  max: number;
  window: { hours: number; from: string; to: string };
  counted: number;
  touches: Array<{
    at: string;
    channel: Channel;
    phone?: string;
    account?: string;
    seller?: string;
    id?: string;
  }>;
  allowed: boolean;
  /** Why the cap does not apply (an established business relationship). */
  exempt?: string;
}

const MAX_LISTED = 50;

/**
 * ISO texts of instants, remembered: one check lists the same touch under each cap that counts
 * it (Regulation F, Massachusetts, New York City), and `toISOString` was most of the listing's cost.
 * A small table indexed by the instant (one slot per index, the last text kept): a run of a
 * million checks at a million instants pays no growing map for texts it never asks again.
 */
const ISO_SLOTS = 1024;
const isoKeys = new Float64Array(ISO_SLOTS).fill(Number.NaN);
const isoValues: string[] = new Array<string>(ISO_SLOTS).fill("");
function isoOf(ms: number): string {
  const slot = ((ms % ISO_SLOTS) + ISO_SLOTS) % ISO_SLOTS;
  if (isoKeys[slot] === ms) return isoValues[slot] as string;
  const text = new Date(ms).toISOString();
  isoKeys[slot] = ms;
  isoValues[slot] = text;
  return text;
}

export function capCount(
  row: Pick<FrequencyCapRow, "id" | "citation" | "counts" | "per" | "max" | "windowHours">,
  counted: readonly Touch[],
  atMs: number,
): CapCount {
  const windowMs = row.windowHours * 3_600_000;
  return {
    ruleId: row.id,
    citation: row.citation,
    counts: row.counts,
    per: row.per,
    max: row.max,
    window: { hours: row.windowHours, from: isoOf(atMs - windowMs), to: isoOf(atMs) },
    counted: counted.length,
    touches: counted.slice(0, MAX_LISTED).map(listed),
    allowed: counted.length < row.max,
  };
}

/** A counted touch as `--json` lists it. */
function listed(t: Touch): CapCount["touches"][number] {
  const out: CapCount["touches"][number] = { at: isoOf(t.atMs), channel: t.channel ?? "call" };
  if (t.phone !== undefined) out.phone = t.phone;
  if (t.accountId !== undefined) out.account = t.accountId;
  if (t.seller !== undefined) out.seller = t.seller;
  if (t.id !== undefined) out.id = t.id;
  return out;
}

/** The reason text of a cap a call would break. */
export function capMessage(
  row: Pick<FrequencyCapRow, "counts" | "per" | "max">,
  count: number,
  hours: number,
) {
  return `${count} ${COUNTS_TEXT[row.counts]} ${PER_TEXT[row.per]} in the last ${hours} h; at most ${row.max} allowed`;
}
