/**
 * Live campaign figures: what a skill's agents and contacts are doing now, and today's dialer
 * counts, seconds old — unlike success rates, which come from completed contacts and lag by up
 * to 30 minutes on the production platform. The board, `/metrics`, `cxo campaigns status` and
 * the failover watchdog read this port.
 *
 * A figure the platform does not give is `undefined` (absent), never 0: "no agents" and
 * "agents unknown" must not look alike to a watchdog.
 */
export interface LivePort {
  /**
   * One reading for every campaign asked for, with as few requests as the platform allows
   * (production: one tenant-wide activity request plus one tenant-wide summary request, with
   * `updatedSince` and 304 "no change"; seed: one metrics request per campaign). Campaigns the
   * platform does not know are left out of the answer.
   */
  read(campaignIds: readonly string[], signal?: AbortSignal): Promise<LiveReading>;
}

export interface LiveReading {
  snapshots: SkillLiveSnapshot[];
  /** Requests this reading cost (the request budget in docs/service.md counts these). */
  requests: number;
  /** The platform answered "no change since the last reading" (304): snapshots are the last ones. */
  notModified: boolean;
  /**
   * Figures this reading could not get, each with why (a report the role may not read, one the
   * tenant does not have): the others are still given. Absent when nothing was missing.
   */
  unavailable?: string[];
}

export interface SkillLiveSnapshot {
  campaignId: string;
  /** The skill is running (dialing), when the platform says. */
  running: boolean | undefined;
  agentsLoggedIn: number | undefined;
  agentsAvailable: number | undefined;
  agentsWorking: number | undefined;
  /** Agents in after-call work (wrap-up). */
  agentsInWrap: number | undefined;
  contactsActive: number | undefined;
  /** Contacts waiting in the skill's queue. */
  queued: number | undefined;
  /** When the platform last confirmed the agent/contact figures (ISO 8601). */
  observedAt: string;
  /** The endpoint the agent/contact figures came from, e.g. `GET /skills/activity`. */
  source: string;
  /** Today's dialer counts, when the platform gives them (absent otherwise). */
  today: LiveDayCounts | undefined;
}

export interface LiveDayCounts {
  dials: number | undefined;
  connects: number | undefined;
  rightPartyConnects: number | undefined;
  abandons: number | undefined;
  /** Abandoned / connected, a fraction in [0, 1]. */
  abandonRate: number | undefined;
  /** Start of the counted period (ISO 8601). */
  since: string;
  observedAt: string;
  source: string;
}
