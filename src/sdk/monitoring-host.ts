import type { Diagnosis } from "../campaigns/diagnose/facts.ts";
import { diagnoseCampaign } from "../campaigns/diagnose/gather.ts";
import { type CxoneDncSyncResult, syncCxoneDnc } from "../compliance/cxone-dnc-sync.ts";
import type { PacingDecision } from "../dialer/live-pacing/latest.ts";
import type { Campaign } from "../platform/types.ts";
import { runCall } from "./call.ts";
import type { ActingWriter } from "./campaign-control-host.ts";
import type { CxoneBaseClient } from "./client-types.ts";
import { runtimeOf } from "./internals.ts";
import { type LiveReadsHost, liveReadsOver } from "./live-reads-host.ts";
import type { ClientRuntime, RequestOptions } from "./runtime.ts";

/**
 * What the leader's watches of `cxo serve` (src/service: the metrics poller, the live poller, the
 * idle watch and the CXone DNC groups' sync, started by leader-work.ts) are given of the client
 * they run on, and all they are given: the platform's reads they make, and the sync's one write —
 * each run as the SDK runs its own methods (runCall: the caller's signal and deadline joined with
 * the client's `close()`, on the client's clock), inside the SDK, so no watch reads the port or
 * the client's runtime. The reads are the port's own, unchanged (no id check or renamed
 * not-found, unlike `client.campaigns.get`): what a watch records of them stays as it was.
 */
export interface MonitoringHost extends LiveReadsHost {
  /** A campaign as the platform has it (its name and status, for the board). */
  campaign(campaignId: string, options?: RequestOptions): Promise<Campaign>;
  /**
   * Why `campaignId` is (not) dialing at `atMs` (campaigns/diagnose/gather.ts), judged with the
   * client's compliance engine, the pacer's latest decision and the lists a plan feeds, as the
   * caller read them from its own store.
   */
  diagnose(
    campaignId: string,
    params: { atMs: number; pacing: PacingDecision | null; planFedLists: ReadonlySet<string> },
    options?: RequestOptions,
  ): Promise<Diagnosis>;
  /** Whether the client's platform has CXone's DNC groups to copy (and supports them). */
  hasDncGroups(): boolean;
  /**
   * The writer's copy of CXone's DNC groups replaced by the platform's (compliance/cxone-dnc-sync.ts),
   * audited as the writer's actor (the platform has DNC groups: `hasDncGroups()`).
   */
  syncDncGroups(writer: ActingWriter, options?: RequestOptions): Promise<CxoneDncSyncResult>;
}

/** What the host needs of a client's runtime: its port, its compliance engine, and what its calls run with. */
export type MonitoringRuntime = Pick<ClientRuntime, "port" | "calls" | "clock" | "complianceEngine">;

/** The monitoring host of a client made by `createClient` (TypeError for anything else). */
export function monitoringHostOf(client: CxoneBaseClient): MonitoringHost {
  return monitoringHostOver(runtimeOf(client));
}

/** The host over a client's runtime (monitoringHostOf's; tests build one over a port double). */
export function monitoringHostOver(runtime: MonitoringRuntime): MonitoringHost {
  const { port } = runtime;
  return {
    campaign: (campaignId, options) =>
      runCall(runtime, options, (signal) => port.campaigns.get(campaignId, signal)),
    ...liveReadsOver(runtime),
    diagnose: (campaignId, { atMs, pacing, planFedLists }, options) =>
      runCall(runtime, options, async (signal) =>
        diagnoseCampaign(
          port,
          await runtime.complianceEngine(),
          campaignId,
          atMs,
          pacing,
          signal,
          planFedLists,
        ),
      ),
    hasDncGroups: () => port.dncGroups !== undefined && !port.support.unsupported("dncGroups"),
    syncDncGroups: ({ store, actor }, options) =>
      runCall(runtime, options, (signal) => {
        if (!port.dncGroups) throw new TypeError("the platform has no DNC groups");
        return syncCxoneDnc(store, port.dncGroups, { ...(signal ? { signal } : {}), actor });
      }),
  };
}
