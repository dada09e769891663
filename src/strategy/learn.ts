import { agentOn } from "../core/call-agent.ts";
import { InputError } from "../core/input-error.ts";
import { instantInputMs } from "../core/instant-input.ts";
import { Categorizer, DEFAULT_DISPOSITION_MAP } from "../outcomes/disposition-map.ts";
import { interval90, round6 } from "./beta.ts";
import { ownColumn } from "./list-format.ts";
import {
  columnOfKey,
  DEFAULT_ATTEMPT_BUCKETS,
  DEFAULT_RPC,
  MODEL_VERSION,
  type Model,
  type RpcDefinition,
  SEGMENT_KEYS,
  type SegmentKey,
  SLOTS_PER_WEEK,
  type SlotStats,
} from "./model-format.ts";
import { nanpE164, placeOf, slotAt } from "./place.ts";
import type { LearnOptions, OutcomeRecord } from "./types.ts";

export const DEFAULT_PRIOR_STRENGTH = 20;
export const DEFAULT_KEYS: readonly SegmentKey[] = ["state"];

/** "1", "2-3", "4+" for bounds [1, 3]. */
export function attemptBucketOf(attempt: number, bounds: readonly number[]): string {
  let low = 1;
  for (const bound of bounds) {
    if (attempt <= bound) return low === bound ? String(bound) : `${low}-${bound}`;
    low = bound + 1;
  }
  return `${low}+`;
}

/** The canonical segment key of its values, in the model's key order. */
export const segmentKeyOf = (keys: readonly SegmentKey[], values: Readonly<Record<string, string>>) =>
  keys.map((key) => `${key}=${values[key] ?? ""}`).join("|");

/**
 * Per segment × slot counts: what every input path (NDJSON stream, DuckDB's SQL aggregate)
 * produces and `buildModel` turns into estimates.
 */
export class SlotCounts {
  readonly segments = new Map<
    string,
    { values: Record<string, string>; attempts: Int32Array; rpcs: Int32Array }
  >();
  records = 0;
  skipped = 0;

  add(
    keys: readonly SegmentKey[],
    values: Record<string, string>,
    slot: number,
    attempts: number,
    rpcs: number,
  ) {
    const key = segmentKeyOf(keys, values);
    let segment = this.segments.get(key);
    if (!segment) {
      segment = { values, attempts: new Int32Array(SLOTS_PER_WEEK), rpcs: new Int32Array(SLOTS_PER_WEEK) };
      this.segments.set(key, segment);
    }
    segment.attempts[slot] = (segment.attempts[slot] as number) + attempts;
    segment.rpcs[slot] = (segment.rpcs[slot] as number) + rpcs;
    this.records += attempts;
  }
}

/** Checks the options every input path shares; returns them with their defaults. */
export function learnSettings(options: LearnOptions) {
  if (!options.campaign) throw new InputError({ field: "campaign", rule: "is required" });
  const keys = options.keys ?? DEFAULT_KEYS;
  const unknownKeys = keys.filter(
    (key) => !(SEGMENT_KEYS as readonly string[]).includes(key) && columnOfKey(key) === undefined,
  );
  if (unknownKeys.length > 0)
    throw new InputError({
      field: "keys",
      rule: `${unknownKeys.join(", ")}: keys are ${SEGMENT_KEYS.join(", ")} or column:NAME (a list column, NAME letters, digits, _)`,
    });
  if (new Set(keys).size !== keys.length)
    throw new InputError({ field: "keys", rule: "must not repeat a key" });
  const attemptBuckets = [...(options.attemptBuckets ?? DEFAULT_ATTEMPT_BUCKETS)];
  if (
    attemptBuckets.some(
      (b, i) => !Number.isInteger(b) || b < 1 || (i > 0 && b <= (attemptBuckets[i - 1] as number)),
    )
  )
    throw new InputError({ field: "attemptBuckets", rule: "must be increasing whole numbers from 1" });
  const priorStrength = options.priorStrength ?? DEFAULT_PRIOR_STRENGTH;
  if (!(priorStrength > 0))
    throw new InputError({ field: "priorStrength", rule: "must be a positive number" });
  const rpc: RpcDefinition = options.rpc ?? DEFAULT_RPC;
  const map = options.dispositionMap ?? DEFAULT_DISPOSITION_MAP;
  const unknown = rpc.categories.filter((c) => !(c in map.categories));
  if (unknown.length > 0)
    throw new InputError({
      field: "rpc.categories",
      rule: `${unknown.join(", ")} ${unknown.length === 1 ? "is not a category" : "are not categories"} of the outcome map (${Object.keys(map.categories).join(", ")})`,
    });
  // The window's bounds as every instant a caller gives: ISO 8601 with a zone (one read the
  // machine's zone otherwise), a real date, `from` before `to` — refused before a record is read.
  const fromMs = instantInputMs(options.from, "from");
  const toMs = instantInputMs(options.to, "to");
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs)
    throw new InputError({ field: "from", rule: "must be before `to`" });
  return { keys, attemptBuckets, priorStrength, rpc, map, fromMs, toMs };
}

