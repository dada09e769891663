import { type Lease, LeaseLostError, type LeaseTable } from "./leases.ts";

/**
 * A lease held while work runs: renewed every third of its life, given up when the work ends,
 * and a signal that aborts if it is lost (taken over: a holder paused past its lease must not act
 * while another may hold it). What the push's lease (strategy/push-lease.ts) and the autopilot's
 * campaign-day lease (autopilot/campaign-day-lease.ts) share.
 */
export async function whileHolding<T>(
  leases: Pick<LeaseTable, "renew" | "release">,
  held: Lease,
  options: { ttlMs: number; signal?: AbortSignal | undefined },
  work: (held: { lease: Lease; signal: AbortSignal }) => Promise<T>,
): Promise<T> {
  let lease = held;
  const lost = new AbortController();
  let renewing = false;
  const timer = setInterval(
    () => {
      if (renewing) return;
      renewing = true;
      leases
        .renew(lease, options.ttlMs)
        // The database did not answer: try again at the next beat (the lease may still hold).
        .catch(() => lease)
        .then((renewed) => {
          if (renewed) lease = renewed;
          else lost.abort(new LeaseLostError(lease));
        })
        .finally(() => {
          renewing = false;
        });
    },
    Math.floor(options.ttlMs / 3),
  );
  timer.unref();
  const signal = options.signal ? AbortSignal.any([options.signal, lost.signal]) : lost.signal;
  try {
    return await work({ lease, signal });
  } finally {
    clearInterval(timer);
    await leases.release(lease).catch(() => undefined);
  }
}
