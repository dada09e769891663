import type { CheckedInput } from "../campaigns/compliance/check-input.ts";
import type { CxoneDncFreshness } from "../campaigns/compliance/cxone-dnc-freshness.ts";
import type { CxoneDncSyncResult } from "../campaigns/compliance/cxone-dnc-sync.ts";
import type { EvidenceSummary } from "../campaigns/compliance/evidence/make.ts";
import type { EvidenceParams } from "../campaigns/compliance/evidence/request.ts";
import type { EvidenceVerification } from "../campaigns/compliance/evidence/verify.ts";
import type { CampaignCaps, Verdict } from "../campaigns/compliance/verdict.ts";
import type { VoiceFacts } from "../campaigns/compliance/voice-rules.ts";
import type { DispositionsFreshness } from "../consent/cxone-dispositions.ts";
import { InputError } from "../core/input-error.ts";
import type { Store } from "../core/store/index.ts";
import { type ClientRuntime, inCall, type RequestOptions, requestSignal } from "./runtime.ts";

// The calling-rules engine (~25 modules with its phone tables) is imported at first check, not
// with this file: every client builds this group, and most never check a call.

/** One call to judge. Problems are an InputError naming these fields (`phone`, `at`, …). */
export interface ComplianceCheck {
  /** The number to call, E.164 (`+1NXXNXXXXXX`). */
  phone: string;
  /** The instant: a Date, epoch milliseconds, or ISO-8601 with an offset. Default: now. */
  at?: Date | number | string;
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
   * Issue 79: the campaign's kind. Absent: not declared, and the rows of every kind apply (an
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
  /** The consumer's last transaction with the seller (Oregon: an established business relationship). */
  lastTransactionAt?: Date | number | string;
  /** `personal` (residence or mobile, default) or `other` (e.g. work; Massachusetts). */
  numberType?: "personal" | "other";
  /** Issue 92 §2: the voice the call uses (default `live`): `prerecorded` and `ai` need consent. */
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
   * text confirming a revocation by text — allowed within 5 minutes of it, once (issue 92 §3;
   * rule `us-revocation-confirmation-text`); any other touch after a revocation stays refused.
   */
  purpose?: "emergency" | "revocation-confirmation";
}

/**
 * A verdict, with what the check knew of the tenant's CXone DNC groups (issue 62 §2); null on a
 * platform without them (the seed API: the consent ledger and the internal list apply).
 */
export interface CheckedVerdict extends Verdict {
  cxoneDnc: CxoneDncFreshness | null;
  /**
   * Issue 77 §3: agents' do-not-call dispositions in CXone, read into the ledger before the check
   * when the last read was older than `consent.dispositionsMaxAgeMinutes` (`source: "read"`).
   */
  dispositions: DispositionsFreshness;
}

export interface ComplianceGroup {
  /**
   * May this number be called at this instant, and if not, why and when? Uses the local store's
   * attempt history, DNC list, consent ledger and synced copy of the CXone DNC groups. Sends
   * nothing to CXone unless, on the production platform, that copy is older than
   * `consent.cxoneDncMaxAgeMinutes` or was never synced: then the number is searched live in the
   * tenant's DNC groups (`cxoneDnc.source: "live"`). An already aborted `signal` refuses the check.
   */
  check(call: ComplianceCheck, options?: RequestOptions): Promise<CheckedVerdict>;
  /**
   * Copies the tenant's CXone DNC groups (each group, the skills it scrubs, its records) into the
   * local store, replacing the previous copy in one transaction, with an audit record. On a
   * platform without DNC groups (the seed API) a NotSupportedError, before anything is sent.
   */
  syncDnc(params?: Record<string, never>, options?: RequestOptions): Promise<CxoneDncSyncResult>;
  /**
   * Issue 92 §1: one evidence record per attempt CXone made — an outcomes `file`, a campaign's
   * completed contacts between `from` and `to`, or a calling list's dials (`listId`) — judged by
   * the engine of `check` with what the store held as of each attempt, written to `out` (NDJSON,
   * or Parquet when it ends in `.parquet`), the attempts not allowed first. Answers what was
   * written (`notAllowed` > 0: the CLI exits 1). Sends nothing to CXone for a file; reads the
   * completed contacts or the list's dials for the others (a list on the seed API: a
   * NotSupportedError before anything is sent). docs/compliance.md, "Evidence for every attempt".
   */
  evidence(params: EvidenceParams, options?: RequestOptions): Promise<EvidenceSummary>;
  /**
   * Checks an evidence file: each record's digest, and its verdict, reasons, zones, rules and
   * counters recomputed from its kept inputs with the rule book of its own version. `ok: false`
   * names each difference by record and field. Local: sends nothing.
   */
  verifyEvidence(file: string, options?: RequestOptions): Promise<EvidenceVerification>;
}

