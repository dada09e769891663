/**
 * Domain types the capabilities work with. They describe CXone's data, not any one API's
 * wire format: each adapter (seed-api/ for the seed tutorials' API, cxone/ for NICE's
 * production inContactAPI) maps its wire fields to them.
 */

export interface ReasonCode {
  id: string;
  name: string;
}

export interface DispositionCode {
  id: string;
  name: string;
  reasonCodes: ReasonCode[];
}

/** A campaign's disposition codes, each with the reason codes that belong to IT. */
export interface DispositionMatrix {
  campaignId: string;
  codes: DispositionCode[];
}

/** One outbound call record (seed 004's outcome listing, seed 000's call). */
/**
 * The fields of a call record every platform's adapter puts at the front of `raw` (one record
 * shape on both platforms), in the order exports write them: the outcome record's modelled
 * fields (outcomes/record-format.ts) and the production adapter's record builder
 * (platform/cxone/contact-record.ts) both come from this one list.
 */
export const CALL_RECORD_FIELDS = [
  "id",
  "campaignId",
  "startTime",
  "endTime",
  "durationSeconds",
  "dispositionCode",
  "reasonCodeId",
  "agentId",
  "contactId",
  "phoneNumber",
  "direction",
  "tags",
  "notes",
  "dispositionUpdatedAt",
  // Last, so CSV columns and Parquet columns before it keep their positions (issue 66).
  "callerId",
] as const;

export interface OutboundCall {
  id: string;
  campaignId: string;
  startTime: string;
  endTime: string | undefined;
  durationSeconds: number | undefined;
  dispositionCode: string | undefined;
  /**
   * The disposition's display name, where the code is an opaque id (the production platform:
   * code "11", name "Sale"). Absent when the platform's codes are already names (seed API) or
   * the name is not known. Exports carry it as `extra.dispositionName`; disposition maps
   * match a record by code or by this name (docs/outcomes.md).
   */
  dispositionName?: string;
  reasonCodeId: string | undefined;
  tags: string[];
  /**
   * The agent who handled the call, as the platform names it (a number as its digits), where it
   * says. CXone writes `0` for no agent; the value is kept as sent.
   */
  agentId?: string;
  /**
   * The contact the call was made to: the campaign contact list's record (seed API), or the
   * interaction its legs belong to (production: the master contact, the call's own id when it
   * stands alone), where the platform says.
   */
  contactId?: string;
  /**
   * The number the call dialled, as the platform sent it (production: `toAddress`, NANP numbers
   * as ten digits), where it says; not necessarily E.164.
   */
  phoneNumber?: string;
  /** `OUTBOUND` or `INBOUND`, as the platform says, where it says. */
  direction?: string;
  /** When the call's disposition last changed (ISO 8601), where the platform says. */
  dispositionUpdatedAt?: string;
  /**
   * The number the call was placed from (its ANI / caller id), E.164; absent when the platform
   * did not say (production: `fromAddress` of an outbound contact; seed API: the emulator's
   * `callerId` extension). docs/callerid.md.
   */
  callerId?: string;
  /** How the call ended, in the platform's words (production: its `endReason`), where it says. */
  outcome?: string;
  /** The call was answered and dropped with no agent to take it, where the platform says. */
  abandoned?: boolean;
  /** The STIR/SHAKEN attestation the call was signed with (`A`, `B` or `C`, as sent), where the platform says. */
  attestation?: string;
  /** A safe-harbor message was played on an abandoned call, where the platform says. */
  safeHarborMessage?: boolean;
  /** The AI agent that handled the call, where the platform says. */
  aiAgent?: string;
  /** The caller name shown to the called party, where the platform says. */
  callerName?: string;
  /** The call's recording (an id or address), where the platform says. */
  recording?: string;
  /** Every field as CXone sent it, for exports that must keep what we do not model. */
  raw: Record<string, unknown>;
}

