import { grown, SlotPool } from "../engine-parts/slot-pool.ts";
import { WaitingCalls } from "../engine-parts/waiting-calls.ts";
import { batchRatio } from "./batch-means.ts";
import { sampler } from "./distributions.ts";
import { EventHeap, type EventQueue } from "./event-heap.ts";
import type { SimParams } from "./params.ts";
import { Random } from "./prng.ts";
import type { SimulationResult } from "./result.ts";

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
 * arrays indexed by slot, so a run allocates almost nothing after start-up.
 */
const EV_OPEN_DIAL = 0;
const EV_NONLIVE_END = 1;
const EV_LIVE_READY = 2;
const EV_ABANDON = 3;
const EV_TALK_END = 4;
const EV_WRAP_END = 5;
const EV_PACE = 6;
const EV_CONTROL = 7;

const CALL_FREE = 0;
const CALL_DIALING = 1;
const CALL_WAITING = 2;
const CALL_TALKING = 3;

const AGENT_IDLE = 0;
const AGENT_RESERVED = 1;
const AGENT_TALKING = 2;
const AGENT_WRAPPING = 3;

/** Adaptive pacing: VICIdial re-evaluates every 15 s over the last minute. */
const CONTROL_INTERVAL = 15;
const CONTROL_WINDOW_INTERVALS = 4;
/** Controller gains: fraction of the ready-agent surplus acted on per step, and the step-down while over target. */
const ADAPT_GAIN = 0.25;
const ADAPT_TAPER = 0.95;

export interface SimulateOptions {
  /** The future-event list to use (default: the typed-array binary heap). */
  queue?: (capacity: number) => EventQueue;
}