/** Issue 79: what the caps count the touch for, and the seller's own facts (its name, its registrations). */
function touchFieldsOf(checked: CheckedInput, runtime: ClientRuntime) {
  return {
    channel: checked.channel,
    kind: checked.kind,
    accountId: checked.account,
    zip: checked.zip,
    lastTransactionMs: checked.lastTransactionMs,
    numberType: checked.numberType,
    voice: checked.voice,
    purpose: checked.purpose,
    seller: runtime.consent.seller ?? runtime.tenant,
    registrations: runtime.registrations,
    explainCaps: true,
  };
}

export function complianceGroup(runtime: ClientRuntime): ComplianceGroup {
  return {
    async check(call, options) {
      // Local work (the store, the rules): the signal and deadline are checked before it starts.
      requestSignal(options)?.throwIfAborted();
      if (typeof call !== "object" || call === null)
        throw new InputError({ field: "call", rule: "must be an object ({ phone, at?, state?, … })" });
      const [{ checkCall }, { validateCheckInput }, { dncListFor }, { withCxoneDncForOneNumber }] =
        await Promise.all([
          import("../campaigns/compliance/check-call.ts"),
          import("../campaigns/compliance/check-input.ts"),
          import("../campaigns/compliance/blocked-numbers.ts"),
          import("../campaigns/compliance/cxone-dnc-freshness.ts"),
        ]);
      const checked = validateCheckInput(call);
      const { number, atMs, state, zone } = checked;
      const store = await runtime.store();
      const signal = requestSignal(options);
      const { freshDispositions } = await import("./fresh-dispositions.ts");
      const dispositions = await inCall(options, () => freshDispositions(runtime, signal));
      const { dnc, cxoneDnc } = await inCall(options, async () =>
        withCxoneDncForOneNumber(
          store,
          runtime.port,
          await dncListFor(store, [number.e164], call.dnc ?? [], checked.account ? [checked.account] : []),
          number.e164,
          {
            nowMs: Date.now(),
            maxAgeMinutes: runtime.cxoneDncMaxAgeMinutes,
            ...(signal ? { signal } : {}),
          },
        ),
      );
      const registries = await runtime.dncRegistries();
      const granted = await grantedConsent(store, checked, call.consent);
      const { platformCallsOf } = await import("./platform-calls.ts");
      const verdict = await checkCall(
        await runtime.complianceEngine(),
        store,
        dnc,
        {
          number,
          atMs,
          zone,
          state,
          campaignCaps: call.campaignCaps,
          campaignId: call.campaignId,
          ...touchFieldsOf(checked, runtime),
          ...granted,
        },
        registries,
        // CXone's dials on the lists cxo pushed and the skills' completed contacts count too.
        (window) =>
          inCall(options, () =>
            platformCallsOf(runtime, {
              skills: call.campaignId === undefined ? [] : [call.campaignId],
              window,
              signal,
            }),
          ),
      );
      return { ...verdict, cxoneDnc, dispositions };
    },

    async evidence(params, options) {
      requestSignal(options)?.throwIfAborted();
      const { checkEvidenceParams } = await import("../campaigns/compliance/evidence/request.ts");
      const checked = checkEvidenceParams(params);
      const signal = requestSignal(options);
      const [{ makeEvidence }, { evidenceEnvOf }] = await Promise.all([
        import("../campaigns/compliance/evidence/make.ts"),
        import("./evidence.ts"),
      ]);
      const env = await evidenceEnvOf(runtime, checked.from, signal);
      return inCall(options, () => makeEvidence(env, checked));
    },

    async verifyEvidence(file, options) {
      const signal = requestSignal(options);
      signal?.throwIfAborted();
      if (typeof file !== "string" || file === "")
        throw new InputError({ field: "file", rule: "must be the path of an evidence file" });
      const { verifyEvidence } = await import("../campaigns/compliance/evidence/verify.ts");
      const store = await runtime.store();
      return verifyEvidence(await runtime.complianceEngine(), store, file, signal ? { signal } : {});
    },

    async syncDnc(params, options) {
      if (params !== undefined && (typeof params !== "object" || params === null))
        throw new InputError({ field: "params", rule: "must be an object (or absent)" });
      const signal = requestSignal(options);
      const refusal = runtime.port.support.unsupported("dncGroups");
      const groups = runtime.port.dncGroups;
      if (refusal || !groups) throw refusal ?? new TypeError("this platform's port has no DNC groups");
      const { syncCxoneDnc } = await import("../campaigns/compliance/cxone-dnc-sync.ts");
      const store = await runtime.store();
      return inCall(options, () =>
        syncCxoneDnc(store, groups, { actor: runtime.actor, ...(signal ? { signal } : {}) }),
      );
    },
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