/**
 * The RPC test of one record, from the definition and the outcome map: the disposition's
 * category by its code, else by its name (`extra.dispositionName`: CXone's codes are ids, the
 * map names dispositions), as `cxo outcomes export` categorises it.
 */
export function rpcTest(rpc: RpcDefinition, categorizer: Categorizer) {
  const counted = new Set(rpc.categories);
  return (record: Pick<OutcomeRecord, "dispositionCode" | "agentId" | "extra">): boolean => {
    if (rpc.requireConversation && !agentOn(record.agentId)) return false;
    const category = categorizer.categoryOf(record.dispositionCode, dispositionNameOf(record));
    return category !== undefined && counted.has(category);
  };
}

/** The disposition's name beside an id code (`extra.dispositionName`), null when absent. */
export function dispositionNameOf(record: Pick<OutcomeRecord, "extra">): string | null {
  const name = record.extra?.dispositionName;
  return typeof name === "string" && name !== "" ? name : null;
}

/**
 * Learns the model from outcome records, streamed: memory is the counts (segments × 168), plus
 * one counter per phone number when the `attemptBucket` key is asked for (the attempt number of
 * a record is its rank among the phone's attempts in the order read: an export is in start-time
 * order). Records of another campaign, outside the window, or without a NANP number are skipped
 * and counted.
 */
export async function learn(records: AsyncIterable<OutcomeRecord>, options: LearnOptions): Promise<Model> {
  const settings = learnSettings(options);
  const { keys, attemptBuckets, fromMs, toMs } = settings;
  const isRpc = rpcTest(settings.rpc, new Categorizer(settings.map));
  const counts = new SlotCounts();
  const attemptsOfPhone = keys.includes("attemptBucket") ? new Map<string, number>() : undefined;
  for await (const record of records) {
    if (record.campaignId !== options.campaign) {
      counts.skipped++;
      continue;
    }
    const ms = Date.parse(record.startTime);
    if (!Number.isFinite(ms) || (fromMs !== undefined && ms < fromMs) || (toMs !== undefined && ms >= toMs)) {
      counts.skipped++;
      continue;
    }
    const phone = record.phoneNumber ? nanpE164(record.phoneNumber) : undefined;
    const place = phone ? placeOf(phone) : null;
    const zone = place?.zones[0];
    if (!place || zone === undefined || !phone) {
      counts.skipped++;
      continue;
    }
    const values: Record<string, string> = {};
    for (const key of keys)
      if (key === "state") values.state = place.state;
      else if (key === "areaCode") values.areaCode = place.npa;
      else if (key === "list") values.list = listOf(record);
      else if (key !== "attemptBucket") values[key] = columnValueOf(record, key);
      else {
        const n = (attemptsOfPhone?.get(phone) ?? 0) + 1;
        attemptsOfPhone?.set(phone, n);
        values.attemptBucket = attemptBucketOf(n, attemptBuckets);
      }
    counts.add(keys, values, slotAt(ms, zone), 1, isRpc(record) ? 1 : 0);
  }
  return buildModel(counts, options, settings);
}

/** A `column:NAME` key's value on an outcome record: its `extra.NAME` ("" when absent). */
export const columnValueOf = (record: Pick<OutcomeRecord, "extra">, key: SegmentKey): string => {
  const value = ownColumn(record.extra ?? undefined, columnOfKey(key) ?? "");
  return value === undefined || value === null ? "" : String(value);
};

const listOf = (record: OutcomeRecord): string => {
  const list = record.extra?.listId ?? record.extra?.contactListId;
  return list === undefined || list === null ? "" : String(list);
};

