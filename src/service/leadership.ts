import { clockNowMs } from "../core/clock/now.ts";
import type { Logger } from "../core/logging/index.ts";
import type { Lease, Store } from "../core/store/index.ts";
import { fencedStore } from "../core/store/index.ts";
/**
 * Leader election among the `cxo serve` instances on one store, for the work that must run
 * once per tenant, not once per instance: failover watchdogs, the metrics poller, scheduled
 * exports and audit anchoring.
 *
 * Every instance tries to take the `service.leader` lease every `renewEveryMs`; the holder
 * renews it. The leader's work gets a store FENCED by the lease (core/store leases.ts): its
 * journal rows and checkpoints are only written while the lease still holds with its token, so
 * a leader that was paused past the lease (GC, SIGSTOP, a partition) cannot act on waking up,
 * even before it notices it lost. A killed leader is replaced within ttl + renewEvery (8 s by
 * default); one on this host that died is replaced at the next tick (its pid is gone): within
 * renewEvery (2 s by default), bench/takeover.ts measures it. The new leader logs the takeover
 * (warn, naming the old holder) when the old one did not hand the lease over.
 * Losing the database means losing the lease: the work stops, and /api/ready says why.
 */
export const LEADER_LEASE = "service.leader";

export interface LeadershipOptions {
  store: Store;
  logger: Logger;
  ttlMs?: number;
  renewEveryMs?: number;
  /** Starts the leader's work with a fenced store; returns how to stop it. */
  lead: (store: Store, lease: Lease) => Promise<() => Promise<void>> | (() => Promise<void>);
}

export interface LeadershipState {
  leader: boolean;
  /** Fencing token of our lease while leading. */
  token: number | null;
  /** Who leads now, as far as we know (instance id). */
  leaderId: string | null;
  /** The last time the lease table answered (ms), null before the first try. */
  lastContactAt: number | null;
  lastError: string | null;
}

export class Leadership {
  private readonly options: LeadershipOptions;
  private readonly ttlMs: number;
  private readonly renewEveryMs: number;
  private lease: Lease | null = null;
  private stopWork: (() => Promise<void>) | null = null;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;
  private readonly snapshot: LeadershipState = {
    leader: false,
    token: null,
    leaderId: null,
    lastContactAt: null,
    lastError: null,
  };

  constructor(options: LeadershipOptions) {
    this.options = options;
    this.ttlMs = options.ttlMs ?? 6000;
    this.renewEveryMs = options.renewEveryMs ?? Math.max(100, Math.floor(this.ttlMs / 3));
  }

  async start(): Promise<void> {
    await this.tick();
    this.schedule();
  }

  state(): LeadershipState {
    return { ...this.snapshot };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    const lease = this.lease;
    await this.stepDown("shutting down");
    // Hand over at once instead of making the others wait for the lease to run out.
    if (lease) await this.options.store.leases.release(lease).catch(() => undefined);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.tick().finally(() => this.schedule());
    }, this.renewEveryMs);
  }

  private tick(): Promise<void> {
    this.ticking = this.round().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private async round(): Promise<void> {
    const { store, logger } = this.options;
    try {
      if (this.lease) {
        const renewed = await store.leases.renew(this.lease, this.ttlMs);
        this.contact();
        if (renewed) this.lease = renewed;
        else await this.stepDown("the lease was lost (expired or taken over)");
      } else {
        const lease = await store.leases.acquire(LEADER_LEASE, this.ttlMs);
        this.contact();
        if (lease && this.stopped)
          // Told to stop while winning: hand it back, as stop does, rather than make the others wait it out.
          await store.leases.release(lease);
        else if (lease) await this.takeOver(lease);
        else this.snapshot.leaderId = (await store.leases.get(LEADER_LEASE))?.holder ?? null;
      }
    } catch (error) {
      this.snapshot.lastError = (error as Error).message;
      logger.error({ err: error }, "leader lease: the store does not answer");
      // We cannot prove we still hold it: stop acting now (the fence would refuse anyway).
      if (this.lease) await this.stepDown("the store does not answer");
    }
  }

  private contact(): void {
    this.snapshot.lastContactAt = clockNowMs();
    this.snapshot.lastError = null;
  }

  private async takeOver(lease: Lease): Promise<void> {
    this.lease = lease;
    Object.assign(this.snapshot, { leader: true, token: lease.token, leaderId: lease.holder });
    const from = lease.takenFrom;
    if (from && from.how !== "released")
      // The old leader did not hand over: it died or stopped renewing. Say whom we replaced.
      this.options.logger.warn(
        { token: lease.token, previousHolder: from.holder, previousToken: from.token, how: from.how },
        from.how === "died-here"
          ? `took over the leader lease from ${from.holder}, which died on this host`
          : `took over the leader lease from ${from.holder}, whose lease ran out without renewal`,
      );
    this.options.logger.info(
      { token: lease.token, ...(from ? { previousHolder: from.holder } : {}) },
      "this instance leads (watchdogs, poller, exports)",
    );
    try {
      this.stopWork = await this.options.lead(fencedStore(this.options.store, lease), lease);
    } catch (error) {
      this.options.logger.error({ err: error }, "starting the leader's work failed; stepping down");
      await this.stepDown("its work failed to start");
      await this.options.store.leases.release(lease).catch(() => undefined);
    }
  }

  private async stepDown(reason: string): Promise<void> {
    const wasLeading = this.lease !== null;
    this.lease = null;
    Object.assign(this.snapshot, { leader: false, token: null });
    const stop = this.stopWork;
    this.stopWork = null;
    if (wasLeading) this.options.logger.warn({ reason }, "this instance no longer leads");
    if (stop)
      await stop().catch((error) => this.options.logger.error({ err: error }, "stopping leader work"));
  }
}
