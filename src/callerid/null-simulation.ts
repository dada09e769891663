import { hashSeed, seededUniform } from "../strategy/beta.ts";
import { cusumMaximum, type LevelReading } from "./cusum.ts";
import type { HourErrors } from "./expectation.ts";
import { type LevelPrior, readLevel } from "./levels.ts";
import type { HourCount } from "./types.ts";

/**
 * The thresholds' calibration on the campaign's own hours (issue 80 §5): the Markov chain
 * (crossing-rate.ts) gives each number a threshold for its mean volume and rate, but a number's
 * hours differ (busy and quiet hours, good and bad days, its level read from its first days and
 * then again), and the chain, taking one mean, errs on the cautious side: on the bench's pools it
 * spent 3–4 % of a 5 % budget and under 1 % of 1 %, and every nat it keeps back is hours of a
 * label's evidence. So the campaign's numbers are simulated under "not labelled", each on its own
 * hours with its own calls: a true level drawn from the campaign's prior (levels.ts: the spread
 * its numbers show), each hour's rate off by the error its peers' reading has (expectation.ts),
 * answers drawn, and the whole check run on them (the level read from the simulated first days
 * and again as the window goes, the CUSUM). One shift δ on every member's threshold is then
 * solved so that the share of simulated numbers whose statistic ever crosses its threshold is
 * `SPEND` (0.8) of the rate asked. Everything it draws from is read from the data (calls, peers' rates, their
 * errors, the level prior); nothing is set on a simulated pool.
 */

export interface NullMember {
  hours: readonly HourCount[];
  /** Each hour's peer-expected rate before the level, and its relative error's parts. */
  base: readonly number[];
  hourErrors: HourErrors | undefined;
  /** The level: its prior, and where it is read from (hours before `fromIndex`), read again when `online`. */
  prior: LevelPrior;
  fromIndex: number;
  online: boolean;
  suspectAt: number;
  /** The false-alarm rate this member's test is held to. */
  alpha: number;
}

/**
 * The share of the rate asked that the simulated numbers are set to cross at. The simulation's
 * model of a campaign (its peers' errors, its levels' spread) is close but not exact on shapes it
 * was not built on: on the bench's pools and issue 91 §4's families, clean numbers raised 0.74 to
 * 1.1 × the simulated rate. Aimed at 0.8 of the rate asked, they raise 0.6 to 0.9 of it: within
 * the half-to-all the check promises (issue 91 §4), at a cost of ln(1 / 0.8) = 0.22 nats.
 */
export const SPEND = 0.8;

/** Simulated numbers per campaign: enough that the rate asked is some 60 crossings, within bounds. */
export function samplesFor(alpha: number): number {
  return Math.min(20_000, Math.max(2_000, Math.ceil(60 / alpha)));
}

const FLOOR = 0.002;
const clampRate = (p: number): number => Math.min(1 - FLOOR, Math.max(FLOOR, p));

/** A stream of standard normal draws (Box–Muller; each pair's second kept for the next call). */
function normalsOf(u: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const z = spare;
      spare = undefined;
      return z;
    }
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    const t = 2 * Math.PI * u();
    spare = r * Math.sin(t);
    return r * Math.cos(t);
  };
}

/** A binomial draw by inversion (a normal one over 200 calls). */
function binomial(n: number, p: number, u: () => number, normal: () => number): number {
  if (n <= 0) return 0;
  if (n > 200) return Math.min(n, Math.max(0, Math.round(n * p + Math.sqrt(n * p * (1 - p)) * normal())));
  const q = 1 - p;
  let pmf = q ** n;
  let cdf = pmf;
  const x = u();
  let k = 0;
  const r = p / q;
  while (x > cdf && k < n) {
    pmf *= (r * (n - k)) / (k + 1);
    k += 1;
    cdf += pmf;
  }
  return k;
}

/**
 * A number's true level, drawn: about the campaign's centre (itself read with its noise), with a
 * spread drawn again from what it was read from (the observed variance of n numbers is a χ² of
 * n − 1 degrees: the true one may be wider than the reading, and a number whose level was shrunk
 * too far towards the centre raises false alarms the reading alone does not foresee).
 */
function trueLevel(prior: LevelPrior, normal: () => number): number {
  let variance = prior.pseudo !== undefined ? 1 / prior.pseudo : prior.spread;
  if (
    prior.observed !== undefined &&
    prior.noise !== undefined &&
    prior.numbers !== undefined &&
    prior.numbers > 2
  ) {
    const df = prior.numbers - 1;
    let chi = 0;
    if (df <= 60) for (let k = 0; k < df; k++) chi += normal() ** 2;
    else chi = Math.max(1, df + Math.sqrt(2 * df) * normal());
    variance = Math.max(0, (prior.observed * df) / Math.max(chi, 1e-9) - prior.noise);
  }
  const centre = prior.centre + Math.sqrt(prior.centreNoise) * normal();
  return Math.min(1.5, Math.max(0.5, centre + Math.sqrt(variance) * normal()));
}

/** A member's hours in typed arrays, read once per simulation (the hot loop reads only these). */
interface Packed {
  calls: Int32Array;
  base: Float64Array;
  own: Float64Array | undefined;
  day: Float64Array;
  ofDay: Float64Array;
  dayIndex: Int32Array;
  hourOfDay: Int32Array;
  days: number;
}

