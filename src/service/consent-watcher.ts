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
 * Every outbound campaign of the business unit is read (issue 78 §3), not only those the service
 * already knows: a "Do Not Call" on a skill nobody configured here is a revocation all the same.
 *
 * Production: the incremental listing of changed contacts (`changedCalls`), tenant-wide (no
 * skill: every outbound skill), from one checkpoint, overlapping the warehouse's lag; the first
 * read looks back 30 days. CXone serves a completed contact up to 30 minutes after it ended: an
 * agent's "Do Not Call" reaches cxo's ledger that late at worst. CXone's own dialer stops sooner
 * where the skill CONTRIBUTES to a DNC group (CXone adds the number itself), and the service's
 * group sync brings that into cxo's checks within `consent.cxoneDncSyncMinutes`.
 * Seed API (no "changed since" filter): the listing without a campaign (every campaign), of the
 * calls STARTED since the last read less `LOOKBACK_MS` (30 days back the first time), read again
 * each time (the ledger's ids make a second sight of a call add nothing); a disposition set on a
 * call started more than `LOOKBACK_MS` before the last read is not seen there (docs/platforms.md).
 */
const CHECKPOINTS = "consent.watcher";
/** The checkpoint of the tenant-wide read (the per-campaign keys of earlier builds are left alone). */
const TENANT_KEY = "tenant";
/**
 * CXone's completed contacts join the warehouse up to 30 minutes after they end (conformance
 * reference, DX), with their earlier `lastUpdateTime`: each incremental read starts this much
 * before the last one's time, so a contact that became visible late is still seen (seen twice
 * is harmless: the ledger keys a revocation by what it says).
 */
const WAREHOUSE_OVERLAP_MS = 35 * 60_000;
/** Seed: how far before the last read a call may have started and still be read again. */
const LOOKBACK_MS = 24 * 3_600_000;
/** The first read of a business unit: 30 days back (issue 78 §3; 24 hours missed revocations). */
const FIRST_READ_MS = 30 * 86_400_000;
const ACTOR = "service:consent";

export interface ConsentWatcherOptions {
  client: InternalClient;
  store: Store;
  logger: Logger;
  intervalMs: number;
  cxoneGroupId: string | undefined;
  now?: () => number;
  /**
   * The first run waits this long after `start()` (default: none). The service waits one
   * interval: the read is incremental from its checkpoint, so nothing is missed, and a service
   * just started (or just made leader) does not open with a 30-day read of every campaign.
   */
  firstDelayMs?: number;
}

export class ConsentWatcher extends PeriodicTask {
  private readonly options: ConsentWatcherOptions;
  /** Revocations recorded from CXone dispositions since start (tests, metrics). */
  recorded = 0;

  constructor(options: ConsentWatcherOptions) {
    super(options.intervalMs, { keepAlive: false, firstDelayMs: options.firstDelayMs ?? 0 });
    this.options = options;
  }

  protected async runOnce(signal: AbortSignal): Promise<void> {
    const { client, store, logger } = this.options;
    try {
      await this.scan(signal);
    } catch (error) {
      if (signal.aborted) return;
      logger.warn(
        { err: error },
        "consent: could not read the business unit's dispositions; trying again next run",
      );
    }
    const groups = client.port.dncGroups;
    if (this.options.cxoneGroupId !== undefined && groups && !signal.aborted)
      await honourInCxone(store, groups, { actor: ACTOR, signal }).then(
        () => {
          this.lastGroupProblem = undefined;
        },
        (error: unknown) => {
          if (signal.aborted) return;
          // Said once per problem, without a stack trace (issue 78 §11: one every 5 s, forever).
          const reason = error instanceof Error ? error.message : String(error);
          if (reason === this.lastGroupProblem) return;
          this.lastGroupProblem = reason;
          logger.warn(
            { groupId: this.options.cxoneGroupId, reason },
            "consent: revocations wait for the CXone DNC group; trying again every run",
          );
        },
      );
  }

  /** The last CXone group failure logged (the same one is not logged again). */
  private lastGroupProblem: string | undefined;

  /** Every outbound campaign's calls since the checkpoint, each do-not-call disposition recorded. */
  private async scan(signal: AbortSignal): Promise<void> {
    const { client, store } = this.options;
    const now = this.options.now?.() ?? Date.now();
    const consider = this.considerer();
    const last = await store.kv.get<string>(CHECKPOINTS, TENANT_KEY);
    if (client.port.support.unsupported("outcomes.changedCalls") === undefined) {
      const since = new Date(
        last === undefined ? now - FIRST_READ_MS : Date.parse(last) - WAREHOUSE_OVERLAP_MS,
      ).toISOString();
      const listing = client.port.outcomes.changedCalls({ updatedSince: since }, signal);
      let next = await listing.next();
      while (!next.done) {
        await consider(next.value);
        next = await listing.next();
      }
      await store.kv.set(CHECKPOINTS, TENANT_KEY, next.value.lastPollTime ?? new Date(now).toISOString());
      return;
    }
    const fromMs = last === undefined ? now - FIRST_READ_MS : Date.parse(last) - LOOKBACK_MS;
    const calls = client.port.outcomes.tenantCalls?.(
      { from: new Date(fromMs).toISOString(), to: new Date(now + 60_000).toISOString() },
      signal,
    );
    if (!calls) throw new Error("this platform lists no calls across campaigns");
    for await (const call of calls) await consider(call);
    await store.kv.set(CHECKPOINTS, TENANT_KEY, new Date(now).toISOString());
  }

  /** Records a call's disposition when it is a do-not-call request (per campaign: its marked codes, its reason names). */
  private considerer(): (call: OutboundCall) => Promise<void> {
    const { client, store } = this.options;
    const marked = new Map<string, Promise<Set<string> | undefined>>();
    const matrices = new Map<string, Promise<DispositionMatrix | null>>();
    const reasonName = async (call: OutboundCall) => {
      if (call.reasonCodeId === undefined) return undefined;
      let matrix = matrices.get(call.campaignId);
      if (!matrix) {
        matrix = client.dispositions.codes(call.campaignId).catch(() => null);
        matrices.set(call.campaignId, matrix);
      }
      const code = (await matrix)?.codes.find((c) => c.id === call.dispositionCode);
      return code?.reasonCodes.find((r) => r.id === call.reasonCodeId)?.name;
    };
    return async (call) => {
      if (call.dispositionCode === undefined || call.campaignId === "") return;
      let codes = marked.get(call.campaignId);
      if (!codes) {
        codes = markedCodesOf(store, call.campaignId);
        marked.set(call.campaignId, codes);
      }
      const result = await recordIfDncRequest(
        { store, actor: ACTOR, cxoneGroupId: this.options.cxoneGroupId },
        {
          campaignId: call.campaignId,
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
        await codes,
      );
      if (result.recorded && result.added) this.recorded += 1;
    };
  }
}
