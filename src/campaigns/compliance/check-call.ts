import type { Store } from "../../core/store/index.ts";
import { ATTEMPT_LOOKBACK_MS } from "./attempts.ts";
import type { DncList } from "./dnc.ts";
import {
  type AttemptTime,
  type CampaignCaps,
  type ComplianceInput,
  evaluateCall,
  touchReach,
  type Verdict,
} from "./evaluate.ts";
import type { NanpNumber } from "./phone-number.ts";
import type { DncRegistries } from "./registry/lookup.ts";
import type { CampaignKind, Channel, NumberType, Registrations } from "./touches.ts";
import { touchesFor } from "./touches-store.ts";

/**
 * One call checked against the rules with the local store's facts: its touch history (cxo's
 * calls and the imported touches, for the caps), the internal DNC list and the imported registry
 * copies (national, state). The I/O is here; the decision is evaluateCall's.
 */
export interface CallToCheck {
  number: NanpNumber;
  atMs: number;
  zone?: string | undefined;
  state?: string | undefined;
  consent: boolean | undefined;
  campaignCaps?: CampaignCaps | undefined;
  campaignId?: string | undefined;
  /** Issue 79: the touch asked about and what the caps count it for. */
  channel?: Channel | undefined;
  kind?: CampaignKind | undefined;
  accountId?: string | undefined;
  seller?: string | undefined;
  zip?: string | undefined;
  registrations?: Registrations | undefined;
  lastTransactionMs?: number | undefined;
  numberType?: NumberType | undefined;
  /** Report what each cap counted (`caps`). */
  explainCaps?: boolean | undefined;
}

/** The decision for one call once its attempt history is known (no I/O but the registry bits). */
export function judgeCall(
  dnc: DncList,
  call: CallToCheck,
  attempts: readonly AttemptTime[],
  registries: DncRegistries,
): Verdict {
  return evaluateCall(inputOf(dnc, call, attempts, registries));
}

function inputOf(
  dnc: DncList,
  call: CallToCheck,
  attempts: readonly AttemptTime[],
  registries: DncRegistries,
): ComplianceInput {
  return {
    number: call.number,
    atMs: call.atMs,
    declaredZone: call.zone,
    addressState: call.state,
    consent: call.consent,
    onDnc: dnc.has(call.number.e164),
    suppressions: dnc.suppressions?.(call.number.e164, call.campaignId, call.atMs, call.accountId) ?? [],
    registries: registries.findings(call.number),
    attempts,
    campaignCaps: call.campaignCaps,
    campaignId: call.campaignId,
    channel: call.channel,
    kind: call.kind,
    accountId: call.accountId,
    seller: call.seller,
    zip: call.zip,
    registrations: call.registrations,
    lastTransactionMs: call.lastTransactionMs,
    numberType: call.numberType,
    textStopsMs: dnc.textStops?.(call.number.e164),
    explainCaps: call.explainCaps,
  };
}

export async function checkCall(
  store: Store,
  dnc: DncList,
  call: CallToCheck,
  /** Required, so no caller can forget the National DNC Registry (NO_REGISTRIES where none applies). */
  registries: DncRegistries,
): Promise<Verdict> {
  // Only as far back, and by account only when, a cap that governs this call counts.
  const reach = touchReach({
    number: call.number,
    atMs: call.atMs,
    declaredZone: call.zone,
    addressState: call.state,
    consent: call.consent,
    onDnc: false,
    campaignCaps: call.campaignCaps,
    channel: call.channel,
    kind: call.kind,
    accountId: call.accountId,
    zip: call.zip,
    numberType: call.numberType,
  });
  const attempts =
    reach.lookbackMs === 0
      ? []
      : await touchesFor(
          store,
          { phone: call.number.e164, ...(reach.byAccount ? { accountId: call.accountId } : {}) },
          call.atMs - Math.min(reach.lookbackMs, ATTEMPT_LOOKBACK_MS),
          call.atMs,
        );
  return judgeCall(dnc, call, attempts, registries);
}
