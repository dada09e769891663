/**
 * The production-API emulator's entities (reference §C3), named as the wire names them so a
 * route can hand them out with little mapping. Generated per seed by `world.ts`.
 */
export interface Tenant {
  tenantId: string;
  tenantName: string;
  /** Positive here; the `negativeBusinessUnitId` knob flips its sign on the wire. */
  businessUnitId: number;
  businessUnitName: string;
  clusterId: string;
  area: string;
  defaultTimeZone: string;
}

export interface AppClient {
  clientId: string;
  clientSecret: string;
  description: string;
}

export interface Role {
  legacyId: string;
  id: string;
  secondaryRoles: string[];
}

export interface AccessKey {
  accessKeyId: string;
  accessKeySecret: string;
  userId: string;
  agentId: number;
  role: Role;
  /** A read-only role: writes answer 403. */
  readOnly: boolean;
  description: string;
}

export interface Disposition {
  dispositionId: number;
  dispositionName: string;
  classification: string;
  classificationId: number;
  reportingGroup: string;
  systemOutcome: string;
  isActive: boolean;
  /** Counts as a right-party connect in WFM data. */
  rightParty: boolean;
  /** No agent ever talked (busy, no answer, machine…). */
  noAgent: boolean;
  notes: string;
  lastUpdated: string;
}

export interface Tag {
  tagId: number;
  tagName: string;
  isActive: boolean;
  notes: string;
}

export interface ReportingCampaign {
  id: number;
  name: string;
  isActive: boolean;
  description: string;
  notes: string;
  lastUpdateTime: string;
}

export interface Agent {
  agentId: number;
  firstName: string;
  lastName: string;
  teamId: number;
}

export type ParameterBlocks = {
  generalSettings: Record<string, unknown>;
  deliveryPreferences: Record<string, unknown>;
  cpaSettings: Record<string, unknown>;
  retrySettings: Record<string, unknown>;
  scheduleSettings: Record<string, unknown>;
  timeZoneSettings: Record<string, unknown>[];
  xsSettings: Record<string, unknown>;
};

export interface Skill {
  skillId: number;
  skillName: string;
  mediaTypeId: number;
  mediaTypeName: string;
  isOutbound: boolean;
  outboundStrategy: string | null;
  isRunning: boolean;
  isActive: boolean;
  campaignId: number;
  notes: string;
  requireDisposition: boolean;
  callerId: string;
  dispositionIds: number[];
  /** Only Personal Connection skills have parameters. */
  parameters: ParameterBlocks | null;
  callingListIds: number[];
  lastUpdateTime: string;
}

export interface ListRecord {
  externalId: string;
  phoneNumber: string;
  firstName: string;
  lastName: string;
  timeZone: string;
  state: string;
  customFields: Record<string, string>;
  /**
   * Uploaded through a list whose mapping names the columns (`callRequestTimeColumn`,
   * `callRequestStaleColumn`, `scoreColumn`): when the record may be dialled first (ISO 8601 with
   * an offset) and for how many minutes after that it is still wanted; its score.
   */
  callRequestTime?: string;
  callRequestStaleMins?: number;
  score?: string;
  /** From the create's `zipColumn` (issue 62 §3); the `timeZoneColumn` fills `timeZone`. */
  zip?: string;
  /** When the upload job that brought the record completed: the dialer sees it from then on. */
  loadedAtMs?: number;
  /**
   * The upload's `expirationDate` (issue 65), or the record's own from the list's
   * `expirationDateColumn` (round 7, which wins): the dialer leaves the record from then on.
   */
  expirationDate?: string;
  /** Taken out of the list (`removeProspects`): never dialled from then on, not downloaded. */
  removedAtMs?: number;
  /** Round 7: the record carried its own expiration (kept over the upload's when it loads). */
  ownExpiration?: boolean;
  /** Round 7: priority (`priorityColumn`), higher first before score (list order last). */
  priority?: number;
}

