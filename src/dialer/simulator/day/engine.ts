import {
  answerRateAt,
  calendarDayOf,
  presentAt,
  type Scenario,
  staffingChanges,
} from "../../pacing/scenario.ts";
import {
  emptyCounts,
  lineHeadroom,
  type PacingController,
  type PacingCounts,
  type PacingObservation,
} from "../../pacing/types.ts";
import { EventHeap } from "../des/event-heap.ts";
import { Random } from "../des/prng.ts";
import { columnsOf, SlotPool } from "../engine-parts/slot-pool.ts";
import { WaitingCalls } from "../engine-parts/waiting-calls.ts";
import {
  countGap,
  type DaySeries,
  type DaysResult,
  newDaySeries,
  newDaysResult,
  SERIES_SECONDS,
  seriesCounts,
} from "./result.ts";
import { draw, noiseFactor, streamSeed } from "./sample.ts";

export { type DaySeries, type DaysResult, SERIES_SECONDS } from "./result.ts";

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
 * (time, int) in a typed-array heap, calls and agents live in typed arrays.
 *
 * `DayEngine` holds one run: `runDay` opens a day and dispatches its events, one short method
 * per kind of event; result.ts is what it fills.
 */
/** Event kinds (the low 3 bits of an event's payload; the rest is a call slot or an agent). */
const EV_TICK = 0;
const EV_LIVE = 1;
const EV_SCREENED = 2;
const EV_RINGOUT = 3;
const EV_DEADLINE = 4;
const EV_TALK_END = 5;
const EV_WRAP_END = 6;
const EV_STAFF = 7;

/** callHuman: what answered a call (0 also stands for a call nobody answered). */
const MACHINE = 0;
const PERSON = 1;
/** A machine the detector passed on as live. */
const MACHINE_PASSED = 2;
/** A person the detector took for a machine (hung up on: abandoned). */
const PERSON_HUNG_UP = 3;

/** A slot's call: free, ringing or being screened, ready and waiting, connected to an agent. */
const CALL_FREE = 0;
const CALL_RINGING = 1;
const CALL_WAITING = 2;
const CALL_CONNECTED = 3;

/** An agent: logged off, idle, talking, in wrap-up. */
const AGENT_OFF = 0;
const AGENT_IDLE = 1;
const AGENT_TALK = 2;
const AGENT_WRAP = 3;

/** An agent who hears a machine passed on as live marks it and moves on. */
const MACHINE_HANDLE_SECONDS = 5;

export interface DayRunOptions {
  /** Replication seed: with the day index it seeds every stream. */
  seed: number;
  /** Index of the first day (streams differ per day). Default 0. */
  firstDay?: number;
  /** Days to simulate (default: the scenario's). */
  days?: number;
  /** Record a 5-minute series (ratio, answer rate, abandonment) of each day. */
  series?: boolean;
  /** Tick length in seconds (default 1). */
  tickSeconds?: number;
}

export function simulateDays(
  scenario: Scenario,
  controller: PacingController,
  options: DayRunOptions,
): DaysResult {
  const engine = new DayEngine(scenario, controller, options);
  for (let d = 0; d < engine.result.days; d++) engine.runDay(d);
  return engine.result;
}

class DayEngine {
  readonly result: DaysResult;
  private readonly scenario: Scenario;
  private readonly controller: PacingController;
  private readonly options: DayRunOptions;
  private readonly tick: number;
  private readonly agents: number;
  private readonly startSecond: number;
  private readonly endSecond: number;
  private readonly connectWithin: number;
  private readonly changes: number[];
  private readonly heap: EventHeap;

  // What the controller sees: its observation object and counts are reused every tick.
  private readonly counts: PacingCounts = emptyCounts();
  private readonly busyElapsed: Float64Array;
  private readonly obs: PacingObservation;
  private readonly wantsElapsed: boolean;

  // Calls, by slot: what answered (MACHINE…), when it was ready for an agent (identifies its
  // occupancy of the slot in the queue), its deadline, when it was answered (a person's connect
  // clock starts at the greeting) and its ring time.
  private readonly slots: SlotPool<{
    state: Uint8Array;
    human: Uint8Array;
    ready: Float64Array;
    deadline: Float64Array;
    answer: Float64Array;
    ring: Float64Array;
  }>;
  private readonly queue = new WaitingCalls(256);

