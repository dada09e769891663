import type { Scenario } from "../../pacing/scenario.ts";
import { Random } from "../des/prng.ts";
import { streamSeed } from "./sample.ts";

/**
 * One day's random numbers: a stream each for dials, talk times, wraps and patience (common
 * random numbers: the k-th of each is the same whichever controller runs), and the day's noise,
 * one lognormal factor (mean 1) on the answer rates and one on handle times.
 */
export class DayStreams {
  readonly dial: Random;
  readonly talk: Random;
  readonly wrap: Random;
  readonly patience: Random;
  readonly answerFactor: number;
  readonly handleFactor: number;

  constructor(seed: number, dayIndex: number, scenario: Scenario) {
    this.dial = new Random(streamSeed(seed, dayIndex, 1));
    this.talk = new Random(streamSeed(seed, dayIndex, 2));
    this.wrap = new Random(streamSeed(seed, dayIndex, 3));
    this.patience = new Random(streamSeed(seed, dayIndex, 4));
    const noise = new Random(streamSeed(seed, dayIndex, 5));
    this.answerFactor = noiseFactor(scenario.noiseAnswerRate, noise);
    this.handleFactor = noiseFactor(scenario.noiseHandle, noise);
  }
}

/** A lognormal factor of mean 1 and coefficient of variation `cv` (1 when cv is 0); two uniforms. */
function noiseFactor(cv: number, random: Random): number {
  const u1 = random.uniform();
  const u2 = random.uniform();
  if (cv <= 0) return 1;
  const sigma2 = Math.log(1 + cv * cv);
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.exp(-sigma2 / 2 + Math.sqrt(sigma2) * z);
}
