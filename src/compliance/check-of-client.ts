import type { DispositionsFreshness } from "../consent/cxone-dispositions.ts";
import { clockNowMs } from "../core/clock/now.ts";
import { sellerOf } from "../core/config/seller.ts";
import { InputError } from "../core/input-error.ts";
import type { InstantInput } from "../core/instant-input.ts";
import type { Store } from "../core/store/index.ts";
import type { CheckedInput } from "./check-input.ts";
import type { ComplianceClient } from "./compliance-client.ts";
import type { CxoneDncFreshness } from "./cxone-dnc-freshness.ts";
import type { SkillVoices } from "./declared-voice.ts";
import type { CampaignCaps, Verdict } from "./verdict.ts";
import type { VoiceFacts } from "./voice-rules.ts";
/** One call to judge. Problems are an InputError naming these fields (`phone`, `at`, …). */
export interface ComplianceCheck {
  /** The number to call, E.164 (`+1NXXNXXXXXX`). */
  phone: string;
  /** The instant: ISO 8601 with a zone or a Date (InstantInput), or epoch milliseconds. Default: now. */
  at?: InstantInput | number;
  /** The contact's address state (adds its rules and zones). */
  state?: string;
  /** The contact's declared IANA time zone (adds a candidate zone). */
  zone?: string;
  /** consentFlags.outbound.call; absent = not recorded = not allowed. */
  consent?: boolean;
  /** Per-contact caps over rolling windows. */
  campaignCaps?: CampaignCaps;
  /** Count the caps over this campaign's recorded attempts only. */
  campaignId?: string;
  /** Numbers to refuse besides the stored internal DNC list. */
  dnc?: Iterable<string>;
  /**
   * The campaign's kind. Absent: not declared, and the rows of every kind apply (an
   * FDCPA collector's exemption is never guessed) but a state registration, which a declared
   * `sales` kind needs.
   */
  kind?: "sales" | "collections";
  /** The account (debt) the touch is about: account caps count its touches on every number. */
  account?: string;
  /** The touch asked about (default `call`): `sms`, `email`, `callback`, `voicemail`. */
  channel?: "call" | "sms" | "email" | "callback" | "voicemail";
  /** The consumer's address ZIP code: New York City's rules follow it, never an area code. */
  zip?: string;
  /**
   * The consumer's last transaction with the seller (Oregon: an established business
   * relationship): as `at` (InstantInput or epoch milliseconds), at or before `at`.
   */
  lastTransactionAt?: InstantInput | number;
  /** `personal` (residence or mobile, default) or `other` (e.g. work; Massachusetts). */
  numberType?: "personal" | "other";
  /** The voice the call uses (default `live`): `prerecorded` and `ai` need consent. */
  voice?: "live" | "prerecorded" | "ai";
  /** The consent on record is written (telemarketing with an artificial voice needs it). */
  writtenConsent?: boolean;
  /** The consent was given with the AI voice disclosed. */
  aiDisclosed?: boolean;
  /** `live`: the call is introduced by a live person (California's rule). */
  announcement?: "live";
  /** `ai`: the introduction says the voice is artificial (California, 2025). */
  discloses?: "ai";
  /**
   * `emergency`: exempt from the artificial-voice consent rows. `revocation-confirmation`: the one
   * text confirming a revocation by text — allowed within 5 minutes of it, once (rule `us-revocation-confirmation-text`); any other touch after a revocation stays refused.
   */
  purpose?: "emergency" | "revocation-confirmation";
}

/**
 * A verdict, with what the check knew of the tenant's CXone DNC groups; null on a
 * platform without them (the seed API: the consent ledger and the internal list apply) and on a
 * client without a connection.
 */
export interface CheckedVerdict extends Verdict {
  cxoneDnc: CxoneDncFreshness | null;
  /**
   * Agents' do-not-call dispositions in CXone, read into the ledger before the check
   * when the last read was older than `consent.dispositionsMaxAgeMinutes` (`source: "read"`);
   * null on a client without a connection (nothing of CXone read).
   */
  dispositions: DispositionsFreshness | null;
}

/** Issue 79: what the caps count the touch for, and the seller's own facts (its name, its registrations). */
function touchFieldsOf(checked: CheckedInput, client: ComplianceClient) {
  return {
    channel: checked.channel,
    kind: checked.kind,
    accountId: checked.account,
    zip: checked.zip,
    lastTransactionMs: checked.lastTransactionMs,
    numberType: checked.numberType,
    voice: checked.voice,
    purpose: checked.purpose,
    seller: sellerOf(client.consent, client.tenant),
    registrations: client.registrations,
    explainCaps: true,
  };
}

/**
 * `compliance.check`: one call judged by the calling rules with what the store holds, after
 * agents' "Do Not Call" in CXone since the last read and the CXone DNC groups' word on the number
 * were brought in, counting CXone's own dials of the number.
 */
