import type { z } from "zod";
import type { AutopilotCampaign } from "../core/config/autopilot-schema.ts";
import type { HeldBy } from "./campaign-run-lease.ts";
import type {
  dayEvidenceSchema,
  dayNoteSchema,
  dayReportSchema,
  heldRecordSchema,
  stepNameSchema,
  stoppedSchema,
} from "./day-report-schema.ts";

/**
 * What the autopilot keeps per campaign (issue 91 §2) and the day report it writes. Kept in the
 * store (kv namespaces in state.ts), so `cxo autopilot status`, the board and the next run — in
 * this process or another sharing the store — read the same.
 */

/** The autopilot's steps, in the order a day runs them (`held`: another run was advancing the campaign). */
export type StepName = z.infer<typeof stepNameSchema>;

export interface StepRecord {
  step: StepName;
  /** ISO 8601 with the business unit's offset. */
  at: string;
  ok: boolean;
  text: string;
}

/** A record held back for its debt by a push, and what became of it. */
export interface HeldRecord extends z.infer<typeof heldRecordSchema> {}

/** One thing the autopilot did beyond its plan and push, or one thing that went wrong. */
export interface DayNote extends z.infer<typeof dayNoteSchema> {}

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

/** One campaign as the autopilot keeps it: its day under way, its last learn and step, and whether it stopped. */
export interface CampaignState {
  campaign: string;
  day?: CampaignDay;
  lastLearnAt?: string;
  lastStep?: StepRecord;
  /** Accounts an agent talked to, and when (ISO): they rest `restAfterConversationDays` (rest.ts). */
  talked?: Record<string, string>;
  /** Set when something the autopilot cannot judge happened: no push until `cxo autopilot resume`. */
  stopped?: z.infer<typeof stoppedSchema>;
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

/** The day report (docs/autopilot.md lists its fields); its schema is `dayReportSchema` (day-report-schema.ts). */
export interface DayReport extends z.infer<typeof dayReportSchema> {}

/** The evidence of the dials CXone made on a day's lists (the day report's `evidence`). */
export interface DayEvidence extends z.infer<typeof dayEvidenceSchema> {}

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
