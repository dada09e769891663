import type { RevokedCallback } from "../../compliance/revoked-callbacks.ts";
import type { ListRecordState, WeeklySchedule } from "../../platform/ports/diagnosis.ts";
import type { CauseCode } from "./causes.ts";

/**
 * What `cxo why` observed of a campaign (issue 65), platform-neutral: the diagnosis (diagnose.ts)
 * is a pure function of these facts, a calling-hours oracle and an instant. A fact the platform
 * does not show is `undefined` (never a guessed default), and its `evidence` says so.
 */
export interface CampaignFacts {
  campaignId: string;
  /** The campaign's own zone (IANA): the forecast's "local day". */
  timeZone: string;
  skill: {
    /** The skill (seed: campaign) is active; undefined when the platform does not say. */
    active: boolean | undefined;
    /** The skill is running (dialing); undefined when the platform does not say. */
    running: boolean | undefined;
    evidence: string;
  };
  agents: {
    loggedIn: number | undefined;
    available: number | undefined;
    evidence: string;
  };
  /** The calling list bound to the campaign; undefined when none is. */
  list: { listId: string; records: RecordFacts[]; evidence: string } | undefined;
  /** The skill's maximum attempts per record (retry settings); undefined when not shown. */
  maxAttempts: number | undefined;
  /**
   * A list bound to the skill was pushed by cxo from a plan (issue 76 §1): its records may be
   * dialled only as the plan says, so advice never widens the skill's retries for it.
   */
  planFed?: boolean | undefined;
  /** The skill reloads attempted (non-fresh) records; undefined when not shown. */
  loadNonFresh: boolean | undefined;
  /** Abandonment against the skill's cap, when both are known. */
  abandon: { rate: number | undefined; cap: number | undefined; evidence: string } | undefined;
  /** cxo's own pacing loop for this campaign (`cxo serve`), when it paces it. */
  pacing: { stopped: boolean; evidence: string } | undefined;
  /** Records finalised per hour over the last hour (the forecast's pace); undefined: unknown. */
  pacePerHour: number | undefined;
  /** The skill's weekly schedule, when it is scheduled (the calling hours already apply it). */
  schedule?: WeeklySchedule | undefined;
  /** Set when CXone could not be read: its own words. */
  unreachable?: { message: string } | undefined;
}

/**
 * One record of the list, as the platform shows it (ports/diagnosis.ts), with `dnc`: in a DNC
 * group scrubbing the skill (production) or without consent (seed).
 */
export type RecordFacts = Omit<ListRecordState, "consent"> & { dnc: boolean };

/**
 * Calling hours per zone, as the compliance engine decides them (windows.ts): the diagnosis asks,
 * it never restates the rules. `groupOf` puts records the engine judges alike (area code, zone,
 * state) in one group, so a million records cost a few hundred questions.
 */
export interface CallingHours {
  groupOf(record: RecordFacts): number;
  /** The zone a group is in (for reporting openings per zone). */
  zoneOf(group: number): string;
  isOpen(group: number, atMs: number): boolean;
  /** The next instant the group's window opens at or after `atMs`; undefined when none is found. */
  nextOpen(group: number, atMs: number): number | undefined;
}

export interface Cause {
  code: CauseCode;
  /** Records this cause holds back (absent for causes that stop the whole campaign). */
  records?: number;
  /** The share of the idleness it explains, in [0, 1]. */
  share?: number;
  evidence: string;
  fix: string;
  /** When the cause lifts by itself (ISO 8601), when it does. */
  until?: string;
  /** `outside_calling_hours`: the next opening per zone. */
  zones?: Array<{ zone: string; records: number; nextOpenAt: string | null }>;
}

export interface ForecastSlot {
  from: string;
  to: string;
  dialable: number;
}

export interface Diagnosis {
  campaignId: string;
  at: string;
  dialing: boolean;
  dialableNow: number;
  causes: Cause[];
  forecast: ForecastSlot[];
  runsDryAt?: string;
  /** The human output's first line: what is wrong and what to do, in one sentence. */
  summary: string;
  /**
   * CXone's pending scheduled callbacks on the campaign's skill to numbers that revoked consent:
   * calls CXone will place outside the list (`cxo consent honour` deletes them). Absent where the
   * platform has no scheduled callbacks.
   */
  callbacksToRevoked?: RevokedCallback[];
  /** The scheduled callbacks could not be read (CXone's words): none are known to be safe. */
  callbacksUnread?: string;
}
