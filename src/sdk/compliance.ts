import type { CampaignCaps, Verdict } from "../campaigns/compliance/evaluate.ts";
import { InputError } from "../core/input-error.ts";
import { type ClientRuntime, type RequestOptions, requestSignal } from "./runtime.ts";

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
}

export interface ComplianceGroup {
  /**
   * May this number be called at this instant, and if not, why and when? Uses the local store's
   * attempt history and DNC list; sends nothing to CXone. An already aborted `signal` refuses
   * the check.
   */
  check(call: ComplianceCheck, options?: RequestOptions): Promise<Verdict>;
}

export function complianceGroup(runtime: ClientRuntime): ComplianceGroup {
  return {
    async check(call, options) {
      // Local work (the store, the rules): the signal and deadline are checked before it starts.
      requestSignal(options)?.throwIfAborted();
      if (typeof call !== "object" || call === null)
        throw new InputError({ field: "call", rule: "must be an object ({ phone, at?, state?, … })" });
      const [{ checkCall }, { validateCheckInput }, { loadDncList }] = await Promise.all([
        import("../campaigns/compliance/check-call.ts"),
        import("../campaigns/compliance/check-input.ts"),
        import("../campaigns/compliance/blocked-numbers.ts"),
      ]);
      const { number, atMs, state, zone } = validateCheckInput(call);
      const store = await runtime.store();
      const dnc = await loadDncList(store, call.dnc ?? []);
      const registries = await runtime.dncRegistries();
      return checkCall(
        store,
        dnc,
        {
          number,
          atMs,
          zone,
          state,
          consent: call.consent,
          campaignCaps: call.campaignCaps,
          campaignId: call.campaignId,
        },
        registries,
      );
    },
  };
}
