import type { Store } from "../../core/store/index.ts";
import type { WaiterResult } from "../../core/waiter.ts";
import type {
  DialerPort,
  DialerScope,
  DialerSettings,
  DialerSettingsState,
  SettingsOperation,
} from "../../platform/ports/dialer.ts";
import { settingsLifecycleMetrics } from "./metrics.ts";
import {
  activationOperation,
  type Purpose,
  putOperation,
  snapshotOperation,
  type Verified,
  verifyOperation,
} from "./operations.ts";

/**
 * What apply and rollback share: the journaled steps (snapshot, PUT, wait, verify) bound to one
 * port, store, abort signal and polling schedule.
 */
export interface LifecycleDeps {
  port: DialerPort;
  /** The campaign (skill) whose settings change; absent: the tenant's (seed API). */
  scope?: DialerScope | undefined;
  store: Pick<Store, "journal">;
  wait: { minDelayMs: number; maxDelayMs: number; maxWaitMs: number };
  /**
   * Deadline for each wait of a rollback. Longer than the apply's by default: a rollback that
   * gives up leaves settings nobody chose, so it is worth waiting for.
   */
  rollbackWaitMs?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Narration for people (stderr in the CLI). */
  note?: (text: string) => void;
}

export const TARGET = "tenant-dialer-settings";

/** The journal target of a lifecycle: the tenant's settings, or one campaign's (skill's). */
export const targetOf = (deps: LifecycleDeps): string =>
  deps.scope?.campaignId ? `dialer-settings:${deps.scope.campaignId}` : TARGET;

const scopeOf = (deps: LifecycleDeps) => (deps.scope?.campaignId ? { scope: deps.scope } : {});

export function snapshot(deps: LifecycleDeps, reason: string): Promise<DialerSettingsState> {
  return deps.store.journal.run(snapshotOperation(deps.port), {
    target: targetOf(deps),
    payload: { reason, ...scopeOf(deps) },
  });
}

/**
 * The snapshot, the PUT and the verification are not given the lifecycle's signal on purpose:
 * its abort means "stop waiting for the operation and roll back" (apply.ts), which needs the PUT's
 * answer recorded; only the wait for the operation listens to it.
 */
export function put(deps: LifecycleDeps, purpose: Purpose, settings: DialerSettings, ifMatch: string) {
  return deps.store.journal.run(putOperation(deps.port), {
    target: targetOf(deps),
    payload: { purpose, settings, ifMatch, ...scopeOf(deps) },
    // Each PUT is its own intent, even with the same body and tag (e.g. a retried rollback).
    idempotencyKey: `dialer-put-${crypto.randomUUID()}`,
  });
}

export async function waitForOperation(
  deps: LifecycleDeps,
  purpose: Purpose,
  start: { operationId: string; versionTag: string | null },
  ifMatch: string,
  settings: DialerSettings,
  signal: AbortSignal | undefined = deps.signal,
  record = true,
): Promise<WaiterResult<SettingsOperation>> {
  const wait = purpose === "rollback" ? { ...deps.wait, maxWaitMs: rollbackWaitMs(deps) } : deps.wait;
  const started = performance.now();
  const result = await deps.store.journal.run(
    activationOperation(deps.port, {
      signal,
      onPoll: () => settingsLifecycleMetrics.polls.inc({ purpose }),
    }),
    {
      target: targetOf(deps),
      payload: {
        ...scopeOf(deps),
        purpose,
        operationId: start.operationId,
        versionTag: start.versionTag,
        ifMatch,
        settings,
        wait,
        ...(record ? {} : { record: false }),
      },
    },
  );
  settingsLifecycleMetrics.waitMs.observe({ purpose, state: result.state }, performance.now() - started);
  return result;
}

export const rollbackWaitMs = (deps: LifecycleDeps) =>
  deps.rollbackWaitMs ?? Math.max(deps.wait.maxWaitMs, 120_000);

/** "0.3 s", "2 min": deadlines people read. */
export function seconds(ms: number): string {
  return ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Number((ms / 1000).toPrecision(3))} s`;
}

export function verify(
  deps: LifecycleDeps,
  purpose: Purpose,
  operationId: string,
  ifMatch: string,
  expected: DialerSettings,
  previousVersionTag: string,
): Promise<Verified> {
  return deps.store.journal.run(verifyOperation(deps.port), {
    target: targetOf(deps),
    payload: { purpose, operationId, ifMatch, expected, previousVersionTag, ...scopeOf(deps) },
  });
}
