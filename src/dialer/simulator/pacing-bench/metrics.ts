import type { Scenario } from "../../pacing/scenario.ts";
import type { DaysResult } from "../day/engine.ts";
import { Random } from "../des/prng.ts";

/**
 * The bench's figures for one controller from its replications (pacing.md §3): connects per
 * agent-hour, occupancy, idle time between calls, and abandonment of live answers: pooled mean
 * with a 95% interval over replications, the share of days over the target, the worst value of
 * the configured legal window, and the worst rolling 30 and 60 minutes.
 */
export interface AbandonmentFigures {
  mean: number;
  ci95: [number, number];
  shareOfDaysOver: number;
  worstWindow: number;
  worst30Min: number;
  worst60Min: number;
}

/** The bench's figures for one pacing controller over its replications (see AbandonmentFigures). */
export interface ControllerFigures {
  connectsPerAgentHour: number;
  occupancy: number;
  talkMinutesPerAgentHour: number;
  idleBetweenCalls: { mean: number; p90: number };
  abandonment: AbandonmentFigures;
  days: number;
}

const GAP_BIN = 0.25;

export function figuresOf(scenario: Scenario, runs: DaysResult[]): ControllerFigures {
  let connects = 0;
  let present = 0;
  let busy = 0;
  let talk = 0;
  let lives = 0;
  let abandons = 0;
  let days = 0;
  let daysOver = 0;
  let gapSum = 0;
  let gapCount = 0;
  const target = scenario.limits.target;
  const repRates: number[] = [];
  let histogram: Float64Array | undefined;
  let worstWindow = 0;
  let worst30 = 0;
  let worst60 = 0;
  for (const r of runs) {
    let repLives = 0;
    let repAbandons = 0;
    for (let d = 0; d < r.days; d++) {
      connects += r.connects[d] as number;
      present += r.presentSeconds[d] as number;
      busy += r.busySeconds[d] as number;
      talk += r.talkSeconds[d] as number;
      const l = r.lives[d] as number;
      const a = r.abandons[d] as number;
      repLives += l;
      repAbandons += a;
      days++;
      if (l > 0 && a / l > target + 1e-12) daysOver++;
    }
    lives += repLives;
    abandons += repAbandons;
    if (repLives > 0) repRates.push(repAbandons / repLives);
    gapSum += r.gapSum;
    gapCount += r.gapCount;
    if (!histogram) histogram = new Float64Array(r.gapHistogram.length);
    for (let i = 0; i < histogram.length; i++)
      histogram[i] = (histogram[i] as number) + (r.gapHistogram[i] as number);
    worst30 = Math.max(worst30, worstRolling(r, 30));
    worst60 = Math.max(worst60, worstRolling(r, 60));
    worstWindow = Math.max(worstWindow, worstLegalWindow(scenario, r));
  }
  const mean = lives > 0 ? abandons / lives : 0;
  return {
    connectsPerAgentHour: present > 0 ? connects / (present / 3600) : 0,
    occupancy: present > 0 ? busy / present : 0,
    talkMinutesPerAgentHour: present > 0 ? talk / 60 / (present / 3600) : 0,
    idleBetweenCalls: {
      mean: gapCount > 0 ? gapSum / gapCount : 0,
      p90: histogram ? quantile(histogram, 0.9) * GAP_BIN : 0,
    },
    abandonment: {
      mean,
      ci95: interval(mean, repRates),
      shareOfDaysOver: days > 0 ? daysOver / days : 0,
      worstWindow,
      worst30Min: worst30,
      worst60Min: worst60,
    },
    days,
  };
}

/** 95% interval of the pooled rate from the spread of replication rates (normal approximation). */
function interval(mean: number, rates: number[]): [number, number] {
  if (rates.length < 2) return [mean, mean];
  const m = rates.reduce((s, x) => s + x, 0) / rates.length;
  const variance = rates.reduce((s, x) => s + (x - m) ** 2, 0) / (rates.length - 1);
  const half = 1.96 * Math.sqrt(variance / rates.length);
  return [Math.max(0, mean - half), mean + half];
}

function quantile(histogram: Float64Array, q: number): number {
  let total = 0;
  for (const c of histogram) total += c;
  if (total === 0) return 0;
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i] as number;
    if (seen >= q * total) return i + 1;
  }
  return histogram.length;
}

/** Worst abandonment over any `span` consecutive minutes of one day's opening hours. */
export function worstRolling(r: DaysResult, span: number): number {
  return worstRollingOf(r.days, r.minutes, r.minuteLives, r.minuteAbandons, span);
}

/** `worstRolling` over per-minute live answers and abandons (`days` × `minutes` of them). */
function worstRollingOf(
  days: number,
  m: number,
  lives: ArrayLike<number>,
  abandons: ArrayLike<number>,
  span: number,
): number {
  let worst = 0;
  const width = Math.min(span, m);
  for (let d = 0; d < days; d++) {
    const base = d * m;
    let l = 0;
    let a = 0;
    for (let i = 0; i < m; i++) {
      l += lives[base + i] as number;
      a += abandons[base + i] as number;
      if (i >= width) {
        l -= lives[base + i - width] as number;
        a -= abandons[base + i - width] as number;
      }
      if (i >= width - 1 && l > 0 && a / l > worst) worst = a / l;
    }
  }
  return worst;
}

