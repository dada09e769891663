import { checkDeadline } from "../core/deadline.ts";
import type { Paginated } from "../core/http/pagination.ts";
import { InputError } from "../core/input-error.ts";
import { parseInput } from "../core/input-file.ts";
import { type InstantInput, instantInputText, zonedInstantText } from "../core/instant-input.ts";
import { lazyModule } from "../core/lazy-module.ts";
import type { AbandonmentParams } from "../dialer/abandonment/params.ts";
import type { AbandonmentReport } from "../dialer/abandonment/read-ledger.ts";
import type { DialerConfigInput } from "../dialer/config.ts";
import type { HistoryRow } from "../dialer/settings/history.ts";
import type { DialerApplyResult, SettingsLifecycle } from "../dialer/settings/of-client.ts";
import type { RestoreResult } from "../dialer/settings/restore.ts";
import type { ValidationReport } from "../dialer/settings/validate.ts";
import type { ParamOverrides, SimulationMode } from "../dialer/simulator/des/params.ts";
import type { SimulationResult } from "../dialer/simulator/des/result.ts";
import type { ErlangInput, ErlangReport } from "../dialer/simulator/erlang-report.ts";
import type { BenchReport } from "../dialer/simulator/pacing-bench/bench.ts";
import type { SweepRange, SweepResult } from "../dialer/simulator/sweep.ts";
import type {
  DialerAuditEntry,
  DialerAuditQuery,
  DialerMetricRow,
  DialerMetricsQuery,
  DialerScope,
  DialerSettingsState,
} from "../platform/ports/dialer.ts";
import { runCall, runListing } from "./call.ts";
import type { DialerDiff, DialerDiffParams, PacingBenchParams } from "./dialer-jobs.ts";
import { type ClientRuntime, paramsOf, type RequestOptions } from "./runtime.ts";

export type { DialerApplyResult, DialerDiff, DialerDiffParams, PacingBenchParams };

// The settings lifecycle (snapshot, apply, wait, verify, restore), its validation (which runs
// the simulator's local checks) and its history are one module, imported at first use (once:
// lazy-module.ts), not with this file: every client builds this group, and most never touch the
// dialer. So are the simulator (with the config's zod schema) and the closed forms of `simulate`
// and `erlang`: a client built for one compliance check, once a number, loads none of them.
const loadSettings = lazyModule(() => import("../dialer/settings/of-client.ts"));
const loadSimulator = lazyModule(async () => {
  const [{ simulateUntilAborted }, { paramsFromConfig }, { dialerConfigSchema }, { withinTarget }] =
    await Promise.all([
      import("../dialer/simulator/des/engine.ts"),
      import("../dialer/simulator/des/params.ts"),
      import("../dialer/config.ts"),
      import("../dialer/simulator/verdict.ts"),
    ]);
  return { simulateUntilAborted, paramsFromConfig, dialerConfigSchema, withinTarget };
});
const loadSweep = lazyModule(() => import("../dialer/simulator/sweep.ts"));
const loadErlang = lazyModule(() => import("../dialer/simulator/erlang-report.ts"));
// The queries' rules (zod, the platform's metric names) load when a listing is first iterated:
// a client that never reads the dialer's analytics (the compliance check's) never loads them.
const loadQueryRules = lazyModule(() => import("../dialer/metrics-query.ts"));

/**
 * `dialer.metrics`' query: the platform's (DialerMetricsQuery), its bounds given as any instant
 * a caller gives (InstantInput) and sent as RFC 3339 text.
 */
export interface DialerMetricsParams extends Omit<DialerMetricsQuery, "from" | "to"> {
  /** The window's start: ISO 8601 with a zone, or a Date (InstantInput); before `to`. */
  from?: InstantInput | undefined;
  /** The window's end: as `from`. */
  to?: InstantInput | undefined;
}

/**
 * Whose settings: the seed API's are tenant-wide (no campaign needed); on the production
 * platform they belong to a Personal Connection skill, named by `campaignId`.
 */
export interface DialerScopeOptions {
  campaignId?: string;
}

/**
 * How `apply` and `rollback` wait for CXone's asynchronous settings operation (a waiter, as AWS
 * SDK v3's): polls from `minDelayMs` growing to `maxDelayMs` with jitter, for at most `maxWaitMs`.
 */