export function simulate(params: SimParams, options: SimulateOptions = {}): SimulationResult {
  validate(params);
  const random = new Random(params.seed);
  const ringTime = sampler(params.ring);
  const talkTime = sampler(params.talk);
  const wrapTime = sampler(params.wrap);
  const patienceTime = sampler(params.patience);
  const dropAtOnce = params.patience.mean === 0;
  const tau = params.patience.mean;
  const { mode, agents, channelLimit, greetingSeconds, noAnswerSeconds, busySeconds } = params;
  const liveCut = params.liveRate;
  const machineCut = liveCut + params.machineRate;
  const noAnswerCut = machineCut + params.noAnswerRate;
  const spacing = params.callSpacingSeconds;
  const pacing = mode !== "open";

  const windowStart = params.warmupSeconds;
  const windowSeconds = params.hours * 3600;
  const windowEnd = windowStart + windowSeconds;
  const batches = params.batches;
  const batchLength = windowSeconds / batches;
  const batchLive = new Float64Array(batches);
  const batchAbandoned = new Float64Array(batches);
  const batchOf = (t: number) => Math.min(batches - 1, Math.floor((t - windowStart) / batchLength));
  const inWindow = (t: number) => t >= windowStart && t < windowEnd;

  const heap: EventQueue = options.queue
    ? options.queue(4 * agents + 1024)
    : new EventHeap(4 * agents + 1024);

  // Calls, by slot.
  const capacity = 2 * channelLimit + 16;
  let callState = new Uint8Array(capacity);
  let callOwner = new Int32Array(capacity);
  let callDialAt = new Float64Array(capacity);
  let callReadyAt = new Float64Array(capacity);
  let callAbandonAt = new Float64Array(capacity);
  const slots = new SlotPool(capacity, (bigger) => {
    callState = grown(callState, bigger);
    callOwner = grown(callOwner, bigger);
    callDialAt = grown(callDialAt, bigger);
    callReadyAt = grown(callReadyAt, bigger);
    callAbandonAt = grown(callAbandonAt, bigger);
  });

  // Agents.
  const agentState = new Uint8Array(agents);
  const agentCall = new Int32Array(agents);
  const idleStack = new Int32Array(agents);
  let idleCount = agents;
  for (let i = 0; i < agents; i++) idleStack[i] = agents - 1 - i;

  // FIFO of waiting calls (slot + the readyAt that identifies this occupancy of the slot).
  const queue = new WaitingCalls(1024);

  // State counters and time integrals over the measured window.
  let channels = 0;
  let dialing = 0;
  let waiting = 0;
  let busyAgents = 0;
  let wrapping = 0;
  let lastTime = 0;
  let busyIntegral = 0;
  let channelIntegral = 0;
  let waitingIntegral = 0;
  let peakChannels = 0;
  let dials = 0;
  let machines = 0;
  let noAnswers = 0;
  let busies = 0;
  let blocked = 0;
  let lives = 0;
  let connects = 0;
  let abandoned = 0;
  let queued = 0;
  let overTau = 0;
  let servedWaitSum = 0;
  let waitAllSum = 0;
  let holdingSum = 0;
  let holdingCount = 0;
  let events = 0;

  // Pacing state.
  let lastDialAt = Number.NEGATIVE_INFINITY;
  let pacePending = false;
  let level = mode === "adaptive" ? 1 : params.dialRatio;
  let levelIntegral = 0;
  // Adaptive controller's view: idle/waiting integrals per 15 s interval, drops and lives.
  const controlIdle = new Float64Array(CONTROL_WINDOW_INTERVALS);
  const controlWaiting = new Float64Array(CONTROL_WINDOW_INTERVALS);
  let controlSlot = 0;
  let intervalLives = 0;
  let intervalDrops = 0;
  let runLives = 0;
  let runDrops = 0;

  const advance = (t: number) => {
    const dt = t - lastTime;
    if (mode === "adaptive") {
      controlIdle[controlSlot] = (controlIdle[controlSlot] as number) + idleCount * dt;
      controlWaiting[controlSlot] = (controlWaiting[controlSlot] as number) + waiting * dt;
    }
    if (t > windowStart) {
      const from = lastTime > windowStart ? lastTime : windowStart;
      const to = t < windowEnd ? t : windowEnd;
      if (to > from) {
        const span = to - from;
        busyIntegral += busyAgents * span;
        channelIntegral += channels * span;
        waitingIntegral += waiting * span;
        levelIntegral += level * span;
      }
    }
    lastTime = t;
  };

  const releaseChannel = (slot: number, t: number) => {
    channels--;
    if (inWindow(t)) {
      holdingSum += t - (callDialAt[slot] as number);
      holdingCount++;
    }
    callState[slot] = CALL_FREE;
    slots.release(slot);
  };

  const dial = (t: number, owner: number) => {
    const slot = slots.alloc();
    channels++;
    dialing++;
    callState[slot] = CALL_DIALING;
    callOwner[slot] = owner;
    callDialAt[slot] = t;
    lastDialAt = t;
    const counted = inWindow(t);
    if (counted) {
      dials++;
      if (channels > peakChannels) peakChannels = channels;
    }
    const u = random.uniform();
    if (u < liveCut) {
      heap.push(t + ringTime(random) + greetingSeconds, EV_LIVE_READY | (slot << 3));
    } else if (u < machineCut) {
      if (counted) machines++;
      heap.push(t + ringTime(random) + greetingSeconds, EV_NONLIVE_END | (slot << 3));
    } else if (u < noAnswerCut) {
      if (counted) noAnswers++;
      heap.push(t + noAnswerSeconds, EV_NONLIVE_END | (slot << 3));
    } else {
      if (counted) busies++;
      heap.push(t + busySeconds, EV_NONLIVE_END | (slot << 3));
    }
  };

  const connect = (slot: number, agent: number, t: number) => {
    callState[slot] = CALL_TALKING;
    agentState[agent] = AGENT_TALKING;
    agentCall[agent] = slot;
    busyAgents++;
    const readyAt = callReadyAt[slot] as number;
    if (inWindow(readyAt)) {
      const wait = t - readyAt;
      connects++;
      servedWaitSum += wait;
      waitAllSum += wait;
      if (wait > tau) overTau++;
    }
    heap.push(t + talkTime(random), EV_TALK_END | (agent << 3));
  };

  /** An agent free again (after wrap, or never dialled-for): serve the queue's head or go idle. */
  const agentFree = (agent: number, t: number) => {
    while (queue.length > 0) {
      const slot = queue.shift();
      if (callState[slot] === CALL_WAITING && callReadyAt[slot] === queue.shiftedReadyAt) {
        waiting--;
        connect(slot, agent, t);
        return;
      }
    }
    agentState[agent] = AGENT_IDLE;
    idleStack[idleCount++] = agent;
  };

  const schedulePace = (at: number) => {
    if (!pacePending) {
      pacePending = true;
      heap.push(at, EV_PACE);
    }
  };

  const pace = (t: number) => {
    if (spacing > 0 && t < lastDialAt + spacing) {
      schedulePace(lastDialAt + spacing);
      return;
    }
    if (mode === "progressive") {
      while (idleCount > 0) {
        if (channels >= channelLimit) return;
        const agent = idleStack[--idleCount] as number;
        agentState[agent] = AGENT_RESERVED;
        dial(t, agent);
        if (spacing > 0) {
          if (idleCount > 0) schedulePace(t + spacing);
          return;
        }
      }
      return;
    }
    const target = Math.round(level * (idleCount + wrapping)) - waiting;
    while (dialing < target) {
      if (channels >= channelLimit) return;
      dial(t, -1);
      if (spacing > 0) {
        if (dialing < target) schedulePace(t + spacing);
        return;
      }
    }
  };

  const control = () => {
    let idleSum = 0;
    let waitingSum = 0;
    for (let i = 0; i < CONTROL_WINDOW_INTERVALS; i++) {
      idleSum += controlIdle[i] as number;
      waitingSum += controlWaiting[i] as number;
    }
    const span = CONTROL_INTERVAL * CONTROL_WINDOW_INTERVALS;
    const overTarget = runLives > 0 && runDrops / runLives > params.abandonmentTarget;
    if (overTarget) {
      // Over the target for the run so far: never raise, taper down until back under.
      level *= ADAPT_TAPER;
    } else {
      // More ready agents than waiting calls → dial harder; calls waiting → ease off.
      level *= 1 + (ADAPT_GAIN * (idleSum / span - waitingSum / span)) / agents;
    }
    // A drop spike in the last interval halves the level at once.
    if (intervalLives >= 5 && intervalDrops / intervalLives > 2 * params.abandonmentTarget) level /= 2;
    level = Math.min(params.dialRatio, Math.max(1, level));
    intervalLives = 0;
    intervalDrops = 0;
    controlSlot = (controlSlot + 1) % CONTROL_WINDOW_INTERVALS;
    controlIdle[controlSlot] = 0;
    controlWaiting[controlSlot] = 0;
  };

  if (mode === "open") heap.push(random.exponential(1 / params.dialsPerSecond), EV_OPEN_DIAL);
  else heap.push(0, EV_PACE);
  if (mode === "adaptive") heap.push(CONTROL_INTERVAL, EV_CONTROL);

  while (heap.size > 0 && heap.peekTime() < windowEnd) {
    const t = heap.peekTime();
    const payload = heap.pop();
    const id = payload >>> 3;
    events++;
    advance(t);
    switch (payload & 7) {
      case EV_OPEN_DIAL:
        if (channels < channelLimit) dial(t, -1);
        else if (inWindow(t)) blocked++;
        heap.push(t + random.exponential(1 / params.dialsPerSecond), EV_OPEN_DIAL);
        continue;
      case EV_NONLIVE_END: {
        const owner = callOwner[id] as number;
        dialing--;
        releaseChannel(id, t);
        if (owner >= 0) {
          agentState[owner] = AGENT_IDLE;
          idleStack[idleCount++] = owner;
        }
        break;
      }
      case EV_LIVE_READY: {
        dialing--;
        callReadyAt[id] = t;
        const counted = inWindow(t);
        if (counted) {
          lives++;
          countIn(batchLive, batchOf(t));
        }
        intervalLives++;
        runLives++;
        const owner = callOwner[id] as number;
        if (owner >= 0) connect(id, owner, t);
        else if (idleCount > 0) connect(id, idleStack[--idleCount] as number, t);
        else {
          if (counted) queued++;
          if (dropAtOnce) {
            if (counted) {
              abandoned++;
              overTau++;
              countIn(batchAbandoned, batchOf(t));
            }
            intervalDrops++;
            runDrops++;
            releaseChannel(id, t);
          } else {
            callState[id] = CALL_WAITING;
            waiting++;
            const abandonAt = t + patienceTime(random);
            callAbandonAt[id] = abandonAt;
            queue.push(id, t);
            heap.push(abandonAt, EV_ABANDON | (id << 3));
          }
        }
        break;
      }
      case EV_ABANDON: {
        if (callState[id] !== CALL_WAITING || callAbandonAt[id] !== t) continue; // served meanwhile
        waiting--;
        const readyAt = callReadyAt[id] as number;
        if (inWindow(readyAt)) {
          abandoned++;
          countIn(batchAbandoned, batchOf(readyAt));
          // Dropped: not connected within τ (exactly τ waited, or less for impatient callers).
          overTau++;
          waitAllSum += t - readyAt;
        }
        intervalDrops++;
        runDrops++;
        releaseChannel(id, t);
        break;
      }
      case EV_TALK_END: {
        releaseChannel(agentCall[id] as number, t);
        const wrap = wrapTime(random);
        if (wrap > 0) {
          agentState[id] = AGENT_WRAPPING;
          wrapping++;
          heap.push(t + wrap, EV_WRAP_END | (id << 3));
        } else {
          busyAgents--;
          agentFree(id, t);
        }
        break;
      }
      case EV_WRAP_END:
        wrapping--;
        busyAgents--;
        agentFree(id, t);
        break;
      case EV_PACE:
        pacePending = false;
        break;
      case EV_CONTROL:
        control();
        heap.push(t + CONTROL_INTERVAL, EV_CONTROL);
        break;
    }
    if (pacing) pace(t);
  }
  advance(windowEnd);

  const hours = params.hours;
  const ratio = batchRatio(batchAbandoned, batchLive);
  // No drop seen: batch means say [0, 0]; the rule of three (95% upper bound 3/n) is honest.
  if (abandoned === 0 && lives > 0) ratio.high = Math.min(1, 3 / lives);
  return {
    mode,
    seed: params.seed,
    hours,
    agents,
    trunks: params.trunks,
    channelLimit,
    abandonment: { rate: ratio.value, ci95: { low: ratio.low, high: ratio.high } },
    occupancy: busyIntegral / (agents * windowSeconds),
    asaSeconds: connects > 0 ? servedWaitSum / connects : 0,
    meanWaitAllSeconds: lives > 0 ? waitAllSum / lives : 0,
    pWait: lives > 0 ? queued / lives : 0,
    pWaitOverTau: lives > 0 ? overTau / lives : 0,
    perHour: {
      dials: dials / hours,
      liveAnswers: lives / hours,
      connects: connects / hours,
      abandoned: abandoned / hours,
      machines: machines / hours,
      noAnswers: noAnswers / hours,
      busies: busies / hours,
      blockedDials: blocked / hours,
    },
    answered: lives,
    peakChannels,
    meanChannels: channelIntegral / windowSeconds,
    meanHoldingSeconds: holdingCount > 0 ? holdingSum / holdingCount : 0,
    meanWaitingCalls: waitingIntegral / windowSeconds,
    dialLevel: { final: level, mean: levelIntegral / windowSeconds },
    eventsProcessed: events,
  };
}

function validate(p: SimParams): void {
  const problems: string[] = [];
  if (!Number.isInteger(p.agents) || p.agents < 1) problems.push("agents must be a whole number ≥ 1");
  if (!Number.isInteger(p.channelLimit) || p.channelLimit < 1) problems.push("channelLimit must be ≥ 1");
  if (p.liveRate + p.machineRate + p.noAnswerRate > 1 + 1e-12) problems.push("outcome rates sum above 1");
  if (!(p.hours > 0)) problems.push("hours must be > 0");
  if (!Number.isInteger(p.batches) || p.batches < 2) problems.push("batches must be ≥ 2");
  if (p.mode === "open" && !(p.dialsPerSecond > 0)) problems.push("open mode needs dialsPerSecond > 0");
  if ((p.mode === "predictive" || p.mode === "adaptive") && !(p.dialRatio >= 1))
    problems.push("dialRatio must be ≥ 1");
  if (problems.length > 0) throw new RangeError(`invalid simulation parameters: ${problems.join("; ")}`);
}

function countIn(counts: Float64Array, index: number): void {
  counts[index] = (counts[index] as number) + 1;
}