  // Agents.
  private readonly agentState: Uint8Array;
  private readonly agentCall: Int32Array;
  private readonly agentSince: Float64Array;
  private readonly agentIdleSince: Float64Array;
  private readonly idleStack: Int32Array;
  private idleCount = 0;
  private loggedIn = 0;
  private leaving = 0;
  private talking = 0;
  private wrapping = 0;

  // The day: its random streams, its noise, where it is in the calendar and the result.
  private dialRandom = new Random(0);
  private talkRandom = new Random(0);
  private wrapRandom = new Random(0);
  private patienceRandom = new Random(0);
  private answerFactor = 1;
  private handleFactor = 1;
  private calendarDay = -1;
  private dayEpoch = 0;
  private minuteBase = 0;
  private series: DaySeries | undefined;

  // The day's calls in progress and its figures.
  private ringing = 0;
  private waiting = 0;
  private connected = 0;
  private lastTime = 0;
  private lastTick = 0;
  private presentIntegral = 0;
  private busyIntegral = 0;
  private talkSum = 0;
  private lives = 0;
  private abandons = 0;
  private connects = 0;
  private dials = 0;

  constructor(scenario: Scenario, controller: PacingController, options: DayRunOptions) {
    this.scenario = scenario;
    this.controller = controller;
    this.options = options;
    this.tick = options.tickSeconds ?? 1;
    const { agents, startSecond, endSecond, limits } = scenario;
    this.agents = agents;
    this.startSecond = startSecond;
    this.endSecond = endSecond;
    this.connectWithin = limits.connectWithinSeconds;
    this.changes = staffingChanges(scenario);
    const days = options.days ?? scenario.days;
    this.result = newDaysResult(days, Math.ceil((endSecond - startSecond) / 60), options.series === true);

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

    this.heap = new EventHeap(8 * agents * limits.maxLinesPerAgent + 1024);
    const capacity = Math.ceil(agents * limits.maxLinesPerAgent) + 64;
    this.slots = new SlotPool(
      capacity,
      columnsOf(capacity, {
        state: Uint8Array,
        human: Uint8Array,
        ready: Float64Array,
        deadline: Float64Array,
        answer: Float64Array,
        ring: Float64Array,
      }),
    );
    this.agentState = new Uint8Array(agents);
    this.agentCall = new Int32Array(agents);
    this.agentSince = new Float64Array(agents);
    this.agentIdleSince = new Float64Array(agents);
    this.idleStack = new Int32Array(agents);
  }

  /** Simulates day `d` of the run, from opening to the last call's end, into the result. */
  runDay(d: number): void {
    this.openDay(d);
    const { heap, result } = this;
    while (heap.size > 0) {
      const t = heap.peekTime();
      const payload = heap.pop();
      const id = payload >>> 3;
      result.events++;
      this.advance(t);
      switch (payload & 7) {
        case EV_TICK:
          this.onTick(t);
          break;
        case EV_LIVE:
          this.liveReady(id, t);
          break;
        case EV_SCREENED:
          this.onScreened(id, t);
          break;
        case EV_RINGOUT:
          this.ringing--;
          this.counts.unanswered++;
          this.release(id);
          break;
        case EV_DEADLINE:
          this.onDeadline(id, t);
          break;
        case EV_TALK_END:
          this.onTalkEnd(id, t);
          break;
        case EV_WRAP_END:
          this.wrapping--;
          this.handled(id, t);
          break;
        case EV_STAFF:
          this.staffTo(presentAt(this.scenario, t), t);
          break;
      }
    }
    this.closeDay(d);
  }

