import { z } from "zod";
import { InputError, type InputProblem } from "../../../core/input-error.ts";
import { falsePositiveRate } from "../amd-estimate.ts";
import type { PacingLimits } from "../types.ts";
import { coldStartGain } from "./cold-start.ts";

/** The window guard's line (× the target), and with the operator's estimate of people hung up on as machines (they are counted). */
const WINDOW_GUARD = 0.85;
const OFCOM_ESTIMATE_GUARD = 0.92;

/**
 * A tuning value: a number, or a string that reads as one (the bench's `--tuning k=v`). Anything
 * else, or a number outside the key's range, is refused by name.
 */
const value = (check: z.ZodNumber) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v), check);
const positive = (max?: number) =>
  value(max === undefined ? z.number().positive() : z.number().positive().max(max));
const atLeast0 = () => value(z.number().min(0));
const whole = () => value(z.number().int().min(0));

/**
 * `cxo`'s tuning: every key, its range. Unset keys take the defaults in `DEFAULTS` (two follow
 * the limits: `windowGuard` and `initialGain`); `hotFactor` unset means the short guard's line
 * follows chance (guards.ts).
 */
const SCHEMA = z
  .strictObject({
    /** The aim's ceiling, × the target. */
    margin: positive(1),
    /** The gain's learning rate per live answer. */
    kappa: positive(1),
    /** Progressive with fewer agents logged in. */
    minAgents: whole(),
    /** Progressive until this many calls are resolved. */
    warmupCalls: whole(),
    /** The day's opening (seconds) holds the gain ≤ 1: every agent is idle at once. */
    openingSeconds: atLeast0(),
    /** The online estimates' memory, in calls. */
    memoryCalls: positive(),
    /** The answer delay's coefficient of variation until enough answers estimate it. */
    ringCv: positive(),
    /** The gain's floor. */
    minGain: positive(3),
    /** At the day's opening the live-answer estimate restarts from the time-of-day prior with this weight (resolved calls). */
    openingWeight: atLeast0(),
    /** The short guard's line fixed at this multiple of the target (unset: chance's reach, 1.5–2 ×). */
    hotFactor: positive(),
    /** A hot half hour's factor on the dials. */
    hotCut: positive(1),
    /** The legal window's guard line, × the target (0.85; 0.92 with the operator's estimate of people hung up on as machines). */
    windowGuard: positive(),
    /** The gain a campaign starts from (0.5; lower under a 2% target). */
    initialGain: positive(3),
    /** Once the spread of day rates is learnt, the binomial spread of a day's rate counts at this share in the day's aim. */
    spreadFloor: atLeast0(),
    /** The day's plan is at most this multiple of the target. */
    planMax: positive(),
    /** The day's guard: today's projected rate over this share of the target cuts the dials. */
    dayGuard: positive(),
    /** In-day steering's strength per drop (0: no steering). */
    steer: atLeast0(),
  })
  .partial();

export interface CxoTuning {
  margin: number;
  kappa: number;
  minAgents: number;
  warmupCalls: number;
  openingSeconds: number;
  memoryCalls: number;
  ringCv: number;
  minGain: number;
  openingWeight: number;
  /** Unset: the short guard's line follows chance. */
  hotFactor: number | undefined;
  hotCut: number;
  windowGuard: number;
  initialGain: number;
  spreadFloor: number;
  planMax: number;
  dayGuard: number;
  steer: number;
}

const DEFAULTS = {
  margin: 0.95,
  kappa: 0.02,
  minAgents: 3,
  warmupCalls: 300,
  openingSeconds: 300,
  memoryCalls: 300,
  ringCv: 0.5,
  minGain: 0.05,
  openingWeight: 60,
  hotCut: 0.6,
  spreadFloor: 0.5,
  planMax: 1.2,
  dayGuard: 0.97,
  steer: 0.02,
} as const;

/** Every key `cxo` accepts in its tuning. */
export const CXO_TUNING_KEYS: readonly string[] = Object.keys(SCHEMA.shape);

/**
 * The tuning a `cxo` runs with: the given keys validated (an unknown key or a value out of range
 * is an InputError naming `tuning.<key>`), the rest at their defaults for these limits.
 */
export function cxoTuning(given: Readonly<Record<string, unknown>>, limits: PacingLimits): CxoTuning {
  const unknown = Object.keys(given).filter((k) => !CXO_TUNING_KEYS.includes(k));
  if (unknown.length > 0)
    throw new InputError(
      unknown.map((k) => ({
        field: `tuning.${k}`,
        rule: `is not a cxo tuning key (known: ${CXO_TUNING_KEYS.join(", ")})`,
      })),
    );
  const parsed = SCHEMA.safeParse(given);
  if (!parsed.success)
    throw new InputError(
      parsed.error.issues.map(
        (issue): InputProblem => ({
          field: `tuning.${issue.path.map(String).join(".")}`,
          rule: issue.message,
        }),
      ),
    );
  const t = parsed.data;
  // One literal, every key in the same order: the controller reads these every tick, and an
  // object built by spreading entries may not get the fast shape a literal does.
  return {
    margin: t.margin ?? DEFAULTS.margin,
    kappa: t.kappa ?? DEFAULTS.kappa,
    minAgents: t.minAgents ?? DEFAULTS.minAgents,
    warmupCalls: t.warmupCalls ?? DEFAULTS.warmupCalls,
    openingSeconds: t.openingSeconds ?? DEFAULTS.openingSeconds,
    memoryCalls: t.memoryCalls ?? DEFAULTS.memoryCalls,
    ringCv: t.ringCv ?? DEFAULTS.ringCv,
    minGain: t.minGain ?? DEFAULTS.minGain,
    openingWeight: t.openingWeight ?? DEFAULTS.openingWeight,
    hotFactor: t.hotFactor,
    hotCut: t.hotCut ?? DEFAULTS.hotCut,
    windowGuard:
      t.windowGuard ?? (falsePositiveRate(limits.amdFalsePositive) > 0 ? OFCOM_ESTIMATE_GUARD : WINDOW_GUARD),
    // Starts cautious: the first completions after a cold start come later than the model says;
    // lower still under a low target (`coldStartGain`).
    initialGain: t.initialGain ?? coldStartGain(limits.target),
    spreadFloor: t.spreadFloor ?? DEFAULTS.spreadFloor,
    planMax: t.planMax ?? DEFAULTS.planMax,
    dayGuard: t.dayGuard ?? DEFAULTS.dayGuard,
    steer: t.steer ?? DEFAULTS.steer,
  };
}
