import { clockNowMs } from "../../core/clock/now.ts";
import type { ProductionApiSettings } from "../../core/config/schema.ts";
import { NotFoundError, ScopeError } from "../../core/http/errors.ts";
import { localDayStart } from "../../core/local-day.ts";
import type { LiveDayCounts, LivePort, LiveReading, SkillLiveSnapshot } from "../ports/live.ts";
import type { ProductionApi } from "./api.ts";
import { bool, listOf, num, type Raw, text } from "./tolerant.ts";
/**
 * Live figures over the production API's real-time services (reference §4), tenant-wide:
 * each reading is ONE `GET /skills/activity` (with `updatedSince` = the previous answer's
 * `lastPollTime`; 304 or an empty list means "nothing changed", so the last snapshots stand and
 * are re-confirmed as of now) plus ONE `GET /skills/summary` for today's dialer counts — two
 * requests per reading however many campaigns are watched. Per-skill routes
 * (`/skills/{id}/activity`, `/skills/{id}/summary`) would cost two per campaign.
 *
 * `isActive` of a skill's activity is read as "the skill is running" (it has live work); a
 * field the platform leaves out stays absent in the snapshot. A 429 is backed off by the HTTP
 * core (2 s, then more, when no `Retry-After` comes), like every other call.
 *
 * "Today" starts at the business unit's midnight in its own time zone (`zone`), not UTC's. The
 * summary's `abandonRate` is read in the configured unit (`liveAbandonRateUnit`, percent by
 * default), never guessed from its size, and the counts win whenever both come back.
 */
export const ACTIVITY_SOURCE = "GET /skills/activity";
export const SUMMARY_SOURCE = "GET /skills/summary";

interface Cached {
  activity: Omit<SkillLiveSnapshot, "today" | "observedAt" | "campaignId">;
  today: LiveDayCounts | undefined;
}

export interface LiveOptions {
  abandonRateUnit: ProductionApiSettings["liveAbandonRateUnit"];
  /** The business unit's IANA zone (its midnight starts "today"). */
  zone: (signal?: AbortSignal) => Promise<string>;
}

export function productionLive(
  api: ProductionApi,
  options: LiveOptions,
  now: () => number = clockNowMs,
): LivePort {
  const cache = new Map<string, Cached>();
  let lastPollTime: string | undefined;
  let confirmedAt: string | undefined;

  const readActivity = async (signal?: AbortSignal): Promise<boolean> => {
    const response = await api.request({
      method: "GET",
      path: "/skills/activity",
      endpoint: ACTIVITY_SOURCE,
      group: "analytics",
      query: { isOutbound: true, ...(lastPollTime ? { updatedSince: lastPollTime } : {}) },
      ...(signal ? { signal } : {}),
    });
    const at = new Date(now()).toISOString();
    if (response.status === 304) {
      confirmedAt = at;
      return true;
    }
    const body = response.body as Raw | undefined;
    const rows = listOf(body, "skillActivity");
    for (const row of rows) {
      const id = text(row.skillId);
      if (!id) continue;
      const previous = cache.get(id);
      cache.set(id, { activity: activityOf(row), today: previous?.today });
    }
    lastPollTime = text(body?.lastPollTime) ?? lastPollTime ?? at;
    confirmedAt = at;
    return false;
  };

  /**
   * Today's counts, which a role may not be allowed to read (403) or a tenant may not have (404):
   * then the reading goes on without them and says why, and the live figures still come.
   */
  const readSummaryIfAllowed = async (signal?: AbortSignal): Promise<string | undefined> => {
    try {
      await readSummary(signal);
      return undefined;
    } catch (error) {
      if (!(error instanceof ScopeError || error instanceof NotFoundError)) throw error;
      for (const entry of cache.values()) entry.today = undefined;
      return `today's counts (${SUMMARY_SOURCE}): ${error.message}`;
    }
  };

  const readSummary = async (signal?: AbortSignal): Promise<void> => {
    const end = now();
    const zone = await options.zone(signal);
    const start = localDayStart(end, zone).toJSDate();
    const response = await api.request({
      method: "GET",
      path: "/skills/summary",
      endpoint: SUMMARY_SOURCE,
      group: "analytics",
      query: { startDate: start.toISOString(), endDate: new Date(end).toISOString() },
      ...(signal ? { signal } : {}),
    });
    const observedAt = new Date(now()).toISOString();
    for (const row of listOf(response.body, "skillSummaries")) {
      const id = text(row.skillId);
      if (!id) continue;
      const entry = cache.get(id);
      const today = dayCountsOf(row, start.toISOString(), observedAt, options.abandonRateUnit);
      if (entry) entry.today = today;
      else cache.set(id, { activity: emptyActivity(), today });
    }
  };

  return {
    async read(campaignIds, signal): Promise<LiveReading> {
      const [notModified, missing] = await Promise.all([readActivity(signal), readSummaryIfAllowed(signal)]);
      const observedAt = confirmedAt ?? new Date(now()).toISOString();
      const snapshots: SkillLiveSnapshot[] = [];
      for (const campaignId of campaignIds) {
        const entry = cache.get(campaignId);
        if (!entry) continue;
        snapshots.push({ campaignId, ...entry.activity, observedAt, today: entry.today });
      }
      return { snapshots, requests: 2, notModified, ...(missing ? { unavailable: [missing] } : {}) };
    },
  };
}

function activityOf(row: Raw): Cached["activity"] {
  return {
    running: bool(row.isActive),
    agentsLoggedIn: num(row.agentsLoggedIn),
    agentsAvailable: num(row.agentsAvailable),
    agentsWorking: num(row.agentsWorking),
    agentsInWrap: num(row.agentsACW),
    contactsActive: num(row.contactsActive),
    queued: num(row.queueCount),
    source: ACTIVITY_SOURCE,
  };
}

function emptyActivity(): Cached["activity"] {
  return {
    running: undefined,
    agentsLoggedIn: undefined,
    agentsAvailable: undefined,
    agentsWorking: undefined,
    agentsInWrap: undefined,
    contactsActive: undefined,
    queued: undefined,
    source: ACTIVITY_SOURCE,
  };
}

function dayCountsOf(
  row: Raw,
  since: string,
  observedAt: string,
  unit: LiveOptions["abandonRateUnit"],
): LiveDayCounts {
  const connects = num(row.connects);
  const abandons = num(row.abandonCount) ?? num(row.abandons);
  // The counts, when both are there, are exact and win; else the rate in its configured unit.
  const reported = num(row.abandonRate);
  const abandonRate =
    connects !== undefined && abandons !== undefined && connects > 0
      ? abandons / connects
      : reported === undefined
        ? undefined
        : unit === "percent"
          ? reported / 100
          : reported;
  return {
    dials: num(row.dials),
    connects,
    rightPartyConnects: num(row.rightPartyConnects),
    abandons,
    abandonRate,
    since,
    observedAt,
    source: SUMMARY_SOURCE,
  };
}