function stats(attempts: number, rpcs: number, priorMean: number, strength: number): SlotStats {
  const p = Math.min(Math.max(priorMean, 1e-6), 1 - 1e-6);
  const a = strength * p + rpcs;
  const b = strength * (1 - p) + attempts - rpcs;
  return { attempts, rpcs, estimate: round6(a / (a + b)), interval90: interval90(a, b), tried: attempts > 0 };
}

/** Weekday hours pool together, as do weekend hours: the 48 hours of day a slot belongs to. */
export const hourOfDayGroup = (slot: number): number => (slot >= 120 ? 24 : 0) + (slot % 24);
const HOUR_GROUPS = 48;

/**
 * Weight of a segment's attempts an hour earlier and an hour later (same kind of day) in its hour
 * of day's pool, as the contact factor weighs an attempt an hour away (plan-contact.ts). People's
 * days do not turn at the clock's hours — a contact's habits shift by an hour or so — so an
 * evening hour unlucky in its few attempts borrows from the evening around it instead of being
 * left for good (on variant E, with the slot level below, 49.0% → 54.9% of the oracle's lift;
 * docs/strategy.md, Figures).
 */
export const NEIGHBOUR_WEIGHT = 0.5;

/**
 * The slot level's strength (a slot's pseudo-attempts at its segment's hour of day) is estimated
 * from the data, at most this many times the prior strength m and at least m.
 */
export const SLOT_STRENGTH_MULTIPLE = 5;

/** A segment's attempts and RPCs per hour-of-day group (weekdays pooled, weekend days pooled). */
function hourGroups(segment: { attempts: Int32Array; rpcs: Int32Array }) {
  const attempts = new Float64Array(HOUR_GROUPS);
  const rpcs = new Float64Array(HOUR_GROUPS);
  for (let s = 0; s < SLOTS_PER_WEEK; s++) {
    const g = hourOfDayGroup(s);
    attempts[g] = (attempts[g] as number) + (segment.attempts[s] as number);
    rpcs[g] = (rpcs[g] as number) + (segment.rpcs[s] as number);
  }
  return { attempts, rpcs };
}

/**
 * Empirical Bayes for the slot level: how far a segment's slots (Monday 19:00, Tuesday 19:00, …)
 * really differ from their hour of day, by the method of moments over every segment. Under the
 * Beta-binomial with strength k, a slot's RPCs r of n attempts around its group's rate p have
 * E[(r − np)² − np(1 − p)] = n(n − 1)·p(1 − p)/(k + 1); summed over the slots with ≥ 2 attempts,
 * that gives 1/(k + 1). Between-slot variance no larger than the binomial noise (the
 * populations the bench knows, whose weekdays are alike) says the slots are their hour of day:
 * the strength goes to its ceiling, SLOT_STRENGTH_MULTIPLE × m (5 × 20 = 100 pseudo-attempts:
 * 50 and 200 measured alike, 1,000 a little worse on variant E). A history whose Fridays differ
 * from its Mondays brings it down to m, the hierarchy as it was. No slot with 2 attempts: m.
 */
export function slotLevelStrength(
  segments: Iterable<{ attempts: Int32Array; rpcs: Int32Array }>,
  m: number,
): number {
  let excess = 0;
  let scale = 0;
  for (const segment of segments) {
    const groups = hourGroups(segment);
    for (let s = 0; s < SLOTS_PER_WEEK; s++) {
      const g = hourOfDayGroup(s);
      const n = segment.attempts[s] as number;
      const groupAttempts = groups.attempts[g] as number;
      if (n < 2 || groupAttempts === 0) continue;
      const p = (groups.rpcs[g] as number) / groupAttempts;
      if (p <= 0 || p >= 1) continue;
      excess += ((segment.rpcs[s] as number) - n * p) ** 2 - n * p * (1 - p);
      scale += n * (n - 1) * p * (1 - p);
    }
  }
  const most = SLOT_STRENGTH_MULTIPLE * m;
  if (scale === 0) return m;
  if (excess <= 0) return most;
  return Math.min(most, Math.max(m, scale / excess - 1));
}