export async function checkOfClient(
  client: ComplianceClient,
  call: ComplianceCheck,
  signal: AbortSignal | undefined,
): Promise<CheckedVerdict> {
  if (typeof call !== "object" || call === null)
    throw new InputError({ field: "call", rule: "must be an object ({ phone, at?, state?, … })" });
  const [{ checkCall }, { validateCheckInput }, { dncListFor }] = await Promise.all([
    import("./check-call.ts"),
    import("./check-input.ts"),
    import("./blocked-numbers.ts"),
  ]);
  const checked = validateCheckInput(call);
  const { number, atMs, state, zone } = checked;
  const store = await client.store();
  // Without a connection CXone is not read: the stored lists, ledger and registry copies alone,
  // and the verdict says so (`cxoneDnc` and `dispositions` null). What reads CXone is loaded
  // only by a connected client: a check once a number loads none of it.
  const cxone = client.missingConnection === undefined ? await cxoneReaders() : undefined;
  const dispositions = cxone ? await cxone.freshDispositions(client, signal) : null;
  const listed = await dncListFor(
    store,
    [number.e164],
    call.dnc ?? [],
    checked.account ? [checked.account] : [],
  );
  const { dnc, cxoneDnc } = cxone
    ? await cxone.withCxoneDncForOneNumber(store, client.port, listed, number.e164, {
        nowMs: clockNowMs(),
        maxAgeMinutes: client.cxoneDncMaxAgeMinutes,
        ...(signal ? { signal } : {}),
      })
    : { dnc: listed, cxoneDnc: null };
  const registries = await client.dncRegistries();
  const voiced = await withDeclaredVoice(store, checked, call.campaignId, client.skillVoices, call.purpose);
  const granted = await grantedConsent(store, voiced, call.consent);
  const verdict = await checkCall(
    await client.complianceEngine(),
    store,
    dnc,
    {
      number,
      atMs,
      zone,
      state,
      campaignCaps: call.campaignCaps,
      campaignId: call.campaignId,
      ...touchFieldsOf(voiced, client),
      ...granted,
    },
    registries,
    // CXone's dials on the lists cxo pushed and the skills' completed contacts count too.
    cxone
      ? (window) =>
          cxone.platformCallsOf(client, {
            skills: call.campaignId === undefined ? [] : [call.campaignId],
            window,
            signal,
          })
      : undefined,
  );
  return { ...verdict, cxoneDnc, dispositions };
}

/** What a connected client's check reads of CXone: agents' dispositions, the DNC groups, CXone's dials. */
async function cxoneReaders() {
  const [{ freshDispositions }, { withCxoneDncForOneNumber }, { platformCallsOf }] = await Promise.all([
    import("../consent/fresh-dispositions.ts"),
    import("./cxone-dnc-freshness.ts"),
    import("./platform-calls.ts"),
  ]);
  return { freshDispositions, withCxoneDncForOneNumber, platformCallsOf };
}

/**
 * The check with its campaign's declared voice (its skill's, or its spec's: declared-voice.ts)
 * when it gave none of its own: a one-off `voice` overrides the declaration for that question.
 */
export async function withDeclaredVoice(
  store: Store,
  checked: CheckedInput,
  campaignId: string | undefined,
  skills: SkillVoices | undefined,
  purpose: string | undefined,
): Promise<CheckedInput> {
  if (checked.voice !== undefined || campaignId === undefined) return checked;
  const { declaredVoiceOf } = await import("./declared-voice.ts");
  const declared = await declaredVoiceOf(store, campaignId, skills);
  if (!declared) return checked;
  const { voiceFacts } = await import("./voice-rules.ts");
  return {
    ...checked,
    voice: { ...voiceFacts(declared, {}), ...(purpose === "emergency" ? { emergency: true } : {}) },
  };
}

/**
 * The consent a check judges with (issue 92 §2): the caller's `consent` when given, else a grant
 * recorded with `consent grant` for the call's purpose; and, for a prerecorded or AI voice whose
 * consent form the caller did not say, whether that grant is written and disclosed the AI voice.
 */
export async function grantedConsent(
  store: Store,
  checked: CheckedInput,
  consent: boolean | undefined,
): Promise<{ consent: boolean | undefined; voice?: VoiceFacts | undefined }> {
  const { grantFacts } = await import("../consent/grants.ts");
  const facts = await grantFacts(store, checked.number.e164, checked.account, checked.kind, checked.atMs);
  const voice =
    checked.voice && facts
      ? {
          ...checked.voice,
          writtenConsent: checked.voice.writtenConsent ?? facts.writtenConsent,
          aiDisclosed: checked.voice.aiDisclosed ?? facts.aiDisclosed,
        }
      : checked.voice;
  return { consent: consent ?? (facts ? true : undefined), ...(voice ? { voice } : {}) };
}
