import { columnsOf, SlotPool } from "../engine-parts/slot-pool.ts";
import { WaitingCalls } from "../engine-parts/waiting-calls.ts";
import { AdaptiveLevel, CONTROL_INTERVAL } from "./adaptive-level.ts";
import { batchRatio } from "./batch-means.ts";
import { type Sampler, sampler } from "./distributions.ts";
import { EventHeap, type EventQueue } from "./event-heap.ts";
import { type SimParams, validateParams } from "./params.ts";
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
 *
 * `DesRun` is one run: one short method per kind of event; the adaptive controller is
 * adaptive-level.ts, the measured window's figures become the result in `result()`.
 */
/** Event kinds (the low 3 bits of an event's payload; the rest is a slot or an agent). */
const EV_OPEN_DIAL = 0;
const EV_NONLIVE_END = 1;
const EV_LIVE_READY = 2;
const EV_ABANDON = 3;
const EV_TALK_END = 4;
const EV_WRAP_END = 5;
const EV_PACE = 6;
const EV_CONTROL = 7;

/** A slot's call: free, dialled and not yet answered, waiting for an agent, with one. */
const CALL_FREE = 0;
const CALL_DIALING = 1;
const CALL_WAITING = 2;
const CALL_TALKING = 3;

/** An agent: idle, reserved for the progressive dial placed for them, talking, in wrap-up. */
const AGENT_IDLE = 0;
const AGENT_RESERVED = 1;
const AGENT_TALKING = 2;
const AGENT_WRAPPING = 3;

export interface SimulateOptions {
  /** The future-event list to use (default: the typed-array binary heap). */
  queue?: (capacity: number) => EventQueue;
}

export function simulate(params: SimParams, options: SimulateOptions = {}): SimulationResult {
  validateParams(params);
  const run = new DesRun(params, options);
  run.run();
  return run.result();
}

class DesRun {
  private readonly params: SimParams;
  private readonly random: Random;
  private readonly ringTime: Sampler;
  private readonly talkTime: Sampler;
  private readonly wrapTime: Sampler;
  private readonly patienceTime: Sampler;
  /** Patience 0: a live answer no agent takes at once is dropped at once. */
  private readonly dropAtOnce: boolean;
  private readonly tau: number;
  private readonly liveCut: number;
  private readonly machineCut: number;
  private readonly noAnswerCut: number;
  private readonly heap: EventQueue;

  // The measured window (after the warm-up) and its batches.
  private readonly windowStart: number;
  private readonly windowSeconds: number;
  private readonly windowEnd: number;
  private readonly batchLength: number;
  private readonly batchLive: Float64Array;
  private readonly batchAbandoned: Float64Array;

  // Calls, by slot: the agent a progressive dial was placed for (−1: none), when it was dialled,
  // ready for an agent (identifies its occupancy of the slot in the queue) and abandoned.
  private readonly slots: SlotPool<{
    state: Uint8Array;
    owner: Int32Array;
    dialAt: Float64Array;
    readyAt: Float64Array;
    abandonAt: Float64Array;
  }>;
  private readonly queue = new WaitingCalls(1024);

  // Agents.
  private readonly agentState: Uint8Array;
  private readonly agentCall: Int32Array;
  private readonly idleStack: Int32Array;
  private idleCount: number;

  // State counters and time integrals over the measured window.
  private channels = 0;
  private dialing = 0;
  private waiting = 0;
  private busyAgents = 0;
  private wrapping = 0;
  private lastTime = 0;
  private busyIntegral = 0;
  private channelIntegral = 0;
  private waitingIntegral = 0;
  private peakChannels = 0;
  private dials = 0;
  private machines = 0;
  private noAnswers = 0;
  private busies = 0;
  private blocked = 0;
  private lives = 0;
  private connects = 0;
  private abandoned = 0;
  private queued = 0;
  private overTau = 0;
  private servedWaitSum = 0;
  private waitAllSum = 0;
  private holdingSum = 0;
  private holdingCount = 0;
  private events = 0;

  // Pacing.
  private lastDialAt = Number.NEGATIVE_INFINITY;
  private pacePending = false;
  private level: number;
  private levelIntegral = 0;
  private readonly adaptive: AdaptiveLevel | null;

