/**
 * How the autopilot takes a step's failure (issue 91 §2): it never stops for one refused row or a
 * CXone that fails for a while; it stops a campaign when it can no longer judge what CXone would
 * dial — an answer it cannot read, a DNC copy it cannot refresh, a skill it cannot read, a login
 * or scope it lacks — because going on would dial on facts it does not have.
 */
export type FailureKind = "passing" | "refused" | "stop";

/** Codes of errors that pass (tried again at the next run). */
const PASSING = new Set([
  "rate_limited",
  "server_error",
  "network_error",
  "deadline_exceeded",
  "push_in_progress",
  "lease_lost",
  // A skill edited after a push: the watch step acts on it; the next run plans again.
  "skill_drift",
]);

/** Codes of errors after which nothing the autopilot would do can be judged. */
const STOPS = new Set([
  "cxone_unreadable_answer",
  "cxone_dnc_copy_incomplete",
  "cxone_listing_incomplete",
  // Records CXone did not take out of a list: trying again the same day would not help.
  "cxone_removal_pending",
  // A skill whose parameters did not read back as written: what CXone would dial is not known.
  "cxone_read_back_mismatch",
  "not_found",
  "auth_failed",
  "scope_missing",
  "answer_too_large",
  "consent_not_recorded_everywhere",
  "store_unavailable",
  "not_supported_by_platform",
  "config_invalid",
]);

export interface Failure {
  kind: FailureKind;
  code: string;
  text: string;
}

export function failureOf(error: unknown): Failure {
  const code =
    typeof (error as { code?: unknown })?.code === "string" ? (error as { code: string }).code : "unknown";
  const text = error instanceof Error ? error.message : String(error);
  if (PASSING.has(code)) return { kind: "passing", code, text };
  if (STOPS.has(code)) return { kind: "stop", code, text };
  // A push or plan refused (a row that breaks a rule by itself, a write CXone refused): the next
  // run plans again from the facts then; three in a day stop the campaign (run.ts).
  if (code === "invalid_input" || code === "cxone_validation_failed" || code === "conflict")
    return { kind: "refused", code, text };
  return { kind: "stop", code, text };
}

/** Refusals in one day after which the campaign is stopped rather than refused again. */
export const REFUSALS_BEFORE_STOP = 3;
