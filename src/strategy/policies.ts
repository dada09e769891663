import { HOUR_MS } from "../core/time-units.ts";
import type { Policy, SimState } from "./simulate.ts";
import { attemptMs, slotAt, trueRate } from "./world.ts";

/**
 * The strategies the bench compares (issue 55 §4), all behind the same dialer, capacity and
 * attempts per record. The baselines are what a CXone skill does today: retry after the skill's
 * minimum retry minutes whatever the hour, or NICE's advice of 27/29/31-hour rests so the next
 * call lands at another hour. The oracle knows each contact's true profile (the upper bound).
 */

const NEVER = Number.NEGATIVE_INFINITY;

const restedFor = (state: SimState, c: number, atMs: number, restMs: number) =>
  state.lastMs[c] === NEVER || atMs >= (state.lastMs[c] as number) + restMs;

/** Rested the list's shortest retry interval (every policy's rest but its own). */
const restedMinimum: Policy["eligible"] = (world, state, c, h) =>
  restedFor(state, c, attemptMs(world, c, h), world.population.spec.minRetryMinutes * 60_000);

/** First come, first served: never-called contacts, then whoever has waited longest. */
export function hourAgnostic(): Policy {
  return {
    name: "hour-agnostic",
    gated: true,
    eligible: restedMinimum,
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
    eligible: restedMinimum,
    score: (world, _state, c, h) => trueRate(world, c, slotAt(world, c, h)),
  };
}