  constructor(params: SimParams, options: SimulateOptions) {
    this.params = params;
    this.random = new Random(params.seed);
    this.ringTime = sampler(params.ring);
    this.talkTime = sampler(params.talk);
    this.wrapTime = sampler(params.wrap);
    this.patienceTime = sampler(params.patience);
    this.dropAtOnce = params.patience.mean === 0;
    this.tau = params.patience.mean;
    this.liveCut = params.liveRate;
    this.machineCut = this.liveCut + params.machineRate;
    this.noAnswerCut = this.machineCut + params.noAnswerRate;

    this.windowStart = params.warmupSeconds;
    this.windowSeconds = params.hours * 3600;
    this.windowEnd = this.windowStart + this.windowSeconds;
    this.batchLength = this.windowSeconds / params.batches;
    this.batchLive = new Float64Array(params.batches);
    this.batchAbandoned = new Float64Array(params.batches);

    const { agents, channelLimit } = params;
    this.heap = options.queue ? options.queue(4 * agents + 1024) : new EventHeap(4 * agents + 1024);
    const capacity = 2 * channelLimit + 16;
    this.slots = new SlotPool(
      capacity,
      columnsOf(capacity, {
        state: Uint8Array,
        owner: Int32Array,
        dialAt: Float64Array,
        readyAt: Float64Array,
        abandonAt: Float64Array,
      }),
    );

    this.agentState = new Uint8Array(agents);
    this.agentCall = new Int32Array(agents);
    this.idleStack = new Int32Array(agents);
    this.idleCount = agents;
    for (let i = 0; i < agents; i++) this.idleStack[i] = agents - 1 - i;

    this.adaptive =
      params.mode === "adaptive"
        ? new AdaptiveLevel(agents, params.dialRatio, params.abandonmentTarget)
        : null;
    this.level = this.adaptive ? this.adaptive.level : params.dialRatio;
  }

  run(): void {
    const { heap, params, random } = this;
    const pacing = params.mode !== "open";
    if (params.mode === "open") heap.push(random.exponential(1 / params.dialsPerSecond), EV_OPEN_DIAL);
    else heap.push(0, EV_PACE);
    if (this.adaptive) heap.push(CONTROL_INTERVAL, EV_CONTROL);

    while (heap.size > 0 && heap.peekTime() < this.windowEnd) {
      const t = heap.peekTime();
      const payload = heap.pop();
      const id = payload >>> 3;
      this.events++;
      this.advance(t);
      switch (payload & 7) {
        case EV_OPEN_DIAL:
          if (this.channels < params.channelLimit) this.dial(t, -1);
          else if (this.inWindow(t)) this.blocked++;
          heap.push(t + random.exponential(1 / params.dialsPerSecond), EV_OPEN_DIAL);
          continue;
        case EV_NONLIVE_END:
          this.onNonLiveEnd(id, t);
          break;
        case EV_LIVE_READY:
          this.onLiveReady(id, t);
          break;
        case EV_ABANDON:
          if (!this.onAbandon(id, t)) continue; // served meanwhile
          break;
        case EV_TALK_END:
          this.onTalkEnd(id, t);
          break;
        case EV_WRAP_END:
          this.wrapping--;
          this.busyAgents--;
          this.agentFree(id, t);
          break;
        case EV_PACE:
          this.pacePending = false;
          break;
        case EV_CONTROL: {
          const adaptive = this.adaptive as AdaptiveLevel;
          adaptive.control();
          this.level = adaptive.level;
          heap.push(t + CONTROL_INTERVAL, EV_CONTROL);
          break;
        }
      }
      if (pacing) this.pace(t);
    }
    this.advance(this.windowEnd);
  }

  result(): SimulationResult {
    const { params, windowSeconds, lives, connects } = this;
    const hours = params.hours;
    const ratio = batchRatio(this.batchAbandoned, this.batchLive);
    // No drop seen: batch means say [0, 0]; the rule of three (95% upper bound 3/n) is honest.
    if (this.abandoned === 0 && lives > 0) ratio.high = Math.min(1, 3 / lives);
    return {
      mode: params.mode,
      seed: params.seed,
      hours,
      agents: params.agents,
      trunks: params.trunks,
      channelLimit: params.channelLimit,
      abandonment: { rate: ratio.value, ci95: { low: ratio.low, high: ratio.high } },
      occupancy: this.busyIntegral / (params.agents * windowSeconds),
      asaSeconds: connects > 0 ? this.servedWaitSum / connects : 0,
      meanWaitAllSeconds: lives > 0 ? this.waitAllSum / lives : 0,
      pWait: lives > 0 ? this.queued / lives : 0,
      pWaitOverTau: lives > 0 ? this.overTau / lives : 0,
      perHour: {
        dials: this.dials / hours,
        liveAnswers: lives / hours,
        connects: connects / hours,
        abandoned: this.abandoned / hours,
        machines: this.machines / hours,
        noAnswers: this.noAnswers / hours,
        busies: this.busies / hours,
        blockedDials: this.blocked / hours,
      },
      answered: lives,
      peakChannels: this.peakChannels,
      meanChannels: this.channelIntegral / windowSeconds,
      meanHoldingSeconds: this.holdingCount > 0 ? this.holdingSum / this.holdingCount : 0,
      meanWaitingCalls: this.waitingIntegral / windowSeconds,
      dialLevel: { final: this.level, mean: this.levelIntegral / windowSeconds },
      eventsProcessed: this.events,
    };
  }

