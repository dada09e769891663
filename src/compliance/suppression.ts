import type { Confidence } from "./rule-table.ts";

/**
 * Numbers that must not be called for reasons the number's own record does not carry,
 * each found in a store the tenant keeps:
 *
 * - `consent_revoked`: the consent ledger holds a revocation covering this campaign (said to an
 *   agent, by SMS, email, web or mail; `cxo consent …`, docs/consent.md);
 * - `cxone_dnc`: the number is in an active CXone DNC group that scrubs the campaign's skill
 *   (production platform; `cxo compliance dnc sync`, docs/compliance.md "CXone DNC groups");
 * - `rnd_reassigned` / `rnd_no_data`: the Reassigned Numbers Database reports the number
 *   permanently disconnected since its consent date, or (`compliance.rnd.noData: refuse`) has no
 *   data (`compliance.rnd`, docs/compliance.md "Reassigned numbers").
 *
 * The engine (engine.ts) stays pure: the I/O that finds these is the caller's (a DncList's
 * `suppressions`), and each one found becomes a permanent reason with its code.
 */
export type SuppressionCode = "consent_revoked" | "cxone_dnc" | "rnd_reassigned" | "rnd_no_data";

export interface Suppression {
  code: SuppressionCode;
  /** One sentence naming what was found (the revocation's date and channel, the group's name). */
  message: string;
  /** The rule-table row or group it comes from, e.g. `us-consent-revocation`, `cxone-dnc-group-12`. */
  ruleId: string;
  citation: string;
  confidence: Confidence | null;
}

/** What revoked consent answers to (47 CFR 64.1200(a)(10); CRTC's internal do-not-call list). */
export const REVOCATION_CITATION =
  "47 CFR 64.1200(a)(10): consent revoked by any reasonable means; 47 CFR 64.1200(d): company-specific do-not-call list";

/**
 * What a UK subscriber's revocation answers to: the caller told not to call the line (PECR reg
 * 21(1)(a)), consent to automated calls withdrawn (reg 19, consent as UK GDPR art 4(11) and
 * 7(3) define it), an objection to direct marketing (UK GDPR art 21(3)).
 */
export const UK_REVOCATION_CITATION =
  "Privacy and Electronic Communications (EC Directive) Regulations 2003 (SI 2003/2426), reg 21(1)(a): no call to a subscriber who has notified the caller that such calls should not be made on that line; reg 19 with UK GDPR art 7(3): consent withdrawn; UK GDPR art 21(3): an objection to direct marketing ends it";

/** A UK number in the tenant's own CXone DNC group: the company's own do-not-call list (PECR reg 21(1)(a)). */
export const UK_CXONE_DNC_CITATION =
  "Privacy and Electronic Communications (EC Directive) Regulations 2003 (SI 2003/2426), reg 21(1)(a): the company's own do-not-call list (kept as CXone DNC groups that scrub the skill)";

/** A number in the tenant's own CXone DNC group is on the company's do-not-call list. */
export const CXONE_DNC_CITATION =
  "47 CFR 64.1200(d): company-specific do-not-call list (kept as CXone DNC groups that scrub the skill)";
