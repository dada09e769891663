import { Random } from "../dialer/simulator/des/prng.ts";
import { HOURS_OF_WEEK } from "./population.ts";
import type { Policy, SimState } from "./simulate.ts";
import { attemptMs, slotAt, trueRate } from "./world.ts";

/**
 * The strategies the bench compares (issue 55 §4), all behind the same dialer, capacity and
 * attempts per record. The baselines are what a CXone skill does today: retry after the skill's
 * minimum retry minutes whatever the hour, or NICE's advice of 27/29/31-hour rests so the next
 * call lands at another hour. The oracle knows each contact's true profile (the upper bound).
 */

const HOUR_MS = 3_600_000;
const NEVER = Number.NEGATIVE_INFINITY;

const restedFor = (state: SimState, c: number, atMs: number, restMs: number) =>
  state.lastMs[c] === NEVER || atMs >= (state.lastMs[c] as number) + restMs;

/** First come, first served: never-called contacts, then whoever has waited longest. */
export function hourAgnostic(): Policy {
  return {
    name: "hour-agnostic",
    gated: true,
    eligible: (world, state, c, h) =>
      restedFor(state, c, attemptMs(world, c, h), world.population.spec.minRetryMinutes * 60_000),
    score: () => 0,
  };
}

export const NICE_RESTS_HOURS = [27, 29, 31] as const;

/** NICE's advice: rest 27, then 29, then 31 hours (and round again), so calls move across the day. */
export function niceRests(): Policy {
  return {
    name: "rests-27-29-31",
    gated: true,
    eligible(world, state, c, h) {
      const k = state.attempts[c] as number;
      const rest = NICE_RESTS_HOURS[Math.max(0, k - 1) % NICE_RESTS_HOURS.length] as number;
      const floor = world.population.spec.minRetryMinutes * 60_000;
      return restedFor(state, c, attemptMs(world, c, h), Math.max(floor, rest * HOUR_MS));
    },
    score: () => 0,
  };
}

/** Knows every contact's true RPC rate in every hour: calls the contacts whose hour it is. */
export function oracle(): Policy {
  return {
    name: "oracle",
    gated: true,
    eligible: (world, state, c, h) =>
      restedFor(state, c, attemptMs(world, c, h), world.population.spec.minRetryMinutes * 60_000),
    score: (world, _state, c, h) => trueRate(world, c, slotAt(world, c, h)),
  };
}

