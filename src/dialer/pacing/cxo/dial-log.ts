import { normalTail } from "./normal-tail.ts";

/** Its own dials of the last AGE_SLOTS seconds, by age: the live answers still to come from them. */
export const AGE_SLOTS = 64;
/** How far the answer delay's log-mean (and, relatively, its spread) may move before the memoised tails are recomputed. */
const TAIL_TOLERANCE = 0.002;
/** log(age) for the whole ages of the dial log. */
const LOG_AGE = Float64Array.from({ length: AGE_SLOTS }, (_, a) => Math.log(a));
/** Calls still ringing beyond those its own dial log explains: live with pLive, half of them still to answer. */
const UNLOGGED_RINGING_SHARE = 0.5;

/**
 * The dials placed in the last AGE_SLOTS seconds and the live answers still to come from them:
 * each dial is live with the estimated live-answer rate and not yet answered at its age with a
 * log-normal answer delay's tail.
 */
export class DialLog {
  private readonly dialsAt = new Float64Array(AGE_SLOTS);
  private readonly dialTimes = new Float64Array(AGE_SLOTS);
  private head = 0;
  // P(not yet answered at age a) for whole ages, memoised while the answer-delay estimate (mu)
  // stays the same (it moves only on ticks with answers): the same values, computed less often.
  private readonly tailAt = new Float64Array(AGE_SLOTS).fill(Number.NaN);
  private tailMu = Number.NaN;
  private tailSigma = Number.NaN;
  /**
   * The log's steady state (one entry a second, the newest a second old: every tick of a day but
   * its first minute): `tailWindow[(63 − head) mod 64 + i]` is the tail at ring slot i's age
   * (positions m and m ± 64 are the same age, 1 + (63 − m) mod 64), so the sum over the log is
   * one straight pass (`livesToCome`); rebuilt when the tails are.
   * `steadyLogs` counts the log's entries in a row a second apart, `loggedDials` the dials it holds.
   */
  private readonly tailWindow = new Float64Array(2 * AGE_SLOTS);
  private tailWindowFresh = false;
  private steadyLogs = 0;
  private lastLogAt = Number.NaN;
  private loggedDials = 0;

  /** Remembers the dials placed at `now` (their answers are expected over the next seconds); returns them. */
  log(now: number, n: number): number {
    this.head = (this.head + 1) % AGE_SLOTS;
    this.loggedDials += n - (this.dialsAt[this.head] as number);
    this.steadyLogs = now === this.lastLogAt + 1 ? this.steadyLogs + 1 : 0;
    this.lastLogAt = now;
    this.dialsAt[this.head] = n;
    this.dialTimes[this.head] = now;
    return n;
  }

  /** Live answers still to come: each logged dial, live with pLive, not yet answered at its age; calls ringing it did not log at half. */
  livesToCome(now: number, callsRinging: number, meanDelay: number, pLive: number, ringCv: number): number {
    const sigma2 = Math.log(1 + ringCv * ringCv);
    const sigma = Math.sqrt(sigma2);
    const mu = Math.log(meanDelay) - sigma2 / 2;
    // The memo holds while mu and sigma move less than TAIL_TOLERANCE (a tail off by < 0.2% of
    // a dial's chance): recomputing the tails on every tick with an answer cost a fifth of a run.
    if (
      !(Math.abs(mu - this.tailMu) <= TAIL_TOLERANCE) ||
      !(Math.abs(sigma - this.tailSigma) <= TAIL_TOLERANCE * this.tailSigma)
    ) {
      this.tailAt.fill(Number.NaN);
      this.tailMu = mu;
      this.tailSigma = sigma;
      this.tailWindowFresh = false;
    }
    let expectedLives = 0;
    let counted = 0;
    const { dialsAt, dialTimes, tailMu, tailSigma } = this;
    if (this.steadyLogs >= AGE_SLOTS && now - this.lastLogAt === 1) {
      // The steady state: slot i's age is 1 + (head − i) mod 64 (the oldest, 64, counts nothing).
      // The same terms in the same order as the loop below (a slot with no dials adds +0), in
      // one straight pass: the loop's branches cost a third of a cxo run.
      if (!this.tailWindowFresh) this.fillTailWindow();
      const window = this.tailWindow;
      const offset = (AGE_SLOTS - 1 - this.head) % AGE_SLOTS;
      for (let i = 0; i < AGE_SLOTS; i++)
        expectedLives += (dialsAt[i] as number) * pLive * (window[offset + i] as number);
      counted = this.loggedDials - (dialsAt[(this.head + 1) % AGE_SLOTS] as number);
    } else
      for (let i = 0; i < AGE_SLOTS; i++) {
        const k = dialsAt[i] as number;
        if (k === 0) continue;
        const age = now - (dialTimes[i] as number);
        if (age >= AGE_SLOTS) continue;
        counted += k;
        const tail =
          Number.isInteger(age) && age >= 0
            ? this.tailOfAge(age)
            : normalTail(age > 0 ? (Math.log(age) - tailMu) / tailSigma : Number.NEGATIVE_INFINITY);
        expectedLives += k * pLive * tail;
      }
    if (counted < callsRinging) expectedLives += (callsRinging - counted) * pLive * UNLOGGED_RINGING_SHARE;
    return expectedLives;
  }

  /** P(not yet answered) at a whole age (seconds) for the tails' mu and sigma, memoised until they move. */
  private tailOfAge(age: number): number {
    let tail = this.tailAt[age] as number;
    if (Number.isNaN(tail)) {
      tail = normalTail(
        age > 0 ? ((LOG_AGE[age] as number) - this.tailMu) / this.tailSigma : Number.NEGATIVE_INFINITY,
      );
      this.tailAt[age] = tail;
    }
    return tail;
  }

  /**
   * The window of tails for the steady state: ages 1–63 from the memo (computed here if not yet,
   * as `livesToCome` would: the same values), age 64 as 0. Every age is computed at once: a
   * check per slot in the pass cost more than the few tails a slot without dials did not need.
   */
  private fillTailWindow(): void {
    const tailWindow = this.tailWindow;
    for (let m = 0; m < 2 * AGE_SLOTS; m++) {
      const age = 1 + ((AGE_SLOTS - 1 - m + 2 * AGE_SLOTS) % AGE_SLOTS);
      tailWindow[m] = age < AGE_SLOTS ? this.tailOfAge(age) : 0;
    }
    this.tailWindowFresh = true;
  }
}
