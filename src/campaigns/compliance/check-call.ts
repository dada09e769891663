import type { Store } from "../../core/store/index.ts";
import { ATTEMPT_LOOKBACK_MS, attemptsInWindow } from "./attempts.ts";
import type { DncList } from "./dnc.ts";
import { type AttemptTime, type CampaignCaps, evaluateCall, type Verdict } from "./evaluate.ts";
import type { NanpNumber } from "./phone-number.ts";
import type { DncRegistries } from "./registry/lookup.ts";

/**
 * One call checked against the rules with the local store's facts: its attempt history (for
 * the caps), the internal DNC list and the imported registry copies (national, state). The
 * I/O is here; the decision is evaluateCall's.
 */
export interface CallToCheck {
  number: NanpNumber;
  atMs: number;
  zone?: string | undefined;
  state?: string | undefined;
  consent: boolean | undefined;
  campaignCaps?: CampaignCaps | undefined;
  campaignId?: string | undefined;
}

/** The decision for one call once its attempt history is known (no I/O but the registry bits). */
export function judgeCall(
  dnc: DncList,
  call: CallToCheck,
  attempts: readonly AttemptTime[],
  registries: DncRegistries,
): Verdict {
  return evaluateCall({
    number: call.number,
    atMs: call.atMs,
    declaredZone: call.zone,
    addressState: call.state,
    consent: call.consent,
    onDnc: dnc.has(call.number.e164),
    suppressions: dnc.suppressions?.(call.number.e164, call.campaignId, call.atMs) ?? [],
    registries: registries.findings(call.number),
    attempts,
    campaignCaps: call.campaignCaps,
    campaignId: call.campaignId,
  });
}

export async function checkCall(
  store: Store,
  dnc: DncList,
  call: CallToCheck,
  /** Required, so no caller can forget the National DNC Registry (NO_REGISTRIES where none applies). */
  registries: DncRegistries,
): Promise<Verdict> {
  const attempts = await attemptsInWindow(
    store,
    call.number.e164,
    call.atMs - ATTEMPT_LOOKBACK_MS,
    call.atMs,
  );
  return judgeCall(dnc, call, attempts, registries);
}