/** Simulations the noise floor averages (each redraws every minute of every run). */
export const NOISE_FLOOR_SIMULATIONS = 20;

/**
 * The noise floor of the worst `span` minutes (issue 53 §2): what a perfectly steady controller
 * would show over the same windows — one that abandons every live answer independently with the
 * same probability (`mean`, the controller's realised mean abandonment) and has the same live
 * answers in every minute of every day of every run. Each minute's abandons are drawn
 * binomial(live answers, mean); the worst window over all runs is taken as `figuresOf` takes it;
 * the floor is its mean over `simulations` draws (seeded: the same runs give the same floor).
 * A controller's worst 30 minutes ÷ this floor says how much of it is its own doing.
 */
export function worstRollingFloor(
  runs: DaysResult[],
  mean: number,
  span = 30,
  simulations = NOISE_FLOOR_SIMULATIONS,
  seed = 53,
): number {
  if (runs.length === 0 || mean <= 0) return 0;
  const random = new Random(seed);
  let total = 0;
  const drawn = runs.map((r) => new Float64Array(r.minuteLives.length));
  for (let s = 0; s < simulations; s++) {
    let worst = 0;
    for (const [k, r] of runs.entries()) {
      const abandons = drawn[k] as Float64Array;
      for (let i = 0; i < abandons.length; i++)
        abandons[i] = binomial(r.minuteLives[i] as number, mean, random.uniform());
      worst = Math.max(worst, worstRollingOf(r.days, r.minutes, r.minuteLives, abandons, span));
    }
    total += worst;
  }
  return total / simulations;
}

/** Binomial(n, p) by inversion of its CDF at u (n whole; a couple of steps when n·p is small). */
export function binomial(n: number, p: number, u: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const odds = p / (1 - p);
  let prob = (1 - p) ** n;
  // (1 − p)^n underflows only far beyond a minute's answers (thousands): its mean there.
  if (prob === 0) return Math.round(n * p);
  let cdf = prob;
  let k = 0;
  while (u > cdf && k < n) {
    prob *= ((n - k) / (k + 1)) * odds;
    k++;
    cdf += prob;
  }
  return k;
}

/**
 * Worst value of the configured legal window in one replication, on the calendar (days without
 * dialing count as days): `day` — the worst calendar day; `ofcom-24h` — the worst 24 hours
 * starting at any minute (the rest of one day and, when the next calendar day dials, its start);
 * `ftc-30d` — the worst 30 consecutive calendar days ending on any day of the run (the whole run
 * when it spans fewer).
 */
export function worstLegalWindow(scenario: Scenario, r: DaysResult): number {
  const window = scenario.limits.window;
  const calendar = (d: number) => (r.calendarDays ? (r.calendarDays[d] as number) : d);
  let worst = 0;
  if (window === "ftc-30d") {
    const first = calendar(0);
    const last = calendar(r.days - 1);
    // Windows (end − 30, end] for every calendar end from the first full window on.
    for (let end = Math.min(last, first + 29); end <= last; end++) {
      let l = 0;
      let a = 0;
      for (let k = 0; k < r.days; k++) {
        const c = calendar(k);
        if (c > end - 30 && c <= end) {
          l += r.lives[k] as number;
          a += r.abandons[k] as number;
        }
      }
      if (l > 0) worst = Math.max(worst, a / l);
    }
    return worst;
  }
  for (let d = 0; d < r.days; d++) {
    const l = r.lives[d] as number;
    if (l > 0) worst = Math.max(worst, (r.abandons[d] as number) / l);
  }
  if (window === "day") return worst;
  // ofcom-24h: from minute i of day d to minute i of day d + 1.
  const m = r.minutes;
  for (let d = 0; d + 1 < r.days; d++) {
    // Only when the next dialing day is the next calendar day does a 24 h window reach into it;
    // otherwise a window starting at minute i holds day d's rest alone.
    if (calendar(d + 1) !== calendar(d) + 1) {
      let ld = r.lives[d] as number;
      let ad = r.abandons[d] as number;
      for (let i = 0; i < m; i++) {
        if (ld > 0) worst = Math.max(worst, ad / ld);
        ld -= r.minuteLives[d * m + i] as number;
        ad -= r.minuteAbandons[d * m + i] as number;
      }
      continue;
    }
    // Window starting at minute i of day d covers day d from i and day d + 1 before i.
    let ld = r.lives[d] as number;
    let ad = r.abandons[d] as number;
    let ln = 0;
    let an = 0;
    for (let i = 0; i < m; i++) {
      const total = ld + ln;
      if (total > 0) worst = Math.max(worst, (ad + an) / total);
      ld -= r.minuteLives[d * m + i] as number;
      ad -= r.minuteAbandons[d * m + i] as number;
      ln += r.minuteLives[(d + 1) * m + i] as number;
      an += r.minuteAbandons[(d + 1) * m + i] as number;
    }
  }
  return worst;
}

/** Connects per agent-hour at 100% occupancy: 3600 / (mean talk + mean wrap). */
export function ceilingOf(scenario: Scenario): number {
  return 3600 / (scenario.talk.mean + scenario.wrap.mean);
}
