import { parseInput } from "../../core/input-file.ts";
import type { Store } from "../../core/store/index.ts";
import type { DialerPort, DialerScope } from "../../platform/ports/dialer.ts";
import type { DialerConfig, DialerConfigInput } from "../config.ts";
import { type ApplyResult, applySettings } from "./apply.ts";
import type { LifecycleDeps } from "./lifecycle.ts";
import type { RestoreResult } from "./restore.ts";
import { rollbackSettings } from "./rollback.ts";
import { settingsFileSchema, settingsOf } from "./settings-file.ts";
import { type ValidationReport, validateConfig } from "./validate.ts";

export { readHistory } from "./history.ts";
export { settingsOperations } from "./operations.ts";
export { validateConfig };

// A client's settings lifecycle (sdk/dialer.ts): this file is loaded on the group's first
// validate, apply, rollback or history, with all it runs; the group's other methods never load it.

/** What the lifecycle is told: the scope, the waits, the stop signal, the narration. */
export interface SettingsLifecycle {
  scope: DialerScope;
  wait: { minDelayMs: number; maxDelayMs: number; maxWaitMs: number };
  rollbackWaitMs: number;
  stopSignal: AbortSignal | undefined;
  note: ((text: string) => void) | undefined;
  onValidated: ((report: ValidationReport) => void) | undefined;
  to: string | undefined;
}

/** What `apply` resolves with: the lifecycle's result with the validation, or "invalid". */
export type DialerApplyResult =
  | (ApplyResult & { validation: ValidationReport })
  | { outcome: "invalid"; ok: false; validation: ValidationReport };

/** The client's dialer port, and its store with the lifecycle's pending journal rows re-driven. */
export interface SettingsOfClient {
  port: DialerPort;
  store: () => Promise<Store>;
}

/** A settings file's config: the same schema as the simulator's (a target above 3% is bad input). */
export const settingsConfigOf = (config: DialerConfigInput): DialerConfig =>
  parseInput(config, settingsFileSchema) as DialerConfig;

/** `apply`: validated (not applied when invalid, `onValidated` told first), then the lifecycle. */
export async function applyOfClient(
  ctx: SettingsOfClient,
  config: DialerConfig,
  lifecycle: SettingsLifecycle,
  signal: AbortSignal | undefined,
): Promise<DialerApplyResult> {
  const validation = await validateConfig(config, ctx.port, signal ?? lifecycle.stopSignal, lifecycle.scope);
  if (!validation.ok) return { outcome: "invalid", ok: false, validation } as const;
  lifecycle.onValidated?.(validation);
  const result = await applySettings(depsOf(ctx, await ctx.store(), lifecycle, signal), settingsOf(config));
  return unlessStopped(signal, { ...result, validation });
}

/** `rollback`: an earlier version's settings (`lifecycle.to`, default the one before) restored. */
export async function rollbackOfClient(
  ctx: SettingsOfClient,
  lifecycle: SettingsLifecycle,
  signal: AbortSignal | undefined,
): Promise<RestoreResult & { to: string }> {
  const s = await ctx.store();
  const result = await rollbackSettings(depsOf(ctx, s, lifecycle, signal), s.kv, {
    campaignId: lifecycle.scope.campaignId,
    to: lifecycle.to,
  });
  return unlessStopped(signal, result);
}

/** The lifecycle's dependencies; its signal is the stop signal and the call's own. */
function depsOf(
  ctx: SettingsOfClient,
  store: Store,
  lifecycle: SettingsLifecycle,
  signal: AbortSignal | undefined,
): LifecycleDeps {
  const signals = [lifecycle.stopSignal, signal].filter((x): x is AbortSignal => x !== undefined);
  return {
    port: ctx.port,
    scope: lifecycle.scope,
    store,
    wait: lifecycle.wait,
    rollbackWaitMs: lifecycle.rollbackWaitMs,
    signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
    ...(lifecycle.note ? { note: lifecycle.note } : {}),
  };
}

/** The call's own signal ended the wait: reject with its reason (the stop signal resolves). */
function unlessStopped<T>(signal: AbortSignal | undefined, result: T): T {
  if (signal?.aborted) throw signal.reason;
  return result;
}
