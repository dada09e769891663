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

  const diffs = new Map<number, { diff: Int32Array; ends: Int32Array; total: number }>();
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
    let entry = diffs.get(group);
    if (!entry) {
      entry = { diff: new Int32Array(count + 1), ends: new Int32Array(count + 1), total: 0 };
      diffs.set(group, entry);
    }
    entry.diff[from] = (entry.diff[from] as number) + 1;
    entry.diff[to] = (entry.diff[to] as number) - 1;
    entry.ends[to] = (entry.ends[to] as number) + 1;
    entry.total++;
  }

  const perSlot = paceOn && facts.pacePerHour !== undefined ? facts.pacePerHour / 4 : 0;
  const groups = [...diffs.entries()].map(([group, e]) => ({
    group,
    ...e,
    running: 0,
    alive: e.total,
    consumed: 0,
  }));
  const slots: ForecastSlot[] = [];
  let runsDryAt: string | undefined;
  // A slot's end is the next one's start: each boundary is written once (a zone conversion each).
  let slotStart = iso(first, zone);
  for (let s = 0; s < count; s++) {
    const at = evalAt(s);
    let open = 0;
    let left = 0;
    const available: number[] = [];
    for (const g of groups) {
      g.running += g.diff[s] as number;
      // Records leaving now (stale, expired) were dialled already in the share the pace took:
      // counting them as both gone and dialled would take them away twice.
      const ending = g.ends[s] as number;
      if (ending > 0 && g.alive > 0) g.consumed -= ending * (g.consumed / g.alive);
      g.alive -= ending;
      left += Math.max(0, g.alive - g.consumed);
      const here = g.running > 0 && hours.isOpen(g.group, at) ? Math.max(0, g.running - g.consumed) : 0;
      available.push(here);
      open += here;
    }
    const dialable = Math.round(open);
    // Dry: nothing left to dial later either (a window closing for the night is not dry).
    if (runsDryAt === undefined && s > 0 && Math.round(left) === 0 && slots.some((x) => x.dialable > 0))
      runsDryAt = slotStart;
    const slotEnd = iso(first + (s + 1) * SLOT_MS, zone);
    slots.push({ from: slotStart, to: slotEnd, dialable });
    slotStart = slotEnd;
    // The pace takes records away from what is open, in proportion, for the slots after this one.
    if (perSlot > 0 && open > 0) {
      const taken = Math.min(perSlot, open);
      groups.forEach((g, i) => {
        g.consumed += (taken * (available[i] as number)) / open;
      });
    }
  }
  return { slots, runsDryAt };
}

export const iso = (ms: number, zone: string): string =>
  DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) ?? new Date(ms).toISOString();