export interface WaitFor {
  /** How long to wait for the operation before giving up (and rolling back, for apply); default 120 s. */
  maxWaitMs?: number;
  /** The first delay between polls; default 500 ms. */
  minDelayMs?: number;
  /** The longest delay between polls; default 5 s. */
  maxDelayMs?: number;
}

/** `apply`'s params: whose settings, and how to wait. */
export interface DialerApplyParams extends DialerScopeOptions {
  /** The wait for CXone's operation (default 120 s, polling from 500 ms to 5 s). */
  waitFor?: WaitFor;
  /** The wait of an automatic rollback's operation (default 300 s; delays as `waitFor`'s). */
  rollbackWaitFor?: Pick<WaitFor, "maxWaitMs">;
  /**
   * Stops waiting for CXone's operation: the call resolves with `outcome: "cancelled"` (the
   * operation may still complete on CXone). Unlike the request option `signal`, which rejects.
   */
  stopSignal?: AbortSignal;
  /** Told the validation report before anything is sent (e.g. to print its warnings). */
  onValidated?: (report: ValidationReport) => void;
  /** Narration for people (the CLI prints it on stderr). */
  note?: (text: string) => void;
}

/** `rollback`'s params: whose settings, to which version, and how to wait. */
export interface DialerRollbackParams extends DialerScopeOptions {
  /** The version whose settings to restore (default: the one before the current). */
  to?: string;
  /** The wait for the rollback's operation (default 300 s, polling from 500 ms to 5 s). */
  waitFor?: WaitFor;
  /** Stops waiting (as for `apply`). */
  stopSignal?: AbortSignal;
  note?: (text: string) => void;
}

export type RollbackResult = RestoreResult & { to: string };

/** `simulate`'s answer: the simulation, the config's abandonment target and the verdict on it. */
export interface DialerSimulation extends SimulationResult {
  /** The config's abandonment target (`algorithm.abandonmentTarget`). */
  target: number;
  /** The abandonment's 95% CI upper bound is at or under `target` (the planner's reading, not the point estimate). */
  withinTarget: boolean;
}

/** `sweep`'s params: the dial ratios to run, and each run's mode, length and seed. */
export interface DialerSweepParams {
  /** The dial ratios, `from` to `to` (inclusive) by `step`: ratios from 1 to 20, at most 200 points. */
  dialRatio: SweepRange;
  /** A dialing policy with a dial ratio (default predictive; progressive has none to sweep: refused). */
  mode?: SimulationMode;
  /** Simulated hours of each run, after the warm-up (default 1). */
  hours?: number;
  /** The seed of every run (default 1): the same seed at each ratio, so points differ by the ratio, not by luck. */
  seed?: number;
}

