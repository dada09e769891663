import { CallTally } from "../../src/callerid/tally.ts";
import type { Series } from "../../src/callerid/types.ts";
import { seededUniform } from "../../src/strategy/beta.ts";

/**
 * Simulated caller-id pools (tests and bench/callerid.bench.ts): numbers sharing one list, a
 * list-wide answer pattern (hour profile, ageing, bad days) and, optionally, one labelled number.
 * Every parameter is documented in docs/callerid.md ("Simulated pools"); the same seed gives the
 * same pool.
 */
export interface PoolShape {
  numbers: number;
  /** Numbers per pool drawn per pool (uniform integer in [min, max]); overrides `numbers`. */
  numbersRange?: [number, number];
  days: number;
  /** Calls per number per day: a fixed figure, or [min, max] drawn per number (log-uniform). */
  callsPerDay: number | [number, number];
  /** Weights of the calling hours (UTC hour → weight); hours not listed get no calls. */
  hourProfile: Record<number, number>;
  /** The list's answer rate at the start, before the hour's weight on it. */
  baseAnswerRate: number;
  /** Answer rate × this per hour of the day (same keys as hourProfile; default 1). */
  hourAnswer?: Record<number, number>;
  /** Relative fall of the list's answer rate per day (an ageing list). */
  ageingPerDay: number;
  /** Share of days that are bad for the whole list, and their answer factor. */
  badDayShare: number;
  badDayFactor: number;
  /** Each number's own level: × a uniform draw in [1 − h, 1 + h] (area codes, local presence). */
  numberSpread: number;
  /** Terminating carriers' shares of calls. */
  carriers: Array<{ name: string; share: number }>;
}

export interface LabelSpec {
  factor: number;
  /** Only this carrier's subscribers see it. */
  carrier?: string;
  /** The label starts at a uniform hour in [fromDay, toDay) days. */
  fromDay: number;
  toDay: number;
  /** The labelled number is drawn among those of at least this many calls a day (issue 80 §5's shape). */
  minCallsPerDay?: number;
  /**
   * Several labels a pool (issue 91 §4): each eligible number (at least `minCallsPerDay`, or the
   * busier half when `busier`) is labelled with this probability, each from its own uniform hour
   * of [fromDay, toDay) and with its own factor, uniform in `factorRange` (else `factor`).
   */
  share?: number;
  busier?: boolean;
  factorRange?: [number, number];
}

/** One labelled number of a pool: from when, and by how much. */
export interface Label {
  callerId: string;
  atMs: number;
  factor: number;
}

export interface SimulatedPool {
  series: Series[];
  /** The labelled number and the label's start (ms), when there is one. */
  labelled?: { callerId: string; atMs: number };
  /** Every labelled number (one with `labelled`, several with `LabelSpec.share`). */
  labels: Label[];
  startMs: number;
  /** The true answer rate of a number in the hour starting at `hourMs`, had it not been labelled (the bench's oracle). */
  trueRate: (callerId: string, hourMs: number) => number;
}

export const DEFAULT_POOL: PoolShape = {
  numbers: 20,
  days: 21,
  callsPerDay: 120,
  hourProfile: {
    13: 1,
    14: 1.2,
    15: 1.2,
    16: 1,
    17: 0.9,
    18: 0.9,
    19: 1,
    20: 1.1,
    21: 1.1,
    22: 0.9,
    23: 0.7,
  },
  baseAnswerRate: 0.3,
  hourAnswer: {
    13: 0.9,
    14: 0.9,
    15: 0.95,
    16: 1,
    17: 1,
    18: 1.05,
    19: 1.1,
    20: 1.15,
    21: 1.1,
    22: 1,
    23: 0.9,
  },
  ageingPerDay: 0.01,
  badDayShare: 0.15,
  badDayFactor: 0.7,
  numberSpread: 0.1,
  carriers: [
    { name: "AT&T", share: 0.35 },
    { name: "Verizon", share: 0.3 },
    { name: "T-Mobile", share: 0.25 },
    { name: "other", share: 0.1 },
  ],
};

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const START_MS = Date.UTC(2026, 9, 5);

