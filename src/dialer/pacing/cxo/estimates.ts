import type { PacingCounts, PacingObservation } from "../types.ts";

/** The machine share's memory, in multiples of `memoryCalls` connects. */
const MACHINE_MEMORY_FACTOR = 4;
/** Connects needed before the machine share is estimated, and its cap. */
const MACHINE_SHARE_MIN_CONNECTS = 50;
const MACHINE_SHARE_MAX = 0.5;
/** The handle-time memory is this fraction of `memoryCalls` (handled calls are fewer than dials). */
const HANDLE_MEMORY_DIVISOR = 3;
/** The answer delay's spread: memory in multiples of `memoryCalls`, answers needed, bounds of its cv. */
const DELAY_SPREAD_MEMORY_FACTOR = 4;
const DELAY_SPREAD_MIN_ANSWERS = 200;
const RING_CV_MIN = 0.2;
const RING_CV_MAX = 1.5;
/** The answer delay (seconds, dial to answer) assumed before any answer is seen. */
const DEFAULT_ANSWER_DELAY = 12;
/** Warm when this many calls were handled (or as many as agents logged in). */
const WARM_MIN_HANDLED = 30;

/**
 * The estimator: the live-answer rate, handle and wrap time, the answer delay and its spread,
 * and the share of machines passed on as live, each exponentially weighted over the last
 * `memoryCalls` or so (a list switch or the afternoon's drift shows within a few hundred calls).
 */
export class OnlineEstimates {
  /** The share of calls passed on as live that were machines (the agents' dispositions tell). */
  machineShare = 0;
  /** The answer delay's coefficient of variation: the tuning's prior until enough answers estimate it. */
  ringCv: number;
  private readonly memoryCalls: number;
  private wDials = 0;
  private wLives = 0;
  private wHandled = 0;
  private wHandleSeconds = 0;
  private wWrapSeconds = 0;
  private wAnswered = 0;
  private wAnswerSeconds = 0;
  // Spread of the answer delay from the per-tick sums: with k answers summing S, E[(S − kμ)²] = kσ².
  private wDelayDeviation = 0;
  private wDelayCount = 0;
  private wConnects = 0;
  private wAgentMachines = 0;
  private seenResolved = 0;
  private seenHandled = 0;

  constructor(memoryCalls: number, ringCv: number) {
    this.memoryCalls = memoryCalls;
    this.ringCv = ringCv;
  }

  /**
   * Machines the detector passed on as live are not people: their share of the calls passed on
   * is learnt from the agents' machine dispositions among connected calls. Returns the share.
   */
  countMachines(c: PacingCounts): number {
    // (Math.exp only when something happened: most ticks count nothing of a kind, and e^0 = 1.)
    const connectDecay =
      c.connects > 0 ? Math.exp(-c.connects / (MACHINE_MEMORY_FACTOR * this.memoryCalls)) : 1;
    this.wConnects = this.wConnects * connectDecay + c.connects;
    this.wAgentMachines = this.wAgentMachines * connectDecay + (c.agentMachines ?? 0);
    this.machineShare =
      this.wConnects >= MACHINE_SHARE_MIN_CONNECTS
        ? Math.min(MACHINE_SHARE_MAX, this.wAgentMachines / this.wConnects)
        : 0;
    return this.machineShare;
  }

