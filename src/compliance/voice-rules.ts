import {
  type ArtificialVoiceRow,
  CALL_VOICES,
  type CallVoice,
  type VoiceAnnouncementRow,
} from "./rule-table.ts";
import type { CampaignKind } from "./touches.ts";

/**
 * What a call's voice asks of its consent and its announcement. A call made with an
 * artificial or prerecorded voice — an AI-generated one counts as artificial from 2024-02-08
 * (FCC 24-17) — needs the called party's prior express consent, written for telemarketing, unless
 * its purpose is an emergency (47 U.S.C. 227(b)(1)(A), (B); 47 CFR 64.1200(a)(1)-(3)). cxo does
 * not know whether a number is wireless or residential, so it asks what the wireless rule asks of
 * every call (the stricter). California asks for a live introduction, and from 2025 for the AI
 * voice to be said (Cal. Pub. Util. Code 2874; AB 2905). Pure: rows in, problem out.
 */
export interface VoiceFacts {
  voice: CallVoice;
  /** The consent on record is written (`consent grant --written yes`, `--written-consent yes`). */
  writtenConsent?: boolean | undefined;
  /** The consent was given with the AI voice disclosed (recorded for the evidence). */
  aiDisclosed?: boolean | undefined;
  /** The call is introduced by a live person (a campaign spec's `announcement: live`). */
  liveIntroduction?: boolean | undefined;
  /** The introduction says the voice is artificial (a campaign spec's `discloses: ai`). */
  disclosesAi?: boolean | undefined;
  /** An emergency purpose (exempt from the consent rows). */
  emergency?: boolean | undefined;
}

export type VoiceProblemCode =
  | "artificial_voice_no_consent"
  | "artificial_voice_no_written_consent"
  | "live_introduction_required"
  | "ai_disclosure_required";

export interface VoiceProblem {
  code: VoiceProblemCode;
  message: string;
}

const said = (voice: CallVoice) => (voice === "ai" ? "an artificial (AI) voice" : "a prerecorded voice");

export function artificialVoiceProblem(
  row: ArtificialVoiceRow,
  facts: VoiceFacts | undefined,
  consent: boolean | undefined,
  kind: CampaignKind | undefined,
): VoiceProblem | undefined {
  if (!facts || !row.voices.includes(facts.voice) || facts.emergency === true) return undefined;
  if (consent !== true)
    return {
      code: "artificial_voice_no_consent",
      message: `a call with ${said(facts.voice)} needs the called party's prior express consent, and none is recorded`,
    };
  // An undeclared kind is judged as telemarketing: the stricter reading.
  if (
    row.writtenFor.length > 0 &&
    (kind === undefined || row.writtenFor.includes(kind)) &&
    facts.writtenConsent !== true
  )
    return {
      code: "artificial_voice_no_written_consent",
      message: `a telemarketing call with ${said(facts.voice)} needs prior express WRITTEN consent (${kind === undefined ? "kind not declared: judged as sales" : `kind ${kind}`})`,
    };
  return undefined;
}

export function announcementProblem(
  row: VoiceAnnouncementRow,
  facts: VoiceFacts | undefined,
): VoiceProblem | undefined {
  if (!facts || !row.voices.includes(facts.voice) || facts.emergency === true) return undefined;
  if (row.requires === "live_introduction" && facts.liveIntroduction !== true)
    return {
      code: "live_introduction_required",
      message: `in California a call with ${said(facts.voice)} is introduced by a live person (a campaign spec's announcement: live)`,
    };
  if (row.requires === "ai_disclosure" && facts.disclosesAi !== true)
    return {
      code: "ai_disclosure_required",
      message:
        "in California the live introduction says the message uses an artificial voice (a campaign spec's discloses: ai)",
    };
  return undefined;
}

/**
 * A campaign's voice as a campaign spec, a plan row, a push and the SDK state it (`voice:`,
 * `announcement: live`, `discloses: ai`); what the consent says is the record's (its grant).
 */
export interface CampaignVoice {
  voice: CallVoice;
  announcement?: "live" | undefined;
  discloses?: "ai" | undefined;
}

/** The consent facts of one record (consent/grants.ts: its newest grant for the call's purpose). */
export interface ConsentForm {
  writtenConsent?: boolean | undefined;
  aiDisclosed?: boolean | undefined;
}

/**
 * The facts the engine judges a record's call with: undefined for a live voice (no voice row asks
 * anything of it, and the engine's verdict cache keeps serving such calls), else the campaign's
 * voice and introduction with the record's consent form.
 */
export function voiceFactsFor(voice: CampaignVoice | undefined, form: ConsentForm): VoiceFacts | undefined {
  if (voice === undefined || voice.voice === "live") return undefined;
  return voiceFacts(voice, form);
}

/** A voice's facts with a consent form, whatever the voice (a check states a live one too). */
export function voiceFacts(voice: CampaignVoice, form: ConsentForm): VoiceFacts {
  return {
    voice: voice.voice,
    ...(form.writtenConsent === undefined ? {} : { writtenConsent: form.writtenConsent }),
    ...(form.aiDisclosed === undefined ? {} : { aiDisclosed: form.aiDisclosed }),
    ...(voice.announcement === "live" ? { liveIntroduction: true } : {}),
    ...(voice.discloses === "ai" ? { disclosesAi: true } : {}),
  };
}

/** The voice fields a caller gave (SDK params, a spec, a plan row), each problem naming its field. */
export function campaignVoiceOf(
  given: { voice?: unknown; announcement?: unknown; discloses?: unknown },
  problems: Array<{ field: string; rule: string; row?: number }>,
  row?: number,
): CampaignVoice | undefined {
  const at = row === undefined ? {} : { row };
  const { voice, announcement, discloses } = given;
  if (voice !== undefined && !(CALL_VOICES as readonly unknown[]).includes(voice))
    problems.push({
      field: "voice",
      rule: `is ${JSON.stringify(voice)}: must be one of ${CALL_VOICES.join(", ")}`,
      ...at,
    });
  if (announcement !== undefined && announcement !== "live")
    problems.push({ field: "announcement", rule: "must be live (a live person introduces the call)", ...at });
  if (discloses !== undefined && discloses !== "ai")
    problems.push({
      field: "discloses",
      rule: "must be ai (the introduction says the voice is artificial)",
      ...at,
    });
  if (voice === undefined || !(CALL_VOICES as readonly unknown[]).includes(voice)) return undefined;
  return {
    voice: voice as CallVoice,
    ...(announcement === "live" ? { announcement: "live" as const } : {}),
    ...(discloses === "ai" ? { discloses: "ai" as const } : {}),
  };
}