  /** The day's streams, noise and calendar; the agents present at opening idle, no call. */
  private openDay(d: number): void {
    const { scenario, options, agents, startSecond, result } = this;
    const dayIndex = (options.firstDay ?? 0) + d;
    this.dialRandom = new Random(streamSeed(options.seed, dayIndex, 1));
    this.talkRandom = new Random(streamSeed(options.seed, dayIndex, 2));
    this.wrapRandom = new Random(streamSeed(options.seed, dayIndex, 3));
    this.patienceRandom = new Random(streamSeed(options.seed, dayIndex, 4));
    // The day's noise: one lognormal factor (mean 1) on the answer rates, one on handle times.
    const noiseRandom = new Random(streamSeed(options.seed, dayIndex, 5));
    this.answerFactor = noiseFactor(scenario.noiseAnswerRate, noiseRandom);
    this.handleFactor = noiseFactor(scenario.noiseHandle, noiseRandom);
    this.calendarDay =
      d === 0 ? calendarDayOf(scenario, dayIndex) : nextDialingDay(scenario, this.calendarDay);
    result.calendarDays[d] = this.calendarDay;
    this.dayEpoch = this.calendarDay * 86_400;
    this.minuteBase = d * result.minutes;

    this.slots.reset();
    this.queue.clear();
    this.idleCount = 0;
    this.leaving = 0;
    this.talking = 0;
    this.wrapping = 0;
    this.ringing = 0;
    this.waiting = 0;
    this.connected = 0;
    this.lastTime = startSecond;
    this.presentIntegral = 0;
    this.busyIntegral = 0;
    this.talkSum = 0;
    this.lives = 0;
    this.abandons = 0;
    this.connects = 0;
    this.dials = 0;
    this.lastTick = startSecond;

    const initial = Math.round(presentAt(scenario, startSecond) * agents);
    for (let a = 0; a < agents; a++) {
      this.agentState[a] = AGENT_OFF;
      this.agentSince[a] = startSecond;
      this.agentIdleSince[a] = startSecond;
    }
    for (let a = 0; a < initial; a++) {
      this.agentState[a] = AGENT_IDLE;
      this.idleStack[this.idleCount++] = a;
    }
    this.loggedIn = initial;

    this.series = options.series
      ? newDaySeries(Math.ceil((this.endSecond - startSecond) / SERIES_SECONDS))
      : undefined;
    this.heap.push(startSecond, EV_TICK);
    for (let i = 0; i < this.changes.length; i++) this.heap.push(this.changes[i] as number, EV_STAFF);
  }

  private closeDay(d: number): void {
    const { result } = this;
    this.advance(this.endSecond);
    result.lives[d] = this.lives;
    result.abandons[d] = this.abandons;
    result.connects[d] = this.connects;
    result.dials[d] = this.dials;
    result.presentSeconds[d] = this.presentIntegral;
    result.busySeconds[d] = this.busyIntegral;
    result.talkSeconds[d] = this.talkSum;
    if (this.series && result.series) {
      seriesCounts(result, this.series, this.minuteBase);
      result.series.push(this.series);
    }
  }

  /** The index in the result's minutes of the opening-hours minute holding `t`. */
  private minuteOf(t: number): number {
    const { minutes } = this.result;
    const m = Math.floor((t - this.startSecond) / 60);
    return this.minuteBase + (m < 0 ? 0 : m >= minutes ? minutes - 1 : m);
  }

  /** Integrates agents present and busy up to `t` (within the opening hours). */
  private advance(t: number): void {
    const to = t < this.endSecond ? t : this.endSecond;
    if (to > this.lastTime) {
      const span = to - this.lastTime;
      this.presentIntegral += this.loggedIn * span;
      this.busyIntegral += (this.talking + this.wrapping) * span;
    }
    this.lastTime = t;
  }

  /** A person answered at minute m; `abandoned` when nobody will ever take the call. */
  private countLive(m: number, abandoned: boolean): void {
    const { result } = this;
    this.lives++;
    result.minuteLives[m] = (result.minuteLives[m] as number) + 1;
    if (abandoned) this.countAbandon(m);
  }

  private countAbandon(m: number): void {
    const { result } = this;
    this.abandons++;
    result.minuteAbandons[m] = (result.minuteAbandons[m] as number) + 1;
  }

  /** A controller tick: the observation, its answer (capped by the lines), the dials. */
  private onTick(t: number): void {
    const { obs, counts, controller, scenario, agents, series, startSecond } = this;
    obs.now = this.dayEpoch + t;
    obs.secondOfDay = t;
    obs.elapsed = t - this.lastTick;
    this.lastTick = t;
    obs.day = this.calendarDay;
    obs.agentsLoggedIn = this.loggedIn;
    obs.agentsReady = this.idleCount;
    obs.agentsTalking = this.talking;
    obs.agentsWrapping = this.wrapping;
    obs.agentsLeaving = this.leaving;
    obs.callsRinging = this.ringing;
    obs.callsWaiting = this.waiting;
    obs.callsConnected = this.connected;
    if (this.wantsElapsed) {
      let k = 0;
      for (let a = 0; a < agents; a++) {
        const s = this.agentState[a];
        if (s === AGENT_TALK || s === AGENT_WRAP) this.busyElapsed[k++] = t - (this.agentSince[a] as number);
      }
    }
    let n = controller.tick(obs);
    const room = lineHeadroom(obs, scenario.limits);
    if (n > room) n = room;
    counts.dials = 0;
    counts.liveAnswers = 0;
    counts.machines = 0;
    counts.unanswered = 0;
    counts.abandons = 0;
    counts.connects = 0;
    counts.handled = 0;
    counts.handleSeconds = 0;
    counts.answerSeconds = 0;
    counts.agentMachines = 0;
    // Dialled after the reset: the next tick's counts include this tick's dials.
    for (let i = 0; i < n; i++) this.dial(t);
    if (series) {
      const b = Math.floor((t - startSecond) / SERIES_SECONDS);
      if ((t - startSecond) % SERIES_SECONDS < this.tick) {
        series.ratio[b] = controller.status().ratio;
        series.answerRate[b] =
          Math.min(1, answerRateAt(scenario, t) * this.answerFactor) * (1 - scenario.machineShare);
      }
    }
    if (t + this.tick < this.endSecond) this.heap.push(t + this.tick, EV_TICK);
  }

