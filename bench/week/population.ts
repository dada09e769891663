import { DateTime } from "luxon";
import { generatedId, type Scenario, weekdaysOf } from "./scenario.ts";

/**
 * The scenario's population made concrete (seeded): accounts of 1–4 numbers with their zones,
 * states and histories, each account in a segment whose answer rate depends on the called party's
 * local hour and weekday (the strategy bench's kind of population).
 */
export interface WeekNumber {
  recordId: string;
  phone: string;
  zone: string;
  state: string;
  accountId: string;
  segment: string;
}

export interface WeekAccount {
  accountId: string;
  segment: string;
  numbers: WeekNumber[];
  history: Array<{ phone: string; at: string; conversation: boolean }>;
}

/** Mulberry32: a small seeded generator (the bench's own; no engine code). */
export function rngOf(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T extends { share: number }>(rows: readonly T[], r: number): T {
  const total = rows.reduce((a, b) => a + b.share, 0) || 1;
  let upTo = 0;
  for (const row of rows) {
    upTo += row.share / total;
    if (r < upTo) return row;
  }
  return rows[rows.length - 1] as T;
}

export function buildPopulation(s: Scenario): WeekAccount[] {
  const rng = rngOf(s.seed * 7919 + 17);
  const accounts: WeekAccount[] = [];
  const used = new Set<string>();
  let record = 0;
  const recordId = () => `r${String(++record).padStart(5, "0")}`;
  for (const a of s.population.accounts) {
    const numbers = a.numbers.map((n) => {
      used.add(n.phone);
      return {
        recordId: recordId(),
        phone: n.phone,
        zone: n.zone,
        state: n.state,
        accountId: a.account,
        segment: a.segment,
      };
    });
    const history = a.history.map((h) => ({
      phone: (numbers[h.number - 1] as WeekNumber).phone,
      at: h.at,
      conversation: h.conversation,
    }));
    accounts.push({ accountId: a.account, segment: a.segment, numbers, history });
  }
  const shares = s.population.numbersPerAccount.map((share, i) => ({ share, count: i + 1 }));
  const startMs = Date.parse(s.weekStart);
  for (let i = 0; i < s.population.generate; i++) {
    const accountId = generatedId(i);
    const segment = pick(s.population.segments, rng()).name;
    const count = pick(shares, rng()).count;
    const numbers: WeekNumber[] = [];
    for (let n = 0; n < count; n++) {
      const area = pick(s.population.areas, rng());
      let phone = "";
      // A real central office code: 200-999 but not N11 (211, 311 … 911 are service codes, no
      // number has them): cxo rightly never dials such a number, and it was counted dialable.
      do
        phone = `+1${area.areaCode}${200 + Math.floor(rng() * 800)}${String(Math.floor(rng() * 10000)).padStart(4, "0")}`;
      while (used.has(phone) || phone.slice(6, 8) === "11");
      used.add(phone);
      numbers.push({ recordId: recordId(), phone, zone: area.zone, state: area.state, accountId, segment });
    }
    const history: WeekAccount["history"] = [];
    if (rng() < s.population.history.share)
      for (let c = 0; c < s.population.history.calls; c++) {
        const number = numbers[Math.floor(rng() * numbers.length)] as WeekNumber;
        // An afternoon on one of the `days` before the week, 14:00–17:00 in the number's zone.
        const day = 1 + Math.floor(rng() * s.population.history.days);
        const at = DateTime.fromMillis(startMs - day * 86_400_000, { zone: number.zone })
          .set({
            hour: 14 + Math.floor(rng() * 3),
            minute: Math.floor(rng() * 60),
            second: 0,
            millisecond: 0,
          })
          .toISO() as string;
        history.push({ phone: number.phone, at, conversation: false });
      }
    accounts.push({ accountId, segment, numbers, history });
  }
  return accounts;
}

/** The chance a dial of `number` at `atMs` is answered by the right party (its segment, local hour and weekday). */
export function answerRate(s: Scenario, number: WeekNumber, atMs: number): number {
  const segment = s.population.segments.find((g) => g.name === number.segment);
  if (!segment) return 0;
  const local = DateTime.fromMillis(atMs, { zone: number.zone });
  const row = segment.hours.find(
    (h) => weekdaysOf(h.days).includes(local.weekday) && local.hour >= h.from && local.hour < h.to,
  );
  return row?.answer ?? segment.otherHours;
}

/** Agents logged in at `atMs` (the business unit's zone). */
export function agentsAt(s: Scenario, atMs: number): number {
  const local = DateTime.fromMillis(atMs, { zone: s.zone });
  const row = s.agents.find(
    (a) => weekdaysOf(a.days).includes(local.weekday) && local.hour >= a.from && local.hour < a.to,
  );
  return row?.count ?? 0;
}
