import { calendarDayOf, presentAt, type Scenario, staffingChanges } from "../../pacing/scenario.ts";
import {
  emptyCounts,
  type PacingController,
  type PacingCounts,
  type PacingLimits,
  type PacingObservation,
} from "../../pacing/types.ts";
import { EventHeap } from "../des/event-heap.ts";
import { WaitQueue } from "../engine-parts/wait-queue.ts";
import { DayAgents } from "./agents.ts";
import { DayCalls } from "./calls.ts";
import { DayStreams } from "./day-streams.ts";
import {
  type DayRunOptions,
  type DaySeries,
  type DaysResult,
  emptyDaySeries,
  emptyDaysResult,
  SERIES_SECONDS,
} from "./result.ts";
import { Sampler } from "./sample.ts";

/** Uniforms an answered dial takes besides the ring's and the hold's: the machine's, the pass's, the hang-up's. */
const ANSWERED_ONLY_UNIFORMS = 3;

/**
 * A day-simulator run's whole state, shared by its event handlers (dialing.ts, answering.ts,
 * staffing.ts, controller-tick.ts): what lasts the whole run (the scenario, the controller and
 * its observation, the heap, the call and agent tables, the result) and the current day's
 * streams, counts and time integrals, reset by `startDay`.
 */
export class DayRun {
  readonly scenario: Scenario;
  readonly controller: PacingController;
  readonly limits: PacingLimits;
  readonly startSecond: number;
  readonly endSecond: number;
  readonly tick: number;
  readonly seed: number;
  readonly firstDay: number;
  readonly result: DaysResult;
  readonly heap: EventHeap;
  readonly calls: DayCalls;
  readonly agents: DayAgents;
  readonly queue: WaitQueue;
  /** What the controller is told at a tick: counts since the last tick, states now. */
  readonly counts: PacingCounts;
  readonly obs: PacingObservation;
  readonly busyElapsed: Float64Array<ArrayBuffer>;
  readonly wantsElapsed: boolean;
  /** Seconds of the day at which the staffing changes. */
  readonly staffingChanges: number[];
  readonly connectWithin: number;
  /** The strict reading (default): a person hanging up before the threshold is abandoned. */
  readonly countHangUpsBeforeThreshold: boolean;
  readonly withSeries: boolean;
  /** The scenario's distributions, resolved once (a draw is the engine's commonest call). */
  readonly ring: Sampler;
  readonly hold: Sampler | undefined;
  readonly talk: Sampler;
  readonly wrap: Sampler;
  readonly patience: Sampler | undefined;
  /** Uniforms of the dial stream an unanswered dial steps over (all but the answer's). */
  readonly unansweredSkip: number;

  /** Events handled, over every day so far. */
  events = 0;

  // The current day.
  /** Its index among the simulated days (in the result's per-day arrays). */
  day = 0;
  streams: DayStreams;
  calendarDay = -1;
  dayEpoch = 0;
  /** This day's first index in the result's per-minute arrays. */
  minuteBase = 0;
  series: DaySeries | undefined = undefined;
  ringing = 0;
  waiting = 0;
  connected = 0;
  lastTime = 0;
  lastTick = 0;
  /** Agent-seconds present and busy today (the day's counts go straight into the result at `day`). */
  presentIntegral = 0;
  busyIntegral = 0;

