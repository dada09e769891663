import type { Reason, Verdict } from "../verdict.ts";
import { capCounts, capExpiries, capReasons, capsFreeAt } from "./caps.ts";
import { consentReason, textStopReason, voiceReason } from "./consent.ts";
import { destinationReasons } from "./destination.ts";
import { hoursReasons } from "./hours.ts";
import { exemptionsAndScripts, registrationReason } from "./kinds.ts";
import { DAY_MS, inEffect, type Prepared, primaryDate } from "./prepared.ts";
import { internalDncReason, registryReasons, suppressionReasons } from "./registries.ts";

/**
 * The verdict of a prepared call: every rule family's reasons, and the earliest instant at which
 * none refuses it. Pure: the families (rules/*.ts) are asked in a fixed order, so a verdict's
 * reasons are always listed alike.
 */
export function judgeVerdict(p: Prepared): Verdict {
  const { input } = p;
  const permanent = permanentReasons(p, input.atMs);
  const timed = p.zones.length > 0 ? timeReasons(p, input.atMs) : [];
  const reasons = [...permanent, ...timed];
  const primary = p.zones[0];
  const nextAllowedMs =
    permanent.length > 0 ? null : timed.length === 0 ? input.atMs : nextAllowed(p, input.searchDays ?? 21);
  const date = primaryDate(p, input.atMs);
  return {
    allowed: reasons.length === 0,
    phone: input.number.e164,
    at: p.calendar.isoIn(input.atMs, primary),
    reasons,
    zones: p.zones,
    zoneSources: p.candidates.zones,
    zoneDerivation: p.candidates.zoneDerivation,
    states: p.candidates.regions.map((r) => r.code),
    jurisdictions: p.candidates.jurisdictions,
    rules: [
      ...p.rows.filter((row) => inEffect(row, date)).map((row) => row.id),
      ...p.capRows.filter((c) => c.campaign).map((c) => c.row.id),
    ],
    nextAllowedAt: nextAllowedMs === null ? null : p.calendar.isoIn(nextAllowedMs, primary),
    registries: [...(input.registries ?? [])],
    ...(input.explainCaps ? { caps: capCounts(p, input.atMs) } : {}),
    ...exemptionsAndScripts(p, date),
  };
}

/**
 * Reasons that no passing of time removes: the DNC lists, where the call goes, and the rows of
 * consent, voice, the internal list, registration and text STOPs, in the table's order.
 */
export function permanentReasons(p: Prepared, atMs: number): Reason[] {
  const reasons: Reason[] = [
    ...registryReasons(p.input, atMs),
    ...suppressionReasons(p.input),
    ...destinationReasons(p),
  ];
  const date = primaryDate(p, atMs);
  for (const row of p.rows) {
    if (!inEffect(row, date)) continue;
    const reason =
      row.kind === "consent"
        ? consentReason(row, p.input)
        : row.kind === "artificial_voice" || row.kind === "voice_announcement"
          ? voiceReason(row, p.input)
          : row.kind === "internal_dnc"
            ? internalDncReason(row, p.input)
            : row.kind === "registration"
              ? registrationReason(row, p.input, date)
              : row.kind === "text_stop"
                ? textStopReason(row, p.input, atMs)
                : undefined;
    if (reason) reasons.push(reason);
  }
  return reasons;
}

/** Reasons that depend on the instant: the clock's in every zone, then the caps. `firstOnly`: the first alone. */
export function timeReasons(p: Prepared, atMs: number, firstOnly = false): Reason[] {
  const reasons: Reason[] = [];
  hoursReasons(p, atMs, firstOnly, reasons);
  if (firstOnly && reasons.length > 0) return reasons;
  capReasons(p, atMs, firstOnly, reasons);
  return reasons;
}

/**
 * The earliest instant within `days` at which no rule refuses the call (null: none), when only
 * rules of time refuse it now. Widening stages: the answer is nearly always within a day, so
 * most searches compute one day's boundaries instead of the whole horizon's.
 */
function nextAllowed(p: Prepared, days: number): number | null {
  const atMs = p.input.atMs;
  // No instant before a broken cap frees can be allowed: those are not tried. (The stages'
  // ranges stay as they are: one zone's boundaries are remembered per range.)
  const free = capsFreeAt(p, atMs);
  let from = atMs;
  for (const stage of [1, 3, 8, days]) {
    const to = atMs + Math.min(stage, days) * DAY_MS;
    if (to <= from) continue;
    if (to < free) {
      from = to;
      continue;
    }
    for (const t of boundaries(p, from, to))
      if (t >= free && timeReasons(p, t, true).length === 0 && permanentReasons(p, t).length === 0) return t;
    from = to;
  }
  return null;
}

/** Instants at which a failing rule can start to pass: window openings, midnights, cap expiries. */
function boundaries(p: Prepared, fromMs: number, toMs: number): number[] {
  const points = new Set<number>();
  const hours = p.calendar.callingHoursOf(p.rows);
  for (const zone of p.zones)
    for (const t of p.calendar.zoneBoundaries(zone, hours, fromMs, toMs)) points.add(t);
  for (const t of capExpiries(p)) points.add(t);
  return [...points].filter((t) => t > fromMs && t <= toMs).sort((a, b) => a - b);
}