  /** The tick's calls into the estimates: live-answer rate, handle and wrap time (Little's law), answer delay and its spread. */
  estimate(o: PacingObservation, resolved: number): void {
    const c = o.counts;
    const memoryCalls = this.memoryCalls;
    this.seenResolved += resolved;
    this.seenHandled += c.handled;
    const decay = resolved > 0 ? Math.exp(-resolved / memoryCalls) : 1;
    this.wDials = this.wDials * decay + resolved;
    this.wLives = this.wLives * decay + c.liveAnswers;
    const handleDecay = c.handled > 0 ? Math.exp(-c.handled / (memoryCalls / HANDLE_MEMORY_DIVISOR)) : 1;
    this.wHandled = this.wHandled * handleDecay + c.handled;
    // Little's law: busy agent-seconds per finished call. Unlike the mean of finished calls
    // (short ones finish first), it errs long at a cold start: the safe side.
    this.wHandleSeconds =
      this.wHandleSeconds * handleDecay + (o.agentsTalking + o.agentsWrapping) * o.elapsed;
    this.wWrapSeconds = this.wWrapSeconds * handleDecay + o.agentsWrapping * o.elapsed;
    const answeredNow = c.liveAnswers + c.machines;
    const answerDecay = answeredNow > 0 ? Math.exp(-answeredNow / memoryCalls) : 1;
    this.wAnswered = this.wAnswered * answerDecay + answeredNow;
    if (answeredNow > 0 && this.wAnswered > 0) {
      const mean = this.wAnswerSeconds / this.wAnswered;
      const deviation = c.answerSeconds - answeredNow * mean;
      const spreadDecay = Math.exp(-answeredNow / (DELAY_SPREAD_MEMORY_FACTOR * memoryCalls));
      this.wDelayDeviation = this.wDelayDeviation * spreadDecay + deviation * deviation;
      this.wDelayCount = this.wDelayCount * spreadDecay + answeredNow;
      if (this.wDelayCount >= DELAY_SPREAD_MIN_ANSWERS && mean > 0)
        this.ringCv = Math.max(
          RING_CV_MIN,
          Math.min(RING_CV_MAX, Math.sqrt(this.wDelayDeviation / this.wDelayCount) / mean),
        );
    }
    this.wAnswerSeconds = this.wAnswerSeconds * answerDecay + c.answerSeconds;
  }

  /** Enough calls resolved and handled for the model to be trusted (before: progressive). */
  warm(warmupCalls: number, agentsLoggedIn: number): boolean {
    return this.seenResolved >= warmupCalls && this.seenHandled >= Math.max(WARM_MIN_HANDLED, agentsLoggedIn);
  }

  /** Whether any live answer has been seen (the live-answer rate exists). */
  hasLives(): boolean {
    return this.wLives > 0;
  }

  liveAnswerRate(): number {
    return this.wLives / this.wDials;
  }

  meanAnswerDelay(): number {
    return this.wAnswered > 0 ? this.wAnswerSeconds / this.wAnswered : DEFAULT_ANSWER_DELAY;
  }

  /**
   * Yesterday's evening is not this morning: the live-answer estimate restarts from `opening`
   * (the opening half hour's prior; NaN: the last estimate) with `weight` resolved calls.
   */
  restart(opening: number, weight: number): void {
    const rate = Number.isNaN(opening) ? (this.wDials > 0 ? this.wLives / this.wDials : Number.NaN) : opening;
    if (!Number.isNaN(rate) && this.wDials > weight) {
      this.wDials = weight;
      this.wLives = weight * rate;
    }
  }

  /** Agents expected free within the answer horizon (seconds): ready ones, and busy ones finishing. */
  freeSoon(o: PacingObservation, horizon: number): number {
    const handle = this.wHandleSeconds / this.wHandled;
    // Wrapping agents are near the end of their handle: each is free within the horizon with
    // probability about horizon / (mean wrap), capped at 1; a talking agent must finish the
    // talk AND the wrap-up within it. Both means by Little's law.
    const wrapMean = this.wWrapSeconds / this.wHandled;
    const talkMean = Math.max(1, handle - wrapMean);
    const pWrap = wrapMean > 0 ? Math.min(1, horizon / wrapMean) : 1;
    const busySoon =
      o.agentsWrapping * pWrap +
      o.agentsTalking * (1 - Math.exp(-Math.max(0, horizon - wrapMean) / talkMean));
    // Busy agents who asked to leave after their call (break, end of shift) will not be free for
    // one, and they are the first to come free as far as the controller can tell (which busy
    // agents are leaving is not observed): they come off the agents expected free, not a share.
    return o.agentsReady + Math.max(0, busySoon - (o.agentsLeaving ?? 0));
  }
}