  constructor(scenario: Scenario, controller: PacingController, options: DayRunOptions) {
    const { agents, limits } = scenario;
    this.scenario = scenario;
    this.controller = controller;
    this.limits = limits;
    this.startSecond = scenario.startSecond;
    this.endSecond = scenario.endSecond;
    this.tick = options.tickSeconds ?? 1;
    this.seed = options.seed;
    this.firstDay = options.firstDay ?? 0;
    const days = options.days ?? scenario.days;
    const minutes = Math.ceil((this.endSecond - this.startSecond) / 60);
    this.withSeries = options.series === true;
    this.result = emptyDaysResult(days, minutes, this.withSeries, options.ledgerCounts === true);
    this.heap = new EventHeap(8 * agents * limits.maxLinesPerAgent + 1024);
    this.calls = new DayCalls(Math.ceil(agents * limits.maxLinesPerAgent) + 64);
    this.agents = new DayAgents(agents);
    this.queue = new WaitQueue(256);
    this.counts = emptyCounts();
    this.busyElapsed = new Float64Array(agents);
    this.obs = {
      now: 0,
      secondOfDay: 0,
      elapsed: 0,
      day: 0,
      agentsLoggedIn: 0,
      agentsReady: 0,
      agentsTalking: 0,
      agentsWrapping: 0,
      agentsLeaving: 0,
      callsRinging: 0,
      callsWaiting: 0,
      callsConnected: 0,
      busyElapsed: this.busyElapsed,
      counts: this.counts,
    };
    this.wantsElapsed = controller.wantsBusyElapsed === true;
    this.staffingChanges = staffingChanges(scenario);
    this.connectWithin = limits.connectWithinSeconds;
    this.countHangUpsBeforeThreshold = scenario.countHangUpsBeforeThreshold !== false;
    this.streams = new DayStreams(this.seed, this.firstDay, scenario);
    this.ring = new Sampler(scenario.ringAnswered);
    this.hold = scenario.humanDetect ? new Sampler(scenario.humanDetect) : undefined;
    this.talk = new Sampler(scenario.talk);
    this.wrap = new Sampler(scenario.wrap);
    this.patience = scenario.patience ? new Sampler(scenario.patience) : undefined;
    this.unansweredSkip = this.ring.uniforms + (this.hold?.uniforms ?? 0) + ANSWERED_ONLY_UNIFORMS;
  }

  /**
   * Opens the `d`-th simulated day (the scenario's calendar: weekends count in the legal window
   * but are not dialed): its streams, the agents present at the opening ready, no call.
   */
  startDay(d: number): void {
    const { scenario, startSecond } = this;
    this.day = d;
    const dayIndex = this.firstDay + d;
    this.streams = new DayStreams(this.seed, dayIndex, scenario);
    this.calendarDay =
      d === 0 ? calendarDayOf(scenario, dayIndex) : nextDialingDay(scenario, this.calendarDay);
    this.result.calendarDays[d] = this.calendarDay;
    this.dayEpoch = this.calendarDay * 86_400;
    this.minuteBase = d * this.result.minutes;
    this.calls.clear();
    this.queue.clear();
    this.ringing = 0;
    this.waiting = 0;
    this.connected = 0;
    this.lastTime = startSecond;
    this.lastTick = startSecond;
    this.presentIntegral = 0;
    this.busyIntegral = 0;
    this.agents.startDay(Math.round(presentAt(scenario, startSecond) * this.agents.size), startSecond);
    this.series = this.withSeries
      ? emptyDaySeries(Math.ceil((this.endSecond - startSecond) / SERIES_SECONDS))
      : undefined;
  }

  /** The index in the result's per-minute arrays of the minute of today holding `t`. */
  minuteOf(t: number): number {
    const minutes = this.result.minutes;
    const m = Math.floor((t - this.startSecond) / 60);
    return this.minuteBase + (m < 0 ? 0 : m >= minutes ? minutes - 1 : m);
  }
}

/** Moves the clock to `t`: the agents present and busy since the last event, within the opening hours. */
export function advanceClock(run: DayRun, t: number): void {
  const to = t < run.endSecond ? t : run.endSecond;
  if (to > run.lastTime) {
    const span = to - run.lastTime;
    const agents = run.agents;
    run.presentIntegral += agents.loggedIn * span;
    run.busyIntegral += (agents.talking + agents.wrapping) * span;
  }
  run.lastTime = t;
}

/** The calendar day of the next dialing day after `calendar`. */
function nextDialingDay(scenario: Scenario, calendar: number): number {
  let c = calendar + 1;
  while (!scenario.dialingWeekdays[(scenario.firstWeekday + c) % 7]) c++;
  return c;
}
