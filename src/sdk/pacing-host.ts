import type { ConnectionMissingError } from "../core/connection-missing-error.ts";
import { actingAs, type RedriveReport, type Store } from "../core/store/index.ts";
import { type ApplyResult, applySettings } from "../dialer/settings/apply.ts";
import { settingsOperations } from "../dialer/settings/operations.ts";
import type { NotSupportedError } from "../platform/errors.ts";
import type { DialerSettings, DialerSettingsState } from "../platform/ports/dialer.ts";
import type { PortOperation } from "../platform/support.ts";
import { runCall } from "./call.ts";
import type { CxoneBaseClient } from "./client-types.ts";
import { runtimeOf } from "./internals.ts";
import { type LiveReadsHost, liveReadsOver } from "./live-reads-host.ts";
import { unsupportedOn } from "./platform-support.ts";
import type { ClientRuntime, RequestOptions } from "./runtime.ts";

/** Whose dialer settings: a Personal Connection skill's on CXone; absent, the tenant's (the seed API). */
export type PacingScope = { campaignId: string } | undefined;

/** How a settings change waits for the platform's operation (polls from `minDelayMs` to `maxDelayMs`, at most `maxWaitMs`). */
export interface PacingWait {
  minDelayMs: number;
  maxDelayMs: number;
  maxWaitMs: number;
}

/**
 * What the live pacer of `cxo serve` (src/service/pacing*.ts: an application over the client, as
 * the autopilot is; see application-host.ts) is given of the client it runs on, and all it is
 * given: the platform's answers it paces by, its three reads, and its one write — each run as
 * the SDK runs its own methods (runCall: the caller's signal and deadline joined with the
 * client's `close()`, on the client's clock), inside the SDK, so the pacer never reads the port
 * or the client's runtime. Its writes are journaled and audited in the store it keeps its own
 * state in (the service's), with the pacer as the actor.
 */
export interface PacingHost extends LiveReadsHost {
  /** The refusal `operation` ends in on the client's platform (as `client.unsupported`), or undefined. */
  unsupported(operation: PortOperation): NotSupportedError | ConnectionMissingError | undefined;
  /** Whether the platform's dialer settings are one object for the whole tenant (the seed API's). */
  tenantWideDialer(): boolean;
  /** The scope of `campaignId`'s dialer settings: its skill on CXone; undefined (the tenant's) on the seed API. */
  dialerScope(campaignId: string): PacingScope;
  /** The dialer settings in force for `scope`, with their version tag (as `client.dialer.settings`). */
  dialerSettings(scope: PacingScope, options?: RequestOptions): Promise<DialerSettingsState>;
  /**
   * One change of the dialer algorithm of `scope` through the settings lifecycle (snapshot,
   * version check, the whole settings as read with only `change` applied, the wait, verify),
   * journaled and audited in the pacer's store as `pacing:<campaignId>`, not the API client.
   * The call's signal stops the wait (the lifecycle then rolls back, as `dialer.apply`'s does).
   */
  applyAlgorithm(
    campaignId: string,
    scope: PacingScope,
    change: (algorithm: DialerSettings["algorithm"]) => DialerSettings["algorithm"],
    wait: PacingWait,
    options?: RequestOptions,
  ): Promise<ApplyResult>;
  /** Finishes the settings steps an earlier run left pending in the pacer's store (the snapshot read again; a PUT never re-sent). */
  redrivePendingSettings(options?: RequestOptions): Promise<RedriveReport>;
}

/** What the host needs of a client's runtime: its port, and what its calls run with. */
export type PacingRuntime = Pick<ClientRuntime, "port" | "calls" | "clock">;

/**
 * The pacing host of a client made by `createClient` (TypeError for anything else), writing into
 * `store`: the pacer's own (the service's, fenced to its leader), which may not be the client's.
 */
export function pacingHostOf(client: CxoneBaseClient, store: Store): PacingHost {
  return pacingHostOver(runtimeOf(client), store);
}

/** The pacing host over a client's runtime (pacingHostOf's; tests build one over a port double). */
export function pacingHostOver(runtime: PacingRuntime, store: Store): PacingHost {
  const { port } = runtime;
  const cxone = () => port.support.name === "cxone";
  return {
    unsupported: (operation) => unsupportedOn(port, operation),
    tenantWideDialer: () => !cxone(),
    dialerScope: (campaignId) => (cxone() ? { campaignId } : undefined),
    dialerSettings: (scope, options) =>
      runCall(runtime, options, (signal) => port.dialer.getSettings(scope ?? {}, signal)),
    ...liveReadsOver(runtime),
    applyAlgorithm: (campaignId, scope, change, wait, options) =>
      runCall(runtime, options, async (signal) => {
        const current = await port.dialer.getSettings(scope ?? {}, signal);
        const requested: DialerSettings = {
          ...current.settings,
          algorithm: change(current.settings.algorithm),
        };
        return applySettings(
          {
            port: port.dialer,
            scope,
            // Audited with the automation as the actor, not the API client id.
            store: actingAs(store, `pacing:${campaignId}`),
            wait,
            signal,
          },
          requested,
        );
      }),
    redrivePendingSettings: (options) =>
      runCall(runtime, options, () =>
        store.journal.redrivePending(settingsOperations(port.dialer) as never[]),
      ),
  };
}
