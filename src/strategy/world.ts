import { DateTime } from "luxon";
import { type ComplianceEngine, parseNanp } from "../compliance/index.ts";
import { HOUR_MS, MINUTE_MS } from "../core/time-units.ts";
import { Random } from "../dialer/simulator/des/prng.ts";
import { HOURS_OF_WEEK, type Population } from "./population.ts";

/**
 * One replication's synthetic list (issue 55 §4): who each contact is (hidden segment, level,
 * shift, hence a true RPC probability for every local hour of week), what the list says of them
 * (the observable column, right with the stated accuracy), where they live (area code, state,
 * zone), their earlier attempts, and the common random numbers every strategy's k-th attempt to
 * a contact is judged by, so that strategies differ by their choices, not by luck. Also the
 * tables every strategy shares: each zone's local hour of week and each area's legal hours, both
 * asked of luxon and the compliance engine once per hour of the horizon, not per attempt.
 */

export interface HistoryLog {
  contact: Int32Array;
  atMs: Float64Array;
  slot: Int16Array;
  rpc: Uint8Array;
}

export interface World {
  population: Population;
  /** The compliance engine its legal hours were judged by (a bench's plans and re-checks ask it too). */
  engine: ComplianceEngine;
  size: number;
  horizonHours: number;
  /** Horizon start (ms) and the earliest history hour (ms), both on an hour boundary. */
  startMs: number;
  historyStartMs: number;
  /** Per contact. */
  segment: Uint8Array;
  hint: Uint8Array;
  area: Uint8Array;
  zone: Uint8Array;
  minute: Uint8Array;
  level: Float64Array;
  shift: Int8Array;
  phone: string[];
  /** Per contact × attempt number: the uniform an attempt's outcome is drawn with. */
  luck: Float64Array;
  zones: string[];
  /** zoneSlot[z][i]: local hour of week of zone z at hour i counted from historyStartMs. */
  zoneSlot: Int16Array[];
  /** areaLegal[a][i]: the whole hour i (from historyStartMs) is legal for area a. */
  areaLegal: Uint8Array[];
  /** areaRuledOut[a][i]: the rules that refuse hour i for area a. */
  areaRuledOut: string[][][];
  /** Index of the horizon's first hour in the hour tables. */
  offset: number;
  history: HistoryLog;
}

/** The contact's true RPC probability in a local hour of week. */
export function trueRate(world: World, c: number, slot: number): number {
  const segment = world.population.segments[world.segment[c] as number];
  if (!segment) return 0;
  const shifted = (slot - (world.shift[c] as number) + HOURS_OF_WEEK) % HOURS_OF_WEEK;
  return Math.min(0.95, (world.level[c] as number) * (segment.rpc[shifted] as number));
}

function pick(random: Random, shares: readonly number[]): number {
  let u = random.uniform();
  for (let i = 0; i < shares.length; i++) {
    u -= shares[i] as number;
    if (u <= 0) return i;
  }
  return shares.length - 1;
}

/** Exchanges that are dialable everywhere (no N11, 555, 950, 958, 959 or 976). */
function exchange(random: Random): string {
  for (;;) {
    const n = 200 + Math.floor(random.uniform() * 800);
    if (n % 100 === 11 || [555, 950, 958, 959, 976].includes(n)) continue;
    return String(n);
  }
}

const slotCache = new Map<string, Int16Array>();
function slotsOf(zone: string, fromMs: number, hours: number): Int16Array {
  const key = `${zone}|${fromMs}|${hours}`;
  let slots = slotCache.get(key);
  if (!slots) {
    slots = new Int16Array(hours);
    for (let i = 0; i < hours; i++) {
      const t = DateTime.fromMillis(fromMs + i * HOUR_MS, { zone });
      slots[i] = (t.weekday - 1) * 24 + t.hour;
    }
    slotCache.set(key, slots);
  }
  return slots;
}

interface LegalHours {
  legal: Uint8Array;
  /** The engine's rule ids that refused each hour (empty when legal). */
  ruledOutBy: string[][];
}

const legalCache = new Map<string, LegalHours>();
/** Asks the compliance engine (every candidate zone, state windows, holidays) hour by hour. */
function legalHours(
  engine: ComplianceEngine,
  area: Population["spec"]["areas"][number],
  kind: string,
  fromMs: number,
  hours: number,
): LegalHours {
  const key = `${area.areaCode}|${area.state}|${area.zone}|${kind}|${fromMs}|${hours}`;
  let table = legalCache.get(key);
  if (!table) {
    const legal = new Uint8Array(hours);
    const ruledOutBy: string[][] = [];
    const number = parseNanp(`+1${area.areaCode}2345678`);
    if (!number) throw new Error(`area code ${area.areaCode}: not a NANP number`);
    const verdict = (atMs: number) =>
      engine.evaluate({
        number,
        atMs,
        declaredZone: area.zone,
        addressState: area.state,
        consent: true,
        onDnc: false,
        searchDays: 0,
      });
    for (let i = 0; i < hours; i++) {
      const at = fromMs + i * HOUR_MS;
      const first = verdict(at);
      const last = verdict(at + HOUR_MS - 1000);
      legal[i] = first.allowed && last.allowed ? 1 : 0;
      ruledOutBy.push([...new Set([...first.reasons, ...last.reasons].map((r) => r.ruleId))]);
    }
    table = { legal, ruledOutBy };
    legalCache.set(key, table);
  }
  return table;
}