export interface DialerGroup {
  /** Local rules (abandonment, trunks, consistency, a short simulation), then CXone's policy check. */
  validate(
    config: DialerConfigInput,
    params?: DialerScopeOptions,
    options?: RequestOptions,
  ): Promise<ValidationReport>;
  /**
   * Validates, snapshots, applies with If-Match, waits for the operation (`waitFor`), verifies;
   * rolls back automatically on failure. An invalid config is not applied (`outcome:
   * "invalid"`). The request options bound the whole call: at `signal`'s abort or `deadlineMs`
   * it rejects with the reason (DeadlineExceededError), having recorded what it did.
   */
  apply(
    config: DialerConfigInput,
    params?: DialerApplyParams,
    options?: RequestOptions,
  ): Promise<DialerApplyResult>;
  /** Restores an earlier version's settings (default: the one before the current). */
  rollback(params?: DialerRollbackParams, options?: RequestOptions): Promise<RollbackResult>;
  /** The settings versions seen and applied from this data dir, oldest first. */
  history(params?: DialerScopeOptions, options?: RequestOptions): Promise<HistoryRow[]>;
  /** The settings in force now, with their version tag (and a pending operation, if any). */
  settings(params?: DialerScopeOptions, options?: RequestOptions): Promise<DialerSettingsState>;
  /**
   * A campaign's dialer metrics over time, page by page (`for await`, or `.toArray(n)`). A bad
   * query (an unknown metric, `from`/`to` not ISO 8601 with a zone or not in order, a bad
   * `campaignId`, `groupBy` or `pageSize`) is an InputError naming each field, raised when the
   * listing is first iterated, before anything is sent (a query that is not an object, by the call).
   */
  metrics(query: DialerMetricsParams, options?: RequestOptions): Paginated<DialerMetricRow>;
  /**
   * CXone's audit trail of dialer and campaign settings changes. A bad query (`entity` not
   * dialer or campaign, a bad `campaignId` or `pageSize`) is an InputError naming each field,
   * raised when the listing is first iterated, before anything is sent.
   */
  auditLog(query: DialerAuditQuery, options?: RequestOptions): Paginated<DialerAuditEntry>;
  /**
   * Simulates the config locally (discrete events): abandonment with its 95% CI, occupancy…
   * Nothing is sent; a bad config or override is an InputError naming its field.
   */
  simulate(
    config: DialerConfigInput,
    overrides?: ParamOverrides,
    options?: RequestOptions,
  ): Promise<DialerSimulation>;
  /**
   * One simulation per dial ratio of `params.dialRatio` (same seed for every point), and the
   * largest ratio whose abandonment CI upper bound stays at or under the config's target, every
   * smaller one too (`recommendedMaxRatio`, null when none does). Computed locally in slices: the
   * call's signal, deadline or close() stop it. A bad config or range is an InputError naming its
   * field (`dialRatio`, `mode`, `hours`, …).
   */
  sweep(config: DialerConfigInput, params: DialerSweepParams, options?: RequestOptions): Promise<SweepResult>;
  /** Queueing closed forms: Erlang B, C, A, M/M/n+D and progressive dialing (computed locally). */
  erlang(input: ErlangInput, options?: RequestOptions): Promise<ErlangReport>;
  /**
   * The abandonment ledger of a campaign this data dir created: per regime of the rule
   * table its figure over its window with the counts, a 95% interval, the limit and the headroom;
   * the operator's AMD false-positive estimate with its interval, the sampling plan and the calls
   * to review. A campaign this tenant's store does not know, a window the rule table does not
   * define, a bad `at` or `under`: InputError naming the field, nothing sent.
   */
  abandonment(params: AbandonmentParams, options?: RequestOptions): Promise<AbandonmentReport>;
  /**
   * Field-by-field differences between two settings versions: each a version tag from `history`
   * (read from the data dir, nothing sent) or `"current"` (the settings on CXone now, read from
   * the tenant: the answer names its version tag). A tag the history does not hold is an
   * InputError naming `from` or `to`, nothing sent. Works on a client without a connection when
   * neither is `"current"`.
   */
  diff(params: DialerDiffParams, options?: RequestOptions): Promise<DialerDiff>;
  /**
   * Benchmarks the pacing controllers on one scenario (a file or its document) with common random
   * numbers, the baselines grid-tuned on other seeds (docs/pacing.md). Computed locally, nothing
   * sent; the bench runs job by job and stops at the call's signal, deadline or close() (no job
   * starts after it; one running on a worker thread finishes unread), rejecting with the reason.
   * A bad scenario, controller or number is an InputError naming its field (`scenario`,
   * `controllers`, `replications`, `seed`, `workers`, `tuneDays`).
   */
  pacingBench(params: PacingBenchParams, options?: RequestOptions): Promise<BenchReport>;
}

/**
 * The lifecycle of `apply`/`rollback` from its params; every duration is checked (InputError
 * naming its field).
 */
