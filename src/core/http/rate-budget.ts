import { type Clock, systemClock, type Timer } from "../clock/clock.ts";
import type { RateLimitRegistry } from "./endpoint-groups.ts";
import type { EndpointGroup } from "./group-names.ts";

/**
 * One tenant's rate budget shared by the PROCESSES on one store (two `cxo tag` runs, or
 * `cxo serve` and a `cxo outcomes export`): each process declares the groups it uses; every
 * `intervalMs` it renews its share in the store and learns how many processes use each group,
 * and its limiter for the group gets limit / holders. A process dying stops renewing; its rows
 * expire after `ttlMs` and the others' shares grow back.
 *
 * A process joining a group that others already use waits one window (plus a renewal) before
 * its first request: by then the others have lowered their rate and their last window's
 * requests have aged out, so the server never sees both at full rate in one window.
 */
export interface ShareStore {
  renew(tenant: string, groups: readonly string[], ttlMs: number): Promise<Map<string, number>>;
  /** Gives back this process's rows for `groups` of the tenant (every group when absent). */
  release(tenant: string, groups?: readonly string[]): Promise<void>;
}

export interface RateBudgetOptions {
  /** The tenant's key (base URL + client id, as the process registry keys it). */
  tenant: string;
  groups: readonly EndpointGroup[];
  intervalMs?: number;
  ttlMs?: number;
  clock?: Clock;
}

export interface SharedRateBudget {
  /** Renews now and applies the shares (also done every interval). */
  refresh(): Promise<void>;
  /** Stops renewing and gives the shares back. */
  close(): Promise<void>;
}

export async function shareRateBudget(
  limits: RateLimitRegistry,
  store: ShareStore,
  options: RateBudgetOptions,
): Promise<SharedRateBudget> {
  const clock = options.clock ?? systemClock;
  const intervalMs = options.intervalMs ?? 250;
  const ttlMs = options.ttlMs ?? 3_000;
  const { tenant, groups } = options;
  let timer: Timer | undefined;
  let closed = false;

  const refresh = async () => {
    const counts = await store.renew(tenant, groups, ttlMs);
    for (const name of groups) limits.get(name).setShare(counts.get(name) ?? 1);
  };
  const schedule = () => {
    timer = clock.setTimer(
      () => {
        refresh()
          .catch(() => undefined) // the store is busy or closing: keep the last shares
          .finally(() => {
            if (!closed) schedule();
          });
      },
      intervalMs,
      { keepAlive: false },
    );
  };

  await refresh();
  for (const name of groups) {
    const group = limits.get(name);
    // Per-minute groups would wait a minute: past a second, AIMD handles what overlap is left.
    if (group.state().holders > 1) group.pauseFor(Math.min(group.windowMs, 1_000) + intervalMs);
  }
  schedule();
  return {
    refresh,
    async close() {
      closed = true;
      timer?.cancel();
      await store.release(tenant, groups).catch(() => undefined);
    },
  };
}

/**
 * One process's membership of a tenant's groups, however many of its calls use them at once
 * (several exports of one SDK client, one per campaign). The first call joins the group
 * (`join`: shareRateBudget, which waits a window when other processes hold it); calls that
 * overlap it, or start within `lingerMs` of the last one's end, ride on that share instead of
 * joining again. Before, each call joined and left on its own: beside a `cxo serve`, each of
 * them waited its own window (1.25 s) and paused the group for the calls already running, and
 * the first to finish gave back the share the others were still using.
 */
export class RateShareMembership {
  private readonly members = new Map<EndpointGroup, Member>();
  /** The close of a group's last share, which a new join waits for (its rows are the same). */
  private readonly leaving = new Map<EndpointGroup, Promise<void>>();
  private readonly join: (group: EndpointGroup) => Promise<SharedRateBudget>;
  private readonly lingerMs: number;
  private readonly clock: Clock;

  constructor(
    join: (group: EndpointGroup) => Promise<SharedRateBudget>,
    options: { lingerMs?: number; clock?: Clock } = {},
  ) {
    this.join = join;
    this.lingerMs = options.lingerMs ?? 5_000;
    this.clock = options.clock ?? systemClock;
  }

  /** Runs `work` with this process's share of `groups`. */
  async with<T>(groups: readonly EndpointGroup[], work: () => Promise<T>): Promise<T> {
    const entered: Array<[EndpointGroup, Member]> = [];
    try {
      for (const group of new Set(groups)) entered.push([group, await this.enter(group)]);
      return await work();
    } finally {
      for (const [group, member] of entered) this.leave(group, member);
    }
  }

  /** Gives every share back now (the client closes). */
  async close(): Promise<void> {
    const members = [...this.members];
    this.members.clear();
    await Promise.all([...members.map(([, member]) => this.closeMember(member)), ...this.leaving.values()]);
  }

  private async enter(group: EndpointGroup): Promise<Member> {
    let member = this.members.get(group);
    if (!member) {
      const previous = this.leaving.get(group) ?? Promise.resolve();
      const created: Member = { users: 0, linger: undefined, budget: previous.then(() => this.join(group)) };
      // A join that failed is forgotten, so the next call tries again.
      created.budget.catch(() => {
        if (this.members.get(group) === created) this.members.delete(group);
      });
      this.members.set(group, created);
      member = created;
    }
    member.users += 1;
    member.linger?.cancel();
    member.linger = undefined;
    try {
      await member.budget;
    } catch (error) {
      member.users -= 1;
      throw error;
    }
    return member;
  }

  private leave(group: EndpointGroup, member: Member): void {
    member.users -= 1;
    if (member.users > 0 || this.members.get(group) !== member) return;
    member.linger = this.clock.setTimer(
      () => {
        if (member.users > 0 || this.members.get(group) !== member) return;
        this.members.delete(group);
        const closing = this.closeMember(member).finally(() => {
          if (this.leaving.get(group) === closing) this.leaving.delete(group);
        });
        this.leaving.set(group, closing);
      },
      this.lingerMs,
      { keepAlive: false },
    );
  }

  private async closeMember(member: Member): Promise<void> {
    member.linger?.cancel();
    member.linger = undefined;
    await member.budget.then(
      (budget) => budget.close(),
      () => undefined,
    );
  }
}

interface Member {
  users: number;
  budget: Promise<SharedRateBudget>;
  linger: Timer | undefined;
}
