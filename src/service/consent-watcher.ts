import type { InternalClient } from "../client.ts";
import {
  type CallbackSweep,
  LAST_SWEEP,
  type SweepRecord,
  sweepRecordOf,
} from "../compliance/revoked-callbacks.ts";
import type { HonourSummary } from "../consent/honour.ts";
import { countReceivedSince } from "../consent/ledger.ts";
import { clockNowDate, clockNowMs } from "../core/clock/now.ts";
import type { Logger } from "../core/logging/index.ts";
import { PeriodicTask } from "../core/periodic-task.ts";
import type { Store } from "../core/store/index.ts";
import type { ConsentGroup } from "../sdk/consent.ts";
import { type ConsentWatchHost, consentWatchHostOf } from "../sdk/consent-watch-host.ts";
import { honourParts, type Settled } from "../sdk/honour.ts";
import { roomForBackgroundReads } from "./background-reads.ts";

/**
 * `cxo serve`'s side of the consent ledger (issue 62 §1), on the leader: every `consent.pollSeconds`
 * (default 60) it reads the calls whose disposition agents set in CXone, records each
 * do-not-call disposition as a revocation (the call's number, at the call's time, channel
 * `agent`), then sends what the ledger holds pending to the tenant's CXone DNC group. A
 * revocation received by CXone disposition is so honoured within one interval plus one run:
 * well inside the 5 minutes the issue asks (docs/compliance.md, the benchmark). The read itself
 * is consent/cxone-dispositions.ts, the one the commands run without the service (issue 77 §3).
 * Then, where the platform has scheduled callbacks, every pending one to a revoked number is
 * deleted (compliance/revoked-callbacks.ts; an agent may schedule one after the revocation, so
 * every run looks, budget allowing: see `sweepDue`); the run's outcome is kept for the board, and a deletion that failed is said
 * there and in the log until a later run deletes it.
 */
const ACTOR = "service:consent";
const LINK_CHECK_MS = 60_000;

export interface ConsentWatcherOptions {
  client: InternalClient;
  store: Store;
  logger: Logger;
  intervalMs: number;
  cxoneGroupId: string | undefined;
  /** `consent.agentDoNotCall` (unset: by each campaign's kind). */
  agentDoNotCall?: "number" | "account" | undefined;
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
  /** What the SDK gives the watcher of the client (sdk/consent-watch-host.ts). */
  private readonly host: ConsentWatchHost;
  /** Revocations recorded from CXone dispositions since start (tests, metrics). */
  recorded = 0;

  constructor(options: ConsentWatcherOptions) {
    super(options.intervalMs, { keepAlive: false, firstDelayMs: options.firstDelayMs ?? 0 });
    this.options = options;
    this.host = consentWatchHostOf(options.client);
  }

  protected async runOnce(signal: AbortSignal): Promise<void> {
    const { logger } = this.options;
    try {
      await this.scan(signal);
    } catch (error) {
      if (signal.aborted) return;
      logger.warn(
        { err: error },
        "consent: could not read the business unit's dispositions; trying again next run",
      );
    }
    if (signal.aborted) return;
    // The one honour (sdk/honour.ts) over the service's parts: each part's outcome said apart.
    const { honour, callbacks } = await honourParts(this.parts(signal), { signal });
    if (signal.aborted) return;
    if ("error" in honour) this.groupFailed(honour.error);
    else if (honour.value) this.groupHonoured(honour.value);
    if (callbacks) await this.sweepSaid(callbacks);
  }

  /**
   * The service's consent parts: revocations sent as `service:consent` to the configured group
   * (the skills' own groups read for a lost link once a minute at most), and the callbacks sweep
   * (the deletions a killed run left re-driven once, on the first sweep). A part the platform or
   * the settings do not have answers undefined: nothing done, nothing said.
   */
  private parts(signal: AbortSignal): Pick<ConsentGroup, "honour" | "cancelCallbacks"> {
    const { client, store } = this.options;
    const { host } = this;
    const writer = { store, actor: ACTOR };
    return {
      honour: async () => {
        const groupId = this.options.cxoneGroupId;
        if (groupId === undefined || !host.hasDncGroups()) return undefined;
        return host.honourInGroup(writer, { groupId, checkLinks: this.linksDue() }, { signal });
      },
      cancelCallbacks: async () => {
        if (!host.hasScheduledCallbacks() || client.unsupported("scheduledCallbacks")) return undefined;
        const { due, ledgerSize } = await this.sweepDue();
        if (!due) return undefined;
        this.ledgerSizeAtSweep = ledgerSize;
        if (!this.redriven) {
          await host.redrivePendingCancellations(store);
          this.redriven = true;
        }
        return host.cancelRevokedCallbacks(writer, { nowMs: clockNowMs() }, { signal });
      },
    };
  }

