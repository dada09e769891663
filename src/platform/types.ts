/**
 * Domain types the capabilities work with. They describe CXone's data, not any one API's
 * wire format: an adapter (seed-api/ today, the production inContactAPI later) maps to them.
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
export interface OutboundCall {
  id: string;
  campaignId: string;
  startTime: string;
  endTime: string | undefined;
  durationSeconds: number | undefined;
  dispositionCode: string | undefined;
  reasonCodeId: string | undefined;
  tags: string[];
  /** Every field as CXone sent it, for exports that must keep what we do not model. */
  raw: Record<string, unknown>;
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

export interface AccessInfo {
  clientId: string;
  /** Scopes the token grants. */
  scopes: string[];
  expiresAt: string;
  tokenType: string;
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
}
