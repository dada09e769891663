import { indexIntervals, mostWithin } from "../interval-caps.ts";
import type { FrequencyCapRow, RuleRow } from "../rule-table.ts";
import { type CapCount, capCount, capExempt, capMessage, touchesCounted } from "../touch-caps.ts";
import type { AttemptTime, ComplianceInput, Reason } from "../verdict.ts";
import { type CapRow, HOUR_MS, inEffect, type Prepared, reasonOf } from "./prepared.ts";

/**
 * The frequency caps: the rule table's (per number, per seller, per account; with Oregon's
 * established business relationship exempting) and the campaign's own per-contact caps, counted
 * over the touches given — at an instant (a check's history) or over dial intervals (a plan's
 * attempts that may be placed anywhere in their windows, interval-caps.ts). Pure.
 */

/** The caps governing a call (the rows', then the campaign's own) with the touches each counts. */
export function capRowsOf(input: ComplianceInput, rows: readonly RuleRow[]): CapRow[] {
  const given = input.attempts ?? [];
  const key = { phone: input.number.e164, accountId: input.accountId, seller: input.seller };
  const capRows: CapRow[] = [];
  for (const row of rows)
    if (row.kind === "frequency_cap") capRows.push(capRowOf(row, touchesCounted(row, key, given), false));
  const caps = input.campaignCaps ?? {};
  // The campaign's own per-contact caps count its calls to the number.
  const campaignCalls = touchesCounted({ counts: "calls", per: "number" }, key, given).filter(
    (a) => input.campaignId === undefined || a.campaignId === input.campaignId,
  );
  if (caps.perDay !== undefined)
    capRows.push(capRowOf(campaignRow("campaign-per-day", 24, caps.perDay), campaignCalls, true));
  if (caps.perWeek !== undefined)
    capRows.push(capRowOf(campaignRow("campaign-per-week", 24 * 7, caps.perWeek), campaignCalls, true));
  return capRows;
}

const campaignRow = (id: string, hours: number, max: number): FrequencyCapRow => ({
  id,
  jurisdiction: "campaign",
  kind: "frequency_cap",
  max,
  windowHours: hours,
  counts: "calls",
  per: "number",
  effectiveFrom: "0000-01-01",
  citation: "the campaign's own rate limits",
  confidence: "verified",
});

/** A cap with the touches it counts, as instants and as dial intervals (interval mode). */
function capRowOf(row: FrequencyCapRow, touches: AttemptTime[], campaign: boolean): CapRow {
  const intervals = touches.map((a) => ({ startMs: a.atMs, endMs: a.untilMs ?? a.atMs }));
  return {
    row,
    max: row.max,
    windowMs: row.windowHours * HOUR_MS,
    attempts: ascendingTimes(touches),
    touches,
    intervals,
    campaign,
  };
}

/** The touches' instants, ascending: most come sorted (a check's history), so they are sorted only when not. */
function ascendingTimes(touches: readonly AttemptTime[]): number[] {
  const times = touches.map((a) => a.atMs);
  for (let i = 1; i < times.length; i++)
    if ((times[i] as number) < (times[i - 1] as number)) return times.sort((a, b) => a - b);
  return times;
}

/**
 * How far back a check of this call must read touches, and whether by account: the longest
 * window of the caps that govern it (`rows`: its jurisdictions, channel, kind, number type; the
 * campaign's own caps), 0 when none does. A check reads no more than its rules count (a
 * Massachusetts work number's 31 days are not read for a Florida call).
 */
export function touchReachOf(
  input: ComplianceInput,
  rows: readonly RuleRow[],
): { lookbackMs: number; byAccount: boolean } {
  let hours = 0;
  let byAccount = false;
  for (const row of rows)
    if (row.kind === "frequency_cap") {
      hours = Math.max(hours, row.windowHours);
      if (row.per === "account") byAccount = true;
    }
  if (input.campaignCaps?.perWeek !== undefined) hours = Math.max(hours, 7 * 24);
  else if (input.campaignCaps?.perDay !== undefined) hours = Math.max(hours, 24);
  return { lookbackMs: hours * HOUR_MS, byAccount: byAccount && input.accountId !== undefined };
}

/**
 * The caps' reasons at `atMs`, into `reasons` (after the clock's). In interval mode the call and
 * the attempts are dial intervals: a cap breaks when `max` others may be dialled within its
 * window of any instant of this one's. `firstOnly` stops at the first reason.
 */
