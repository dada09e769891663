import type { Paginated } from "../core/http/pagination.ts";
import { InputError } from "../core/input-error.ts";
import { parseInput } from "../core/input-file.ts";
import type { Store } from "../core/store/index.ts";
import { type DialerConfig, dialerConfigSchema } from "../dialer/config.ts";
import type { ApplyResult } from "../dialer/settings/apply.ts";
import type { HistoryRow } from "../dialer/settings/history.ts";
import type { LifecycleDeps } from "../dialer/settings/lifecycle.ts";
import type { RestoreResult } from "../dialer/settings/restore.ts";
import type { ValidationReport } from "../dialer/settings/validate.ts";
import { simulate as runSimulation } from "../dialer/simulator/des/engine.ts";
import { type ParamOverrides, paramsFromConfig } from "../dialer/simulator/des/params.ts";
import type { SimulationResult } from "../dialer/simulator/des/result.ts";
import { type ErlangInput, type ErlangReport, erlangReport } from "../dialer/simulator/erlang-report.ts";
import type {
  DialerAuditEntry,
  DialerAuditQuery,
  DialerMetricRow,
  DialerMetricsQuery,
  DialerScope,
  DialerSettingsState,
} from "../platform/ports/dialer.ts";
import {
  type ClientRuntime,
  checkDeadline,
  inCall,
  listingInCall,
  type RequestOptions,
  requestSignal,
} from "./runtime.ts";

// The settings lifecycle (snapshot, apply, wait, verify, restore) and its validation (which runs
// the simulator's local checks) are imported at first use, not with this file: every client
// builds this group, and most never touch the dialer. `simulate` and `erlang` answer at once
// (they are synchronous), so the engine and the closed forms they use are imported here.

/**
 * Whose settings: the seed API's are tenant-wide (no campaign needed); on the production
 * platform they belong to a Personal Connection skill, named by `campaignId`.
 */
export interface DialerScopeOptions {
  campaignId?: string;
}

/** How long apply/rollback wait for CXone's asynchronous settings operation. */
export interface LifecycleOptions extends DialerScopeOptions {
  /**
   * How long to wait for CXone's settings operation to complete before giving up (and rolling
   * back, for apply); default 120 s.
   */
  operationWaitMs?: number;
  /**
   * The old name of `operationWaitMs` (it is not a deadline on the whole call, as `deadlineMs`
   * is on every other method); still honoured when `operationWaitMs` is absent.
   * @deprecated Use `operationWaitMs`.
   */
  deadlineMs?: number;
  /** Attempts per request (1–20), as in RequestOptions. */
  maxAttempts?: number;
  /** First and longest delay between operation polls; default 500 ms and 5 s. */
  pollMinMs?: number;
  pollMaxMs?: number;
  /** How long each wait of a rollback may take; default 300 s. */
  rollbackDeadlineMs?: number;
  signal?: AbortSignal;
  /** Narration for people (the CLI prints it on stderr). */
  note?: (text: string) => void;
}

export type RollbackResult = RestoreResult & { to: string };

export interface DialerGroup {
  /** Local rules (abandonment, trunks, consistency, a short simulation), then CXone's policy check. */
  validate(
    config: DialerConfig | Record<string, unknown>,
    options?: DialerScopeOptions & RequestOptions,
  ): Promise<ValidationReport>;
  /**
   * Validates, snapshots, applies with If-Match, waits for the operation, verifies; rolls back
   * automatically on failure. An invalid config is not applied (`outcome: "invalid"`).
   */
  apply(
    config: DialerConfig | Record<string, unknown>,
    options?: LifecycleOptions & { onValidated?: (report: ValidationReport) => void },
  ): Promise<
    | (ApplyResult & { validation: ValidationReport })
    | { outcome: "invalid"; ok: false; validation: ValidationReport }
  >;
  /** Restores an earlier version's settings (default: the one before the current). */
  rollback(options?: LifecycleOptions & { to?: string }): Promise<RollbackResult>;
  /** The settings versions seen and applied from this data dir, oldest first. */
  history(options?: DialerScopeOptions): Promise<HistoryRow[]>;
  /** The settings in force now, with their version tag (and a pending operation, if any). */
  settings(options?: DialerScopeOptions & RequestOptions): Promise<DialerSettingsState>;
  /** A campaign's dialer metrics over time, page by page (`for await`, or `.toArray(n)`). */
  metrics(query: DialerMetricsQuery, options?: RequestOptions): Paginated<DialerMetricRow>;
  /** CXone's audit trail of dialer and campaign settings changes. */
  auditLog(query: DialerAuditQuery, options?: RequestOptions): Paginated<DialerAuditEntry>;
  /** Simulates the config locally (discrete events): abandonment with its 95% CI, occupancy… */
  simulate(config: DialerConfig | Record<string, unknown>, options?: ParamOverrides): SimulationResult;
  /** Queueing closed forms: Erlang B, C, A, M/M/n+D and progressive dialing. */
  erlang(input: ErlangInput): ErlangReport;
}