  private inWindow(t: number): boolean {
    return t >= this.windowStart && t < this.windowEnd;
  }

  private batchOf(t: number): number {
    return Math.min(this.params.batches - 1, Math.floor((t - this.windowStart) / this.batchLength));
  }

  /** Integrates the state up to `t` (the window's figures, and the adaptive controller's view). */
  private advance(t: number): void {
    const { lastTime, windowStart, windowEnd } = this;
    this.adaptive?.advance(this.idleCount, this.waiting, t - lastTime);
    if (t > windowStart) {
      const from = lastTime > windowStart ? lastTime : windowStart;
      const to = t < windowEnd ? t : windowEnd;
      if (to > from) {
        const span = to - from;
        this.busyIntegral += this.busyAgents * span;
        this.channelIntegral += this.channels * span;
        this.waitingIntegral += this.waiting * span;
        this.levelIntegral += this.level * span;
      }
    }
    this.lastTime = t;
  }

  private dial(t: number, owner: number): void {
    const { heap, random, params } = this;
    const slot = this.slots.alloc();
    this.channels++;
    this.dialing++;
    this.slots.columns.state[slot] = CALL_DIALING;
    this.slots.columns.owner[slot] = owner;
    this.slots.columns.dialAt[slot] = t;
    this.lastDialAt = t;
    const counted = this.inWindow(t);
    if (counted) {
      this.dials++;
      if (this.channels > this.peakChannels) this.peakChannels = this.channels;
    }
    const u = random.uniform();
    if (u < this.liveCut) {
      heap.push(t + this.ringTime(random) + params.greetingSeconds, EV_LIVE_READY | (slot << 3));
    } else if (u < this.machineCut) {
      if (counted) this.machines++;
      heap.push(t + this.ringTime(random) + params.greetingSeconds, EV_NONLIVE_END | (slot << 3));
    } else if (u < this.noAnswerCut) {
      if (counted) this.noAnswers++;
      heap.push(t + params.noAnswerSeconds, EV_NONLIVE_END | (slot << 3));
    } else {
      if (counted) this.busies++;
      heap.push(t + params.busySeconds, EV_NONLIVE_END | (slot << 3));
    }
  }

  private releaseChannel(slot: number, t: number): void {
    this.channels--;
    if (this.inWindow(t)) {
      this.holdingSum += t - (this.slots.columns.dialAt[slot] as number);
      this.holdingCount++;
    }
    this.slots.columns.state[slot] = CALL_FREE;
    this.slots.release(slot);
  }

  /** A machine, no answer or busy ends: the channel is free, and so is a progressive dial's agent. */
  private onNonLiveEnd(slot: number, t: number): void {
    const owner = this.slots.columns.owner[slot] as number;
    this.dialing--;
    this.releaseChannel(slot, t);
    if (owner >= 0) {
      this.agentState[owner] = AGENT_IDLE;
      this.idleStack[this.idleCount++] = owner;
    }
  }

