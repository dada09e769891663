/**
 * `cxo why`: the facts behind a campaign's idleness, as each platform shows them.
 * Read-only. What a platform does not show is `undefined`, with the evidence saying so; the
 * capability (campaigns/diagnose/) decides what the facts mean.
 */
export interface DiagnosisPort {
  /** The campaign's skill (seed: the campaign itself) and the dialer settings that hold records back. */
  skill(campaignId: string, signal?: AbortSignal): Promise<SkillState>;
  /** The records of the campaign's list with their dialing state. */
  records(campaignId: string, listId: string, signal?: AbortSignal): Promise<ListRecordStates>;
}

/** A campaign's skill as the platform shows it: state, lists, retry and abandonment settings, calling hours, schedule and caller id. */
export interface SkillState {
  campaignId: string;
  /** The campaign's zone (IANA). */
  timeZone: string;
  active: boolean | undefined;
  running: boolean | undefined;
  /** The lists bound to the campaign (CXone dials every list bound to the skill); [] when none is. */
  listIds: string[];
  maxAttempts: number | undefined;
  loadNonFresh: boolean | undefined;
  /** The skill's outbound strategy as the platform names it ("Personal Connection"); undefined: not shown. */
  outboundStrategy?: string | undefined;
  /** Minutes the skill waits before loading an unanswered record again (retry settings). */
  minRetryMinutes?: number | undefined;
  /** The skill's abandonment cap as a fraction; undefined when not shown. */
  abandonCap: number | undefined;
  /**
   * The platform's own calling hours per zone (production: the skill's time-zone settings), in
   * minutes after local midnight; records in a zone without an entry get the engine's hours only.
   */
  zoneHours: Array<{ zone: string; startMinute: number; endMinute: number }> | undefined;
  /**
   * A window the campaign itself sets for every record (seed: `complianceConfig.dialingRules`,
   * in the campaign's zone); weekdays 1 = Monday … 7 = Sunday.
   */
  window?: { zone: string; startMinute: number; endMinute: number; weekdays: number[] } | undefined;
  /**
   * The skill's weekly schedule (production: `scheduleSettings`, `isScheduled` true), read in the
   * tenant's zone (which zone CXone reads it in is not public; docs/campaigns.md): per weekday,
   * index 0 = Monday, the open minutes after local midnight, or null for a day not active.
   * Undefined when the skill is not scheduled or the platform does not show a schedule.
   */
  schedule?: WeeklySchedule | undefined;
  /**
   * The caller id the skill's calls present (production: the skill's outbound caller id).
   * Undefined: the platform has no such setting (the seed API), so nothing is judged by it.
   */
  callerId?: PresentedCallerId | undefined;
  /** Which endpoints and fields these came from, and what was not shown. */
  evidence: string;
}

/** The number (and name) a skill's outbound calls present to the called party: 47 CFR 64.1601(e). */
export interface PresentedCallerId {
  /**
   * The value as the platform shows it, trimmed: "" when the skill withholds it (no number set),
   * undefined when the skill's record carries no caller id at all (the tenant does not show it).
   */
  shown: string | undefined;
  /** `shown` as E.164 when it is a phone number (core/phone-number.ts callerIdNumberOf). */
  number: string | undefined;
  /** The name presented with it (CNAM), where the platform shows one. */
  name: string | undefined;
  /** Where it was read (endpoint and field). */
  evidence: string;
}

export interface ListRecordState {
  id: string;
  /** E.164. */
  phone: string;
  /** IANA; undefined when the record has no zone applied. */
  zone: string | undefined;
  state?: string | undefined;
  callAtMs?: number | undefined;
  staleMinutes?: number | undefined;
  expiresAtMs?: number | undefined;
  attempts: number;
  finalized: boolean;
  /** Seed: the contact's call consent (no consent = not dialled). */
  consent?: boolean | undefined;
}

export interface ListRecordStates {
  listId: string;
  records: ListRecordState[];
  /** Dials over the hour before the read (the forecast's pace); undefined: not shown. */
  dialsLastHour: number | undefined;
  evidence: string;
}

/**
 * A skill's weekly schedule in `zone`: per weekday (index 0 = Monday) the open minutes after
 * local midnight, or null for a day it is not active.
 */
export interface WeeklySchedule {
  zone: string;
  days: Array<{ startMinute: number; endMinute: number } | null>;
  /** Where it was read (endpoint and fields). */
  evidence: string;
}
