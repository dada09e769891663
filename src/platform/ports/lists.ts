/**
 * Calling lists whose records carry their call time, for the contact strategy's
 * plan. A platform without them (the seed API) has no such port: `support` refuses
 * `lists.timed` before anything is sent.
 */
export interface TimedListRecord {
  /** The record's id in the list (the plan's recordId). */
  externalId: string;
  /** E.164. */
  phone: string;
  /** The earliest time the dialer may call it: ISO 8601 with an offset. */
  callAt: string;
  /**
   * Minutes after `callAt` the dialer may still call it. An ordinary record carries
   * its window as an allowable time range of the day and an expiration at the window's end; a
   * callback as its call-request time and stale minutes.
   */
  staleMinutes: number;
  /**
   * A real callback (an agent's promise, a consumer's request): sent with a call-request time,
   * which CXone delivers as a confirmation-required callback under its per-skill cap. Absent or
   * false: ordinary predictive work.
   */
  callback?: boolean | undefined;
  /** The dialer's sort score (higher first): the plan's estimate, in RPCs per 1,000 attempts. */
  score: number;
  /**
   * The called party's IANA time zone, so that the platform's own calling windows apply: for a
   * number whose area code spans zones, the stricter one at the record's window; ""
   * when the number has none. The adapter writes it in the platform's naming.
   */
  timeZone: string;
  /** The contact's ZIP code, when the list had one. */
  zip?: string | undefined;
  /**
   * Every debt of a record whose number the plan gave several: the list's `Debts`
   * column, so that the agent on the call sees each debt it is about. Not part of the push's key.
   */
  debts?: readonly string[] | undefined;
}

export interface TimedListRequest {
  /** The list's name: the key that finds it again (a list is made once per name). */
  listName: string;
  /** The campaign (a Personal Connection skill on the production platform) the list feeds. */
  campaignId: string;
  records: readonly TimedListRecord[];
  /** When the records expire (the upload requires a date): ISO 8601. */
  expiresAt: string;
  /**
   * An earlier run of this push may have made the list: a list of this name is adopted and
   * finished. Without it, an existing list of the name is someone else's: ConflictError, nothing
   * uploaded.
   */
  adopt?: boolean;
  /**
   * The columns the list is made with, when the records are sent in batches: the
   * list's mapping is the whole push's, not one batch's. Absent: what these records need.
   */
  columns?: { zip: boolean; callbacks: boolean; debts?: boolean | undefined } | undefined;
  /**
   * Upload jobs of the list that earlier batches of this push made: an earlier upload of THIS
   * batch (adopted) is a job of the list not among them. Absent: the list's newest job.
   */
  knownJobs?: readonly string[] | undefined;
}

export interface TimedListResult {
  listId: string;
  listName: string;
  /** The upload job; "" when there was nothing to upload and no earlier upload to adopt. */
  jobId: string;
  /** False when the list was found from an earlier run (nothing created again). */
  created: boolean;
  /** False when the records had been uploaded by an earlier run (nothing uploaded again). */
  uploaded: boolean;
  records: number;
}

/** One dial of a list record, as the platform reports it. */
export interface ListAttempt {
  recordId: string;
  phone: string;
  /** When it was dialled (ISO 8601). */
  at: string;
  /** The record's call-request time, when it had one. */
  requestedAt: string | undefined;
  /** The platform's classification of the dial ("Answered", "No Answer", …). */
  outcome: string | undefined;
  /** The agent's disposition, when an agent talked. */
  disposition: string | undefined;
  agentId: string | undefined;
  contactId: string | undefined;
  /**
   * Whether CXone delivered the dial as a timed call request (a confirmation-required callback)
   * rather than as predictive work; undefined when the platform does not say.
   */
  deliveredAsCallback: boolean | undefined;
}

/** What a skill does with an unanswered record: reload it (non-fresh), after how long, how often. */
export interface RetrySettings {
  maximumAttempts?: number | undefined;
  minimumRetryMinutes?: number | undefined;
  loadNonFresh?: boolean | undefined;
}

/** Records to take out of a pushed list: a number that may no longer be called. */
export interface ListRemoval {
  listId: string;
  /** The list's name (CXone's route names the list by it: `{sourceName}`). */
  listName: string;
  /** The records' external ids (the plan's record ids). */
  externalIds: readonly string[];
}

export interface ListRemovalResult {
  /** Ids the platform took out of the list. */
  removed: string[];
  /** Ids it did not (not in the list, or refused), with its reason. */
  failed: Array<{ externalId: string; reason: string }>;
}

export interface ListsPort {
  /**
   * Creates the list (once per name) with its call-time columns, uploads the records (once:
   * an upload an earlier run sent is found and waited for, not sent again) and waits for the
   * upload job. Safe to run again after a crash at any point.
   */
  pushTimed(request: TimedListRequest, signal?: AbortSignal): Promise<TimedListResult>;
  /**
   * Takes records out of a list (by external id), so that the dialer no longer calls them.
   * Idempotent: an id the list no longer holds is `failed` with the platform's reason.
   */
  removeRecords(request: ListRemoval, signal?: AbortSignal): Promise<ListRemovalResult>;
  /** The dials made so far on a list's records. */
  attempts(listId: string, signal?: AbortSignal): Promise<ListAttempt[]>;
  /**
   * The same dials a page at a time (constant memory, whatever the list's size: a list of a
   * million dials is a hundred pages), from `updatedSince` when given (what a count's window
   * needs; a tenant may answer older dials too).
   */
  attemptPages(
    listId: string,
    options?: { updatedSince?: string | undefined; signal?: AbortSignal | undefined },
  ): AsyncGenerator<ListAttempt[]>;
  /**
   * Writes a skill's retry settings (`fitSkill`): the fields given over the block as
   * read, then read back (a tenant that kept other values fails the write). Answers the settings
   * as they were, to restore them, and as they now read.
   */
  setRetrySettings(
    skillId: string,
    change: RetrySettings,
    signal?: AbortSignal,
  ): Promise<{ before: RetrySettings; after: RetrySettings }>;
}