  private dial(t: number): void {
    const { scenario, dialRandom, heap } = this;
    const slot = this.slots.alloc();
    this.slots.columns.state[slot] = CALL_RINGING;
    this.ringing++;
    this.dials++;
    this.counts.dials++;
    // A fixed number of uniforms per dial (common random numbers).
    const u = dialRandom.uniform();
    const ring = draw(scenario.ringAnswered, dialRandom);
    const uMachine = dialRandom.uniform();
    const uPass = dialRandom.uniform();
    const hold = scenario.humanDetect ? draw(scenario.humanDetect, dialRandom) : 0;
    const uHung = dialRandom.uniform();
    if (u < answerRateAt(scenario, t) * this.answerFactor) {
      this.slots.columns.answer[slot] = t + ring;
      this.slots.columns.ring[slot] = ring;
      if (uMachine < scenario.machineShare) {
        this.slots.columns.human[slot] = uPass < scenario.falsePositive ? MACHINE_PASSED : MACHINE;
        heap.push(t + ring + scenario.detectSeconds, EV_SCREENED | (slot << 3));
      } else if (uHung < scenario.liveHungUp) {
        // A person the detector takes for a machine: hung up on when a machine would be.
        this.slots.columns.human[slot] = PERSON_HUNG_UP;
        heap.push(t + ring + scenario.detectSeconds, EV_SCREENED | (slot << 3));
      } else {
        this.slots.columns.human[slot] = PERSON;
        heap.push(t + ring + hold, EV_LIVE | (slot << 3));
      }
    } else {
      this.slots.columns.human[slot] = MACHINE;
      heap.push(t + scenario.unansweredSeconds, EV_RINGOUT | (slot << 3));
    }
  }

  /** The detector's verdict on a call it screened: passed on as live, or hung up. */
  private onScreened(slot: number, t: number): void {
    const human = this.slots.columns.human[slot];
    if (human === MACHINE_PASSED) {
      this.liveReady(slot, t);
      return;
    }
    this.ringing--;
    this.counts.machines++;
    this.counts.answerSeconds += this.slots.columns.ring[slot] as number;
    if (human === PERSON_HUNG_UP) this.countLive(this.minuteOf(t), true);
    this.release(slot);
  }

  /**
   * A call the dialer classified as live is ready for an agent. A person's connect clock
   * started at the greeting (the detector's hold counts in it); a machine passed on as live
   * is given the threshold from now.
   */
  private liveReady(slot: number, t: number): void {
    const { counts, scenario } = this;
    this.ringing--;
    this.slots.columns.ready[slot] = t;
    counts.liveAnswers++;
    counts.answerSeconds += this.slots.columns.ring[slot] as number;
    const human = this.slots.columns.human[slot] === PERSON;
    const clock = human ? (this.slots.columns.answer[slot] as number) : t;
    let deadline = clock + this.connectWithin;
    if (human) {
      const m = this.minuteOf(t);
      if (scenario.patience) {
        const patience = clock + draw(scenario.patience, this.patienceRandom);
        if (patience < deadline) deadline = patience;
      }
      // Held past the threshold by the detector (or hung up meanwhile): the dialer's message.
      const tooLate = deadline <= t;
      this.countLive(m, tooLate);
      if (tooLate) {
        counts.abandons++;
        this.release(slot);
        return;
      }
    }
    if (this.idleCount > 0) {
      this.connect(slot, this.idleStack[--this.idleCount] as number, t);
      return;
    }
    this.slots.columns.state[slot] = CALL_WAITING;
    this.waiting++;
    this.queue.push(slot, t);
    this.slots.columns.deadline[slot] = deadline;
    this.heap.push(deadline, EV_DEADLINE | (slot << 3));
  }