export function capReasons(p: Prepared, atMs: number, firstOnly: boolean, reasons: Reason[]): void {
  const endMs = atMs + (p.spanMs ?? 0);
  for (const cap of p.capRows) {
    if (firstOnly && reasons.length > 0) return;
    if (!cap.campaign) {
      const anyZoneInEffect = p.zones.some((zone) => inEffect(cap.row, p.calendar.localAt(zone, atMs).date));
      if (!anyZoneInEffect) continue;
    }
    const hours = cap.windowMs / HOUR_MS;
    if (p.spanMs !== undefined) {
      // Exempt for the whole dial window, or not at all (a relationship may lapse inside it).
      const exempt = p.input.lastTransactionMs;
      if (capExempt(cap.row, exempt, atMs) && capExempt(cap.row, exempt, endMs)) continue;
      cap.index ??= indexIntervals(cap.intervals);
      const others = mostWithin({ startMs: atMs, endMs }, cap.index, cap.windowMs) - 1;
      if (others >= cap.max)
        reasons.push(
          reasonOf(
            cap.row,
            cap.campaign ? "campaign_cap" : (cap.row.code ?? "frequency_cap"),
            `${others} other attempt${others === 1 ? "" : "s"} may be dialled within ${hours} h of this one (their dial windows and this one's included); at most ${cap.max} allowed`,
            null,
          ),
        );
      continue;
    }
    if (capExempt(cap.row, p.input.lastTransactionMs, atMs)) continue;
    const count = countWithin(cap.attempts, atMs - cap.windowMs, atMs);
    if (count >= cap.max) {
      const reason = reasonOf(
        cap.row,
        cap.campaign ? "campaign_cap" : (cap.row.code ?? "frequency_cap"),
        cap.campaign
          ? `${count} attempt${count === 1 ? "" : "s"} in the last ${hours} h; at most ${cap.max} allowed`
          : capMessage(cap.row, count, hours),
        null,
      );
      if (!cap.campaign && !firstOnly) Object.assign(reason, capDetail(cap, atMs));
      reasons.push(reason);
    }
  }
}

/** How many of the ascending instants lie in (fromMs, toMs]. */
function countWithin(sorted: readonly number[], fromMs: number, toMs: number): number {
  let n = 0;
  for (const t of sorted) if (t > fromMs && t <= toMs) n++;
  return n;
}

/** A cap reason's account of itself: what it counts, per what, its window and its touches. */
function capDetail(cap: CapRow, atMs: number) {
  const { counts, per, window, touches } = countedAt(cap, atMs);
  return { counts, per, window, touches };
}

/** What a cap counted at `atMs`, made once per call and instant (a reason and `caps` share it). */
function countedAt(cap: CapRow, atMs: number): CapCount {
  if (cap.counted?.atMs !== atMs) {
    const inWindow = cap.touches.filter((t) => t.atMs > atMs - cap.windowMs && t.atMs <= atMs);
    cap.counted = { atMs, count: capCount(cap.row, inWindow, atMs) };
  }
  return cap.counted.count;
}

/** Every cap that governs the call at `atMs`, what it counted and whether it allows it (`caps`). */
export function capCounts(p: Prepared, atMs: number): CapCount[] {
  const out: CapCount[] = [];
  for (const cap of p.capRows) {
    if (cap.campaign) continue;
    if (!p.zones.some((zone) => inEffect(cap.row, p.calendar.localAt(zone, atMs).date))) continue;
    const count = { ...countedAt(cap, atMs) };
    if (capExempt(cap.row, p.input.lastTransactionMs, atMs)) {
      count.allowed = true;
      count.exempt = `an established business relationship: a transaction within ${cap.row.exemptAfterTransactionMonths} months`;
    }
    out.push(count);
  }
  return out;
}

/**
 * The first instant at which every cap broken at `atMs` holds again, when the touches it counts
 * all lie at or before `atMs` (a check's history; not a plan's later attempts or dial windows):
 * a cap of `max` in any W breaks while `max` of its touches lie within W before, so it holds from
 * the (count − max + 1)-th newest touch's instant + W on. A refusal's search then starts days
 * ahead instead of trying every window opening before. `atMs` when no cap is broken, or a touch
 * lies later.
 */
export function capsFreeAt(p: Prepared, atMs: number): number {
  if (p.spanMs !== undefined) return atMs;
  let free = atMs;
  for (const cap of p.capRows) {
    const within = cap.attempts.filter((t) => t > atMs - cap.windowMs);
    if (within.some((t) => t > atMs) || within.length < cap.max) {
      if (within.some((t) => t > atMs)) return atMs;
      continue;
    }
    if (capExempt(cap.row, p.input.lastTransactionMs, atMs)) continue;
    // `within` is ascending (capRowOf sorts): the one that must leave the window last.
    free = Math.max(free, (within[within.length - cap.max] as number) + cap.windowMs);
  }
  return free;
}

/** The instants at which a broken cap can start to hold: each touch's dial window's end plus the cap's window. */
export function capExpiries(p: Prepared): number[] {
  const out: number[] = [];
  for (const cap of p.capRows) for (const t of cap.intervals) out.push(t.endMs + cap.windowMs);
  return out;
}
