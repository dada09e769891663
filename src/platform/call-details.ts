import { flag, text } from "../core/call-agent.ts";
import type { OutboundCall } from "./types.ts";

/**
 * What a call record says about how the call went beyond its modelled fields, read by the names
 * the platforms send (production: `endReason`, `abandoned`, `attestation`, `safeHarborMessage`;
 * the seed API and outcomes files: `outcome`, `recording`…): the adapters fill `OutboundCall`'s
 * fields from it, and an outcomes file's record (its own fields, then `extra`, where an export
 * keeps what cxo does not model) is read by it too. Only what the record says; nothing guessed.
 */
export type CallDetails = Pick<
  OutboundCall,
  "abandoned" | "aiAgent" | "attestation" | "callerName" | "outcome" | "recording" | "safeHarborMessage"
>;

type Fields = Record<string, unknown>;

/** The first of `names` that `fields` (then its `extra`) carries. */
export function firstField(fields: Fields, names: readonly string[]): unknown {
  const extra = (fields.extra ?? null) as Fields | null;
  for (const name of names) {
    const value = fields[name] ?? extra?.[name];
    if (value !== undefined && value !== null && value !== "") return value;
  }
  return undefined;
}

const RECORDING = ["recording", "recordingId", "recordingUrl"] as const;

/** The details `fields` (a call's wire record, or an outcomes file's record) carries; absent ones are left out. */
export function callDetailsOf(fields: Fields): CallDetails {
  const details: CallDetails = {};
  const abandoned = flag(firstField(fields, ["abandoned"]));
  if (abandoned !== undefined) details.abandoned = abandoned;
  const aiAgent = text(firstField(fields, ["aiAgent", "aiAgentId"]));
  if (aiAgent !== undefined) details.aiAgent = aiAgent;
  const attestation = text(firstField(fields, ["attestation"]));
  if (attestation !== undefined) details.attestation = attestation;
  const callerName = text(firstField(fields, ["callerName"]));
  if (callerName !== undefined) details.callerName = callerName;
  const outcome = text(firstField(fields, ["outcome", "endReason"]));
  if (outcome !== undefined) details.outcome = outcome;
  const recording = text(firstField(fields, RECORDING));
  if (recording !== undefined) details.recording = recording;
  const safeHarborMessage = flag(firstField(fields, ["safeHarborMessage"]));
  if (safeHarborMessage !== undefined) details.safeHarborMessage = safeHarborMessage;
  return details;
}

/**
 * The caller id an outcomes file's record carries as the production platform sent it
 * (`fromAddress`, v23 `fromAddr`, kept under `extra` by exports made before `callerId` was a
 * column); a value that is not text is none.
 */
export function sentCallerIdOf(fields: Fields): string | undefined {
  const value = firstField(fields, ["fromAddress", "fromAddr"]);
  return typeof value === "string" ? value : undefined;
}
