import { IdleAgents } from "../engine-parts/idle-agents.ts";
import { WaitQueue } from "../engine-parts/wait-queue.ts";
import { DialLevel } from "./adaptive-level.ts";
import { DesCalls } from "./calls.ts";
import { type Sampler, sampler } from "./distributions.ts";
import type { EventQueue } from "./event-heap.ts";
import type { SimParams } from "./params.ts";
import { Random } from "./prng.ts";
import { WindowStats } from "./window-stats.ts";

/**
 * One DES run's whole state, shared by its event handlers (dialing.ts, answering.ts): the
 * parameters they read per event (copied out of SimParams, as plain fields), the calls, the
 * agents, the queue of waiting callers, what is in progress now, and what the window measured.
 */
export class DesRun {
  readonly params: SimParams;
  readonly heap: EventQueue;
  readonly random: Random;
  readonly ringTime: Sampler;
  readonly talkTime: Sampler;
  readonly wrapTime: Sampler;
  readonly patienceTime: Sampler;
  /** A warm-line timeout of 0: a live answer with no agent free is dropped at once. */
  readonly dropAtOnce: boolean;
  /** The warm-line timeout τ (mean patience). */
  readonly tau: number;
  /** A dial's outcome from one uniform: live below liveCut, then machine, no answer, busy. */
  readonly liveCut: number;
  readonly machineCut: number;
  readonly noAnswerCut: number;
  readonly greetingSeconds: number;
  readonly noAnswerSeconds: number;
  readonly busySeconds: number;
  readonly channelLimit: number;
  readonly spacing: number;
  /** Mean seconds between two open-loop dials. */
  readonly openDialGap: number;
  readonly paced: boolean;
  readonly progressive: boolean;
  readonly adaptive: boolean;

  readonly calls: DesCalls;
  /** The call each talking agent is on. */
  readonly agentCall: Int32Array<ArrayBuffer>;
  readonly idle: IdleAgents;
  readonly queue: WaitQueue;
  readonly level: DialLevel;
  readonly stats: WindowStats;

  /** In progress now. */
  channels = 0;
  dialing = 0;
  waiting = 0;
  busyAgents = 0;
  wrapping = 0;
  lastTime = 0;
  events = 0;
  lastDialAt = Number.NEGATIVE_INFINITY;
  /** A pace event is in the heap already (one is enough). */
  pacePending = false;

  constructor(params: SimParams, heap: EventQueue) {
    const { mode, agents } = params;
    this.params = params;
    this.heap = heap;
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
    this.greetingSeconds = params.greetingSeconds;
    this.noAnswerSeconds = params.noAnswerSeconds;
    this.busySeconds = params.busySeconds;
    this.channelLimit = params.channelLimit;
    this.spacing = params.callSpacingSeconds;
    this.openDialGap = 1 / params.dialsPerSecond;
    this.paced = mode !== "open";
    this.progressive = mode === "progressive";
    this.adaptive = mode === "adaptive";

    this.calls = new DesCalls(2 * params.channelLimit + 16);
    this.agentCall = new Int32Array(agents);
    this.idle = new IdleAgents(agents);
    // Agent 0 on top: the first ready agent takes the first call.
    for (let i = 0; i < agents; i++) this.idle.push(agents - 1 - i);
    this.queue = new WaitQueue(1024);
    this.level = new DialLevel(this.adaptive, params.dialRatio, params.abandonmentTarget, agents);
    this.stats = new WindowStats(params);
  }
}

/** Moves the clock to `t`: the state held since the last event goes into the integrals. */
export function advanceClock(run: DesRun, t: number): void {
  if (run.adaptive) run.level.accumulate(run.idle.count, run.waiting, t - run.lastTime);
  run.stats.integrate(run.lastTime, t, run.busyAgents, run.channels, run.waiting, run.level.value);
  run.lastTime = t;
}
