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
  type PacingObservation,
} from "../../pacing/types.ts";
import { EventHeap } from "../des/event-heap.ts";
import { Random } from "../des/prng.ts";
import { grown, SlotPool } from "../engine-parts/slot-pool.ts";
import { WaitingCalls } from "../engine-parts/waiting-calls.ts";
import { draw, streamSeed } from "./sample.ts";

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
 */
const EV_TICK = 0;
const EV_LIVE = 1;
const EV_SCREENED = 2;
const EV_RINGOUT = 3;
const EV_DEADLINE = 4;
const EV_TALK_END = 5;
const EV_WRAP_END = 6;
const EV_STAFF = 7;

const CALL_FREE = 0;
const CALL_RINGING = 1;
const CALL_WAITING = 2;
const CALL_CONNECTED = 3;

const AGENT_OFF = 0;
const AGENT_IDLE = 1;
const AGENT_TALK = 2;
const AGENT_WRAP = 3;

/** An agent who hears a machine passed on as live marks it and moves on. */
const MACHINE_HANDLE_SECONDS = 5;
/** Idle-gap histogram: 0.25 s bins up to 15 minutes. */
const GAP_BIN = 0.25;
const GAP_BINS = 3600;
/** Series resolution for the report. */
export const SERIES_SECONDS = 300;

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

export interface DaySeries {
  /** Per 5-minute bin: the controller's ratio, the true answer rate, live answers, abandons. */
  ratio: number[];
  answerRate: number[];
  lives: number[];
  abandons: number[];
}

export interface DaysResult {
  days: number;
  /** Per day (true people, not the dialer's classification). */
  lives: Float64Array;
  abandons: Float64Array;
  connects: Float64Array;
  dials: Float64Array;
  /** Calendar day (days since the campaign's first day) of each simulated day. */
  calendarDays: Int32Array;
  /** Agent-seconds present and busy (talk + wrap) within the opening hours, per day. */
  presentSeconds: Float64Array;
  busySeconds: Float64Array;
  talkSeconds: Float64Array;
  /** Per day × minute of the opening hours: live answers and abandons by the minute they were answered. */
  minutes: number;
  minuteLives: Float64Array;
  minuteAbandons: Float64Array;
  /** Idle gaps of agents between calls: histogram in 0.25 s bins (last bin: longer). */
  gapHistogram: Float64Array;
  gapSum: number;
  gapCount: number;
  events: number;
  series?: DaySeries[];
}