/**
 * A segment's slots: each slot's prior is its segment's hour of day (Mondays to Fridays at that
 * hour pooled, or Saturdays and Sundays, with the hour before and after at NEIGHBOUR_WEIGHT),
 * itself shrunk toward the campaign's slot with strength m, so that a segment's evening is
 * learned from every weekday evening in days, not from each of them in weeks. The slot's own
 * strength at its hour of day is `slotStrength` (slotLevelStrength).
 */
function segmentSlots(
  segment: { attempts: Int32Array; rpcs: Int32Array },
  campaign: readonly SlotStats[],
  m: number,
  slotStrength: number,
): SlotStats[] {
  const groups = hourGroups(segment);
  const pooledAttempts = new Float64Array(HOUR_GROUPS);
  const pooledRpcs = new Float64Array(HOUR_GROUPS);
  for (let g = 0; g < HOUR_GROUPS; g++) {
    const day = g >= 24 ? 24 : 0;
    const before = day + ((g + 23) % 24);
    const after = day + ((g + 1) % 24);
    pooledAttempts[g] =
      (groups.attempts[g] as number) +
      NEIGHBOUR_WEIGHT * ((groups.attempts[before] as number) + (groups.attempts[after] as number));
    pooledRpcs[g] =
      (groups.rpcs[g] as number) +
      NEIGHBOUR_WEIGHT * ((groups.rpcs[before] as number) + (groups.rpcs[after] as number));
  }
  return Array.from({ length: SLOTS_PER_WEEK }, (_, s) => {
    const g = hourOfDayGroup(s);
    const hourOfDay =
      (m * (campaign[s] as SlotStats).estimate + (pooledRpcs[g] as number)) /
      (m + (pooledAttempts[g] as number));
    return stats(segment.attempts[s] as number, segment.rpcs[s] as number, hourOfDay, slotStrength);
  });
}

/**
 * Counts → the model: the Beta-binomial hierarchy all → campaign slot → segment's hour of day
 * (weekdays pooled, weekend days pooled, neighbouring hours at half weight) → segment slot (its
 * strength estimated from the data).
 */
export function buildModel(
  counts: SlotCounts,
  options: LearnOptions,
  settings: ReturnType<typeof learnSettings> = learnSettings(options),
): Model {
  const m = settings.priorStrength;
  const campaignAttempts = new Int32Array(SLOTS_PER_WEEK);
  const campaignRpcs = new Int32Array(SLOTS_PER_WEEK);
  for (const segment of counts.segments.values())
    for (let s = 0; s < SLOTS_PER_WEEK; s++) {
      campaignAttempts[s] = (campaignAttempts[s] as number) + (segment.attempts[s] as number);
      campaignRpcs[s] = (campaignRpcs[s] as number) + (segment.rpcs[s] as number);
    }
  const slotStrength = slotLevelStrength(counts.segments.values(), m);
  const totalAttempts = campaignAttempts.reduce((x, y) => x + y, 0);
  const totalRpcs = campaignRpcs.reduce((x, y) => x + y, 0);
  // The top of the hierarchy: Beta(1, 1), uniform, updated with everything.
  const all: SlotStats = {
    attempts: totalAttempts,
    rpcs: totalRpcs,
    estimate: round6((totalRpcs + 1) / (totalAttempts + 2)),
    interval90: interval90(totalRpcs + 1, totalAttempts - totalRpcs + 1),
    tried: totalAttempts > 0,
  };
  const campaign = Array.from({ length: SLOTS_PER_WEEK }, (_, s) =>
    stats(campaignAttempts[s] as number, campaignRpcs[s] as number, all.estimate, m),
  );
  const segments = [...counts.segments.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, segment]) => ({
      key,
      values: Object.fromEntries(settings.keys.map((k) => [k, segment.values[k] ?? ""])),
      slots: segmentSlots(segment, campaign, m, slotStrength),
    }));
  return {
    version: MODEL_VERSION,
    campaign: options.campaign,
    learnedFrom: {
      from: settings.fromMs === undefined ? null : new Date(settings.fromMs).toISOString(),
      to: settings.toMs === undefined ? null : new Date(settings.toMs).toISOString(),
      source: options.source ?? "history",
      records: counts.records,
      skipped: counts.skipped,
    },
    keys: [...settings.keys],
    attemptBuckets: settings.attemptBuckets,
    rpc: settings.rpc,
    priorStrength: m,
    slotStrength: round6(slotStrength),
    priors: { all, campaign },
    segments,
  };
}