/**
 * One page of call records kept as the bytes CXone sent, decoded one record at a time by
 * `call(i)` (0 ≤ i < count): a consumer that handles each record and drops it never holds a
 * page's worth of objects. A page stays readable until the page after next has been fetched;
 * reading it later throws.
 */
export interface CallPage {
  count: number;
  call(i: number): OutboundCall;
  nextToken: string | null | undefined;
  /** 0-based index of the page in this listing. */
  index: number;
  /** The token that fetched this page (undefined for the first page). */
  cursor: string | undefined;
  /** Attempts beyond the first that fetching this page took (5xx, resets, timeouts, 429s). */
  retries: number;
  /** How many of those were 429 answers (pauses of the endpoint group). */
  throttled: number;
}

export interface CallQuery {
  campaignId: string;
  /** Inclusive, ISO 8601 with a zone (naive datetimes are rejected before this point). */
  from: string;
  /** Exclusive. */
  to: string;
  dispositionCodes?: string[];
  /** Records per page, 1–5000. */
  pageSize?: number;
  /** Resume an interrupted listing from this page token. */
  startToken?: string;
}

/** The incremental listing (production platform): a campaign's calls created or changed since an instant. */
export interface ChangedCallsQuery {
  /** Absent: every outbound skill of the business unit (CXone's listing is tenant-wide). */
  campaignId?: string | undefined;
  /** ISO 8601 with a zone: calls whose record changed at or after this instant. */
  updatedSince: string;
  /** Records per request (the platform answers at most 10,000). */
  pageSize?: number;
}

/** One page of the incremental listing, and where a listing stopped after it may start again. */
export interface ChangedCallsPage {
  /** The page's outbound calls not returned before (each version of a record once). */
  calls: OutboundCall[];
  /**
   * The `updatedSince` (CXone's own timestamp, verbatim) from which the listing would go on after
   * this page: a read that stops here and starts again from it misses nothing (the records at
   * that instant come again, and a reader keyed on the contact id keeps one).
   */
  resumeFrom: string;
}

/** How an incremental listing ended. */
export interface ChangedCallsEnd {
  /** The platform answered "no change since `updatedSince`" (HTTP 304). */
  unchanged: boolean;
  /** The platform's own time of this listing (its `lastPollTime`), when it said one. */
  lastPollTime: string | undefined;
}

export interface AccessInfo {
  /** The client the token was issued to (none on the production platform's access-key login). */
  clientId: string | undefined;
  /** Production platform: how the login was made (`access-key` alone, or through the registered `application`). */
  login?: "access-key" | "application" | undefined;
  /** Scopes the token grants (none on the production platform: it authorizes by role). */
  scopes: string[];
  expiresAt: string;
  tokenType: string;
  /** The platform the client talks to (`seed` or `cxone`). */
  platform?: string;
  /** Production platform: the tenant, the API endpoint serving it, the API user's role. */
  tenantId?: string | undefined;
  apiEndpoint?: string | undefined;
  role?: string | undefined;
}

/** One disposition on a closed interaction (seed 001). */
export interface InteractionDispositionEntry {
  /** 1xx primary, 2xx secondary. */
  code: string;
  description: string;
  agentId: string;
  /** ISO 8601 with a zone offset. */
  timestamp: string;
  source?: string;
}

/** A closed interaction and its dispositions. */
export interface Interaction {
  id: string;
  dispositions: InteractionDispositionEntry[];
  lastModifiedTime: string | undefined;
  /** The number the interaction dialled, as the platform sent it (production: the contact's `toAddress`), where it says. */
  calledNumber?: string;
  /** When the interaction started (ISO 8601), where the platform says. */
  startedAt?: string;
  /** The campaign it belongs to (production: its skill), where the platform says. */
  campaignId?: string;
  /** The campaign contact list's record it was made to (seed API), where the platform says. */
  contactId?: string;
  /** Every field as CXone sent it. */
  raw: Record<string, unknown>;
}

/** An interaction with the ETag of that version (for If-Match). */
export interface VersionedInteraction {
  interaction: Interaction;
  etag: string;
}