function packed(m: NullMember): Packed {
  const n = m.hours.length;
  const firstDay = Math.floor((m.hours[0]?.hour ?? 0) / 24);
  const e = m.hourErrors;
  const out: Packed = {
    calls: Int32Array.from(m.hours, (h) => h.calls),
    base: Float64Array.from(m.base),
    own: e ? Float64Array.from(e.own) : undefined,
    day: e ? Float64Array.from(e.day) : new Float64Array(n),
    ofDay: e ? Float64Array.from(e.ofDay) : new Float64Array(n),
    dayIndex: Int32Array.from(m.hours, (h) => Math.floor(h.hour / 24) - firstDay),
    hourOfDay: Int32Array.from(m.hours, (h) => h.hour % 24),
    days: 0,
  };
  for (const d of out.dayIndex) out.days = Math.max(out.days, d + 1);
  return out;
}

/** Reused buffers of one simulation: answers, and the day's and hour of day's shared draws. */
interface Scratch {
  answered: Int32Array;
  dayDraw: Float64Array;
  dayStamp: Int32Array;
  ofDayDraw: Float64Array;
  ofDayStamp: Int32Array;
  stamp: number;
}

/**
 * One simulated run of a member: its statistic's highest less its threshold. The CUSUM is
 * `cusumMaximum` (cusum.ts): runCusum's arithmetic without its path, on typed arrays — the same
 * draws in the same order and the same sums as before, so the same excess to the last bit.
 */
function excess(
  m: NullMember,
  pack: Packed,
  ratio: number,
  u: () => number,
  normal: () => number,
  scratch: Scratch,
): number {
  const level = trueLevel(m.prior, normal);
  let answered = 0;
  let expected = 0;
  let calls = 0;
  // The peers' day and hour of day are read once for all their hours: one draw each, shared.
  scratch.stamp += 1;
  const stamp = scratch.stamp;
  const { dayDraw, dayStamp, ofDayDraw, ofDayStamp } = scratch;
  const { own, calls: callsOf, base: baseOf, dayIndex, hourOfDay, day, ofDay } = pack;
  const out = scratch.answered;
  const n = m.hours.length;
  const fromIndex = m.fromIndex;
  for (let i = 0; i < n; i++) {
    const c = callsOf[i] as number;
    const base = baseOf[i] as number;
    let error = 0;
    if (own) {
      const first = (own[i] as number) * normal();
      const d = dayIndex[i] as number;
      if (dayStamp[d] !== stamp) {
        dayStamp[d] = stamp;
        dayDraw[d] = normal();
      }
      const o = hourOfDay[i] as number;
      const second = (day[i] as number) * (dayDraw[d] as number);
      if (ofDayStamp[o] !== stamp) {
        ofDayStamp[o] = stamp;
        ofDayDraw[o] = normal();
      }
      error = first + second + (ofDay[i] as number) * (ofDayDraw[o] as number);
    }
    const p = clampRate(base * level * (1 + error));
    const a = binomial(c, p, u, normal);
    out[i] = a;
    if (i < fromIndex) {
      answered += a;
      calls += c;
      expected += c * base;
    }
  }
  const first = readLevel({ answered, expected, calls }, m.prior);
  const reading: LevelReading | undefined = m.online
    ? { base: m.base, fromIndex: m.fromIndex, prior: m.prior }
    : undefined;
  return cusumMaximum(pack.calls, scratch.answered, n, pack.base, first, ratio, reading) - m.suspectAt;
}

/**
 * δ for a campaign's members (added to each one's threshold), solved on simulated numbers; one
 * step per 200 simulated numbers (a caller bounded by a signal looks at it between steps).
 */
export function* nullShift(
  members: readonly NullMember[],
  ratio: number,
  seedText: string,
): Generator<void, number> {
  if (members.length === 0) return 0;
  const alpha = members.reduce((s, m) => s + m.alpha, 0) / members.length;
  const samples = samplesFor(alpha);
  const u = seededUniform(hashSeed(80, seedText));
  const normal = normalsOf(u);
  const packs = members.map(packed);
  const longest = Math.max(...members.map((m) => m.hours.length));
  const days = Math.max(1, ...packs.map((p) => p.days));
  const scratch: Scratch = {
    answered: new Int32Array(longest),
    dayDraw: new Float64Array(days),
    dayStamp: new Int32Array(days),
    ofDayDraw: new Float64Array(24),
    ofDayStamp: new Int32Array(24),
    stamp: 0,
  };
  const excesses = new Float64Array(samples);
  for (let k = 0; k < samples; k++) {
    const i = k % members.length;
    excesses[k] = excess(members[i] as NullMember, packs[i] as Packed, ratio, u, normal, scratch);
    if (k % 200 === 199) yield;
  }
  excesses.sort().reverse();
  // The shift at which `alpha` of the simulated numbers cross: between the k-th and (k+1)-th highest.
  const k = Math.max(1, Math.round(SPEND * alpha * samples));
  const at = ((excesses[k - 1] as number) + (excesses[k] ?? (excesses[k - 1] as number))) / 2;
  return Number.isFinite(at) ? at : 0;
}
