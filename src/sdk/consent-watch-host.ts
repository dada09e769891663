import {
  CANCEL_CALLBACK,
  type CallbackSweep,
  cancelCallbackOperation,
  cancelRevokedCallbacks,
} from "../compliance/revoked-callbacks.ts";
import { type DispositionRead, readDncDispositions } from "../consent/cxone-dispositions.ts";
import type { AgentDoNotCall } from "../consent/dnc-request.ts";
import { type HonourSummary, honourInCxone } from "../consent/honour.ts";
import type { RedriveReport, Store } from "../core/store/index.ts";
import type { DncGroup } from "../platform/ports/dnc-groups.ts";
import { runCall } from "./call.ts";
import type { CxoneBaseClient } from "./client-types.ts";
import { runtimeOf } from "./internals.ts";
import type { RequestOptions } from "./runtime.ts";

/** Who writes, and where: the watcher's own store (the service's) and actor (`service:consent`). */
export interface ConsentWriter {
  store: Store;
  actor: string;
}

/**
 * What `cxo serve`'s consent watcher and its start-up group check (src/service/consent-*.ts) are
 * given of the client they run on, and all they are given: whether the platform has CXone's DNC
 * groups and scheduled callbacks, and the few operations they run on them — each run as the SDK
 * runs its own methods (runCall: the caller's signal and deadline joined with the client's
 * `close()`), inside the SDK, so the watcher never reads the port. Unlike `client.consent.honour`
 * and `cancelCallbacks`, which write as the API client, each write here is recorded in the
 * writer's store as the writer's actor.
 */
export interface ConsentWatchHost {
  /** Whether the client's platform has CXone's DNC groups (the port for them). */
  hasDncGroups(): boolean;
  /** Every DNC group of the business unit (the platform has them: `hasDncGroups()`). */
  listDncGroups(options?: RequestOptions): Promise<DncGroup[]>;
  /** The ledger's pending revocations sent to `groupId` (consent/honour.ts), written as `writer`. */
  honourInGroup(
    writer: ConsentWriter,
    params: { groupId: string; checkLinks: boolean },
    options?: RequestOptions,
  ): Promise<HonourSummary>;
  /** Whether the client's platform has scheduled callbacks (the port for them). */
  hasScheduledCallbacks(): boolean;
  /** Deletions of callbacks a killed run left pending in `store`, finished (the platform has callbacks). */
  redrivePendingCancellations(store: Store, options?: RequestOptions): Promise<RedriveReport>;
  /** Every pending callback to a revoked number deleted (compliance/revoked-callbacks.ts), as `writer`. */
  cancelRevokedCallbacks(
    writer: ConsentWriter,
    params: { nowMs: number },
    options?: RequestOptions,
  ): Promise<CallbackSweep>;
  /**
   * Every outbound campaign's calls since the checkpoint, each do-not-call disposition recorded
   * as a revocation as `writer` (consent/cxone-dispositions.ts); the campaigns' matrices read with
   * `client.dispositions.codes`.
   */
  readDncDispositions(
    writer: ConsentWriter,
    params: {
      cxoneGroupId: string | undefined;
      agentDoNotCall?: AgentDoNotCall | undefined;
      now?: (() => number) | undefined;
    },
    options?: RequestOptions,
  ): Promise<DispositionRead>;
}

/** The consent watcher's host of a client made by `createClient` (TypeError for anything else). */
export function consentWatchHostOf(client: CxoneBaseClient): ConsentWatchHost {
  const runtime = runtimeOf(client);
  const { port } = runtime;
  const groups = () => {
    if (!port.dncGroups) throw new TypeError("the platform has no DNC groups");
    return port.dncGroups;
  };
  const callbacks = () => {
    if (!port.scheduledCallbacks) throw new TypeError("the platform has no scheduled callbacks");
    return port.scheduledCallbacks;
  };
  return {
    hasDncGroups: () => port.dncGroups !== undefined,
    listDncGroups: (options) => runCall(runtime, options, (signal) => groups().list(signal)),
    honourInGroup: ({ store, actor }, { groupId, checkLinks }, options) =>
      runCall(runtime, options, (signal) =>
        honourInCxone(store, groups(), { actor, groupId, signal, checkLinks }),
      ),
    hasScheduledCallbacks: () => port.scheduledCallbacks !== undefined,
    redrivePendingCancellations: (store, options) =>
      runCall(runtime, options, () =>
        store.journal.redrivePending([cancelCallbackOperation(callbacks()) as never], {
          only: (entry) => entry.kind === CANCEL_CALLBACK,
        }),
      ),
    cancelRevokedCallbacks: ({ store, actor }, { nowMs }, options) =>
      runCall(runtime, options, (signal) =>
        cancelRevokedCallbacks(store, callbacks(), { actor, nowMs, signal }),
      ),
    readDncDispositions: ({ store, actor }, params, options) =>
      runCall(runtime, options, (signal) =>
        readDncDispositions(
          {
            port,
            store,
            matrixOf: (campaignId) => client.dispositions.codes(campaignId),
            actor,
            cxoneGroupId: params.cxoneGroupId,
            agentDoNotCall: params.agentDoNotCall,
            ...(params.now ? { now: params.now } : {}),
          },
          { signal },
        ),
      ),
  };
}