/** Builds replication `seed`'s list and history. Deterministic in (population, seed). */
export function buildWorld(population: Population, seed: number, engine: ComplianceEngine): World {
  const { spec } = population;
  const random = new Random(seed * 7919 + 17);
  const size = spec.list.size;
  const startMs = Math.floor(population.startMs / HOUR_MS) * HOUR_MS;
  const horizonHours = spec.horizonDays * 24;
  const historyHours = spec.list.history.share > 0 ? spec.list.history.days * 24 : 0;
  const historyStartMs = startMs - historyHours * HOUR_MS;
  const tableHours = historyHours + horizonHours;
  const zones = [...new Set(spec.areas.map((a) => a.zone))];
  const zoneSlot = zones.map((zone) => slotsOf(zone, historyStartMs, tableHours));
  const tables = spec.areas.map((area) => legalHours(engine, area, spec.kind, historyStartMs, tableHours));
  const areaLegal = tables.map((t) => t.legal);
  const areaRuledOut = tables.map((t) => t.ruledOutBy);
  const segmentShares = population.segments.map((s) => s.share);
  const areaShares = spec.areas.map((a) => a.share);
  const { accuracy } = spec.list.observable;
  const segment = new Uint8Array(size);
  const hint = new Uint8Array(size);
  const area = new Uint8Array(size);
  const zone = new Uint8Array(size);
  const minute = new Uint8Array(size);
  const level = new Float64Array(size);
  const shift = new Int8Array(size);
  const phone: string[] = new Array(size);
  const sigma = spec.variation.level;
  const shiftMax = spec.variation.shiftHours;
  for (let c = 0; c < size; c++) {
    const s = pick(random, segmentShares);
    segment[c] = s;
    // Right with probability `accuracy`; otherwise a draw from the mix (which may be right too),
    // so that accuracy 0 is a column that says nothing.
    hint[c] = random.uniform() < accuracy ? s : pick(random, segmentShares);
    const a = pick(random, areaShares);
    const areaSpec = spec.areas[a] as Population["spec"]["areas"][number];
    area[c] = a;
    zone[c] = zones.indexOf(areaSpec.zone);
    minute[c] = Math.floor(random.uniform() * 60);
    // Log-normal with mean 1.
    level[c] = Math.exp(sigma * random.normal() - (sigma * sigma) / 2);
    shift[c] = shiftMax === 0 ? 0 : Math.floor(random.uniform() * (2 * shiftMax + 1)) - shiftMax;
    phone[c] =
      `+1${areaSpec.areaCode}${exchange(random)}${String(Math.floor(random.uniform() * 10_000)).padStart(4, "0")}`;
  }
  const attempts = spec.attemptsPerRecord;
  const luck = new Float64Array(size * attempts);
  for (let i = 0; i < luck.length; i++) luck[i] = random.uniform();

  const world: World = {
    population,
    engine,
    size,
    horizonHours,
    startMs,
    historyStartMs,
    segment,
    hint,
    area,
    zone,
    minute,
    level,
    shift,
    phone,
    luck,
    zones,
    zoneSlot,
    areaLegal,
    areaRuledOut,
    offset: historyHours,
    history: {
      contact: new Int32Array(0),
      atMs: new Float64Array(0),
      slot: new Int16Array(0),
      rpc: new Uint8Array(0),
    },
  };
  world.history = buildHistory(world, random);
  return world;
}

/**
 * The earlier attempts of `history.share` of the list: `history.attempts` each at legal hours
 * drawn uniformly over the `history.days` before the horizon, hour-agnostic as most dialers
 * call, with outcomes drawn from the contact's true profile.
 */
function buildHistory(world: World, random: Random): HistoryLog {
  const { share, attempts } = world.population.spec.list.history;
  const contact: number[] = [];
  const atMs: number[] = [];
  const slot: number[] = [];
  const rpc: number[] = [];
  if (world.offset === 0)
    return {
      contact: new Int32Array(0),
      atMs: new Float64Array(0),
      slot: new Int16Array(0),
      rpc: new Uint8Array(0),
    };
  for (let c = 0; c < world.size; c++) {
    if (random.uniform() >= share) continue;
    const legal = world.areaLegal[world.area[c] as number] as Uint8Array;
    const hours: number[] = [];
    for (let tries = 0; hours.length < attempts && tries < 1000; tries++) {
      const i = Math.floor(random.uniform() * world.offset);
      if (legal[i] && !hours.includes(i)) hours.push(i);
    }
    hours.sort((a, b) => a - b);
    for (const i of hours) {
      const s = (world.zoneSlot[world.zone[c] as number] as Int16Array)[i] as number;
      contact.push(c);
      atMs.push(world.historyStartMs + i * HOUR_MS + (world.minute[c] as number) * MINUTE_MS);
      slot.push(s);
      rpc.push(random.uniform() < trueRate(world, c, s) ? 1 : 0);
    }
  }
  return {
    contact: Int32Array.from(contact),
    atMs: Float64Array.from(atMs),
    slot: Int16Array.from(slot),
    rpc: Uint8Array.from(rpc),
  };
}

/** Local hour of week of contact c at horizon hour h (h may be negative: history). */
export function slotAt(world: World, c: number, h: number): number {
  return (world.zoneSlot[world.zone[c] as number] as Int16Array)[world.offset + h] as number;
}

/** Whether horizon hour h is wholly legal for contact c (every window, zone and holiday rule). */
export function legalAt(world: World, c: number, h: number): boolean {
  return (world.areaLegal[world.area[c] as number] as Uint8Array)[world.offset + h] === 1;
}

export function attemptMs(world: World, c: number, h: number): number {
  return world.startMs + h * HOUR_MS + (world.minute[c] as number) * MINUTE_MS;
}
