import {
  type ControllerOptions,
  lineHeadroom,
  type PacingController,
  type PacingObservation,
} from "./types.ts";

/**
 * The Issabel/Elastix CallCenter predictor (IssabelFoundation/callcenter `Predictor.class.php`,
 * as the reference describes it, pacing.md §2): calls = free agents + busy agents whose
 * P(Exp(mean handle) ≤ elapsed + mean answer time) ≥ threshold (0.97) − queued callers − calls
 * still originating; with over-commit, divided by the last 30 minutes' answer rate (floored at
 * 0.20, once ≥ 10 calls). No abandonment feedback. Tuned knob: the probability threshold.
 */
const WINDOW_SECONDS = 1800;
const BUCKET_SECONDS = 60;

export function issabel(options: ControllerOptions): PacingController {
  const { limits } = options;
  const tuning = options.tuning ?? {};
  const threshold = Number(tuning.threshold ?? 0.97);
  const overCommit = Number(tuning.overCommit ?? 1) === 1;
  const buckets = WINDOW_SECONDS / BUCKET_SECONDS;
  const dials = new Float64Array(buckets);
  const answers = new Float64Array(buckets);
  let bucket = -1;
  let handled = 0;
  let answered = 0;
  // The running sums of seconds (fractions) in a typed array, not captured `let`s: a fraction
  // written every tick to a closure's variable is a fresh heap number each time.
  const seconds = new Float64Array(2);
  const HANDLE = 0;
  const ANSWER = 1;
  return {
    name: "issabel",
    tuning: { threshold, overCommit: overCommit ? 1 : 0 },
    wantsBusyElapsed: true,
    tick(o: PacingObservation): number {
      const c = o.counts;
      const b = Math.floor(o.now / BUCKET_SECONDS);
      if (b !== bucket) {
        for (let i = bucket + 1; i <= b && i <= bucket + buckets; i++) {
          dials[i % buckets] = 0;
          answers[i % buckets] = 0;
        }
        bucket = b;
      }
      dials[b % buckets] = (dials[b % buckets] as number) + c.dials;
      answers[b % buckets] = (answers[b % buckets] as number) + c.liveAnswers;
      handled += c.handled;
      const handleSeconds = (seconds[HANDLE] as number) + c.handleSeconds;
      seconds[HANDLE] = handleSeconds;
      answered += c.liveAnswers + c.machines;
      const answerSeconds = (seconds[ANSWER] as number) + c.answerSeconds;
      seconds[ANSWER] = answerSeconds;
      const meanHandle = handled > 0 ? handleSeconds / handled : 180;
      const meanAnswer = answered > 0 ? answerSeconds / answered : 10;
      let soon = 0;
      const busy = o.agentsTalking + o.agentsWrapping;
      // P(Exp(H) ≤ e + A) = 1 − exp(−(e + A)/H) ≥ θ  ⟺  e ≥ −H·ln(1 − θ) − A: one logarithm a
      // tick instead of an exponential per busy agent (the same agents, the same count).
      const elapsedAtLeast =
        threshold >= 1 ? Number.POSITIVE_INFINITY : -meanHandle * Math.log(1 - threshold) - meanAnswer;
      // Counted without a branch per agent (near the threshold or not is a coin flip to the CPU).
      const busyElapsed = o.busyElapsed;
      for (let i = 0; i < busy; i++) soon += Number((busyElapsed[i] as number) >= elapsedAtLeast);
      let calls = o.agentsReady + soon - o.callsWaiting;
      if (overCommit) {
        let d = 0;
        let a = 0;
        for (let i = 0; i < buckets; i++) {
          d += dials[i] as number;
          a += answers[i] as number;
        }
        if (d >= 10) calls = calls / Math.max(0.2, a / d);
      }
      const n = Math.floor(calls) - o.callsRinging;
      return Math.max(0, Math.min(n, lineHeadroom(o, limits)));
    },
    status: () => ({ ratio: 1 }),
  };
}