/** One dial of a list record (`GET /lists/call-lists/{id}/attempts`, FULL's `contactAttempts[]`). */
export interface ListAttempt {
  contactId: number;
  externalId: string;
  formattedPhone: string;
  dateOfCall: string;
  lastDuration: string;
  systemClass: number;
  systemClassName: string;
  agentDisp: number | null;
  agentDispDesc: string | null;
  agentId: number | null;
  callRequestDate: string | null;
  timeZone: string;
  /**
   * Round 7 (FULL's `contactAttempts[]`): a record with a call-request time is delivered as a
   * timed call request (a callback), confirmation-required: an agent accepts it before it is
   * dialled. Ordinary records are predictive work: both false.
   */
  deliveredAsCallback: boolean;
  confirmReq: boolean;
}

/** The emulator's dialer over one list: what it has dialled, skipped as stale, and up to when. */
export interface ListDialing {
  attempts: ListAttempt[];
  /** Records dialled or skipped, by index in the list's records. */
  done: Set<number>;
  stale: number;
  /** Issue 65: dials per record index, when it was last dialled, and whether it is finalised. */
  tries?: Map<number, { count: number; lastMs: number; finalized: boolean }>;
  /** Records left undialled because they expired (issue 65). */
  expired?: number;
  /** With a pace (knob listDialPacePerHour): the earliest instant of the next dial. */
  nextFreeMs?: number;
  /** The dialer's clock: it has dialled every record due up to this instant. */
  untilMs: number;
  /** The skill's retry settings as the last advance read them (to see them change). */
  retryKey?: string;
  /**
   * Where the dialer's clock stood when the skill's retry settings last changed: a retry the new
   * settings allow is placed no earlier (it cannot happen at an instant the dialer has passed).
   */
  retryFloorMs?: number;
}

export interface CallingList {
  listId: number;
  listName: string;
  status: string;
  externalIdColumn: string;
  mappings: { fieldName: string; fieldValue: string }[];
  /** Columns named by the create's query (`callRequestTimeColumn` …); absent on seeded lists. */
  columns?: {
    callRequestTime?: string;
    callRequestStale?: string;
    score?: string;
    priority?: string;
    timeZone?: string;
    zip?: string;
    /** Round 7: a per-record expiration (`expirationDateColumn`), which wins over the upload's. */
    expirationDate?: string;
  };
  /** The dialer's record of this list (lists.ts); absent until it first runs. */
  dialing?: ListDialing;
  /** Null until first read for seeded lists (built lazily from the seed). */
  records: ListRecord[] | null;
  seededSize: number;
  seededIndex: number;
  skillIds: number[];
  createDate: string;
  uploadDate: string | null;
  updateDate: string;
}

export interface UploadJob {
  jobId: number;
  listId: number;
  polls: number;
  submitDate: string;
  completedDate: string | null;
  isComplete: boolean;
  /**
   * Round 7: why the upload was rejected whole (nothing loaded), e.g. over the callback cap; the
   * job then shows `isCancelled: true` and the words in `errorMessage` (both assumed).
   */
  rejected?: { reason: string; periodStart?: string; callbacks?: number; cap?: number };
  /** Applied to the list when the job completes. */
  pending: {
    records: ListRecord[];
    forceOverwrite: boolean;
    skillId: number | null;
    startSkill: boolean;
    expirationDate?: string;
  };
}

export interface ActiveContact {
  contactId: number;
  skillId: number;
  agentId: number;
  toAddress: string;
  contactStartMs: number;
  stateName: string;
}

export interface AuditEntry {
  auditHistoryId: number;
  columnName: string;
  oldValue: string;
  newValue: string;
  date: string;
  modifiedBy: number;
  modifiedByName: string;
}

export interface DncEntry {
  phone: string;
  dncGroupId: number;
  dncGroupName: string;
  dateCollected: string;
}
