import type { InternalClient } from "../client.ts";
import { calledNumberOf } from "../consent/called-number.ts";
import { markedCodesOf, recordIfDncRequest } from "../consent/dnc-request.ts";
import { honourInCxone } from "../consent/honour.ts";
import type { Logger } from "../core/logging/index.ts";
import { PeriodicTask } from "../core/periodic-task.ts";
import type { Store } from "../core/store/index.ts";
import type { DispositionMatrix, OutboundCall } from "../platform/types.ts";

/**
 * `cxo serve`'s side of the consent ledger (issue 62 §1), on the leader: every `consent.pollSeconds`
 * (default 60) it reads the calls whose disposition agents set in CXone, records each
 * do-not-call disposition as a revocation (the call's number, at the call's time, channel
 * `agent`), then sends what the ledger holds pending to the tenant's CXone DNC group. A
 * revocation received by CXone disposition is so honoured within one interval plus one run:
 * well inside the 5 minutes the issue asks (docs/compliance.md, the benchmark).
 *
 * Production: the incremental listing of changed contacts (`changedCalls`) from a checkpoint,
 * overlapping the warehouse's lag. CXone serves a completed contact up to 30 minutes after it
 * ended: an agent's "Do Not Call" reaches cxo's ledger that late at worst. CXone's own dialer
 * stops sooner where the skill CONTRIBUTES to a DNC group (CXone adds the number itself), and
 * the service's group sync brings that into cxo's checks within `consent.cxoneDncSyncMinutes`.
 * Seed API (no "changed since" filter): the calls STARTED in the last `LOOKBACK_MS`, read again
 * each time (the ledger's ids make a second sight of a call add nothing); a disposition set on
 * an older call is not seen there (docs/platforms.md).
 */
const CHECKPOINTS = "consent.watcher";
/**
 * CXone's completed contacts join the warehouse up to 30 minutes after they end (conformance
 * reference, DX), with their earlier `lastUpdateTime`: each incremental read starts this much
 * before the last one's time, so a contact that became visible late is still seen (seen twice
 * is harmless: the ledger keys a revocation by what it says).
 */
const WAREHOUSE_OVERLAP_MS = 35 * 60_000;
const LOOKBACK_MS = 24 * 3_600_000;
const ACTOR = "service:consent";

export interface ConsentWatcherOptions {
  client: InternalClient;
  store: Store;
  logger: Logger;
  intervalMs: number;
  campaigns: () => Promise<string[]>;
  cxoneGroupId: string | undefined;
  now?: () => number;
}

export class ConsentWatcher extends PeriodicTask {
  private readonly options: ConsentWatcherOptions;
  /** Revocations recorded from CXone dispositions since start (tests, metrics). */
  recorded = 0;

  constructor(options: ConsentWatcherOptions) {
    super(options.intervalMs, { keepAlive: false });
    this.options = options;
  }

  protected async runOnce(signal: AbortSignal): Promise<void> {
    const { client, store, logger } = this.options;
    for (const campaignId of await this.options.campaigns()) {
      if (signal.aborted) return;
      try {
        await this.scan(campaignId, signal);
      } catch (error) {
        if (signal.aborted) return;
        logger.warn(
          { err: error, campaignId },
          "consent: could not read the campaign's dispositions; trying again next run",
        );
      }
    }
    const groups = client.port.dncGroups;
    if (this.options.cxoneGroupId !== undefined && groups && !signal.aborted)
      await honourInCxone(store, groups, { actor: ACTOR, signal }).catch((error: unknown) => {
        if (!signal.aborted)
          logger.warn(
            { err: error },
            "consent: revocations wait for the CXone DNC group; trying again next run",
          );
      });
  }

  private async scan(campaignId: string, signal: AbortSignal): Promise<void> {
    const { client, store } = this.options;
    const now = this.options.now?.() ?? Date.now();
    const marked = await markedCodesOf(store, campaignId);
    let matrix: DispositionMatrix | null | undefined;
    const reasonName = async (call: OutboundCall) => {
      if (call.reasonCodeId === undefined) return undefined;
      matrix ??= await client.dispositions.codes(campaignId).catch(() => null);
      const code = matrix?.codes.find((c) => c.id === call.dispositionCode);
      return code?.reasonCodes.find((r) => r.id === call.reasonCodeId)?.name;
    };
    const consider = async (call: OutboundCall) => {
      if (call.dispositionCode === undefined) return;
      const result = await recordIfDncRequest(
        { store, actor: ACTOR, cxoneGroupId: this.options.cxoneGroupId },
        {
          campaignId,
          callId: call.id,
          phone: calledNumberOf(call),
          at: call.startTime,
          facts: {
            code: call.dispositionCode,
            name: call.dispositionName,
            reasonCode: call.reasonCodeId,
            reasonName: await reasonName(call),
          },
          via: "cxone",
        },
        marked,
      );
      if (result.recorded && result.added) this.recorded += 1;
    };
    if (client.port.support.unsupported("outcomes.changedCalls") === undefined) {
      const last = await store.kv.get<string>(CHECKPOINTS, campaignId);
      const since = new Date(
        last === undefined ? now - LOOKBACK_MS : Date.parse(last) - WAREHOUSE_OVERLAP_MS,
      ).toISOString();
      const listing = client.port.outcomes.changedCalls({ campaignId, updatedSince: since }, signal);
      let next = await listing.next();
      while (!next.done) {
        await consider(next.value);
        next = await listing.next();
      }
      await store.kv.set(CHECKPOINTS, campaignId, next.value.lastPollTime ?? new Date(now).toISOString());
      return;
    }
    const calls = client.port.outcomes.listCalls(
      {
        campaignId,
        from: new Date(now - LOOKBACK_MS).toISOString(),
        to: new Date(now + 60_000).toISOString(),
      },
      signal,
    );
    for await (const call of calls) await consider(call);
  }
}
