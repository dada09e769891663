import type { Tuning } from "./bench.ts";

/**
 * The baselines' tuning grids, coarse to fine (issue 41 §2): each stage proposes tunings from
 * the best of the previous one. VICIdial's maximum dial level is searched over the WHOLE range
 * 1.0–3.0 with no gap: every 0.25 first, then ± 0.125 around the best, then intensity (−40, 0,
 * +40) × drop limit (1.5%, the target) at that maximum, then the maximum ± 0.0625 — so the
 * maximum ends within 0.0625 of any point of the range. Best-fixed likewise over 1.0–3.0. The
 * others over their main knob.
 */
export type Stage = (best: Tuning | undefined, target: number) => Tuning[];

const range = (from: number, to: number, step: number): number[] => {
  const out: number[] = [];
  for (let x = from; x <= to + 1e-9; x += step) out.push(Math.round(x * 10000) / 10000);
  return out;
};

const round = (x: number) => Math.round(x * 10000) / 10000;
const around = (m: number, step: number) =>
  [m - step, m + step].filter((x) => x >= 1 - 1e-9 && x <= 3 + 1e-9).map(round);

const vicidialStages: Stage[] = [
  (_best, target) => range(1, 3, 0.25).map((maxLevel) => ({ maxLevel, intensity: 0, dropLimit: target })),
  (best) => around(Number(best?.maxLevel ?? 1.5), 0.125).map((maxLevel) => ({ ...best, maxLevel })),
  (best, target) => {
    const maxLevel = Number(best?.maxLevel ?? 1.5);
    const out: Tuning[] = [];
    for (const intensity of [-40, 0, 40])
      for (const dropLimit of [0.015, target])
        if (intensity !== 0 || dropLimit !== target) out.push({ maxLevel, intensity, dropLimit });
    return out;
  },
  (best) => around(Number(best?.maxLevel ?? 1.5), 0.0625).map((maxLevel) => ({ ...best, maxLevel })),
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
    () => range(1, 3, 0.25).map((ratio) => ({ ratio })),
    (best) => around(Number(best?.ratio ?? 1), 0.125).map((ratio) => ({ ratio })),
    (best) => around(Number(best?.ratio ?? 1), 0.0625).map((ratio) => ({ ratio })),
  ],
};

/**
 * Smaller grids for the robustness variants and the scenario family: the maximum level over the
 * whole range (every 0.25, then ± 0.125), intensity 0 and the target's drop limit.
 */
const quickVicidial: Stage[] = [vicidialStages[0] as Stage, vicidialStages[1] as Stage];

export const QUICK_STAGES: Record<string, Stage[]> = {
  ...TUNING_STAGES,
  "vicidial-hard-limit": quickVicidial,
  "vicidial-average": quickVicidial,
  "vicidial-tapered": quickVicidial,
};
