import { calledNumberOf, calledUkNumberOf } from "../../consent/called-number.ts";
import { agentOn, dialWasConversation } from "../../core/call-agent.ts";
import { parseNanpOrUk } from "../../core/phone-number.ts";
import type { CanonicalRecord } from "../../outcomes/record-format.ts";
import type { ListAttempt } from "../../platform/ports/lists.ts";
import type { OutboundCall } from "../../platform/types.ts";
import { isValidState, isValidZone } from "../check-input.ts";
import { ZIP_PATTERN } from "../nyc-zips.ts";
import { CAMPAIGN_KINDS, type CampaignKind } from "../touches.ts";
import { factsOfCall, factsOfDial, factsOfRecord } from "./call-facts.ts";
import type { EvidenceAttempt } from "./scratch.ts";

/**
 * The attempts CXone made, from each of the three sources, as evidence attempts: an outcomes
 * file in any format `cxo outcomes export` writes (outcomes/read-history.ts), a campaign's
 * completed contacts between two instants (the outcomes port: `/contacts/completed` on the
 * production platform), and a calling list's dials (the lists port's attempts). A record that
 * names no NANP number it was placed to, or no instant, cannot be judged: it is skipped and
 * counted, with its id and why, never dropped silently. An inbound record is no attempt.
 *
 * From an outcomes record, besides its own fields: an agent on the call is a conversation; the
 * TSR's `robocall` is a prerecorded voice; and columns or `extra` fields of the user's own give
 * the contact's `account` (or `accountId`), `state`, `zip`, `timeZone` (or `zone`) and the
 * campaign's `kind`, each used when valid.
 */
export type SourceAttempt = Omit<EvidenceAttempt, "seq">;

export interface Skipped {
  id: string;
  why: string;
}

export type SourceItem = { attempt: SourceAttempt } | { skipped: Skipped };

/** The called number and instant of a record, or why it cannot be judged. */
function placed(phone: string | null | undefined, start: unknown): { phone: string; atMs: number } | string {
  // A UK number (+44) is judged by the UK's rows, as `compliance check` judges it.
  const number = phone ?? undefined;
  const e164 = calledNumberOf(number) ?? calledUkNumberOf(number);
  if (e164 === undefined || !parseNanpOrUk(e164)) return "no North American or UK number it was placed to";
  const atMs = typeof start === "string" ? Date.parse(start) : Number.NaN;
  if (!Number.isFinite(atMs)) return "no instant it was placed at";
  return { phone: e164, atMs };
}

/** A field of the user's own: a column (a top-level field) or a field of `extra`. */
function ownField(record: Record<string, unknown>, names: readonly string[]): string | undefined {
  const extra = (record.extra ?? null) as Record<string, unknown> | null;
  for (const name of names) {
    const value = record[name] ?? extra?.[name];
    if (typeof value === "string" && value.trim() !== "") return value.trim();
  }
  return undefined;
}

export function attemptOfRecord(record: CanonicalRecord): SourceItem {
  const id = String(record.id);
  if (typeof record.direction === "string" && /inbound/i.test(record.direction))
    return { skipped: { id, why: "an inbound call" } };
  const where = placed(record.phoneNumber, record.startTime);
  if (typeof where === "string") return { skipped: { id, why: where } };
  const own = record as unknown as Record<string, unknown>;
  const state = ownField(own, ["state"]);
  const zip = ownField(own, ["zip"]);
  const zone = ownField(own, ["timeZone", "zone"]);
  const kind = ownField(own, ["kind"]);
  const attempt: SourceAttempt = {
    source: "file",
    id,
    phone: where.phone,
    atMs: where.atMs,
    channel: "call",
    conversation: agentOn(record.agentId),
  };
  if (record.campaignId) attempt.campaignId = record.campaignId;
  const account = ownField(own, ["account", "accountId"]);
  if (account !== undefined) attempt.accountId = account;
  if (state !== undefined && isValidState(state)) attempt.state = state.toUpperCase();
  if (zip !== undefined && ZIP_PATTERN.test(zip)) attempt.zip = zip;
  if (zone !== undefined && isValidZone(zone)) attempt.zone = zone;
  if (kind !== undefined && (CAMPAIGN_KINDS as readonly string[]).includes(kind))
    attempt.kind = kind as CampaignKind;
  if (record.robocall === true) attempt.voice = "prerecorded";
  const facts = factsOfRecord(record);
  if (facts) attempt.facts = facts;
  return { attempt };
}

/** A completed contact of the campaign (both platforms' call record). */
export function attemptOfCall(call: OutboundCall, campaignId: string): SourceItem {
  const id = String(call.id);
  if (call.direction !== undefined && /inbound/i.test(call.direction))
    return { skipped: { id, why: "an inbound call" } };
  const where = placed(call.phoneNumber, call.startTime);
  if (typeof where === "string") return { skipped: { id, why: where } };
  return {
    attempt: {
      source: "campaign",
      id,
      phone: where.phone,
      atMs: where.atMs,
      campaignId: call.campaignId || campaignId,
      channel: "call",
      conversation: agentOn(call.agentId),
      facts: factsOfCall(call),
    },
  };
}

/** A dial of a list record (`campaignId`: the skill the list feeds, when cxo pushed it). */
export function attemptOfDial(dial: ListAttempt, listId: string, campaignId: string | undefined): SourceItem {
  const id = dial.contactId ?? `${listId}:${dial.recordId}@${dial.at}`;
  const where = placed(dial.phone, dial.at);
  if (typeof where === "string") return { skipped: { id, why: where } };
  const attempt: SourceAttempt = {
    source: "list",
    id,
    phone: where.phone,
    atMs: where.atMs,
    channel: "call",
    conversation: dialWasConversation(dial),
    listId,
  };
  if (campaignId !== undefined) attempt.campaignId = campaignId;
  const facts = factsOfDial(dial);
  if (facts) attempt.facts = facts;
  return { attempt };
}
