import { DateTime } from "luxon";
import { terminalHold } from "./classify.ts";
import type { CallingHours, CampaignFacts, ForecastSlot } from "./facts.ts";

export const SLOT_MS = 15 * 60_000;

export interface Forecast {
  slots: ForecastSlot[];
  /** The instant the list stops having anything to dial for the rest of the horizon. */
  runsDryAt: string | undefined;
}

/**
 * Dialable records per 15-minute slot from `atMs` to the end of the next local day (the
 * campaign's zone): a record counts in a slot when its call-request time has come, it has neither
 * gone stale nor expired, and its group's window (the compliance engine's) is open at the slot's
 * start. Dials take records away at the campaign's recent pace, from each group in proportion to
 * what it has open (the dialer's own order is not public). Counting is O(records + groups ×
 * slots): each record adds its interval to its group's difference array once.
 */
export function forecast(facts: CampaignFacts, hours: CallingHours, atMs: number, paceOn: boolean): Forecast {
  const zone = facts.timeZone || "UTC";
  const first = Math.floor(atMs / SLOT_MS) * SLOT_MS;
  const local = DateTime.fromMillis(atMs, { zone });
  const endMs = (local.isValid ? local : DateTime.fromMillis(atMs, { zone: "UTC" }))
    .plus({ days: 1 })
    .endOf("day")
    .toMillis();
  const count = Math.max(1, Math.ceil((endMs - first) / SLOT_MS));
  const evalAt = (s: number) => (s === 0 ? atMs : first + s * SLOT_MS);
  const indexOf = (ms: number) => (ms <= atMs ? 0 : Math.min(count, Math.ceil((ms - first) / SLOT_MS)));

  const diffs = new Map<number, Int32Array>();
  for (const record of facts.list?.records ?? []) {
    if (terminalHold(record, facts)) continue;
    const staleAt =
      record.callAtMs !== undefined && record.staleMinutes !== undefined
        ? record.callAtMs + record.staleMinutes * 60_000 + 1
        : Number.POSITIVE_INFINITY;
    const until = Math.min(staleAt, record.expiresAtMs ?? Number.POSITIVE_INFINITY);
    const from = indexOf(record.callAtMs ?? atMs);
    const to = Number.isFinite(until) ? indexOf(until) : count;
    if (to <= from) continue;
    const group = hours.groupOf(record);
    let diff = diffs.get(group);
    if (!diff) {
      diff = new Int32Array(count + 1);
      diffs.set(group, diff);
    }
    diff[from] = (diff[from] as number) + 1;
    diff[to] = (diff[to] as number) - 1;
  }

  const perSlot = paceOn && facts.pacePerHour !== undefined ? facts.pacePerHour / 4 : 0;
  const groups = [...diffs.entries()].map(([group, diff]) => ({ group, diff, running: 0, consumed: 0 }));
  const slots: ForecastSlot[] = [];
  for (let s = 0; s < count; s++) {
    const at = evalAt(s);
    let open = 0;
    const available: number[] = [];
    for (const g of groups) {
      g.running += g.diff[s] as number;
      const here = g.running > 0 && hours.isOpen(g.group, at) ? Math.max(0, g.running - g.consumed) : 0;
      available.push(here);
      open += here;
    }
    const dialable = Math.round(open);
    slots.push({
      from: iso(first + s * SLOT_MS, zone),
      to: iso(first + (s + 1) * SLOT_MS, zone),
      dialable,
    });
    // The pace takes records away from what is open, in proportion, for the slots after this one.
    if (perSlot > 0 && open > 0) {
      const taken = Math.min(perSlot, open);
      groups.forEach((g, i) => {
        g.consumed += (taken * (available[i] as number)) / open;
      });
    }
  }
  return { slots, runsDryAt: dryAt(slots) };
}

/** The start of the slot after the last one with records, when the horizon ends with none. */
function dryAt(slots: ForecastSlot[]): string | undefined {
  const last = slots.findLastIndex((slot) => slot.dialable > 0);
  if (last === -1 || last === slots.length - 1) return undefined;
  return (slots[last + 1] as ForecastSlot).from;
}

export const iso = (ms: number, zone: string): string =>
  DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) ?? new Date(ms).toISOString();
