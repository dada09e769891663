import type { Tuning } from "./bench.ts";

/**
 * The baselines' tuning grids, coarse to fine (pacing.md §3): each stage proposes tunings from
 * the best of the previous one. VICIdial is tuned over its maximum dial level first (1.1–2.0 in
 * steps of 0.1, and 3.0), then intensity (−40…+40) × drop limit (1.5–3%) at that maximum, then
 * the maximum ± 0.05. The others over their main knob.
 */
export type Stage = (best: Tuning | undefined, target: number) => Tuning[];

const range = (from: number, to: number, step: number): number[] => {
  const out: number[] = [];
  for (let x = from; x <= to + 1e-9; x += step) out.push(Math.round(x * 1000) / 1000);
  return out;
};

const vicidialStages: Stage[] = [
  (_best, target) =>
    [...range(1.1, 2.0, 0.1), 3].map((maxLevel) => ({ maxLevel, intensity: 0, dropLimit: target })),
  (best) => {
    const maxLevel = Number(best?.maxLevel ?? 1.5);
    const out: Tuning[] = [];
    for (const intensity of [-40, -20, 0, 20, 40])
      for (const dropLimit of [0.015, 0.02, 0.025, 0.03]) out.push({ maxLevel, intensity, dropLimit });
    return out;
  },
  (best) => {
    const m = Number(best?.maxLevel ?? 1.5);
    return [m - 0.05, m + 0.05]
      .filter((x) => x >= 1)
      .map((maxLevel) => ({ ...best, maxLevel: Math.round(maxLevel * 1000) / 1000 }));
  },
];

export const TUNING_STAGES: Record<string, Stage[]> = {
  "vicidial-hard-limit": vicidialStages,
  "vicidial-average": vicidialStages,
  "vicidial-tapered": vicidialStages,
  issabel: [
    () => [0.5, 0.8, 0.97].flatMap((threshold) => [0, 1].map((overCommit) => ({ threshold, overCommit }))),
  ],
  webitel: [() => [0, 10, 25, 50, 100, 200].map((loadFactor) => ({ loadFactor }))],
  "simulation-optimiser": [() => [0.02, 0.04, 0.07, 0.1, 0.15, 0.2].map((target) => ({ target }))],
  "best-fixed": [
    () => range(1.0, 2.4, 0.1).map((ratio) => ({ ratio })),
    (best) => {
      const r = Number(best?.ratio ?? 1);
      return [r - 0.05, r + 0.05]
        .filter((x) => x >= 1)
        .map((ratio) => ({ ratio: Math.round(ratio * 1000) / 1000 }));
    },
  ],
};

/** Smaller grids for the robustness variants (the maximum level, then intensity). */
const quickVicidial: Stage[] = [
  vicidialStages[0] as Stage,
  (best, target) =>
    [-40, -20, 20, 40].map((intensity) => ({
      maxLevel: Number(best?.maxLevel ?? 1.5),
      intensity,
      dropLimit: target,
    })),
];

export const QUICK_STAGES: Record<string, Stage[]> = {
  ...TUNING_STAGES,
  "vicidial-hard-limit": quickVicidial,
  "vicidial-average": quickVicidial,
  "vicidial-tapered": quickVicidial,
};