/** Gamma(shape, 1) by Marsaglia and Tsang (shape < 1 through the boost). */
function gamma(random: Random, shape: number): number {
  if (shape < 1) return gamma(random, shape + 1) * random.uniform() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = random.normal();
    const v0 = 1 + c * x;
    if (v0 <= 0) continue;
    const v = v0 * v0 * v0;
    const u = random.uniform();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

export function betaSample(random: Random, a: number, b: number): number {
  const x = gamma(random, a);
  return x / (x + gamma(random, b));
}

/** Weekday hours pool together, as do weekend hours: 48 groups of the 168 slots. */
export const groupOf = (slot: number): number => (slot >= 120 ? 24 : 0) + (slot % 24);
const GROUPS = 48;

/**
 * Counts per list segment × local hour of week, with a hierarchy that learns in days, not
 * months: the all-hours rate → each slot pooled over segments → each segment's hour of day
 * (weekdays together, weekend days together) → each segment × slot; each level a Beta prior of
 * `strength` pseudo-attempts around its parent.
 */
export class SlotCounts {
  readonly segments: number;
  readonly strength: number;
  readonly attempts: Float64Array;
  readonly rpcs: Float64Array;
  readonly groupAttempts: Float64Array;
  readonly groupRpcs: Float64Array;
  readonly pooledAttempts = new Float64Array(HOURS_OF_WEEK);
  readonly pooledRpcs = new Float64Array(HOURS_OF_WEEK);
  total = 0;
  totalRpcs = 0;

  constructor(segments: number, strength = 20) {
    this.segments = segments;
    this.strength = strength;
    this.attempts = new Float64Array(segments * HOURS_OF_WEEK);
    this.rpcs = new Float64Array(segments * HOURS_OF_WEEK);
    this.groupAttempts = new Float64Array(segments * GROUPS);
    this.groupRpcs = new Float64Array(segments * GROUPS);
  }

  add(segment: number, slot: number, rpc: boolean): void {
    const i = segment * HOURS_OF_WEEK + slot;
    const g = segment * GROUPS + groupOf(slot);
    this.attempts[i] = (this.attempts[i] as number) + 1;
    this.groupAttempts[g] = (this.groupAttempts[g] as number) + 1;
    this.pooledAttempts[slot] = (this.pooledAttempts[slot] as number) + 1;
    this.total++;
    if (rpc) {
      this.rpcs[i] = (this.rpcs[i] as number) + 1;
      this.groupRpcs[g] = (this.groupRpcs[g] as number) + 1;
      this.pooledRpcs[slot] = (this.pooledRpcs[slot] as number) + 1;
      this.totalRpcs++;
    }
  }

  /** The all-hours rate (a weak Beta(1, 9) prior before anything is seen). */
  allRate(): number {
    return (this.totalRpcs + 1) / (this.total + 10);
  }

  pooledRate(slot: number): number {
    const m = this.strength;
    return (
      (m * this.allRate() + (this.pooledRpcs[slot] as number)) / (m + (this.pooledAttempts[slot] as number))
    );
  }

  groupRate(segment: number, slot: number): number {
    const g = segment * GROUPS + groupOf(slot);
    const m = this.strength;
    return (
      (m * this.pooledRate(slot) + (this.groupRpcs[g] as number)) / (m + (this.groupAttempts[g] as number))
    );
  }

  /** Beta posterior parameters of segment × slot. */
  posterior(segment: number, slot: number): [number, number] {
    const i = segment * HOURS_OF_WEEK + slot;
    const p = this.groupRate(segment, slot);
    const m = this.strength;
    const r = this.rpcs[i] as number;
    return [m * p + r, m * (1 - p) + (this.attempts[i] as number) - r];
  }

  estimate(segment: number, slot: number): number {
    const [a, b] = this.posterior(segment, slot);
    return a / (a + b);
  }

  tried(segment: number, slot: number): boolean {
    return (this.attempts[segment * HOURS_OF_WEEK + slot] as number) > 0;
  }
}

/**
 * The learned strategy inside the dialer's hour loop: the list column is the segment key, the
 * counts start empty (cold) or from the list's earlier attempts (history) and learn from every
 * attempt as it is made. Each day, Thompson sampling: one draw of every segment × slot rate from
 * its posterior; each hour the dialer's capacity goes to the contacts with the highest draws.
 */
export function learnedHourly(options: {
  fromHistory: boolean;
  seed: number;
  name?: string;
}): Policy & { model(): SlotCounts } {
  const random = new Random(options.seed);
  let counts = new SlotCounts(1);
  let draws = new Float64Array(0);
  return {
    model: () => counts,
    name: options.name ?? (options.fromHistory ? "learned-history" : "learned-cold"),
    gated: true,
    startDay(world, _state, day) {
      const segments = world.population.segments.length;
      if (day === 0) {
        counts = new SlotCounts(segments);
        if (options.fromHistory) {
          const { contact, slot, rpc } = world.history;
          for (let i = 0; i < contact.length; i++)
            counts.add(world.hint[contact[i] as number] as number, slot[i] as number, rpc[i] === 1);
        }
      }
      draws = new Float64Array(segments * HOURS_OF_WEEK);
      for (let s = 0; s < segments; s++)
        for (let slot = 0; slot < HOURS_OF_WEEK; slot++) {
          const [a, b] = counts.posterior(s, slot);
          draws[s * HOURS_OF_WEEK + slot] = betaSample(random, a, b);
        }
    },
    eligible: (world, state, c, h) =>
      restedFor(state, c, attemptMs(world, c, h), world.population.spec.minRetryMinutes * 60_000),
    score: (world, _state, c, h) =>
      draws[(world.hint[c] as number) * HOURS_OF_WEEK + slotAt(world, c, h)] as number,
    observe(world, c, slot, rpc) {
      counts.add(world.hint[c] as number, slot, rpc);
    },
  };
}
