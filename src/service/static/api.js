// @ts-check
// The board's reads of the service's JSON API, typed by the server's own answers: the response
// schemas the routes serialise with (../answers/*.ts) are the one source of these types.
/** @import { CampaignAnswer, DashboardAnswer } from "../answers/board.ts" */
/** @import { AuditAnswer, AutopilotAnswer, CallerIdAnswer, ConsentAnswer, SkillDriftAnswer, DeadEventsAnswer, DialerHistoryAnswer, HealthAnswer, IncidentsAnswer, JobsAnswer, OutboxAnswer, TenantsAnswer } from "../answers/panels.ts" */
import { apiPath } from "./state.js";

/**
 * What each path answers.
 * @typedef {{
 *   "/api/dashboard": DashboardAnswer,
 *   "/api/campaigns": { campaigns: CampaignAnswer[] },
 *   "/api/outbox": OutboxAnswer,
 *   "/api/outbox/dead": DeadEventsAnswer,
 *   "/api/jobs": JobsAnswer,
 *   "/api/callerid": CallerIdAnswer,
 *   "/api/audit": AuditAnswer,
 *   "/api/consent": ConsentAnswer,
 *   "/api/skill-drift": SkillDriftAnswer,
 *   "/api/autopilot": AutopilotAnswer,
 *   "/api/incidents": IncidentsAnswer,
 *   "/api/health": HealthAnswer,
 *   "/api/dialer/history": DialerHistoryAnswer,
 *   "/api/tenants": TenantsAnswer,
 * }} Answers
 */

/**
 * GETs a path of this board's API (or, with `base`, of another business unit's: `/t/NAME`).
 * A 401 leads to the sign-in page; another failure is thrown.
 * @template {keyof Answers} P
 * @param {P} path
 * @param {{ query?: string, base?: string }} [options]
 * @returns {Promise<Answers[P]>}
 */
export async function getJson(path, options = {}) {
  const url = `${options.base === undefined ? apiPath(path) : `${options.base}${path}`}${options.query ?? ""}`;
  const response = await fetch(url, { headers: { accept: "application/json" }, credentials: "same-origin" });
  if (response.status === 401) {
    location.assign("/sign-in");
    throw new Error("signed out");
  }
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}
