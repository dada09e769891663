import { checkCall } from "../campaigns/compliance/check-call.ts";
import {
  isValidState,
  isValidZone,
  parseAt,
  parsePhone,
  STATE_RULE,
  ZONE_RULE,
} from "../campaigns/compliance/check-input.ts";
import { combinedDnc, storedDncNumbers } from "../campaigns/compliance/dnc.ts";
import type { CampaignCaps, Verdict } from "../campaigns/compliance/evaluate.ts";
import { InputError, ProblemCollector } from "../core/input-error.ts";
import type { ClientRuntime } from "./runtime.ts";

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
   * attempt history and DNC list; sends nothing to CXone.
   */
  check(call: ComplianceCheck): Promise<Verdict>;
}

function atMsOf(at: ComplianceCheck["at"]): number | undefined {
  if (at === undefined) return Date.now();
  if (at instanceof Date) return Number.isFinite(at.getTime()) ? at.getTime() : undefined;
  if (typeof at === "number") return Number.isFinite(at) ? at : undefined;
  return parseAt(at, "at");
}

export function complianceGroup(runtime: ClientRuntime): ComplianceGroup {
  return {
    async check(call) {
      const collector = new ProblemCollector();
      const number = collector.attempt(() => parsePhone(call.phone, "phone"));
      const atMs = collector.attempt(() => atMsOf(call.at));
      if (atMs === undefined && !collector.problems.some((p) => p.field === "at"))
        collector.problems.push({ field: "at", rule: "must be a valid instant" });
      if (call.state !== undefined && !isValidState(call.state))
        collector.problems.push({ field: "state", rule: STATE_RULE });
      if (call.zone !== undefined && !isValidZone(call.zone))
        collector.problems.push({ field: "zone", rule: ZONE_RULE });
      if (collector.problems.length > 0 || !number || atMs === undefined)
        throw new InputError(collector.problems);
      const store = await runtime.store();
      const dnc = combinedDnc(new Set(call.dnc ?? []), await storedDncNumbers(store));
      return checkCall(store, dnc, {
        number,
        atMs,
        zone: call.zone,
        state: call.state?.toUpperCase(),
        consent: call.consent,
        campaignCaps: call.campaignCaps,
        campaignId: call.campaignId,
      });
    },
  };
}
