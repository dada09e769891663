import type { NanpNumber } from "../core/phone-number.ts";
import type { ZoneDerivation } from "./candidates.ts";
import type { RegFPatternCode } from "./reg-f-patterns.ts";
import type { RegistryFinding } from "./registry/lookup.ts";
import type { Confidence, RuleRow } from "./rule-table.ts";
import type { Suppression } from "./suppression.ts";
import type { CapCount, Touch } from "./touch-caps.ts";
import type {
  CampaignKind,
  Channel,
  CountedPer,
  Counts,
  NumberType,
  Registrations,
  TouchPurpose,
} from "./touches.ts";
import type { VoiceFacts, VoiceProblemCode } from "./voice-rules.ts";

/**
 * What the compliance engine (engine.ts) is asked and answers. Given a number, the instant, what
 * the contact's record declares, consent, DNC membership and the attempt history, it returns
 * every reason the call is not allowed and the earliest instant at which it would be.
 */

export interface AttemptTime extends Touch {
  atMs: number;
  campaignId?: string | undefined;
  /**
   * A planned call handed to a dialer may be placed anywhere up to this instant (its stale
   * window, issue 62 §3); absent: it is the instant `atMs` (an attempt already made).
   */
  untilMs?: number | undefined;
}

/** The campaign's own per-contact caps (the seed's `complianceConfig.rateLimits`). */
export interface CampaignCaps {
  /** At most this many attempts to the contact in any rolling 24 h. */
  perDay?: number | undefined;
  /** At most this many attempts to the contact in any rolling 7 days. */
  perWeek?: number | undefined;
}

export interface ComplianceInput {
  number: NanpNumber;
  atMs: number;
  /**
   * The call may be placed at ANY instant of `[atMs, untilMs]` (a pushed attempt's dial window,
   * issue 62 §3): every rule must hold over the whole interval — calling hours, day bans and
   * holidays at every instant of it in every candidate zone, and the frequency caps for any dial
   * times within this call's interval and the attempts' own (`AttemptTime.untilMs`), counted over
   * every attempt given, before and after (interval-caps.ts). Absent: the call is the instant
   * `atMs` and the caps count the attempts before it, as always.
   */
  untilMs?: number | undefined;
  declaredZone?: string | undefined;
  addressState?: string | undefined;
  /** `consentFlags.outbound.call`; undefined = not recorded = no consent. */
  consent: boolean | undefined;
  onDnc: boolean;
  /** Revocations in the consent ledger and CXone DNC groups covering this call (suppression.ts). */
  suppressions?: readonly Suppression[];
  /** What each imported Do Not Call registry copy says of the number (none imported: []). */
  registries?: readonly RegistryFinding[];
  attempts?: readonly AttemptTime[];
  campaignCaps?: CampaignCaps | undefined;
  /** Counts campaign caps over this campaign's attempts only (all attempts when absent). */
  campaignId?: string | undefined;
  /** How far ahead nextAllowedAt is searched (default 21 days). */
  searchDays?: number;
  /** Issue 79: the touch being judged (default `call`): each row governs some channels. */
  channel?: Channel | undefined;
  /** The campaign's kind; undefined: not declared (the rows of every kind apply, row-scope.ts). */
  kind?: CampaignKind | undefined;
  /** The account (debt) the touch is about: account caps count its touches on every number. */
  accountId?: string | undefined;
  /** The seller touching: per-seller caps count its touches. */
  seller?: string | undefined;
  /** The consumer's address ZIP code: New York City's rules follow it (never an area code). */
  zip?: string | undefined;
  /** The seller's state registrations (`compliance.registrations`). */
  registrations?: Registrations | undefined;
  /** The consumer's last transaction with the seller (an established business relationship). */
  lastTransactionMs?: number | undefined;
  /** The consumer's own number or another (Massachusetts); default personal. */
  numberType?: NumberType | undefined;
  /** STOP replies to the seller's texts from this number (epoch ms; the consent ledger's SMS revocations). */
  textStopsMs?: readonly number[] | undefined;
  /** Report what each cap counted (`caps` in the verdict): `compliance check`. */
  explainCaps?: boolean | undefined;
  /** The voice the call uses and what its consent and introduction say (default: live). */
  voice?: VoiceFacts | undefined;
  /**
   * Issue 92 §3: the touch is the one text confirming a revocation by text (allowed within 5
   * minutes of it, once; revocation-confirmation.ts). `attempts` should hold the number's touches
   * since then (their `purpose` read) and `textStopsMs` its revocations by text.
   */
  purpose?: TouchPurpose | undefined;
  /**
   * The rule book to judge by (default RULE_TABLE): an evidence record is replayed with the rule
   * book it was made under (evidence/rule-book.ts), so a later book never re-judges it.
   */
  ruleTable?: readonly RuleRow[] | undefined;
}

export type ReasonCode =
  | VoiceProblemCode
  | "outside_calling_hours"
  | "no_calls_on_this_day"
  | "holiday"
  | "frequency_cap"
  | "campaign_cap"
  | "no_consent"
  | "internal_dnc"
  | "unknown_time_zone"
  | "no_rules_for_destination"
  | "not_dialable"
  | "national_dnc"
  | `state_dnc_${string}`
  | "dnc_registry_stale"
  | "reg_f_7_in_7"
  | "reg_f_after_conversation"
  | "consent_revoked"
  | "cxone_dnc"
  | "rnd_reassigned"
  | "rnd_no_data"
  | "registration_required"
  | "text_stop"
  | "revocation_confirmation_refused"
  | "tps_registered"
  | "ctps_registered"
  | RegFPatternCode;

export interface Reason {
  code: ReasonCode;
  message: string;
  jurisdiction: string;
  zone: string | null;
  ruleId: string;
  citation: string;
  confidence: Confidence | null;
  /** A cap's reason: what it counts, per what, its window and the touches it counted. */
  counts?: Counts;
  per?: CountedPer;
  window?: CapCount["window"];
  touches?: CapCount["touches"];
}

export interface Verdict {
  allowed: boolean;
  phone: string;
  at: string;
  reasons: Reason[];
  zones: string[];
  zoneSources: Array<{ zone: string; source: string }>;
  /** Which derivation decided the zones: `zip`, `number`, `number+address`, `number+zip`. */
  zoneDerivation: ZoneDerivation;
  states: string[];
  jurisdictions: string[];
  /** Rows of the rule table that applied (in effect, for these jurisdictions). */
  rules: string[];
  /** Earliest instant (ISO, primary zone's offset) every rule allows; null if none in the search. */
  nextAllowedAt: string | null;
  /** Each imported registry copy: its date and whether the number is on it. */
  registries: RegistryFinding[];
  /** With `explainCaps`: every cap that governs the call, what it counted and whether it allows it. */
  caps?: CapCount[];
  /**
   * What the law makes evidence rather than a bar (Regulation F's patterns, `regf_pattern_*`):
   * the call is allowed, and the pattern is said. Absent: none.
   */
  warnings?: Reason[];
  /** The exemptions the verdict relied on (a consented text needs no Texas registration). Absent: none. */
  exemptions?: Exemption[];
  /** What the call's script must say (New York's do-not-call offer at its beginning). Absent: nothing. */
  scripts?: ScriptRequirement[];
}

/** An exemption a row grants the touch, with its source. */
export interface Exemption {
  ruleId: string;
  exemption: string;
  citation: string;
}

/** A requirement of the call's script, with its source. */
export interface ScriptRequirement {
  ruleId: string;
  requirement: string;
  citation: string;
}
