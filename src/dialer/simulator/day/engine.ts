import type { Scenario } from "../../pacing/scenario.ts";
import type { PacingController } from "../../pacing/types.ts";
import { handlerTable, runEvents } from "../engine-parts/event-loop.ts";
import { liveReady, onDeadline, onTalkEnd, onWrapEnd } from "./answering.ts";
import { onTick } from "./controller-tick.ts";
import { onRingOut, onScreened } from "./dialing.ts";
import {
  EV_DEADLINE,
  EV_LIVE,
  EV_RINGOUT,
  EV_SCREENED,
  EV_STAFF,
  EV_TALK_END,
  EV_TICK,
  EV_WRAP_END,
} from "./event-kinds.ts";
import { type DayRunOptions, type DaysResult, fillSeriesCounts } from "./result.ts";
import { advanceClock, DayRun } from "./run.ts";
import { onStaffingChange } from "./staffing.ts";

export { type DayRunOptions, type DaySeries, type DaysResult, SERIES_SECONDS } from "./result.ts";

/**
 * The day simulator: one campaign's consecutive days under a pacing controller, in seconds.
 *
 * Each dialing day (the scenario's calendar: `obs.day` is the calendar day, so weekends count in
 * the legal window) opens with the agents present idle and no call in progress. Every second the
 * controller is given an observation (what a dialer sees: counts since the last tick, agent
 * states, calls in progress) and answers how many calls to place; the simulator caps that at
 * `maxLinesPerAgent`. A call is answered with the answer-rate curve's probability at its dial
 * time (× the day's noise factor), after a lognormal ring; otherwise it rings out. Of the
 * answers, `machines.share` are machines, screened for `detectSeconds` and hung up, except
 * `falsePositive` of them that are passed on as live (an agent hears the machine and marks it:
 * `agentMachines`). A live person is held by the detector for `humanDetect` after the greeting,
 * and `liveHungUp` of them are taken for machines and hung up on (abandoned people, unseen by
 * the dialer). A live person not connected to an agent within `connectWithinSeconds` of the
 * greeting — the detector's hold included — is abandoned (with patience, the caller may hang up
 * sooner). Outcomes are told to the controller when they happen, never at dial time. Staffing
 * follows the scenario (windows, login ramp, breaks): leaving agents finish their call first.
 *
 * Common random numbers: the outcome of the k-th dial of a day, the k-th talk time, the k-th
 * wrap and the k-th patience come from their own streams with a fixed number of uniforms per
 * draw, so two controllers face the same calls. The hot loop allocates nothing: events are
 * (time, int) in a typed-array heap, calls and agents live in typed arrays. The run's state is
 * one object (run.ts) that the handlers share.
 */
export function simulateDays(
  scenario: Scenario,
  controller: PacingController,
  options: DayRunOptions,
): DaysResult {
  const run = new DayRun(scenario, controller, options);
  for (let d = 0; d < run.result.days; d++) {
    run.startDay(d);
    runDay(run);
    finishDay(run, d);
  }
  return run.result;
}

/** Runs the day's events until none is left (the last tick is before the closing). */
function runDay(run: DayRun): void {
  const heap = run.heap;
  heap.push(run.startSecond, EV_TICK);
  const changes = run.staffingChanges;
  for (let i = 0; i < changes.length; i++) heap.push(changes[i] as number, EV_STAFF);
  runEvents(heap, Number.POSITIVE_INFINITY, run, advanceClock, HANDLERS);
  advanceClock(run, run.endSecond);
}

/** What each kind of event does. */
const HANDLERS = handlerTable<DayRun>([
  [EV_TICK, onTick],
  [EV_LIVE, liveReady],
  [EV_SCREENED, onScreened],
  [EV_RINGOUT, onRingOut],
  [EV_DEADLINE, onDeadline],
  [EV_TALK_END, onTalkEnd],
  [EV_WRAP_END, onWrapEnd],
  [EV_STAFF, onStaffingChange],
]);

function finishDay(run: DayRun, d: number): void {
  const result = run.result;
  result.events = run.events;
  result.presentSeconds[d] = run.presentIntegral;
  result.busySeconds[d] = run.busyIntegral;
  if (run.series && result.series) {
    fillSeriesCounts(result, run.series, run.minuteBase);
    result.series.push(run.series);
  }
}
