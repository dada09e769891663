import type { LeadershipState } from "./leadership.ts";

/**
 * Whether this instance should get traffic. Not ready when its store does not answer: it can
 * neither record webhooks nor deliver events then, and it has stopped its leader work (a
 * PostgreSQL outage takes every instance out, and nothing is lost: what was committed stays,
 * what was not was never acknowledged).
 */
export interface Readiness {
  ready: boolean;
  reason: string | null;
}

export function readiness(storeAnswers: boolean, leadership: LeadershipState): Readiness {
  if (!storeAnswers)
    return {
      ready: false,
      reason: `the store does not answer${leadership.lastError ? `: ${leadership.lastError}` : ""}`,
    };
  return { ready: true, reason: null };
}