  private groupHonoured(summary: HonourSummary): void {
    const { logger } = this.options;
    this.lastGroupProblem = undefined;
    // A number CXone refused stays pending (the next run sends it again): said every run it lasts.
    if (summary.refused && summary.refused.length > 0)
      logger.warn(
        { refused: summary.refused },
        "consent: CXone REFUSED numbers for its DNC group; they stay pending and are sent again next run",
      );
    if (summary.unlinked && summary.unlinked.length > 0)
      logger.warn(
        { unlinked: summary.unlinked },
        "consent: a skill's own DNC group does not scrub its skill and could not be linked again; its revocations are not honoured in CXone",
      );
    if (summary.relinked)
      logger.info({ relinked: summary.relinked }, "consent: linked a skill's own DNC group again");
  }

  private groupFailed(error: unknown): void {
    // Said once per problem, without a stack trace (issue 78 §11: one every 5 s, forever).
    const reason = error instanceof Error ? error.message : String(error);
    if (reason === this.lastGroupProblem) return;
    this.lastGroupProblem = reason;
    this.options.logger.warn(
      { groupId: this.options.cxoneGroupId, reason },
      "consent: revocations wait for the CXone DNC group; trying again every run",
    );
  }

  /** Deletions of scheduled callbacks a killed run left pending: re-driven once, on the first sweep. */
  private redriven = false;
  private lastCallbackProblem: string | undefined;

  /** The ledger's size at the last sweep: a sweep after a new revocation does not wait. */
  private ledgerSizeAtSweep = -1;
  /** The last sweep left a callback undeleted or could not read: the next run sweeps again. */
  private sweepUnsettled = false;

  /**
   * Whether this run reads every skill's callbacks (one request each, from the `campaigns` group
   * the autopilot's and the commands' skill reads and list uploads also spend). At once after a
   * revocation reached the ledger, or while a deletion is unsettled; otherwise a sweep that can
   * wait goes only while at least half of the group's budget is free. On a clock many times
   * faster than the wall (the week bench at x300, a poll every 0.2 s) every run's sweep took the
   * whole budget, and the autopilot's own reads queued behind it for up to a minute; at x1 a
   * tenant of many skills spent half the budget on it every minute.
   */
  private async sweepDue(): Promise<{ due: boolean; ledgerSize: number }> {
    const { client, store } = this.options;
    const ledgerSize = await countReceivedSince(store, 0);
    if (ledgerSize !== this.ledgerSizeAtSweep || this.sweepUnsettled) return { due: true, ledgerSize };
    return { due: roomForBackgroundReads(client), ledgerSize };
  }

  /** The sweep's outcome kept for the board and, when it is a new problem, logged. */
  private async sweepSaid(outcome: Settled<CallbackSweep | undefined>): Promise<void> {
    const { store, logger } = this.options;
    let record: SweepRecord;
    if ("error" in outcome) {
      const reason = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      record = {
        checkedAt: clockNowDate().toISOString(),
        pending: 0,
        toRevoked: 0,
        cancelled: 0,
        failed: [],
        unread: reason,
      };
    } else if (outcome.value === undefined) return;
    else record = sweepRecordOf(outcome.value);
    await store.kv.set(LAST_SWEEP.namespace, LAST_SWEEP.key, record);
    this.sweepUnsettled = record.unread !== undefined || record.failed.length > 0;
    const problem =
      record.unread ??
      (record.failed.length > 0
        ? `${record.failed.length} callback(s) not deleted: ${record.failed.map((f) => `${f.callbackId} (${f.error})`).join("; ")}`
        : undefined);
    if (problem === this.lastCallbackProblem) return;
    this.lastCallbackProblem = problem;
    if (problem)
      logger.warn(
        { reason: problem },
        "consent: scheduled callbacks to revoked numbers are still pending in CXone; trying again every run",
      );
  }

  /** When the groups kept per skill were last read (monotonic ms). */
  private linksCheckedAt = Number.NEGATIVE_INFINITY;

  /**
   * Whether this run reads the groups kept per skill (two requests each) to link again one that
   * lost its skill: once a minute at most, so a short poll interval does not spend the campaigns'
   * request budget on it.
   */
  private linksDue(): boolean {
    const now = performance.now();
    if (now - this.linksCheckedAt < LINK_CHECK_MS) return false;
    this.linksCheckedAt = now;
    return true;
  }

  /** The last CXone group failure logged (the same one is not logged again). */
  private lastGroupProblem: string | undefined;

  /** Every outbound campaign's calls since the checkpoint, each do-not-call disposition recorded. */
  private async scan(signal: AbortSignal): Promise<void> {
    const { store } = this.options;
    const read = await this.host.readDncDispositions(
      { store, actor: ACTOR },
      {
        cxoneGroupId: this.options.cxoneGroupId,
        agentDoNotCall: this.options.agentDoNotCall,
        ...(this.options.now ? { now: this.options.now } : {}),
      },
      { signal },
    );
    this.recorded += read.recorded;
  }
}