/** A binomial draw (sum of Bernoullis: cells hold tens of calls). */
function binomial(n: number, p: number, u: () => number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (u() < p) k++;
  return k;
}

/** A Poisson draw (Knuth; means of a cell are small). */
function poisson(mean: number, u: () => number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = u();
  while (p > limit) {
    k++;
    p *= u();
  }
  return k;
}

export function simulatePool(
  shape: PoolShape,
  seed: number,
  label?: LabelSpec,
  options: { splitCarriers?: boolean } = {},
): SimulatedPool {
  const u = seededUniform(seed);
  const hours = Object.entries(shape.hourProfile).map(([h, w]) => [Number(h), w] as const);
  const weightSum = hours.reduce((sum, [, w]) => sum + w, 0);
  const count = shape.numbersRange
    ? shape.numbersRange[0] + Math.floor(u() * (shape.numbersRange[1] - shape.numbersRange[0] + 1))
    : shape.numbers;
  const badDays = Array.from({ length: shape.days }, () => u() < shape.badDayShare);
  const numbers = Array.from({ length: count }, (_, i) => {
    const volume = Array.isArray(shape.callsPerDay)
      ? Math.exp(Math.log(shape.callsPerDay[0]) + u() * Math.log(shape.callsPerDay[1] / shape.callsPerDay[0]))
      : shape.callsPerDay;
    return {
      callerId: `+1800555${String(1000 + i).padStart(4, "0")}`,
      volume,
      level: 1 + (2 * u() - 1) * shape.numberSpread,
    };
  });
  const eligible = numbers
    .map((n, i) => ({ n, i }))
    .filter(({ n }) => label?.minCallsPerDay === undefined || n.volume >= label.minCallsPerDay);
  const labelledIndex = !label
    ? -1
    : label.minCallsPerDay === undefined
      ? Math.floor(u() * count)
      : (eligible[Math.floor(u() * eligible.length)]?.i ?? -1);
  const labelAt = label
    ? START_MS + Math.floor((label.fromDay + u() * (label.toDay - label.fromDay)) * 24) * HOUR_MS
    : Number.POSITIVE_INFINITY;
  // index → [start, factor] of every label; one label unless `share` is set (then drawn here, after
  // the single label's draws, so pools without `share` are the same as before to the call).
  const labelOf = new Map<number, [number, number]>();
  if (label && label.share === undefined && labelledIndex >= 0)
    labelOf.set(labelledIndex, [labelAt, label.factor]);
  if (label?.share !== undefined) {
    const volumes = numbers.map((n) => n.volume).sort((a, b) => a - b);
    const median = volumes[Math.floor(volumes.length / 2)] as number;
    numbers.forEach((n, i) => {
      const busy = label.busier ? n.volume >= median : n.volume >= (label.minCallsPerDay ?? 0);
      const pick = u() < (label.share as number);
      const at = START_MS + Math.floor((label.fromDay + u() * (label.toDay - label.fromDay)) * 24) * HOUR_MS;
      const range = label.factorRange ?? [label.factor, label.factor];
      const factor = range[0] + u() * (range[1] - range[0]);
      if (busy && pick) labelOf.set(i, [at, factor]);
    });
  }
  const tally = new CallTally();
  for (let day = 0; day < shape.days; day++) {
    const dayFactor = (1 - shape.ageingPerDay) ** day * (badDays[day] ? shape.badDayFactor : 1);
    for (const [hour, weight] of hours) {
      const atMs = START_MS + day * DAY_MS + hour * HOUR_MS;
      const p0 = shape.baseAnswerRate * dayFactor * (shape.hourAnswer?.[hour] ?? 1);
      numbers.forEach((number, index) => {
        const mean = (number.volume * weight) / weightSum;
        for (const carrier of shape.carriers) {
          const calls = poisson(mean * carrier.share, u);
          if (calls === 0) continue;
          const mark = labelOf.get(index);
          const labelled =
            mark !== undefined &&
            atMs >= mark[0] &&
            (label?.carrier === undefined || label.carrier === carrier.name);
          const p = Math.min(1, p0 * number.level * (labelled ? mark[1] : 1));
          const answered = binomial(calls, p, u);
          tally.addCount(
            number.callerId,
            "sim",
            options.splitCarriers ? carrier.name : undefined,
            atMs,
            calls,
            answered,
          );
        }
      });
    }
  }
  const labelled = label?.share === undefined ? numbers[labelledIndex] : undefined;
  const labels = [...labelOf].map(([i, [atMs, factor]]) => ({
    callerId: (numbers[i] as { callerId: string }).callerId,
    atMs,
    factor,
  }));
  const levels = new Map(numbers.map((n) => [n.callerId, n.level]));
  const trueRate = (callerId: string, hourMs: number): number => {
    const day = Math.floor((hourMs - START_MS) / DAY_MS);
    const hour = new Date(hourMs).getUTCHours();
    const dayFactor = (1 - shape.ageingPerDay) ** day * (badDays[day] ? shape.badDayFactor : 1);
    return Math.min(
      1,
      shape.baseAnswerRate * dayFactor * (shape.hourAnswer?.[hour] ?? 1) * (levels.get(callerId) ?? 1),
    );
  };
  return {
    series: tally.result(),
    startMs: START_MS,
    trueRate,
    labels,
    ...(labelled ? { labelled: { callerId: labelled.callerId, atMs: labelAt } } : {}),
  };
}

