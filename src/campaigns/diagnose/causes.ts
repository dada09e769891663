/**
 * The stable cause codes of `cxo why` (DESIGN.md round-6 contracts). Once documented in
 * docs/campaigns.md they are a contract: scripts match on them, so they are never renamed.
 */
export type CauseCode =
  | "cxone_unreachable"
  | "no_list"
  | "skill_inactive"
  | "skill_not_running"
  | "no_agents_logged_in"
  | "agents_not_available"
  | "abandon_cap_throttled"
  | "pacing_stopped"
  | "outside_calling_hours"
  | "no_time_zone"
  | "waiting_for_call_request_time"
  | "call_request_stale"
  | "records_expired"
  | "max_attempts_reached"
  | "non_fresh_excluded"
  | "dnc_suppressed"
  | "list_exhausted"
  /** The skill was changed after a cxo push in a way that lets CXone dial what the push did not count. */
  | "skill_drift";

/**
 * Causes that stop the whole campaign whatever its records are: each explains all of the
 * idleness (share 1), so they rank before any cause that holds back some records. Their order
 * here is the order an operator has to clear them in (nothing dials on an unreachable platform,
 * a skill that is not active cannot be started, and so on down).
 */
export const CAMPAIGN_BLOCKERS: readonly CauseCode[] = [
  "cxone_unreachable",
  "no_list",
  "skill_inactive",
  "skill_not_running",
  "no_agents_logged_in",
  "agents_not_available",
  "abandon_cap_throttled",
  "pacing_stopped",
];

/** Causes that hold back individual records, in the order ties are broken in. */
export const RECORD_CAUSES: readonly CauseCode[] = [
  "outside_calling_hours",
  "waiting_for_call_request_time",
  "no_time_zone",
  "non_fresh_excluded",
  "dnc_suppressed",
  "call_request_stale",
  "records_expired",
  "max_attempts_reached",
  "list_exhausted",
];

/** What an operator does about each cause: one sentence, imperative. */
export const FIXES: Readonly<Record<CauseCode, string>> = {
  cxone_unreachable: "check the network path and credentials to CXone, then run cxo why again",
  no_list: "upload a calling list to the campaign's skill (or bind its contact list)",
  skill_inactive: "activate the skill in CXone (ACD > Skills) before starting it",
  skill_not_running: "start the skill (cxo campaigns resume ID)",
  no_agents_logged_in: "log agents in to the skill",
  agents_not_available: "set logged-in agents Available (they are all busy, in wrap-up or unavailable)",
  abandon_cap_throttled:
    "wait for the abandonment window to recover or add agents; do not raise the cap above 3%",
  pacing_stopped: "resume cxo's pacing loop for this campaign (cxo serve) or set pacing.mode off",
  outside_calling_hours: "wait for the next opening, or add records in zones that are open now",
  no_time_zone:
    "re-upload the records with a time-zone column (timeZoneColumn) so CXone can apply calling hours",
  waiting_for_call_request_time: "wait for the scheduled call-request times, or push records due now",
  call_request_stale: "push a new plan: these records' call-request windows have passed",
  records_expired: "re-upload the records with a later expiration date",
  max_attempts_reached: "raise the skill's maximum attempts (retry settings) or load fresh records",
  non_fresh_excluded:
    "turn on 'load non-fresh records' in the skill's retry settings, or re-upload them as fresh",
  dnc_suppressed: "nothing to fix: these numbers are on a DNC group scrubbing the skill (or lack consent)",
  list_exhausted: "upload more records: every record has been dialled to completion",
  skill_drift:
    "let cxo put the skill back or take the push's records out (cxo serve does within minutes; without it run cxo strategy watch), or put the skill back by hand",
};

/**
 * Issue 76 §1: the fixes for a list cxo pushed from a plan. Its records are legal only as the
 * plan places them, once each: turning on non-fresh reloading or raising the attempts would let
 * CXone dial them beyond the plan (the change that broke Florida's 3-in-24 and Regulation F in the
 * report). What holds such a list, and the lawful change: a new plan from the attempts.
 */
export const PLAN_FED_FIXES: Readonly<Partial<Record<CauseCode, string>>> = {
  non_fresh_excluded:
    "these records were pushed from a plan and have had their planned dial: leave non-fresh reloading off (it would let CXone dial them beyond the plan); re-plan from the attempts (cxo strategy plan --history campaign) and push the new plan",
  max_attempts_reached:
    "these records were pushed from a plan and have had their planned dials: do not raise the maximum attempts; re-plan from the attempts and push the new plan",
  records_expired:
    "these records' planned windows have passed: push the plan again for the next day's records (cxo strategy push), or re-plan",
  list_exhausted:
    "the plan's records for today are done: push the plan again tomorrow for the next day's records, or re-plan from the attempts",
};

/** One sentence naming the cause, for the human output's first line. */
export const TITLES: Readonly<Record<CauseCode, string>> = {
  cxone_unreachable: "CXone cannot be reached",
  no_list: "no calling list is bound to the campaign",
  skill_inactive: "the skill is not active",
  skill_not_running: "the skill is not running",
  no_agents_logged_in: "no agent is logged in",
  agents_not_available: "no logged-in agent is available",
  abandon_cap_throttled: "the abandonment cap is throttling the dialer",
  pacing_stopped: "cxo's pacing loop has stopped this campaign",
  outside_calling_hours: "every dialable record is outside its calling hours",
  no_time_zone: "records have no time zone, so CXone holds them back",
  waiting_for_call_request_time: "records are waiting for their call-request time",
  call_request_stale: "records' call-request windows have gone stale",
  records_expired: "records have expired",
  max_attempts_reached: "records have reached the maximum attempts",
  non_fresh_excluded: "attempted records are not reloaded (non-fresh excluded)",
  dnc_suppressed: "records are suppressed by DNC",
  list_exhausted: "the list is exhausted",
  skill_drift: "the skill was changed after cxo's push: CXone may dial what the plan did not count",
};

/** Every cause code: the campaign-wide ones, then the record holds (docs/campaigns.md). */
export const CAUSE_CODES: readonly CauseCode[] = ["skill_drift", ...CAMPAIGN_BLOCKERS, ...RECORD_CAUSES];
