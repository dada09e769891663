import type { DncList } from "../dnc.ts";
import type { Suppression } from "../suppression.ts";
import type { RndVerdict } from "./check-numbers.ts";
import { rndRefusalMessage } from "./verdict.ts";

/**
 * The RND's refusals as suppressions (suppression.ts) on top of the numbers a plan or a scrub
 * already refuses: each refused number carries `rnd_reassigned` (or `rnd_no_data`) with the
 * answer's words, on every campaign. A number asked about under several consent dates is judged
 * by its latest one (the consent the call relies on).
 */
export const RND_CITATION =
  "47 CFR 64.1200(m): safe harbor for a call to a reassigned number only after the latest Reassigned Numbers Database reported it not permanently disconnected since the date of consent";

export function withRndRefusals(base: DncList | undefined, verdicts: readonly RndVerdict[]): DncList {
  const latest = new Map<string, RndVerdict>();
  for (const v of verdicts) {
    const known = latest.get(v.phone);
    if (!known || v.consentDate > known.consentDate) latest.set(v.phone, v);
  }
  const refusals = new Map<string, Suppression>();
  for (const v of latest.values())
    if (v.refused && v.code)
      refusals.set(v.phone, {
        code: v.code,
        message: rndRefusalMessage(v.code, v.consentDate, v.dataAsOf),
        ruleId: "us-fcc-reassigned-numbers-database",
        citation: RND_CITATION,
        confidence: null,
      });
  return {
    has: (phone) => base?.has(phone) ?? false,
    get size() {
      return base?.size ?? 0;
    },
    suppressions(phone, campaignId, atMs, accountId, options) {
      const own = base?.suppressions?.(phone, campaignId, atMs, accountId, options) ?? [];
      const refusal = refusals.get(phone);
      return refusal ? [...own, refusal] : own;
    },
  };
}
