/**
 * The law counts touches, not calls. A touch is one contact attempt on any channel
 * (a call cxo or another dialer placed, a text, an email, a callback, a voicemail drop); each cap
 * of the rule table says which channels it counts and per what (rule-table.ts). Pure: no I/O.
 */

export type Channel = "call" | "sms" | "email" | "callback" | "voicemail";
export const CHANNELS: readonly Channel[] = ["call", "sms", "email", "callback", "voicemail"];
export const CHANNEL_RULE = `must be one of ${CHANNELS.join(", ")}`;

export const isChannel = (value: unknown): value is Channel =>
  typeof value === "string" && (CHANNELS as readonly string[]).includes(value);

/**
 * What a cap counts. A callback and a voicemail drop are calls the caller places (a callback is
 * an outbound call at a time the consumer asked for; a voicemail drop rings the line), so they
 * count wherever calls do.
 */
export type Counts = "calls" | "calls_and_texts" | "every_channel";

export const VOICE: readonly Channel[] = ["call", "callback", "voicemail"];
export const VOICE_AND_TEXT: readonly Channel[] = [...VOICE, "sms"];

export const COUNTED: Readonly<Record<Counts, readonly Channel[]>> = {
  calls: VOICE,
  calls_and_texts: VOICE_AND_TEXT,
  every_channel: CHANNELS,
};

/**
 * Per what a cap counts: the number (every caller), the number per seller (one source to one
 * number: Oregon), or the account, i.e. the debt (every number and channel of the consumer for
 * that debt: Massachusetts, New York City). cxo has no identity of a consumer beyond the account:
 * a rule "per consumer, per account" is counted per account.
 */
export type CountedPer = "number" | "number_per_seller" | "account";

/**
 * What a touch is for, when it is not an ordinary contact attempt: the one text that
 * confirms a revocation by text (`touches import` column `purpose`, `compliance check --purpose`).
 */
export type TouchPurpose = "revocation-confirmation";
export const TOUCH_PURPOSES: readonly TouchPurpose[] = ["revocation-confirmation"];

/** The campaign's kind: an FDCPA collector's exemption is a property of it, never a guess. */
export type CampaignKind = "sales" | "collections";
export const CAMPAIGN_KINDS: readonly CampaignKind[] = ["sales", "collections"];

/** Whether the number is the consumer's own (residence, mobile) or another (work): Massachusetts. */
export type NumberType = "personal" | "other";
export const NUMBER_TYPES = ["personal", "other"] as const satisfies readonly NumberType[];

/** The channels a rule-table row governs: a cap's are what it counts, others default to VOICE. */
export function channelsOfRow(row: {
  kind: string;
  counts?: Counts;
  channels?: readonly Channel[] | undefined;
}): readonly Channel[] {
  if (row.kind === "frequency_cap" && row.counts) return COUNTED[row.counts];
  return row.channels ?? VOICE;
}

/** A seller's registration in one state (`compliance.registrations`). */
export interface Registration {
  number: string;
  /** The last day it is valid (yyyy-mm-dd, inclusive). */
  until: string;
}

export type Registrations = Readonly<Record<string, Registration>>;
