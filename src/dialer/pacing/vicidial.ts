import { applyLevel } from "./fixed.ts";
import {
  type ControllerOptions,
  lineHeadroom,
  type PacingController,
  type PacingObservation,
} from "./types.ts";

/**
 * VICIdial's adaptive dial level, from the reference's description of `bin/AST_VDadapt.pl`
 * v2.14 (pacing.md §2) and of how `AST_VDauto_dial.pl` applies it:
 * - every 1 s sample ready agents and answered calls waiting; keep the last 15 samples;
 * - every 15 s: e = (D + diffTarget) / N̄ with D = avg ready − avg waiting, N̄ = avg logged in;
 *   k = intensity / 100; e′ = e·|k − 1| if e < 0 else e·(1 + k); level ← level·(1 + e′),
 *   within [1, maxLevel];
 * - every 60 s: > 20 calls in the last minute with drops/dials > 50% halves the level; > 50 calls
 *   today with today's drops / answered over the drop limit: hard-limit → 1.0, average → halve,
 *   tapered → × min(1, (latest − now)/1000 in HHMM units), 1.0 past the latest time; while
 *   over the limit the 15 s step does not raise the level;
 * - dials = level × (ready + in call) − every call not yet ended. "Today" starts at midnight.
 */
export type VicidialMode = "hard-limit" | "average" | "tapered";

const SAMPLES = 15;
const MODES: readonly VicidialMode[] = ["hard-limit", "average", "tapered"];

export function vicidial(mode: VicidialMode) {
  return (options: ControllerOptions): PacingController => {
    const { limits } = options;
    const tuning = options.tuning ?? {};
    const maxLevel = Number(tuning.maxLevel ?? 3);
    const intensity = Number(tuning.intensity ?? 0);
    const dropLimit = Number(tuning.dropLimit ?? limits.target);
    const diffTarget = Number(tuning.diffTarget ?? 0);
    const latestHHMM = Number(tuning.latestHHMM ?? 2100);
    const k = intensity / 100;

    const ready = new Float64Array(SAMPLES);
    const waiting = new Float64Array(SAMPLES);
    const logged = new Float64Array(SAMPLES);
    let samples = 0;
    let nextSample = Number.NEGATIVE_INFINITY;
    let nextAdapt = Number.NEGATIVE_INFINITY;
    let nextDrops = Number.NEGATIVE_INFINITY;
    let level = 1;
    let day = -1;
    let todayDials = 0;
    let todayAnswers = 0;
    let todayDrops = 0;
    let minuteDials = 0;
    let minuteDrops = 0;
    /** No drop override so far set a level another mode would not have (the runs are one). */
    let modesAgree = true;
    const clamp = (x: number) => Math.max(1, Math.min(maxLevel, x));
    const sameUnderEveryMode = (now: number, secondOfDay: number): boolean => {
      const hhmm = Math.floor(secondOfDay / 3600) * 100 + Math.floor((secondOfDay % 3600) / 60);
      const hard = clamp(1);
      const average = clamp(now / 2);
      const tapered = clamp(hhmm >= latestHHMM ? 1 : now * Math.min(1, (latestHHMM - hhmm) / 1000));
      return hard === average && average === tapered;
    };

    return {
      name: `vicidial-${mode}`,
      tuning: { maxLevel, intensity, dropLimit },
      tick(o: PacingObservation): number {
        if (o.day !== day) {
          day = o.day;
          todayDials = 0;
          todayAnswers = 0;
          todayDrops = 0;
        }
        const c = o.counts;
        todayDials += c.dials;
        todayAnswers += c.liveAnswers;
        todayDrops += c.abandons;
        minuteDials += c.dials;
        minuteDrops += c.abandons;
        if (o.now >= nextSample) {
          nextSample = o.now + 1;
          const i = samples % SAMPLES;
          ready[i] = o.agentsReady;
          waiting[i] = o.callsWaiting;
          logged[i] = o.agentsLoggedIn;
          samples++;
        }
        if (o.now >= nextAdapt) {
          if (nextAdapt !== Number.NEGATIVE_INFINITY) {
            const n = Math.min(samples, SAMPLES);
            let r = 0;
            let w = 0;
            let a = 0;
            for (let i = 0; i < n; i++) {
              r += ready[i] as number;
              w += waiting[i] as number;
              a += logged[i] as number;
            }
            // While today's drops are over the limit the overrides below own the level: the
            // adaptive step may lower it but not raise it (what pins a bad morning at 1.0).
            const overLimit = todayDials > 50 && todayAnswers > 0 && todayDrops / todayAnswers > dropLimit;
            if (a > 0) {
              const e = ((r - w) / n + diffTarget) / (a / n);
              const ePrime = e < 0 ? e * Math.abs(k - 1) : e * (1 + k);
              if (!overLimit || ePrime < 0) level *= 1 + ePrime;
            }
          }
          nextAdapt = o.now + 15;
          if (o.now >= nextDrops) {
            if (nextDrops !== Number.NEGATIVE_INFINITY) {
              if (minuteDials > 20 && minuteDrops / minuteDials > 0.5) level /= 2;
              if (todayDials > 50 && todayAnswers > 0 && todayDrops / todayAnswers > dropLimit) {
                // The modes part here unless all three set the same level (once clamped below).
                if (modesAgree) modesAgree = sameUnderEveryMode(level, o.secondOfDay);
                if (mode === "hard-limit") level = 1;
                else if (mode === "average") level /= 2;
                else {
                  const hhmm =
                    Math.floor(o.secondOfDay / 3600) * 100 + Math.floor((o.secondOfDay % 3600) / 60);
                  level = hhmm >= latestHHMM ? 1 : level * Math.min(1, (latestHHMM - hhmm) / 1000);
                }
              }
            }
            minuteDials = 0;
            minuteDrops = 0;
            nextDrops = o.now + 60;
          }
          level = Math.max(1, Math.min(maxLevel, level));
        }
        const dials = applyLevel(o, Math.min(level, limits.maxLinesPerAgent));
        return Math.max(0, Math.min(dials, lineHeadroom(o, limits)));
      },
      status: () => ({ ratio: level }),
      sameRunAs: () => (modesAgree ? MODES.filter((m) => m !== mode).map((m) => `vicidial-${m}`) : []),
    };
  };
}
