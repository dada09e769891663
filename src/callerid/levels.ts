/**
 * Each number's own level against its peers (answers ÷ peer-expected answers over its first
 * days), read with empirical Bayes over the numbers of its campaign, and the level's error.
 *
 * Why: numbers differ by nature (area codes, local presence), so a number is held to its own
 * level; but a level read from a week's answers is itself noisy (about 5 % on 120 calls a day),
 * and that error lasts the whole window — a number read 5 % high looks labelled sooner. How much
 * to trust each number's own week depends on how much numbers really differ, which the campaign's
 * numbers show together: the spread of their raw levels is the true spread plus the reading
 * noise, so the true spread is what is left after the noise (method of moments). Each level is
 * then pulled towards the campaign's by its own noise's share (a number of few calls leans on the
 * campaign, one of many on itself), and its posterior error goes to the calibration
 * (calibration.ts), which averages the false-alarm rate over it.
 */

/** Expected answers of prior weight when the campaign has too few numbers to read the spread from. */
const LEVEL_PRIOR = 30;
/** A level is held within 1 ± this (a label is a drop of a third or more). */
export const LEVEL_RANGE = 0.2;
/** Numbers a campaign needs for its spread to be read from them; under it, LEVEL_PRIOR. */
const MIN_NUMBERS = 5;

export interface Baseline {
  answered: number;
  expected: number;
  /** The calls they are over: the reading's noise is binomial (answers ± √(a·(1 − a/calls))). */
  calls?: number;
}

export interface Level {
  /** The multiplier on the peers' expected rate. */
  level: number;
  /** Its relative standard error (the posterior's, after shrinkage). */
  error: number;
  /**
   * The campaign's prior on a number's level: its centre and variance (the numbers' true spread;
   * a campaign of under MIN_NUMBERS: 1 and 1 / LEVEL_PRIOR). The level is read again with it from
   * more of the number's days (`readLevel`), and the null simulation (null-simulation.ts) draws
   * numbers' true levels from it.
   */
  prior: LevelPrior;
}

export interface LevelPrior {
  centre: number;
  /** The variance of numbers' true levels about the centre (0: numbers alike). */
  spread: number;
  /** Under MIN_NUMBERS: shrink towards the centre by LEVEL_PRIOR expected answers instead. */
  pseudo?: number;
  /** The centre's own noise (variance), read from all the numbers. */
  centreNoise: number;
  /**
   * What the spread was read from: the raw levels' observed variance, their mean reading noise and
   * how many numbers — the spread is itself a reading of a few numbers (on 20 numbers, ± 70 %),
   * and the null simulation draws it again from them.
   */
  observed?: number;
  noise?: number;
  numbers?: number;
}

/** A number's level from its answers and peer-expected answers, with its campaign's prior. */
export function readLevel(b: Baseline, prior: LevelPrior): number {
  if (prior.pseudo !== undefined)
    return clampLevel((b.answered + prior.pseudo * prior.centre) / (b.expected + prior.pseudo));
  if (!(b.expected > 0)) return clampLevel(prior.centre);
  const v = noiseOf(b);
  const w = prior.spread / (prior.spread + v);
  return clampLevel(prior.centre + w * (clampLevel(b.answered / b.expected) - prior.centre));
}

const clampLevel = (x: number): number => Math.min(1 + LEVEL_RANGE, Math.max(1 - LEVEL_RANGE, x));

/**
 * The reading noise (variance) of a raw level: answers are a binomial count, so
 * √(answered · (1 − answered/calls)) over expected (without the calls: √answered, a little wide,
 * which read the numbers' true spread a third too narrow at an answer rate of 0.3).
 */
function noiseOf(b: Baseline): number {
  const share = b.calls !== undefined && b.calls > 0 ? Math.min(0.95, b.answered / b.calls) : 0;
  return (Math.max(1, b.answered) * (1 - share)) / Math.max(1, b.expected) ** 2;
}

/**
 * The level of one number alone (no campaign to read the spread from): shrunk towards 1 by
 * LEVEL_PRIOR expected answers, held in the range; its error is the shrunk reading noise.
 */
export function levelOf(b: Baseline): Level {
  const w = b.expected / (b.expected + LEVEL_PRIOR);
  return {
    level: clampLevel((b.answered + LEVEL_PRIOR) / (b.expected + LEVEL_PRIOR)),
    error: Math.min(LEVEL_RANGE, w * Math.sqrt(noiseOf(b))),
    prior: { centre: 1, spread: 1 / LEVEL_PRIOR, pseudo: LEVEL_PRIOR, centreNoise: 0 },
  };
}

/** The levels of a campaign's numbers (key → baseline), read together. */
export function levelsOf(baselines: ReadonlyMap<string, Baseline>): Map<string, Level> {
  const out = new Map<string, Level>();
  const read = [...baselines].filter(([, b]) => b.expected > 0);
  if (read.length < MIN_NUMBERS) {
    for (const [key, b] of baselines) out.set(key, levelOf(b));
    return out;
  }
  // Raw levels held in the range first: a number labelled before the window (a level of 0.3)
  // must not pass for a wide natural spread.
  const raw = read.map(([key, b]) => ({ key, x: clampLevel(b.answered / b.expected), v: noiseOf(b) }));
  const centre = raw.reduce((s, r) => s + r.x, 0) / raw.length;
  const observed = raw.reduce((s, r) => s + (r.x - centre) ** 2, 0) / (raw.length - 1);
  const noise = raw.reduce((s, r) => s + r.v, 0) / raw.length;
  const spread = Math.max(0, observed - noise);
  // The centre is read too (from all the numbers): its noise is what is left of a level that
  // leans on it.
  const centreNoise = noise / raw.length;
  const prior: LevelPrior = { centre, spread, centreNoise, observed, noise, numbers: raw.length };
  for (const r of raw) {
    const w = spread / (spread + r.v);
    const error = Math.sqrt(w * r.v + (1 - w) ** 2 * centreNoise);
    out.set(r.key, {
      level: clampLevel(centre + w * (r.x - centre)),
      error: Math.min(LEVEL_RANGE, error),
      prior,
    });
  }
  for (const [key, b] of baselines) if (!out.has(key)) out.set(key, levelOf(b));
  return out;
}