/** `operationWaitMs`, or its deprecated name; checked like any other duration. */
function operationWaitOf(options: LifecycleOptions): number {
  const field =
    options.operationWaitMs === undefined && options.deadlineMs !== undefined
      ? "deadlineMs"
      : "operationWaitMs";
  const value = options.operationWaitMs ?? options.deadlineMs ?? 120_000;
  checkDeadline(value, field);
  checkDeadline(options.rollbackDeadlineMs, "rollbackDeadlineMs");
  return value;
}

const scopeOf = (options: DialerScopeOptions): DialerScope =>
  options.campaignId === undefined ? {} : { campaignId: options.campaignId };

/**
 * A settings file's config: an abandonment target above the legal 3% is well-formed (validate
 * lists it as a violation); the simulator's config must be within it.
 */
const configOf = async (config: DialerConfig | Record<string, unknown>): Promise<DialerConfig> =>
  parseInput(
    config,
    (await import("../dialer/settings/settings-file.ts")).settingsFileSchema,
  ) as DialerConfig;
const simulatedConfigOf = (config: DialerConfig | Record<string, unknown>): DialerConfig =>
  parseInput(config, dialerConfigSchema);

export function dialerGroup(runtime: ClientRuntime): DialerGroup {
  const port = runtime.port.dialer;
  const store = async () => {
    const { settingsOperations } = await import("../dialer/settings/operations.ts");
    return runtime.storeFor("dialer", settingsOperations(port) as never[]);
  };
  const deps = (s: Store, options: LifecycleOptions): LifecycleDeps => ({
    port,
    scope: scopeOf(options),
    store: s,
    wait: {
      minDelayMs: options.pollMinMs ?? 500,
      maxDelayMs: options.pollMaxMs ?? 5000,
      maxWaitMs: operationWaitOf(options),
    },
    rollbackWaitMs: options.rollbackDeadlineMs ?? 300_000,
    signal: options.signal,
    ...(options.note ? { note: options.note } : {}),
  });

  return {
    validate: (config, options = {}) =>
      inCall(options, async () => {
        const parsed = await configOf(config);
        const { validateConfig } = await import("../dialer/settings/validate.ts");
        return validateConfig(parsed, port, requestSignal(options), scopeOf(options));
      }),

    apply: (config, options = {}) =>
      inCall(options, async () => {
        operationWaitOf(options);
        const parsed = await configOf(config);
        const [{ validateConfig }, { applySettings }, { settingsOf }] = await Promise.all([
          import("../dialer/settings/validate.ts"),
          import("../dialer/settings/apply.ts"),
          import("../dialer/settings/settings-file.ts"),
        ]);
        const validation = await validateConfig(parsed, port, options.signal, scopeOf(options));
        if (!validation.ok) return { outcome: "invalid", ok: false, validation } as const;
        options.onValidated?.(validation);
        const result = await applySettings(deps(await store(), options), settingsOf(parsed));
        return { ...result, validation };
      }),

    rollback: (options = {}) => inCall(options, () => rollback(options)),

    history: async (options = {}) => {
      const { readHistory } = await import("../dialer/settings/history.ts");
      return readHistory((await runtime.store()).kv, options.campaignId);
    },

    settings: (options = {}) =>
      inCall(options, () => port.getSettings(scopeOf(options), requestSignal(options))),

    metrics: (query, options) => listingInCall(options, port.metrics(query, requestSignal(options))),

    auditLog: (query, options) => listingInCall(options, port.auditLog(query, requestSignal(options))),

    simulate: (config, options = {}) => runSimulation(paramsFromConfig(simulatedConfigOf(config), options)),

    erlang: (input) => {
      try {
        return erlangReport(input);
      } catch (error) {
        // The maths refuses what it cannot compute (a negative patience, a load it cannot
        // serve): bad input, an SDK error like every other, never a raw RangeError.
        if (error instanceof RangeError) throw new InputError({ field: "input", rule: error.message });
        throw error;
      }
    },
  };

  async function rollback(options: LifecycleOptions & { to?: string }): Promise<RollbackResult> {
    const { rollbackSettings } = await import("../dialer/settings/rollback.ts");
    const s = await store();
    return rollbackSettings(deps(s, options), s.kv, { campaignId: options.campaignId, to: options.to });
  }
}
