import { clockNowMs } from "../core/clock/now.ts";
import { createRng } from "./random.ts";
/**
 * The seed emulator's live dialer twin: one small predictive dialer per active campaign that
 * dials at the ratio the tenant's dialer settings last gave it, on an accelerated clock
 * (`speed` simulated seconds per real second), so `cxo serve`'s pacing controller can be tested
 * end to end against something that answers, abandons and keeps agents busy like a dialer.
 *
 * It steps one simulated second at a time, lazily: whoever reads it (the metrics endpoint, the
 * admin API) first advances it to "now". Deterministic for a seed and a sequence of reads.
 * The model is deliberately plain (reference/pacing.md §3 has the full one): a call rings, then
 * is answered by a live person with the current answer rate or rings out; a live answer waits
 * for a free agent and is abandoned after the 2-second connect rule; an agent talks (exponential)
 * then wraps up (constant). With `ratio` r the dialer keeps r × free agents calls in flight.
 */
export interface TwinTruth {
  simulatedSeconds: number;
  dials: number;
  liveAnswers: number;
  abandons: number;
  connects: number;
  /** Calls agents finished (talk and wrap-up done), and their summed talk + wrap seconds. */
  handled: number;
  handleSeconds: number;
  /** Summed seconds from dial to answer of the live answers. */
  answerSeconds: number;
  agents: number;
  /** Agents talking or wrapping up now. */
  agentsBusy: number;
  /** Calls placed and not yet ended (ringing or waiting for an agent). */
  callsInProgress: number;
  busyAgentSeconds: number;
  dialRatio: number;
  answerRate: number;
}

/** What the admin API may change on a running twin (a test makes the answer rate drop mid-run). */
export interface TwinKnobs {
  agents?: number | undefined;
  answerRate?: number | undefined;
  talkSeconds?: number | undefined;
  wrapSeconds?: number | undefined;
}

const CONNECT_WITHIN_SECONDS = 2;
const UNANSWERED_RING_SECONDS = 25;
/** A twin left unread longer than this (simulated) jumps ahead instead of replaying every second. */
const MAX_CATCH_UP_SECONDS = 6 * 3600;

interface Call {
  /** Simulated second at which the ringing ends, and how long it rang. */
  endsAt: number;
  rang: number;
  live: boolean;
}

export class DialerTwin {
  private readonly random: () => number;
  private second = 0;
  private startedAtMs: number;
  private readonly speed: number;
  private agents: number;
  private answerRate: number;
  private talkSeconds: number;
  private wrapSeconds: number;
  /** Per busy agent: the simulated second its call (talk + wrap) ends, and how long it lasts. */
  private busyUntil: number[] = [];
  private busyFor: number[] = [];
  private ringing: Call[] = [];
  /** Live answers waiting for an agent: the second each was answered. */
  private waiting: number[] = [];
  private counters = {
    dials: 0,
    liveAnswers: 0,
    abandons: 0,
    connects: 0,
    handled: 0,
    handleSeconds: 0,
    answerSeconds: 0,
    busyAgentSeconds: 0,
  };

  constructor(seed: number, campaignId: string, speed: number, nowMs: number, knobs: TwinKnobs = {}) {
    this.random = createRng(seed, `dialer-twin:${campaignId}`).next;
    this.startedAtMs = nowMs;
    this.speed = speed;
    this.agents = knobs.agents ?? 20;
    this.answerRate = knobs.answerRate ?? 0.3;
    this.talkSeconds = knobs.talkSeconds ?? 120;
    this.wrapSeconds = knobs.wrapSeconds ?? 10;
  }

  set(knobs: TwinKnobs): void {
    if (knobs.agents !== undefined) this.agents = knobs.agents;
    if (knobs.answerRate !== undefined) this.answerRate = knobs.answerRate;
    if (knobs.talkSeconds !== undefined) this.talkSeconds = knobs.talkSeconds;
    if (knobs.wrapSeconds !== undefined) this.wrapSeconds = knobs.wrapSeconds;
  }