/**
 * Issue 91 §4's families, unlike the bench's shapes: each pool its own shape, drawn from the seed —
 * 20–40 numbers, 40–300 calls a day a number (log-uniform), a calling block of 7–12 UTC hours
 * starting between 11 and 17 with its own weights (0.4–1.6) and answer pattern (× 0.75–1.25),
 * a list rate of 0.15–0.40, ageing 0–2 %/day, 5–30 % bad days at × 0.5–0.85, numbers' own levels
 * × U[1 − s, 1 + s] with s in 0.03–0.15, and its own carrier shares.
 */
export function familyShape(seed: number): PoolShape {
  const u = seededUniform(seed * 7919 + 17);
  const between = (lo: number, hi: number) => lo + u() * (hi - lo);
  const length = 7 + Math.floor(u() * 6);
  const start = 11 + Math.floor(u() * 7);
  const hourProfile: Record<number, number> = {};
  const hourAnswer: Record<number, number> = {};
  // The answer pattern drifts hour to hour (a random walk), so it has a shape, not noise.
  let answer = between(0.85, 1.15);
  for (let i = 0; i < length; i++) {
    const hour = (start + i) % 24;
    hourProfile[hour] = between(0.4, 1.6);
    answer = Math.min(1.25, Math.max(0.75, answer + between(-0.08, 0.08)));
    hourAnswer[hour] = answer;
  }
  const a = between(0.25, 0.45);
  const b = between(0.2, 0.35);
  const c = between(0.1, 0.3);
  const total = a + b + c + 0.08;
  return {
    numbers: 30,
    numbersRange: [20, 40],
    days: 21,
    callsPerDay: [40, 300],
    hourProfile,
    hourAnswer,
    baseAnswerRate: between(0.15, 0.4),
    ageingPerDay: between(0, 0.02),
    badDayShare: between(0.05, 0.3),
    badDayFactor: between(0.5, 0.85),
    numberSpread: between(0.03, 0.15),
    carriers: [
      { name: "AT&T", share: a / total },
      { name: "Verizon", share: b / total },
      { name: "T-Mobile", share: c / total },
      { name: "other", share: 0.08 / total },
    ],
  };
}