/** A code of the tenant's interaction disposition list (GET /api/v1/dispositions). */
export interface InteractionDispositionCode {
  code: string;
  description: string;
  /** "primary" (1xx) or "secondary" (2xx) as CXone says; undefined when it does not. */
  type: string | undefined;
}

/** Seed 000: what a call is tagged with (disposition code, reason code under THAT code, tags, notes). */
export interface CallDispositionInput {
  dispositionCodeId: string;
  reasonCodeId?: string;
  /** At most 10, each non-empty; sent as `tag`. */
  tags: string[];
  notes?: string;
}

/** A call as seed 000's GET /api/v2/outbound/calls/{callId} returns it. */
export interface CallDispositionState {
  id: string;
  campaignId: string;
  dispositionCode: string | undefined;
  reasonCodeId: string | undefined;
  tags: string[];
  notes: string | undefined;
  /** The dialer holds the disposition: tagging answers 409. */
  locked: boolean;
  /** The number the call dialled, E.164, where the platform says (a revocation said on it is recorded against it). */
  phone?: string | undefined;
  /** When the call started (ISO 8601), where the platform says. */
  startTime?: string | undefined;
}

/** The answer to a tagging request, with the timings the capability records. */
export interface CallDispositionResult {
  call: CallDispositionState;
  status: number;
  requestId: string | undefined;
  attempts: number;
  /** From the first attempt's start to the final answer. */
  latencyMs: number;
  /** Each attempt's own latency, in order. */
  attemptLatenciesMs: number[];
  /**
   * Set when the write went through only in part (the disposition is set, but the platform
   * refused the tags): what was not applied and why, in a sentence a person can act on.
   */
  notApplied?: { tags: string[]; reason: string };
}

/** Seed 002's campaign states. */
export type CampaignStatus = "active" | "paused" | "stopped";

export type Weekday = "Monday" | "Tuesday" | "Wednesday" | "Thursday" | "Friday" | "Saturday" | "Sunday";

/** What a campaign is created from (seed 002's create body, as domain data). */
export interface CampaignDefinition {
  name: string;
  description?: string;
  /** Default paused: nothing dials until someone resumes it. */
  status?: CampaignStatus;
  contactListId: string;
  /**
   * A platform that binds the list by uploading it (CXone) may do so to a running skill, which
   * dials the upload at once; without this such a create is refused before the upload.
   */
  allowUploadWhileRunning?: boolean;
  queueId?: string;
  /** The number the campaign's calls present (E.164); production: the skill's outbound caller id. */
  callerId?: string;
  dialer: {
    type: "predictive" | "progressive" | "preview";
    predictive?: {
      answerRatio: number;
      maxCallsInFlight: number;
      callRate: number;
      abandonmentThreshold: number;
    };
  };
  compliance: {
    /** IANA zone of the campaign (the law uses the CALLED PARTY's zone; see compliance). */
    timeZone: string;
    /** "HH:MM" or "HH:MM:SS", 24-hour. */
    windowStart: string;
    windowEnd: string;
    allowedDays: Weekday[];
    maxCallsPerContactPerDay?: number;
    maxCallsPerContactPerWeek?: number;
    maxCallsPerDay?: number;
  };
  failover?: {
    enabled: boolean;
    /** Success rate (fraction) below which the campaign is failing. */
    threshold: number;
    evaluationWindowMinutes: number;
  };
}

export interface Campaign {
  id: string;
  name: string;
  status: CampaignStatus;
  contactListId: string;
  timeZone: string;
  createdAt: string | undefined;
  updatedAt: string | undefined;
  /** The campaign's own per-contact call caps (rolling day / week), when it sets any. */
  contactCaps: { perDay?: number | undefined; perWeek?: number | undefined } | undefined;
  /** Every field as CXone sent it. */
  raw: Record<string, unknown>;
}

