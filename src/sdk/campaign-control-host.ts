import { changeCampaignStatus, type SetStatusResult } from "../campaigns/transition.ts";
import type { WatchdogPort } from "../campaigns/watchdog/core.ts";
import { startWatchdog, type Watchdog, type WatchdogConfig } from "../campaigns/watchdog/watchdog.ts";
import type { Logger } from "../core/logging/index.ts";
import { actingAs, type Store } from "../core/store/index.ts";
import type { RestoreResult } from "../dialer/settings/restore.ts";
import { rollbackSettings } from "../dialer/settings/rollback.ts";
import type { CampaignStatus } from "../platform/types.ts";
import { runCall } from "./call.ts";
import type { CxoneBaseClient } from "./client-types.ts";
import { runtimeOf } from "./internals.ts";
import type { ClientRuntime, RequestOptions } from "./runtime.ts";

/** Who writes, and where: a store of the caller's (the service's) and the actor its journal and audit record. */
export interface ActingWriter {
  store: Store;
  actor: string;
}

/**
 * What `cxo serve`'s failover watchdogs and its board's operator actions (src/service/watchdogs.ts,
 * src/service/routes/actions.ts) are given of the client they run on, and all they are given: the
 * campaign and dialer writes they make — each run as the SDK runs its own methods (runCall: the
 * caller's signal and deadline joined with the client's `close()`), inside the SDK, so neither
 * reads the port. Unlike `client.campaigns.pause` and `resume`, which write as the API client,
 * each write here is journaled and audited in the writer's store as the writer's actor (the
 * watchdog's `watchdog:<primary>`, the operator's `board:<user>`).
 */
export interface CampaignControlHost {
  /**
   * A failover watchdog on `config.primary` (campaigns/watchdog), its pauses and resumes written
   * as `writer`; each of its reads and writes of the campaigns runs as one call (its own signal,
   * which `signal` stops, joined with the client's `close()`). The caller owns it (`stop()`).
   */
  startWatchdog(
    writer: ActingWriter,
    params: { config: WatchdogConfig; logger?: Logger | undefined; signal?: AbortSignal | undefined },
  ): Watchdog;
  /** A campaign paused or resumed (campaigns/transition.ts, as `cxo campaigns pause|resume`), as `writer`. */
  setCampaignStatus(
    writer: ActingWriter,
    params: { campaignId: string; status: CampaignStatus; intent?: string | undefined },
    options?: RequestOptions,
  ): Promise<SetStatusResult>;
  /**
   * The dialer settings of version `to` restored for `campaignId` (absent: the tenant's) from the
   * history in the writer's store (dialer/settings/rollback.ts), as `writer`.
   */
  rollbackDialerSettings(
    writer: ActingWriter,
    params: {
      campaignId?: string | undefined;
      to?: string | undefined;
      wait: { minDelayMs: number; maxDelayMs: number; maxWaitMs: number };
      rollbackWaitMs?: number | undefined;
    },
    options?: RequestOptions,
  ): Promise<RestoreResult & { to: string }>;
}

/** What the host needs of a client's runtime: its port, and what its calls run with. */
export type CampaignControlRuntime = Pick<ClientRuntime, "port" | "calls" | "clock">;

/** The campaign control host of a client made by `createClient` (TypeError for anything else). */
export function campaignControlHostOf(client: CxoneBaseClient): CampaignControlHost {
  return campaignControlHostOver(runtimeOf(client));
}

/** The host over a client's runtime (campaignControlHostOf's; tests build one over a port double). */
export function campaignControlHostOver(runtime: CampaignControlRuntime): CampaignControlHost {
  const { port } = runtime;
  // The watchdog's campaigns port, each request one call (its signal joined with close()).
  const watchdogPort: WatchdogPort = {
    get: (campaignId, signal) =>
      runCall(runtime, { signal }, (joined) => port.campaigns.get(campaignId, joined)),
    setStatus: (campaignId, status, idempotencyKey, signal, hooks) =>
      runCall(runtime, { signal }, (joined) =>
        port.campaigns.setStatus(campaignId, status, idempotencyKey, joined, hooks),
      ),
    metrics: (campaignId, windowMinutes, signal) =>
      runCall(runtime, { signal }, (joined) => port.campaigns.metrics(campaignId, windowMinutes, joined)),
  };
  return {
    startWatchdog: ({ store, actor }, { config, logger, signal }) =>
      startWatchdog({
        client: watchdogPort,
        store: actingAs(store, actor),
        config,
        ...(logger ? { logger } : {}),
        ...(signal ? { signal } : {}),
      }),
    setCampaignStatus: ({ store, actor }, { campaignId, status, intent }, options) =>
      runCall(runtime, options, (signal) =>
        changeCampaignStatus(port.campaigns, actingAs(store, actor), campaignId, status, {
          intent,
          ...(signal ? { signal } : {}),
        }),
      ),
    rollbackDialerSettings: ({ store, actor }, { campaignId, to, wait, rollbackWaitMs }, options) =>
      runCall(runtime, options, (signal) =>
        rollbackSettings(
          {
            port: port.dialer,
            scope: campaignId === undefined ? {} : { campaignId },
            store: actingAs(store, actor),
            wait,
            rollbackWaitMs,
            ...(signal ? { signal } : {}),
          },
          store.kv,
          { campaignId, to },
        ),
      ),
  };
}