  /** A waiting call's deadline: abandoned if it still waits (else the entry is stale). */
  private onDeadline(slot: number, t: number): void {
    if (this.slots.columns.state[slot] !== CALL_WAITING || this.slots.columns.deadline[slot] !== t) return;
    this.waiting--;
    this.counts.abandons++;
    if (this.slots.columns.human[slot] === PERSON)
      this.countAbandon(this.minuteOf(this.slots.columns.ready[slot] as number));
    this.release(slot);
  }

  private connect(slot: number, agent: number, t: number): void {
    this.slots.columns.state[slot] = CALL_CONNECTED;
    this.connected++;
    this.agentState[agent] = AGENT_TALK;
    this.agentCall[agent] = slot;
    this.agentSince[agent] = t;
    this.talking++;
    this.counts.connects++;
    countGap(this.result, t - (this.agentIdleSince[agent] as number));
    let talk: number;
    if (this.slots.columns.human[slot] === PERSON) {
      this.connects++;
      talk = draw(this.scenario.talk, this.talkRandom) * this.handleFactor;
      this.talkSum += talk;
    } else talk = MACHINE_HANDLE_SECONDS;
    this.heap.push(t + talk, EV_TALK_END | (agent << 3));
  }

  private onTalkEnd(agent: number, t: number): void {
    const slot = this.agentCall[agent] as number;
    const human = this.slots.columns.human[slot] === PERSON;
    if (this.slots.columns.human[slot] === MACHINE_PASSED)
      this.counts.agentMachines = (this.counts.agentMachines ?? 0) + 1;
    this.connected--;
    this.release(slot);
    this.talking--;
    const wrap = human ? draw(this.scenario.wrap, this.wrapRandom) * this.handleFactor : 0;
    if (wrap > 0) {
      this.agentState[agent] = AGENT_WRAP;
      this.wrapping++;
      this.heap.push(t + wrap, EV_WRAP_END | (agent << 3));
    } else this.handled(agent, t);
  }

  /** A call handled (talk and wrap over): counted, and the agent is free. */
  private handled(agent: number, t: number): void {
    this.counts.handled++;
    this.counts.handleSeconds += t - (this.agentSince[agent] as number);
    this.agentFree(agent, t);
  }

  private release(slot: number): void {
    this.slots.columns.state[slot] = CALL_FREE;
    this.slots.release(slot);
  }

  /** An agent free again: leave if the staffing says so, else serve the queue's head or go idle. */
  private agentFree(agent: number, t: number): void {
    if (this.leaving > 0) {
      this.leaving--;
      this.loggedIn--;
      this.agentState[agent] = AGENT_OFF;
      return;
    }
    const { columns } = this.slots;
    const slot = this.queue.nextWaiting(columns.state, CALL_WAITING, columns.ready);
    if (slot >= 0) {
      this.waiting--;
      this.agentIdleSince[agent] = t;
      this.connect(slot, agent, t);
      return;
    }
    this.agentState[agent] = AGENT_IDLE;
    this.agentIdleSince[agent] = t;
    this.idleStack[this.idleCount++] = agent;
  }

  /** A staffing change: idle agents leave at once, busy ones after their call; others log in. */
  private staffTo(present: number, t: number): void {
    const { agents } = this;
    const want = Math.round(present * agents);
    let have = this.loggedIn - this.leaving;
    if (want < have) {
      while (have > want && this.idleCount > 0) {
        const agent = this.idleStack[--this.idleCount] as number;
        this.agentState[agent] = AGENT_OFF;
        this.loggedIn--;
        have--;
      }
      this.leaving += have - want;
    } else if (want > have) {
      const back = Math.min(this.leaving, want - have);
      this.leaving -= back;
      have += back;
      for (let a = 0; a < agents && have < want; a++) {
        if (this.agentState[a] !== AGENT_OFF) continue;
        this.loggedIn++;
        have++;
        this.agentFree(a, t);
      }
    }
  }
}

/** The calendar day of the next dialing day after `calendar`. */
function nextDialingDay(scenario: Scenario, calendar: number): number {
  let c = calendar + 1;
  while (!scenario.dialingWeekdays[(scenario.firstWeekday + c) % 7]) c++;
  return c;
}
