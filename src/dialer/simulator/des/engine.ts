import { type EventHandler, handlerTable, runEvents } from "../engine-parts/event-loop.ts";
import { CONTROL_INTERVAL } from "./adaptive-level.ts";
import { onAbandon, onLiveReady, onTalkEnd, onWrapEnd } from "./answering.ts";
import { onNonLiveEnd, onOpenDial, pace } from "./dialing.ts";
import { EventHeap, type EventQueue } from "./event-heap.ts";
import {
  EV_ABANDON,
  EV_CONTROL,
  EV_LIVE_READY,
  EV_NONLIVE_END,
  EV_OPEN_DIAL,
  EV_PACE,
  EV_TALK_END,
  EV_WRAP_END,
} from "./event-kinds.ts";
import { type SimParams, validateParams } from "./params.ts";
import type { SimulationResult } from "./result.ts";
import { advanceClock, DesRun } from "./run.ts";
import { summarise } from "./summary.ts";

export interface SimulateOptions {
  /** The future-event list to use (default: the typed-array binary heap). */
  queue?: (capacity: number) => EventQueue;
}

/**
 * The discrete-event simulator of an outbound campaign (seconds of simulated time).
 *
 * A dial takes a channel (trunk) and ends as live, machine, no answer or busy. A live answer,
 * after ring + greeting, goes to a free agent at once or waits; it is abandoned (dropped) when
 * no agent frees up within its patience (warm-line timeout τ). Agents talk, then wrap up.
 * Dialing policies: open-loop Poisson dials; progressive (each idle agent dials its own call);
 * predictive (keep ratio × (idle + wrapping agents) − waiting calls dials in flight); adaptive
 * (predictive with a VICIdial-style controller moving the ratio toward the abandonment target).
 *
 * Hot loop: events are (time, int) in a typed-array heap; calls and agents live in typed
 * arrays indexed by slot, so a run allocates almost nothing after start-up. The run's state is
 * one object (run.ts) that the handlers (dialing.ts, answering.ts) share.
 */
export function simulate(params: SimParams, options: SimulateOptions = {}): SimulationResult {
  const run = startRun(params, options);
  runEvents(run.heap, run.stats.end, run, advanceClock, HANDLERS);
  return endRun(run);
}

/** Events run between two looks at the signal: ~10–30 ms of work on this machine. */
const SLICE_EVENTS = 50_000;

/**
 * `simulate` for a caller with a signal (the SDK's `dialer.simulate`, issue 80 §2): the same run
 * (the same events in the same order, so the same result to the digit), in slices, yielding to
 * the event loop between them so a deadline's or `close()`'s abort can fire, and rejecting with
 * the signal's reason within one slice of it.
 */
export async function simulateUntilAborted(
  params: SimParams,
  signal: AbortSignal | undefined,
  options: SimulateOptions = {},
): Promise<SimulationResult> {
  const run = startRun(params, options);
  for (;;) {
    signal?.throwIfAborted();
    if (runEvents(run.heap, run.stats.end, run, advanceClock, HANDLERS, SLICE_EVENTS)) break;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  signal?.throwIfAborted();
  return endRun(run);
}

function startRun(params: SimParams, options: SimulateOptions): DesRun {
  validateParams(params);
  const heapCapacity = 4 * params.agents + 1024;
  const heap = options.queue ? options.queue(heapCapacity) : new EventHeap(heapCapacity);
  const run = new DesRun(params, heap);
  if (params.mode === "open") heap.push(run.random.exponential(run.openDialGap), EV_OPEN_DIAL);
  else heap.push(0, EV_PACE);
  if (run.adaptive) heap.push(CONTROL_INTERVAL, EV_CONTROL);
  return run;
}

function endRun(run: DesRun): SimulationResult {
  advanceClock(run, run.stats.end);
  return summarise(run);
}

/**
 * What each kind of event does. After an event that changed the calls or agents the paced modes
 * dial what their policy asks for now (not after an open-loop dial, nor a stale abandon).
 */
const HANDLERS = handlerTable<DesRun>([
  [EV_OPEN_DIAL, onOpenDial],
  [EV_NONLIVE_END, thenPace(onNonLiveEnd)],
  [EV_LIVE_READY, thenPace(onLiveReady)],
  [EV_ABANDON, abandonThenPace],
  [EV_TALK_END, thenPace(onTalkEnd)],
  [EV_WRAP_END, thenPace(onWrapEnd)],
  [EV_PACE, thenPace(paceDue)],
  [EV_CONTROL, thenPace(controlStep)],
]);

function thenPace(handle: EventHandler<DesRun>): EventHandler<DesRun> {
  return (run, subject, t) => {
    handle(run, subject, t);
    if (run.paced) pace(run, t);
  };
}

/** A stale abandon (the caller was served meanwhile) changed nothing: no dialing after it. */
function abandonThenPace(run: DesRun, call: number, t: number): void {
  if (onAbandon(run, call, t) && run.paced) pace(run, t);
}

/** The call spacing allows the next dial now. */
function paceDue(run: DesRun): void {
  run.pacePending = false;
}

/** The adaptive controller's step, every CONTROL_INTERVAL seconds. */
function controlStep(run: DesRun, _: number, t: number): void {
  run.level.step();
  run.heap.push(t + CONTROL_INTERVAL, EV_CONTROL);
}