export function simulateDays(
  scenario: Scenario,
  controller: PacingController,
  options: DayRunOptions,
): DaysResult {
  const days = options.days ?? scenario.days;
  const firstDay = options.firstDay ?? 0;
  const tick = options.tickSeconds ?? 1;
  const limits = scenario.limits;
  const { agents, startSecond, endSecond } = scenario;
  const minutes = Math.ceil((endSecond - startSecond) / 60);
  const result: DaysResult = {
    days,
    lives: new Float64Array(days),
    abandons: new Float64Array(days),
    connects: new Float64Array(days),
    dials: new Float64Array(days),
    calendarDays: new Int32Array(days),
    presentSeconds: new Float64Array(days),
    busySeconds: new Float64Array(days),
    talkSeconds: new Float64Array(days),
    minutes,
    minuteLives: new Float64Array(days * minutes),
    minuteAbandons: new Float64Array(days * minutes),
    gapHistogram: new Float64Array(GAP_BINS + 1),
    gapSum: 0,
    gapCount: 0,
    events: 0,
  };
  if (options.series) result.series = [];

  const counts = emptyCounts();
  const busyElapsed = new Float64Array(agents);
  const obs: PacingObservation = {
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
    busyElapsed,
    counts,
  };
  const wantsElapsed = controller.wantsBusyElapsed === true;

  const heap = new EventHeap(8 * agents * limits.maxLinesPerAgent + 1024);
  const capacity = Math.ceil(agents * limits.maxLinesPerAgent) + 64;
  let callState = new Uint8Array(capacity);
  let callHuman = new Uint8Array(capacity);
  let callReady = new Float64Array(capacity);
  let callDeadline = new Float64Array(capacity);
  let callAnswer = new Float64Array(capacity);
  let callRing = new Float64Array(capacity);
  const slots = new SlotPool(capacity, (bigger) => {
    callState = grown(callState, bigger);
    callHuman = grown(callHuman, bigger);
    callReady = grown(callReady, bigger);
    callDeadline = grown(callDeadline, bigger);
    callAnswer = grown(callAnswer, bigger);
    callRing = grown(callRing, bigger);
  });
  const agentState = new Uint8Array(agents);
  const agentCall = new Int32Array(agents);
  const agentSince = new Float64Array(agents);
  const agentIdleSince = new Float64Array(agents);
  const idleStack = new Int32Array(agents);
  const queue = new WaitingCalls(256);
  const changes = staffingChanges(scenario);
  const humanDetect = scenario.humanDetect;
  const connectWithin = limits.connectWithinSeconds;
  let calendarDay = -1;

  for (let d = 0; d < days; d++) {
    const dayIndex = firstDay + d;
    const dialRandom = new Random(streamSeed(options.seed, dayIndex, 1));
    const talkRandom = new Random(streamSeed(options.seed, dayIndex, 2));
    const wrapRandom = new Random(streamSeed(options.seed, dayIndex, 3));
    const patienceRandom = new Random(streamSeed(options.seed, dayIndex, 4));
    // The day's noise: one lognormal factor (mean 1) on the answer rates, one on handle times.
    const noiseRandom = new Random(streamSeed(options.seed, dayIndex, 5));
    const answerFactor = noiseFactor(scenario.noiseAnswerRate, noiseRandom);
    const handleFactor = noiseFactor(scenario.noiseHandle, noiseRandom);
    calendarDay = d === 0 ? calendarDayOf(scenario, dayIndex) : nextDialingDay(scenario, calendarDay);
    result.calendarDays[d] = calendarDay;
    const dayEpoch = calendarDay * 86_400;
    const minuteBase = d * minutes;

    slots.reset();
    queue.clear();
    let idleCount = 0;
    let loggedIn = 0;
    let leaving = 0;
    let talking = 0;
    let wrapping = 0;
    let ringing = 0;
    let waiting = 0;
    let connected = 0;
    let lastTime = startSecond;
    let presentIntegral = 0;
    let busyIntegral = 0;
    let talkSum = 0;
    let lives = 0;
    let abandons = 0;
    let connects = 0;
    let dials = 0;
    let lastTick = startSecond;

    const initial = Math.round(presentAt(scenario, startSecond) * agents);
    for (let a = 0; a < agents; a++) {
      agentState[a] = AGENT_OFF;
      agentSince[a] = startSecond;
      agentIdleSince[a] = startSecond;
    }
    for (let a = 0; a < initial; a++) {
      agentState[a] = AGENT_IDLE;
      idleStack[idleCount++] = a;
    }
    loggedIn = initial;

    const bins = Math.ceil((endSecond - startSecond) / SERIES_SECONDS);
    const series: DaySeries | undefined = options.series
      ? {
          ratio: new Array(bins).fill(0),
          answerRate: new Array(bins).fill(0),
          lives: new Array(bins).fill(0),
          abandons: new Array(bins).fill(0),
        }
      : undefined;

    const minuteOf = (t: number) => {
      const m = Math.floor((t - startSecond) / 60);
      return minuteBase + (m < 0 ? 0 : m >= minutes ? minutes - 1 : m);
    };

    const advance = (t: number) => {
      const to = t < endSecond ? t : endSecond;
      if (to > lastTime) {
        const span = to - lastTime;
        presentIntegral += loggedIn * span;
        busyIntegral += (talking + wrapping) * span;
      }
      lastTime = t;
    };

    const release = (slot: number) => {
      callState[slot] = CALL_FREE;
      slots.release(slot);
    };

    const connect = (slot: number, agent: number, t: number) => {
      callState[slot] = CALL_CONNECTED;
      connected++;
      agentState[agent] = AGENT_TALK;
      agentCall[agent] = slot;
      agentSince[agent] = t;
      talking++;
      counts.connects++;
      const gap = t - (agentIdleSince[agent] as number);
      const bin = Math.min(GAP_BINS, Math.floor(gap / GAP_BIN));
      result.gapHistogram[bin] = (result.gapHistogram[bin] as number) + 1;
      result.gapSum += gap;
      result.gapCount++;
      let talk: number;
      if (callHuman[slot] === 1) {
        connects++;
        talk = draw(scenario.talk, talkRandom) * handleFactor;
        talkSum += talk;
      } else talk = MACHINE_HANDLE_SECONDS;
      heap.push(t + talk, EV_TALK_END | (agent << 3));
    };

    /** An agent free again: leave if the staffing says so, else serve the queue's head or go idle. */
    const agentFree = (agent: number, t: number) => {
      if (leaving > 0) {
        leaving--;
        loggedIn--;
        agentState[agent] = AGENT_OFF;
        return;
      }
      while (queue.length > 0) {
        const slot = queue.shift();
        if (callState[slot] === CALL_WAITING && callReady[slot] === queue.shiftedReadyAt) {
          waiting--;
          agentIdleSince[agent] = t;
          connect(slot, agent, t);
          return;
        }
      }
      agentState[agent] = AGENT_IDLE;
      agentIdleSince[agent] = t;
      idleStack[idleCount++] = agent;
    };

    /**
     * A call the dialer classified as live is ready for an agent. A person's connect clock
     * started at the greeting (the detector's hold counts in it); a machine passed on as live
     * is given the threshold from now.
     */
    const liveReady = (slot: number, t: number) => {
      ringing--;
      callReady[slot] = t;
      counts.liveAnswers++;
      counts.answerSeconds += callRing[slot] as number;
      const human = callHuman[slot] === 1;
      const clock = human ? (callAnswer[slot] as number) : t;
      let deadline = clock + connectWithin;
      if (human) {
        lives++;
        const m = minuteOf(t);
        result.minuteLives[m] = (result.minuteLives[m] as number) + 1;
        if (scenario.patience) {
          const patience = clock + draw(scenario.patience, patienceRandom);
          if (patience < deadline) deadline = patience;
        }
        if (deadline <= t) {
          // Held past the threshold by the detector (or hung up meanwhile): the dialer's message.
          counts.abandons++;
          abandons++;
          result.minuteAbandons[m] = (result.minuteAbandons[m] as number) + 1;
          release(slot);
          return;
        }
      }
      if (idleCount > 0) {
        const agent = idleStack[--idleCount] as number;
        connect(slot, agent, t);
        return;
      }
      callState[slot] = CALL_WAITING;
      waiting++;
      queue.push(slot, t);
      callDeadline[slot] = deadline;
      heap.push(deadline, EV_DEADLINE | (slot << 3));
    };

    const dial = (t: number) => {
      const slot = slots.alloc();
      callState[slot] = CALL_RINGING;
      ringing++;
      dials++;
      counts.dials++;
      // A fixed number of uniforms per dial (common random numbers).
      const u = dialRandom.uniform();
      const ring = draw(scenario.ringAnswered, dialRandom);
      const uMachine = dialRandom.uniform();
      const uPass = dialRandom.uniform();
      const hold = humanDetect ? draw(humanDetect, dialRandom) : 0;
      const uHung = dialRandom.uniform();
      if (u < answerRateAt(scenario, t) * answerFactor) {
        callAnswer[slot] = t + ring;
        callRing[slot] = ring;
        if (uMachine < scenario.machineShare) {
          callHuman[slot] = uPass < scenario.falsePositive ? 2 : 0;
          heap.push(t + ring + scenario.detectSeconds, EV_SCREENED | (slot << 3));
        } else if (uHung < scenario.liveHungUp) {
          // A person the detector takes for a machine: hung up on when a machine would be.
          callHuman[slot] = 3;
          heap.push(t + ring + scenario.detectSeconds, EV_SCREENED | (slot << 3));
        } else {
          callHuman[slot] = 1;
          heap.push(t + ring + hold, EV_LIVE | (slot << 3));
        }
      } else {
        callHuman[slot] = 0;
        heap.push(t + scenario.unansweredSeconds, EV_RINGOUT | (slot << 3));
      }
    };

    const staffTo = (present: number, t: number) => {
      const want = Math.round(present * agents);
      let have = loggedIn - leaving;
      if (want < have) {
        while (have > want && idleCount > 0) {
          const agent = idleStack[--idleCount] as number;
          agentState[agent] = AGENT_OFF;
          loggedIn--;
          have--;
        }
        leaving += have - want;
      } else if (want > have) {
        const back = Math.min(leaving, want - have);
        leaving -= back;
        have += back;
        for (let a = 0; a < agents && have < want; a++) {
          if (agentState[a] !== AGENT_OFF) continue;
          loggedIn++;
          have++;
          agentFree(a, t);
        }
      }
    };

    heap.push(startSecond, EV_TICK);
    for (let i = 0; i < changes.length; i++) heap.push(changes[i] as number, EV_STAFF);

    while (heap.size > 0) {
      const t = heap.peekTime();
      const payload = heap.pop();
      const id = payload >>> 3;
      result.events++;
      advance(t);
      switch (payload & 7) {
        case EV_TICK: {
          obs.now = dayEpoch + t;
          obs.secondOfDay = t;
          obs.elapsed = t - lastTick;
          lastTick = t;
          obs.day = calendarDay;
          obs.agentsLoggedIn = loggedIn;
          obs.agentsReady = idleCount;
          obs.agentsTalking = talking;
          obs.agentsWrapping = wrapping;
          obs.agentsLeaving = leaving;
          obs.callsRinging = ringing;
          obs.callsWaiting = waiting;
          obs.callsConnected = connected;
          if (wantsElapsed) {
            let k = 0;
            for (let a = 0; a < agents; a++) {
              const s = agentState[a];
              if (s === AGENT_TALK || s === AGENT_WRAP) busyElapsed[k++] = t - (agentSince[a] as number);
            }
          }
          let n = controller.tick(obs);
          const room = lineHeadroom(obs, limits);
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
          for (let i = 0; i < n; i++) dial(t);
          if (series) {
            const b = Math.floor((t - startSecond) / SERIES_SECONDS);
            if ((t - startSecond) % SERIES_SECONDS < tick) {
              series.ratio[b] = controller.status().ratio;
              series.answerRate[b] =
                Math.min(1, answerRateAt(scenario, t) * answerFactor) * (1 - scenario.machineShare);
            }
          }
          if (t + tick < endSecond) heap.push(t + tick, EV_TICK);
          continue;
        }
        case EV_LIVE:
          liveReady(id, t);
          break;
        case EV_SCREENED:
          if (callHuman[id] === 2) liveReady(id, t);
          else {
            ringing--;
            counts.machines++;
            counts.answerSeconds += callRing[id] as number;
            if (callHuman[id] === 3) {
              lives++;
              abandons++;
              const m = minuteOf(t);
              result.minuteLives[m] = (result.minuteLives[m] as number) + 1;
              result.minuteAbandons[m] = (result.minuteAbandons[m] as number) + 1;
            }
            release(id);
          }
          break;
        case EV_RINGOUT:
          ringing--;
          counts.unanswered++;
          release(id);
          break;
        case EV_DEADLINE: {
          // Still waiting at its deadline? (Served meanwhile, or a later occupancy of the slot: stale.)
          if (callState[id] !== CALL_WAITING || callDeadline[id] !== t) break;
          waiting--;
          counts.abandons++;
          if (callHuman[id] === 1) {
            abandons++;
            const m = minuteOf(callReady[id] as number);
            result.minuteAbandons[m] = (result.minuteAbandons[m] as number) + 1;
          }
          release(id);
          break;
        }
        case EV_TALK_END: {
          const slot = agentCall[id] as number;
          const human = callHuman[slot] === 1;
          if (callHuman[slot] === 2) counts.agentMachines = (counts.agentMachines ?? 0) + 1;
          connected--;
          release(slot);
          talking--;
          const wrap = human ? draw(scenario.wrap, wrapRandom) * handleFactor : 0;
          if (wrap > 0) {
            agentState[id] = AGENT_WRAP;
            wrapping++;
            heap.push(t + wrap, EV_WRAP_END | (id << 3));
          } else {
            counts.handled++;
            counts.handleSeconds += t - (agentSince[id] as number);
            agentFree(id, t);
          }
          break;
        }
        case EV_WRAP_END:
          wrapping--;
          counts.handled++;
          counts.handleSeconds += t - (agentSince[id] as number);
          agentFree(id, t);
          break;
        case EV_STAFF:
          staffTo(presentAt(scenario, t), t);
          break;
      }
    }
    advance(endSecond);
    result.lives[d] = lives;
    result.abandons[d] = abandons;
    result.connects[d] = connects;
    result.dials[d] = dials;
    result.presentSeconds[d] = presentIntegral;
    result.busySeconds[d] = busyIntegral;
    result.talkSeconds[d] = talkSum;
    if (series && result.series) {
      for (let b = 0; b < bins; b++) {
        let l = 0;
        let a = 0;
        for (let m = (b * SERIES_SECONDS) / 60; m < ((b + 1) * SERIES_SECONDS) / 60 && m < minutes; m++) {
          l += result.minuteLives[minuteBase + m] as number;
          a += result.minuteAbandons[minuteBase + m] as number;
        }
        series.lives[b] = l;
        series.abandons[b] = a;
      }
      result.series.push(series);
    }
  }
  return result;
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

/** The calendar day of the next dialing day after `calendar`. */
function nextDialingDay(scenario: Scenario, calendar: number): number {
  let c = calendar + 1;
  while (!scenario.dialingWeekdays[(scenario.firstWeekday + c) % 7]) c++;
  return c;
}
