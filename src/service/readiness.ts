import type { LeadershipState } from "./leadership.ts";

/**
 * Whether this instance should get traffic. Not ready when its store does not answer: it can
 * neither record webhooks nor deliver events then, and it has stopped its leader work (a
 * PostgreSQL outage takes every instance out, and nothing is lost: what was committed stays,
 * what was not was never acknowledged). Not ready either when a newer build has migrated the
 * store since this instance started.
 */
export interface Readiness {
  ready: boolean;
  reason: string | null;
}

export function readiness(
  storeAnswers: boolean,
  leadership: LeadershipState,
  schemaTooNew: Error | null = null,
): Readiness {
  if (!storeAnswers)
    return {
      ready: false,
      reason: `the store does not answer${leadership.lastError ? `: ${leadership.lastError}` : ""}`,
    };
  // A newer build migrated the store while this one ran (a rolling upgrade): its writes may
  // fail (a new NOT NULL column) or be wrong; take it out of the load balancer until upgraded.
  if (schemaTooNew) return { ready: false, reason: schemaTooNew.message };
  return { ready: true, reason: null };
}