/** Live metrics over a trailing window (seed 002). `successRate` is a fraction in [0,1]. */
export interface CampaignLiveMetrics {
  campaignId: string;
  windowMinutes: number;
  successRate: number;
  activeCalls: number;
  /** Calls completed in the window, when CXone reports it (the watchdog's minimum sample). */
  callsInWindow: number | undefined;
  failoverTriggered: boolean;
  lastUpdated: string | undefined;
  /**
   * Where the success-rate window ends, when not now: on the production platform it ends where
   * the warehouse lag begins (completed contacts arrive up to 30 minutes late), so a rate is
   * judged on complete data only.
   */
  windowEndsAt?: string;
  /** The dialer's own counters, where the platform reports them (what pacing observes). */
  dialer?: DialerCounters | undefined;
}

/**
 * A campaign dialer's counters since a point the platform chose (they only grow; a consumer
 * works with the differences between two reads), and its agents now.
 */
export interface DialerCounters {
  /** The dialer's clock: seconds it has been observing (differences give the elapsed time). */
  observedSeconds: number;
  dials: number;
  liveAnswers: number;
  connects: number;
  abandons: number;
  /** Answers the detector classified as machines (hung up); absent where the dialer does not say. */
  machines?: number;
  /** Calls agents finished (talk and wrap-up), and their summed seconds. */
  handled: number;
  handleSeconds: number;
  /** Summed seconds from dial to answer of the live answers. */
  answerSeconds: number;
  agentsLoggedIn: number;
  agentsBusy: number;
  callsInProgress: number;
  /** The dial ratio the dialer is running at. */
  dialRatio: number;
}

/** A contact of a list (seed 002). */
export interface Contact {
  id: string;
  firstName: string | undefined;
  lastName: string | undefined;
  /** E.164. */
  phone: string;
  /** Declared IANA zone, when the list has one. */
  timeZone: string | undefined;
  /** Declared US state (address), two letters. */
  state: string | undefined;
  consent: { call: boolean | undefined; sms: boolean | undefined };
  /**
   * The day call consent was given (YYYY-MM-DD), where the list holds it (seed API: the
   * emulator's `consentDate` extension; production: the custom column
   * `cxone.productionApi.consentDateColumn` names): what the Reassigned
   * Numbers Database is asked about.
   */
  consentDate?: string | undefined;
  lastModifiedTime: string | undefined;
  raw: Record<string, unknown>;
}

/**
 * One page of a contact list, decoded one contact at a time by `contact(i)` (0 ≤ i < count),
 * as CallPage is: a page stays readable until the page after next has been fetched.
 */
export interface ContactPage {
  count: number;
  contact(i: number): Contact;
  /**
   * Contact i's phone as listed, read cheaply without decoding the contact, where the adapter
   * can (undefined otherwise): a hint that may differ from `contact(i).phone`, so whoever
   * relies on it checks it against the decoded contact.
   */
  phoneHint?(i: number): string | undefined;
  /** 0-based index of the page in this listing. */
  index: number;
  /** The page's number (1-based). */
  cursor: number;
}

export interface ContactQuery {
  /** Server-side filter: `field==value` terms joined by `;`, or `true`. */
  filter?: string;
  /** Only contacts whose `consentFlags.outbound.call` is true (server-side; re-check locally). */
  consentOnly?: boolean;
  pageSize?: number;
  sortBy?: string;
  sortOrder?: "asc" | "desc";
}

export const CAMPAIGN_EVENTS = [
  "omnichannel.campaign.metrics.update",
  "omnichannel.campaign.state.change",
] as const;
export type CampaignEventType = (typeof CAMPAIGN_EVENTS)[number];

export interface EventSubscriptionRequest {
  name: string;
  callbackUrl: string;
  events: CampaignEventType[];
  /** Standard Webhooks secret (`whsec_…`) CXone signs deliveries with. */
  secret?: string;
  headers?: Record<string, string>;
}

export interface EventSubscription {
  id: string;
  name: string;
  callbackUrl: string;
  events: string[];
  signed: boolean;
}