function lifecycleOf(
  given: (DialerApplyParams & DialerRollbackParams) | undefined,
  purpose: "apply" | "rollback",
): SettingsLifecycle {
  const g = paramsOf(given, "params");
  const waitFor = paramsOf(g.waitFor, "waitFor");
  paramsOf(g.rollbackWaitFor, "rollbackWaitFor");
  checkDeadline(waitFor.maxWaitMs, "waitFor.maxWaitMs");
  checkDeadline(waitFor.minDelayMs, "waitFor.minDelayMs");
  checkDeadline(waitFor.maxDelayMs, "waitFor.maxDelayMs");
  checkDeadline(g.rollbackWaitFor?.maxWaitMs, "rollbackWaitFor.maxWaitMs");
  const rollbackWaitMs = g.rollbackWaitFor?.maxWaitMs ?? 300_000;
  const minDelayMs = waitFor.minDelayMs ?? 500;
  // Checked as a whole before anything is sent (issue 68 §1), and after the defaults are merged
  // (issue 80 §2, as smithy's createWaiter does): a maximum alone under the default minimum
  // (100 ms against 500 ms) was found by the waiter only after the PUT, as a raw RangeError.
  const maxDelayMs = waitFor.maxDelayMs ?? Math.max(5000, minDelayMs);
  if (maxDelayMs < minDelayMs)
    throw new InputError({
      field: "waitFor",
      rule: `waitFor.minDelayMs (${minDelayMs}) must not exceed waitFor.maxDelayMs (${maxDelayMs})`,
    });
  return {
    scope: g.campaignId === undefined ? {} : { campaignId: g.campaignId },
    wait: {
      minDelayMs,
      maxDelayMs,
      maxWaitMs: waitFor.maxWaitMs ?? (purpose === "rollback" ? 300_000 : 120_000),
    },
    rollbackWaitMs: purpose === "rollback" ? (waitFor.maxWaitMs ?? 300_000) : rollbackWaitMs,
    stopSignal: g.stopSignal,
    note: g.note,
    onValidated: g.onValidated,
    to: g.to,
  };
}

const scopeOf = (options: DialerScopeOptions): DialerScope =>
  options.campaignId === undefined ? {} : { campaignId: options.campaignId };

export function dialerGroup(runtime: ClientRuntime): DialerGroup {
  const port = runtime.port.dialer;
  const store = async () =>
    runtime.storeFor("dialer", (await loadSettings()).settingsOperations(port) as never[]);
  const ctx = { port, store };
  return {
    validate: (config, params = {}, options = {}) =>
      runCall(runtime, options, async (signal) => {
        const settings = await loadSettings();
        const parsed = settings.settingsConfigOf(config);
        return settings.validateConfig(parsed, port, signal, scopeOf(paramsOf(params)));
      }),

    apply: (config, params, options = {}) =>
      runCall(runtime, options, async (signal) => {
        const lifecycle = lifecycleOf(params, "apply");
        const settings = await loadSettings();
        return settings.applyOfClient(ctx, settings.settingsConfigOf(config), lifecycle, signal);
      }),

    rollback: (params, options = {}) =>
      runCall(runtime, options, async (signal) => {
        const lifecycle = lifecycleOf(params, "rollback");
        return (await loadSettings()).rollbackOfClient(ctx, lifecycle, signal);
      }),

    history: (params, options) =>
      runCall(runtime, options, async () => {
        const { readHistory } = await loadSettings();
        return readHistory((await runtime.store()).kv, paramsOf(params).campaignId);
      }),

    settings: (params, options) =>
      runCall(runtime, options, (signal) => port.getSettings(scopeOf(paramsOf(params)), signal)),

    // A query that is not an object is an InputError at once, as before; its rules, and the
    // options, when the iteration starts (before anything is sent).
    metrics: (query, options) => {
      const given = paramsOf(query, "query");
      return runListing(runtime, options, async function* (signal) {
        const problems = (await loadQueryRules()).dialerMetricsProblems(given);
        if (problems.length > 0) throw new InputError(problems);
        // The bounds as RFC 3339 (the same instant and offset; a Date as its ISO text): what
        // either platform reads.
        const textOf = (value: unknown, field: string) =>
          value === undefined ? undefined : zonedInstantText(instantInputText(value, field));
        const bounds = { from: textOf(given.from, "from"), to: textOf(given.to, "to") };
        yield* port.metrics({ ...(given as DialerMetricsParams), ...bounds }, signal).pages();
      });
    },

    auditLog: (query, options) => {
      const given = paramsOf(query, "query");
      return runListing(runtime, options, async function* (signal) {
        const problems = (await loadQueryRules()).dialerAuditLogProblems(given);
        if (problems.length > 0) throw new InputError(problems);
        yield* port.auditLog(given, signal).pages();
      });
    },

    // Local computations: the request options are checked (a bad one is an InputError) and an
    // aborted signal refuses to start; nothing is sent. The simulation runs in slices and stops
    // at the call's deadline, its signal or close() (issue 80 §2: a 200 ms deadline was passed
    // by 10 s), rejecting with the signal's reason.
    simulate: (config, overrides, options) =>
      runCall(runtime, options, async (signal) => {
        const checked = paramsOf(overrides, "overrides");
        const { simulateUntilAborted, paramsFromConfig, dialerConfigSchema, withinTarget } =
          await loadSimulator();
        const parsed = parseInput(config, dialerConfigSchema);
        const result = await refusedMaths("overrides", () =>
          simulateUntilAborted(paramsFromConfig(parsed, checked), signal),
        );
        const target = parsed.algorithm.abandonmentTarget;
        return { ...result, target, withinTarget: withinTarget(result.abandonment.ci95.high, target) };
      }),

    sweep: (config, params, options) =>
      runCall(runtime, options, async (signal) => {
        const given = paramsOf(params);
        const [{ dialerConfigSchema }, sweeps] = await Promise.all([loadSimulator(), loadSweep()]);
        const range = sweepRangeOf(given.dialRatio, sweeps.sweepRangeRule);
        const mode = given.mode ?? "predictive";
        if (mode === "progressive")
          throw new InputError({ field: "mode", rule: "progressive dialing has no dial ratio to sweep" });
        const parsed = parseInput(config, dialerConfigSchema);
        const run = { mode, hours: given.hours ?? 1, seed: given.seed ?? 1 };
        return refusedMaths("params", () => sweeps.sweepDialRatioUntilAborted(parsed, range, run, signal));
      }),

    abandonment: (params, options) =>
      runCall(runtime, options, async (signal) =>
        (await import("./dialer-abandonment.ts")).abandonmentOfClient(runtime, params, signal),
      ),

    erlang: (input, options) =>
      runCall(runtime, options, async () => {
        if (typeof input !== "object" || input === null)
          throw new InputError({
            field: "input",
            rule: "must be an object ({ model, agents, arrivalPerMin, ahtMin, … })",
          });
        const { erlangReport } = await loadErlang();
        return refusedMaths("input", () => erlangReport(input));
      }),

    diff: (params, options) =>
      runCall(runtime, options, async (signal) =>
        (await import("./dialer-jobs.ts")).diffOfClient(runtime, params, signal),
      ),

    pacingBench: (params, options) =>
      runCall(runtime, options, async (signal) =>
        (await import("./dialer-jobs.ts")).pacingBenchOfClient(params, signal),
      ),
  };
}