  /**
   * Runs the twin up to real time `nowMs`. `dialing` false (a paused campaign) places no new
   * calls but lets the calls in progress end, so a paused campaign drains.
   */
  advance(nowMs: number, ratio: number, dialing: boolean): void {
    const target = Math.floor(((nowMs - this.startedAtMs) * this.speed) / 1000);
    if (target - this.second > MAX_CATCH_UP_SECONDS) {
      const skip = target - this.second - MAX_CATCH_UP_SECONDS;
      this.second += skip;
      this.busyUntil = this.busyUntil.map((until) => until + skip);
      this.ringing = this.ringing.map((call) => ({ ...call, endsAt: call.endsAt + skip }));
      this.waiting = [];
    }
    while (this.second < target) this.step(ratio, dialing);
  }

  truth(ratio: number): TwinTruth {
    return {
      simulatedSeconds: this.second,
      ...this.counters,
      agents: this.agents,
      agentsBusy: this.busyUntil.length,
      callsInProgress: this.ringing.length + this.waiting.length,
      dialRatio: ratio,
      answerRate: this.answerRate,
    };
  }

  private step(ratio: number, dialing: boolean): void {
    const now = ++this.second;
    for (let i = this.busyUntil.length - 1; i >= 0; i--) {
      if ((this.busyUntil[i] as number) > now) continue;
      this.counters.handled++;
      this.counters.handleSeconds += this.busyFor[i] as number;
      this.busyUntil.splice(i, 1);
      this.busyFor.splice(i, 1);
    }
    const stillRinging: Call[] = [];
    for (const call of this.ringing) {
      if (call.endsAt > now) stillRinging.push(call);
      else if (call.live) {
        this.counters.liveAnswers++;
        this.counters.answerSeconds += call.rang;
        this.waiting.push(now);
      }
    }
    this.ringing = stillRinging;
    // Connect waiting answers first come, first served; the rest wait or are abandoned.
    while (this.waiting.length > 0 && this.busyUntil.length < this.agents) {
      this.waiting.shift();
      this.counters.connects++;
      const talk = -Math.log(1 - this.random()) * this.talkSeconds;
      const handle = Math.max(1, Math.round(talk + this.wrapSeconds));
      this.busyUntil.push(now + handle);
      this.busyFor.push(handle);
    }
    const kept = this.waiting.filter((answeredAt) => now - answeredAt < CONNECT_WITHIN_SECONDS);
    this.counters.abandons += this.waiting.length - kept.length;
    this.waiting = kept;
    this.counters.busyAgentSeconds += this.busyUntil.length;
    if (!dialing) return;
    const free = Math.max(0, this.agents - this.busyUntil.length);
    const wanted = Math.round(ratio * free) - this.ringing.length - this.waiting.length;
    for (let i = 0; i < wanted; i++) {
      this.counters.dials++;
      const live = this.random() < this.answerRate;
      const ring = live ? 4 + Math.floor(this.random() * 12) : UNANSWERED_RING_SECONDS;
      this.ringing.push({ endsAt: now + ring, rang: ring, live });
    }
  }
}

/**
 * The twin of one campaign, created on first read and advanced to now. It dials at the tenant's
 * current dial ratio (the seed API's dialer settings are tenant-wide) while the campaign is
 * active, and drains while it is not.
 */
export function readTwin(
  state: { twins: Map<string, DialerTwin>; dialerSettings: { algorithm: Record<string, string | number> } },
  options: { seed: number; speed: number },
  campaign: { id: string; status: string },
  nowMs = clockNowMs(),
): TwinTruth {
  let twin = state.twins.get(campaign.id);
  if (!twin) {
    twin = new DialerTwin(options.seed, campaign.id, options.speed, nowMs);
    state.twins.set(campaign.id, twin);
  }
  const ratio = Number(state.dialerSettings.algorithm.dial_ratio ?? 1);
  twin.advance(nowMs, ratio, campaign.status === "active");
  return twin.truth(ratio);
}
