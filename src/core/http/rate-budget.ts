import { type Clock, systemClock, type Timer } from "./clock.ts";
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
  release(tenant: string): Promise<void>;
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
      await store.release(tenant).catch(() => undefined);
    },
  };
}