/** The sweep's range: an object of three numbers its rule allows (InputError naming `dialRatio` otherwise). */
function sweepRangeOf(given: unknown, rule: (range: SweepRange) => string | undefined): SweepRange {
  const range = given as Partial<SweepRange> | undefined;
  const isNumber = (n: unknown): n is number => typeof n === "number" && Number.isFinite(n);
  if (typeof range !== "object" || range === null || ![range.from, range.to, range.step].every(isNumber))
    throw new InputError({ field: "dialRatio", rule: "is required: { from, to, step }, three numbers" });
  const checked = { from: range.from as number, to: range.to as number, step: range.step as number };
  const broken = rule(checked);
  if (broken !== undefined) throw new InputError({ field: "dialRatio", rule: broken });
  return checked;
}

/** A metrics query by dialerMetricsProblems' rules (InputError naming each field otherwise; nothing sent). */
/**
 * The maths refuses what it cannot compute (a negative patience, a load it cannot serve, hours
 * below zero) with a RangeError: bad input, an SDK error like every other (InputError under
 * `field`, the RangeError as its cause), never a raw RangeError.
 */
function refusedMaths<T>(field: string, compute: () => T): T {
  const refused = (error: unknown) =>
    error instanceof RangeError ? new InputError({ field, rule: error.message }, { cause: error }) : error;
  try {
    const value = compute();
    // Asynchronous maths (the simulation in slices) refuses with a rejected promise.
    return value instanceof Promise
      ? (value.catch((error: unknown) => {
          throw refused(error);
        }) as T)
      : value;
  } catch (error) {
    throw refused(error);
  }
}
