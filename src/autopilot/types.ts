import type { AutopilotCampaign } from "../core/config/autopilot-schema.ts";
import type { HeldBy } from "./campaign-run-lease.ts";

/**
 * What the autopilot keeps per campaign (issue 91 §2) and the day report it writes. Kept in the
 * store (kv namespaces in state.ts), so `cxo autopilot status`, the board and the next run — in
 * this process or another sharing the store — read the same.
 */

/** The autopilot's steps, in the order a day runs them. */
export type StepName =
  | "learn"
  | "plan"
  | "push"
  | "honour"
  | "watch"
  | "replan"
  | "why"
  | "callerid"
  | "report"
  /** Another run was advancing the campaign: this one left it to that run (campaign-run-lease.ts). */
  | "held";

export interface StepRecord {
  step: StepName;
  /** ISO 8601 with the business unit's offset. */
  at: string;
  ok: boolean;
  text: string;
}

/** A record held back for its debt by a push, and what became of it. */
export interface HeldRecord {
  recordId: string;
  accountId: string;
  /** Every debt of a record whose number is listed for several, `accountId` first. */
  accountIds?: string[] | undefined;
  /** `waiting` for the sibling's outcome; `replanned` (pushed again); `dropped` (and why). */
  state: "waiting" | "replanned" | "dropped";
  why: string;
}

/** One thing the autopilot did beyond its plan and push, or one thing that went wrong. */
export interface DayNote {
  at: string;
  step: StepName;
  text: string;
}

/** A plan the autopilot made, and how far its push got. */
export interface DayPlan {
  file: string;
  rows: number;
  /** `morning`, `replan` (held records planned again), `drift` (records a skill's change took out) or `retry` (unanswered records, later in the day). */
  why: "morning" | "replan" | "drift" | "retry";
  pushedAt?: string;
  listId?: string;
  /** Some records open more than a day ahead: the same plan is pushed again from then. */
  nextPushAt?: string;
}

/** One business-unit day of one campaign, as it goes; the day report is made from it. */
export interface CampaignDay {
  /** The local date (YYYY-MM-DD, the business unit's zone). */
  date: string;
  morningAt?: string;
  learnedAt?: string;
  /** The day's plans (files in the data dir), each pushed until CXone holds it. */
  plans: DayPlan[];
  /** Rows of the day's plans. */
  planned: number;
  /** Records the day's pushes sent to CXone. */
  pushed: number;
  /** The calling lists pushed this day (CXone list ids). */
  lists: string[];
  /** Records left out by a push because a rule blocks them now, per code. */
  blocked: Record<string, number>;
  /** Pushes CXone or cxo refused (with the reason), each tried again at the next run. */
  refused: DayNote[];
  held: HeldRecord[];
  drifts: DayNote[];
  /** What the autopilot did to CXone beyond plan and push (settings restored, records removed, callbacks cancelled, stops). */
  interventions: DayNote[];
  /** Steps that failed for a reason that passes (CXone 5xx, a reset, a 429) and were tried again. */
  retried: DayNote[];
  /** Revocations sent to CXone's DNC groups by the day's honour steps. */
  honoured: number;
  /** The skill's last removal (its instant) whose records were planned again (taken-out.ts). */
  takenOutReplannedFor?: string;
  reportedAt?: string;
}

export interface CampaignState {
  campaign: string;
  day?: CampaignDay;
  lastLearnAt?: string;
  lastStep?: StepRecord;
  /** Accounts an agent talked to, and when (ISO): they rest `restAfterConversationDays` (rest.ts). */
  talked?: Record<string, string>;
  /** Set when something the autopilot cannot judge happened: no push until `cxo autopilot resume`. */
  stopped?: { at: string; code: string; reason: string };
  /** The clock's instant of the campaign's last run (ISO): a run on an earlier clock is refused (run.ts). */
  lastRunAt?: string;
  /** The skill's name as the autopilot's start check last saw it in this unit (job.ts). */
  skillName?: string;
  /** A failure that passes, run after run since `since` (attention.ts). */
  passing?: PassingEpisode;
}

/** A run of passing failures of a campaign (attention.ts); `escalatedAt`: its attention item. */
export interface PassingEpisode {
  since: string;
  lastAt: string;
  step: StepName;
  code: string;
  text: string;
  escalatedAt?: string;
}

/** The day report (docs/autopilot.md lists its fields). */
export interface DayReport {
  campaign: string;
  kind: "sales" | "collections";
  date: string;
  zone: string;
  writtenAt: string;
  planned: number;
  pushed: number;
  /** Dials CXone made on the day's lists, and those answered by a person (an agent on the call). */
  dialled: number;
  answered: number;
  /** Records dialled at least once, of those pushed. */
  recordsReached: number;
  blocked: Record<string, number>;
  held: { total: number; replanned: number; dropped: number; waiting: number; records: HeldRecord[] };
  refused: DayNote[];
  revocations: {
    received: number;
    honouredToday: number;
    late: number;
    overdue: number;
    callsAfter: number;
    /** Minutes from receipt to honoured in CXone: the longest and the median (null: none honoured). */
    lagMinutes: { max: number | null; median: number | null };
    /**
     * Why the figures above are not known (the consent report could not be made): then they are
     * not "0 overdue" but unknown, and the board says so.
     */
    unknown?: string;
  };
  drifts: DayNote[];
  interventions: DayNote[];
  retried: DayNote[];
  /** `cxo why`'s causes at the day's end (codes), and caller-ID numbers labelled suspect. */
  why: string[];
  suspectCallerIds: string[];
  stopped?: CampaignState["stopped"];
  /**
   * The evidence of every dial CXone made on the day's lists (`cxo compliance
   * evidence --list`, one file per list beside the report in `autopilot.reportDir`): how many,
   * how many not allowed and why. Absent without a report directory.
   */
  evidence?: DayEvidence;
}

export interface DayEvidence {
  attempts: number;
  notAllowed: number;
  /** Attempts not allowed, by reason code. */
  reasons: Record<string, number>;
  files: string[];
  /** A list whose evidence could not be made (the report is written all the same). */
  errors?: string[];
}

/**
 * The autopilot's job checked (job-input.ts): the campaigns, the business unit's zone (morning
 * and evening are read in it), where the day reports are also written as files (absent: the store
 * and the board only), the minutes between runs (the status's next step) and how long a passing
 * failure lasts (minutes of the clock) before it is an attention item (attention.ts).
 */
export interface AutopilotJob {
  campaigns: readonly AutopilotCampaign[];
  zone: string;
  reportDir?: string | undefined;
  intervalMinutes: number;
  escalateAfterMinutes?: number;
}

/** What one run did for one campaign (run.ts). */
export interface CampaignRun {
  campaign: string;
  steps: StepRecord[];
  /** Another run was advancing the campaign: this one did nothing for it (campaign-run-lease.ts). */
  heldBy?: HeldBy;
  /** An open attention item: a passing failure that lasted past `escalateAfterMinutes` (attention.ts). */
  attention?: PassingEpisode;
  stopped?: CampaignState["stopped"];
  report?: DayReport;
}

/** One run of the autopilot (run.ts): its instant, the business unit's honour, each campaign's steps. */
export interface AutopilotRun {
  at: string;
  honour: StepRecord;
  campaigns: CampaignRun[];
}
