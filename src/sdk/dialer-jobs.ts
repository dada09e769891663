import { InputError, type InputProblem } from "../core/input-error.ts";
import { parseInput } from "../core/input-file.ts";
import type { FieldChange } from "../dialer/settings/diff.ts";
import type { BenchReport } from "../dialer/simulator/pacing-bench/bench.ts";
import type { DialerSettings } from "../platform/ports/dialer.ts";
import { type ClientRuntime, paramsOf } from "./runtime.ts";

// `client.dialer.diff` and `client.dialer.pacingBench`, imported at their first call (the
// dialer group's file stays small, and a client that never diffs or benches loads neither).

/** `diff`'s params: two version tags of the history, or `"current"` (the settings on CXone now). */
export interface DialerDiffParams {
  /** A version tag from `history`, or `"current"`. */
  from: string;
  /** A version tag from `history`, or `"current"`. */
  to: string;
  /** Whose settings (the production platform's Personal Connection skill); absent: the tenant's. */
  campaignId?: string;
}

/** `diff`'s answer: the two versions (`"current"` resolved to its version tag) and what differs, by dotted field. */
export interface DialerDiff {
  from: string;
  to: string;
  changes: FieldChange[];
}

/** The ranges of `pacingBench`'s numbers (the CLI's flags take the same). */
export const PACING_BENCH_RANGES = {
  replications: { min: 1, max: 1000 },
  workers: { min: 0, max: 64 },
  tuneDays: { min: 1, max: 400 },
} as const;

/** `pacingBench`'s params: the scenario and how much of the bench to run. */
export interface PacingBenchParams {
  /** The scenario: a file (.yaml/.yml/.json, schema in docs/pacing.md), or its document as an object. */
  scenario: string | Record<string, unknown>;
  /** The controllers to run (default every one the bench knows). */
  controllers?: readonly string[];
  /** Replications reported, each the scenario's days (1–1000, default 10). */
  replications?: number;
  /** The first replication's seed (0 to 2^31, default 1); tuning uses other seeds. */
  seed?: number;
  /** Worker threads (0–64; 0 runs inline; default one per core, at most 4). */
  workers?: number;
  /** Days each baseline tuning is judged on (1–400, default 90). */
  tuneDays?: number;
}

/** The diff of two versions: the history's (nothing sent) and, for `"current"`, CXone's settings now. */
export async function diffOfClient(
  runtime: ClientRuntime,
  params: DialerDiffParams,
  signal: AbortSignal | undefined,
): Promise<DialerDiff> {
  const given = paramsOf(params, "params");
  const problems: InputProblem[] = [];
  for (const field of ["from", "to"] as const)
    if (typeof given[field] !== "string" || given[field] === "")
      problems.push({ field, rule: 'is required: a version tag from the history, or "current"' });
  if (problems.length > 0) throw new InputError(problems);
  const { from, to, campaignId } = given as DialerDiffParams;
  const [{ readHistory, findVersion }, { diffSettings }] = await Promise.all([
    import("../dialer/settings/history.ts"),
    import("../dialer/settings/diff.ts"),
  ]);
  const rows = await readHistory((await runtime.store()).kv, campaignId);
  // One at a time, `from` first: the first unknown tag is the one named.
  const local = (tag: string, field: string) => {
    if (tag === "current") return undefined;
    const row = findVersion(rows, tag);
    if (!row)
      throw new InputError({ field, rule: `version ${tag} is not in the history (see cxo dialer history)` });
    return row.settings;
  };
  const a = local(from, "from");
  const b = local(to, "to");
  let current: { versionTag: string; settings: DialerSettings } | undefined;
  if (!a || !b)
    current = await runtime.port.dialer.getSettings(campaignId === undefined ? {} : { campaignId }, signal);
  const settingsOf = (local: DialerSettings | undefined) =>
    local ?? (current as { settings: DialerSettings }).settings;
  const tagOf = (tag: string) => (tag === "current" ? (current as { versionTag: string }).versionTag : tag);
  return { from: tagOf(from), to: tagOf(to), changes: diffSettings(settingsOf(a), settingsOf(b)) };
}

/** The pacing bench on the call's signal: checked params, the scenario read, the run stopped at an abort. */
export async function pacingBenchOfClient(
  params: PacingBenchParams,
  signal: AbortSignal | undefined,
): Promise<BenchReport> {
  const given = paramsOf(params, "params");
  const problems: InputProblem[] = [];
  const whole = (field: keyof typeof PACING_BENCH_RANGES) => {
    const value = given[field];
    const { min, max } = PACING_BENCH_RANGES[field];
    if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max))
      problems.push({ field, rule: `must be a whole number from ${min} to ${max}` });
  };
  whole("replications");
  whole("workers");
  whole("tuneDays");
  if (given.seed !== undefined && !(Number.isInteger(given.seed) && given.seed >= 0 && given.seed < 2 ** 31))
    problems.push({ field: "seed", rule: "must be a whole number from 0 to 2^31" });
  const scenarioGiven = given.scenario;
  if (
    !(typeof scenarioGiven === "string" && scenarioGiven !== "") &&
    !(typeof scenarioGiven === "object" && scenarioGiven !== null && !Array.isArray(scenarioGiven))
  )
    problems.push({ field: "scenario", rule: "is required: a scenario file, or its document as an object" });
  const controllers = given.controllers;
  if (
    controllers !== undefined &&
    (!Array.isArray(controllers) || controllers.some((c) => typeof c !== "string"))
  )
    problems.push({ field: "controllers", rule: "must be a list of controller names" });
  if (problems.length > 0) throw new InputError(problems);
  const [
    { controllerNames },
    { loadScenarioFile },
    { compileScenario, scenarioSchema },
    { runBench },
    { BENCH_CONTROLLERS },
  ] = await Promise.all([
    import("../dialer/pacing/registry.ts"),
    import("../dialer/pacing/scenario-file.ts"),
    import("../dialer/pacing/scenario.ts"),
    import("../dialer/simulator/pacing-bench/bench.ts"),
    import("../dialer/simulator/pacing-bench/controllers.ts"),
  ]);
  if (controllers) {
    const known = new Set(controllerNames());
    const unknown = controllers.filter((name) => !known.has(name));
    if (controllers.length === 0 || unknown.length > 0)
      throw new InputError({
        field: "controllers",
        rule: `unknown controller(s) ${unknown.join(", ") || "(none given)"}; known: ${BENCH_CONTROLLERS.join(", ")}`,
      });
  }
  const scenario =
    typeof scenarioGiven === "string"
      ? loadScenarioFile(scenarioGiven, "scenario")
      : compileScenario(parseInput(scenarioGiven, scenarioSchema, "scenario"));
  signal?.throwIfAborted();
  return runBench({
    scenario,
    ...(controllers ? { controllers: [...controllers] } : {}),
    ...(given.replications !== undefined ? { replications: given.replications } : {}),
    ...(given.seed !== undefined ? { seed: given.seed } : {}),
    ...(given.workers !== undefined ? { workers: given.workers } : {}),
    ...(given.tuneDays !== undefined ? { tuneDays: given.tuneDays } : {}),
    ...(signal ? { signal } : {}),
  });
}
