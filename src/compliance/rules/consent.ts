import { textStopBarring } from "../row-scope.ts";
import type { ArtificialVoiceRow, ConsentRow, TextStopRow, VoiceAnnouncementRow } from "../rule-table.ts";
import type { Channel } from "../touches.ts";
import type { ComplianceInput, Reason } from "../verdict.ts";
import { announcementProblem, artificialVoiceProblem } from "../voice-rules.ts";
import { reasonOf } from "./prepared.ts";

/**
 * What the consumer agreed to and took back: recorded consent for the channel, the consent an
 * artificial or prerecorded voice needs (and California's introduction, voice-rules.ts), and a
 * STOP reply to a text that bars further texts for years (Virginia). Pure.
 */

const CHANNEL_NOUN: Record<Channel, string> = {
  call: "calls",
  callback: "calls",
  voicemail: "calls",
  sms: "texts",
  email: "email",
};

/** A missing consent, named for the channel asked about (the consent given is for that channel). */
export function consentMessage(input: ComplianceInput): string {
  const channel = input.channel ?? "call";
  if (channel === "call")
    return input.consent === false
      ? "consentFlags.outbound.call is false: the contact has not consented to calls"
      : "consentFlags.outbound.call is missing: no recorded consent to calls";
  return input.consent === false
    ? `the contact has not consented to ${CHANNEL_NOUN[channel]}`
    : `no recorded (written) consent to ${CHANNEL_NOUN[channel]}`;
}

/** The consent row: the call needs recorded consent for its channel. */
export function consentReason(row: ConsentRow, input: ComplianceInput): Reason | undefined {
  return input.consent === true ? undefined : reasonOf(row, "no_consent", consentMessage(input), null);
}

/** An artificial or prerecorded voice's consent, or an announcement the voice asks for. */
export function voiceReason(
  row: ArtificialVoiceRow | VoiceAnnouncementRow,
  input: ComplianceInput,
): Reason | undefined {
  const problem =
    row.kind === "artificial_voice"
      ? artificialVoiceProblem(row, input.voice, input.consent, input.kind)
      : announcementProblem(row, input.voice);
  return problem ? reasonOf(row, problem.code, problem.message, null) : undefined;
}

/** A STOP reply to a text that still bars text solicitations at `atMs`. */
export function textStopReason(row: TextStopRow, input: ComplianceInput, atMs: number): Reason | undefined {
  const stop = textStopBarring(row, input.textStopsMs, atMs);
  if (!stop) return undefined;
  return reasonOf(
    row,
    "text_stop",
    `${input.number.e164} replied STOP to a text on ${new Date(stop.stopMs).toISOString().slice(0, 10)}: no text solicitation until ${new Date(stop.untilMs).toISOString().slice(0, 10)}`,
    null,
  );
}