  /** A live answer after ring and greeting: to its agent, a free one, the queue, or dropped. */
  private onLiveReady(slot: number, t: number): void {
    this.dialing--;
    this.slots.columns.readyAt[slot] = t;
    const counted = this.inWindow(t);
    if (counted) {
      this.lives++;
      countIn(this.batchLive, this.batchOf(t));
    }
    this.adaptive?.live();
    const owner = this.slots.columns.owner[slot] as number;
    if (owner >= 0) this.connect(slot, owner, t);
    else if (this.idleCount > 0) this.connect(slot, this.idleStack[--this.idleCount] as number, t);
    else {
      if (counted) this.queued++;
      if (this.dropAtOnce) {
        if (counted) {
          this.abandoned++;
          this.overTau++;
          countIn(this.batchAbandoned, this.batchOf(t));
        }
        this.adaptive?.drop();
        this.releaseChannel(slot, t);
      } else {
        this.slots.columns.state[slot] = CALL_WAITING;
        this.waiting++;
        const abandonAt = t + this.patienceTime(this.random);
        this.slots.columns.abandonAt[slot] = abandonAt;
        this.queue.push(slot, t);
        this.heap.push(abandonAt, EV_ABANDON | (slot << 3));
      }
    }
  }

  /** A waiting call's patience runs out; false when it was served meanwhile (a stale event). */
  private onAbandon(slot: number, t: number): boolean {
    if (this.slots.columns.state[slot] !== CALL_WAITING || this.slots.columns.abandonAt[slot] !== t)
      return false;
    this.waiting--;
    const readyAt = this.slots.columns.readyAt[slot] as number;
    if (this.inWindow(readyAt)) {
      this.abandoned++;
      countIn(this.batchAbandoned, this.batchOf(readyAt));
      // Dropped: not connected within τ (exactly τ waited, or less for impatient callers).
      this.overTau++;
      this.waitAllSum += t - readyAt;
    }
    this.adaptive?.drop();
    this.releaseChannel(slot, t);
    return true;
  }

  private connect(slot: number, agent: number, t: number): void {
    this.slots.columns.state[slot] = CALL_TALKING;
    this.agentState[agent] = AGENT_TALKING;
    this.agentCall[agent] = slot;
    this.busyAgents++;
    const readyAt = this.slots.columns.readyAt[slot] as number;
    if (this.inWindow(readyAt)) {
      const wait = t - readyAt;
      this.connects++;
      this.servedWaitSum += wait;
      this.waitAllSum += wait;
      if (wait > this.tau) this.overTau++;
    }
    this.heap.push(t + this.talkTime(this.random), EV_TALK_END | (agent << 3));
  }

  private onTalkEnd(agent: number, t: number): void {
    this.releaseChannel(this.agentCall[agent] as number, t);
    const wrap = this.wrapTime(this.random);
    if (wrap > 0) {
      this.agentState[agent] = AGENT_WRAPPING;
      this.wrapping++;
      this.heap.push(t + wrap, EV_WRAP_END | (agent << 3));
    } else {
      this.busyAgents--;
      this.agentFree(agent, t);
    }
  }

  /** An agent free again (after wrap, or never dialled-for): serve the queue's head or go idle. */
  private agentFree(agent: number, t: number): void {
    const { columns } = this.slots;
    const slot = this.queue.nextWaiting(columns.state, CALL_WAITING, columns.readyAt);
    if (slot >= 0) {
      this.waiting--;
      this.connect(slot, agent, t);
      return;
    }
    this.agentState[agent] = AGENT_IDLE;
    this.idleStack[this.idleCount++] = agent;
  }

  private schedulePace(at: number): void {
    if (!this.pacePending) {
      this.pacePending = true;
      this.heap.push(at, EV_PACE);
    }
  }

  /** After every event: dial what the mode calls for (within the channels and the call spacing). */
  private pace(t: number): void {
    const spacing = this.params.callSpacingSeconds;
    const channelLimit = this.params.channelLimit;
    if (spacing > 0 && t < this.lastDialAt + spacing) {
      this.schedulePace(this.lastDialAt + spacing);
      return;
    }
    if (this.params.mode === "progressive") {
      while (this.idleCount > 0) {
        if (this.channels >= channelLimit) return;
        const agent = this.idleStack[--this.idleCount] as number;
        this.agentState[agent] = AGENT_RESERVED;
        this.dial(t, agent);
        if (spacing > 0) {
          if (this.idleCount > 0) this.schedulePace(t + spacing);
          return;
        }
      }
      return;
    }
    const target = Math.round(this.level * (this.idleCount + this.wrapping)) - this.waiting;
    while (this.dialing < target) {
      if (this.channels >= channelLimit) return;
      this.dial(t, -1);
      if (spacing > 0) {
        if (this.dialing < target) this.schedulePace(t + spacing);
        return;
      }
    }
  }
}

function countIn(counts: Float64Array, index: number): void {
  counts[index] = (counts[index] as number) + 1;
}
