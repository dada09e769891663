import { whileHolding } from "../core/store/held-lease.ts";
import type { Store } from "../core/store/index.ts";

/**
 * One run advances a campaign at a time: cron starts the next `run --once` when
 * one overruns, `cxo serve` runs on several hosts, a person runs one by hand. Each loaded the
 * campaign's state, worked, and saved it over the others' — reports saying "pushed 0" for lists
 * CXone dialled, three reports for one day. A run takes the campaign's lease (judged by the
 * store's clock, renewed while it works, released at its end); a run that finds it held does not
 * wait (a run never sleeps on cxo's own leases): it says who holds it since when and leaves the
 * campaign to that run, which is doing what this one would.
 */
export const CAMPAIGN_RUN_LEASE_TTL_MS = 60_000;

export const campaignRunLeaseName = (campaign: string) => `autopilot.campaign/${campaign}`;

export interface HeldBy {
  holder: string;
  /** When the holding run took it (its clock), if known. */
  since: string | undefined;
}

export async function oneRunAtATime<T>(
  store: Pick<Store, "leases">,
  campaign: string,
  signal: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<{ ran: T } | { heldBy: HeldBy }> {
  const name = campaignRunLeaseName(campaign);
  const lease = await store.leases.acquire(name, CAMPAIGN_RUN_LEASE_TTL_MS);
  if (!lease) {
    const held = await store.leases.get(name);
    return { heldBy: { holder: held?.holder ?? "another run", since: held?.acquiredAt } };
  }
  return {
    ran: await whileHolding(store.leases, lease, { ttlMs: CAMPAIGN_RUN_LEASE_TTL_MS, signal }, (held) =>
      work(held.signal),
    ),
  };
}
