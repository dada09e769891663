import { canonicalJson } from "../../core/audit/canonical-json.ts";
import type { ZoneDerivation } from "../candidates.ts";
import type { Confidence } from "../rule-table.ts";
import type { SuppressionCode } from "../suppression.ts";
import type { CampaignKind, Channel, CountedPer, Counts, Registrations } from "../touches.ts";
import type { VoiceFacts } from "../voice-rules.ts";
import { isManifestLine } from "./chain.ts";
import type { CxoneCopyConsulted } from "./cxone-copy.ts";

/**
 * One evidence record: an attempt CXone made, what the engine read to judge it and
 * what it decided. Its top-level fields are of two sorts:
 *
 * - the KEPT INPUTS, everything the engine read, as it was when the record was made: the
 *   attempt (`id`, `source`, `at`, `phone`, `account`, `campaign`, `channel`, the contact's
 *   `state`, `zone`, `zip`, `kind`, `voice`, `seller`, `registrations`), the calls the counters
 *   read (`calls`), the consent basis (`consent`), the revocations, CXone DNC records and RND
 *   refusals in scope (`suppressions`), the RND answer (`rnd`), the do-not-call lists consulted
 *   with their copies' dates (`dnc`), STOP replies to texts (`textStops`), and the rule book's
 *   version (`ruleBook`);
 * - the DERIVED fields, recomputed by `--verify` from the kept inputs: `allowed`, `reasons`,
 *   `zones`, `zoneDerivation`, `jurisdictions`, `local`, `rules` (each row that applied, with its
 *   citation, dates, confidence and digest) and `caps` (each cap's counter and the ids of the
 *   calls it counted).
 *
 * `digest` is `sha256:` and the SHA-256 of the record's canonical JSON without `digest` and `prev`
 * (keys sorted, no whitespace: core/audit/canonical-json.ts). A record is written as its canonical
 * JSON with `digest` and then `prev` (the digest of the record before it: chain.ts) first.
 */
export type EvidenceSource = "file" | "campaign" | "list";

/** A call the caps counted toward this attempt (the same input's earlier calls and the store's). */
export interface EvidenceCall {
  account?: string;
  at: string;
  campaign?: string;
  channel: Channel;
  conversation: boolean;
  id: string;
  phone: string;
  seller?: string;
  source: "cxo" | "touch" | "history" | "list" | "completed";
}

export interface EvidenceCap {
  allowed: boolean;
  /** The ids of the calls it counted (the first 50), oldest first. */
  calls: string[];
  counted: number;
  counts: Counts;
  exempt?: string;
  max: number;
  per: CountedPer;
  ruleId: string;
  windowHours: number;
}

export interface EvidenceReason {
  citation: string;
  code: string;
  confidence: Confidence | null;
  jurisdiction: string;
  message: string;
  ruleId: string;
  zone: string | null;
}

export interface EvidenceRule {
  citation: string;
  confidence: Confidence;
  /** The row's own digest (rule-book.ts): a row changed since is seen, whatever field changed. */
  digest: string;
  effectiveFrom: string;
  effectiveTo?: string;
  id: string;
  jurisdiction: string;
}

export interface EvidenceSuppression {
  citation: string;
  code: SuppressionCode;
  confidence: Confidence | null;
  message: string;
  ruleId: string;
}

/**
 * What consent the attempt relied on: a grant in the consent ledger in force at its instant
 * (`grant`: its purposes, written or not, AI disclosed or not, when and from where), the plan that
 * pushed the list record (`plan`: cxo's plan judged the record's consent from its list file),
 * the caller's word for every attempt (`declared`), or none on record (`none`: not allowed).
 */
export interface ConsentBasis {
  aiDisclosed?: boolean;
  basis: "grant" | "plan" | "declared" | "none";
  grantedAt?: string;
  purposes?: string[];
  source?: string | null;
  written?: boolean;
}

export interface RndFact {
  answer: "disconnected" | "not-disconnected" | "no-data";
  askedAt: string;
  consentDate: string;
  dataAsOf: string;
  queryRef: string;
  /** True only for "not disconnected": the safe harbor of 47 CFR 64.1200(m). */
  safeHarbor: boolean;
}

export interface DncConsulted {
  /**
   * The local copy of the tenant's CXone DNC groups as it was at the attempt (cxone-copy.ts): the
   * copy in force then (when its sync read CXone, when it came into force, its age at the attempt
   * in minutes), or `unknown` (the attempt is older than the first copy the store keeps: no
   * reason comes from it); null: the data dir keeps no copy.
   */
  cxone: CxoneCopyConsulted | null;
  /** The internal list: when the number was added (at or before the attempt), or null. */
  internal: { addedAt: string } | null;
  /** Each imported registry copy: its date, its age in days at the attempt, whether it lists the number. */
  /** `registeredAt`: a UK registry's (TPS, CTPS) day the number was registered. */
  registries: Array<{
    ageDays: number;
    asOf: string;
    listed: boolean;
    registeredAt?: string;
    registry: string;
  }>;
}

/**
 * What the call was, as CXone (or the outcomes file) recorded it (issue 102 §3): facts an auditor
 * asks for, kept with the record and covered by its digest, read by no verdict. Each is present
 * only where the source says it (absent: not known), so a record without them has the bytes it
 * had before they existed.
 */
export interface CallFacts {
  /** CXone's abandoned flag: the call was answered and no agent took it in time. */
  abandoned?: boolean;
  /** The agent on the call (CXone's agent id). */
  agent?: string;
  /** The AI agent (virtual agent, bot) that spoke on the call, when one did. */
  aiAgent?: string;
  /** The STIR/SHAKEN attestation the call was signed with (A, B or C), where known. */
  attestation?: string;
  /** The number presented to the called party (E.164): 47 CFR 64.1601(e). */
  callerId?: string;
  /** The name presented with it (CNAM), where known. */
  callerName?: string;
  /** The disposition the agent (or the system) gave: its code, and its name where the code is an id. */
  disposition?: { code: string; name?: string };
  /** The call's duration in seconds, as CXone counted it. */
  durationSeconds?: number;
  /** CXone's classification of the dial or its end ("Answered", "No Answer", "Contact Hung Up", …). */
  outcome?: string;
  /** Where CXone keeps the call's recording (its id or address), where the source names one. */
  recording?: string;
  /** An abandoned call was given the safe-harbour message (47 CFR 64.1200(a)(7)(i)(A)). */
  safeHarborMessage?: boolean;
}

/** The kept inputs (see above). */
export interface EvidenceInputs extends CallFacts {
  account: string | null;
  /** Every debt (account) the number was dialled for: the attempt's own and every account cxo read the number for. */
  debts?: string[];
  at: string;
  calls: EvidenceCall[];
  campaign: string | null;
  channel: Channel;
  consent: ConsentBasis;
  dnc: DncConsulted;
  id: string;
  kind: CampaignKind | null;
  phone: string;
  registrations: Registrations | null;
  rnd: RndFact | null;
  ruleBook: string;
  seller: string | null;
  source: EvidenceSource;
  state: string | null;
  suppressions: EvidenceSuppression[];
  textStops: string[];
  voice: VoiceFacts | null;
  zip: string | null;
  zone: string | null;
}

/** The derived fields (see above). */
export interface EvidenceDerived {
  allowed: boolean;
  caps: EvidenceCap[];
  jurisdictions: string[];
  /** The instant in the called party's (first candidate) zone. */
  local: string;
  reasons: EvidenceReason[];
  rules: EvidenceRule[];
  /** Regulation F's patterns the attempt made (`regf_pattern_*`): evidence, not a bar. Absent: none. */
  warnings?: EvidenceReason[];
  zoneDerivation: ZoneDerivation;
  zones: Array<{ source: string; zone: string }>;
}

export type EvidenceRecord = EvidenceInputs & EvidenceDerived & { digest: string; prev: string };

export const DERIVED_FIELDS = [
  "allowed",
  "caps",
  "jurisdictions",
  "local",
  "reasons",
  "rules",
  "warnings",
  "zoneDerivation",
  "zones",
] as const satisfies ReadonlyArray<keyof EvidenceDerived>;

/**
 * The record's canonical text without its digest (the digest is over its UTF-8 bytes: chain.ts's
 * LineBlock). The builders make every object
 * of a record with its keys in canonical (sorted) order and plain JSON values, so JSON.stringify
 * writes the canonical text (core/audit/canonical-json.ts sorts keys at every level: 18 % of a
 * run's time; a test holds the two equal for every kind of record); this puts the two halves'
 * keys in order.
 */
export function textOf(inputs: EvidenceInputs, derived: EvidenceDerived): string {
  // Two halves around `rules`, whose text is the same for every record the rows applied to.
  // The call's facts are optional: JSON.stringify leaves out those undefined.
  const before = {
    abandoned: inputs.abandoned,
    account: inputs.account,
    agent: inputs.agent,
    aiAgent: inputs.aiAgent,
    allowed: derived.allowed,
    at: inputs.at,
    attestation: inputs.attestation,
    callerId: inputs.callerId,
    callerName: inputs.callerName,
    calls: inputs.calls,
    campaign: inputs.campaign,
    caps: derived.caps,
    channel: inputs.channel,
    consent: inputs.consent,
    debts: inputs.debts,
    disposition: inputs.disposition,
    dnc: inputs.dnc,
    durationSeconds: inputs.durationSeconds,
    id: inputs.id,
    jurisdictions: derived.jurisdictions,
    kind: inputs.kind,
    local: derived.local,
    outcome: inputs.outcome,
    phone: inputs.phone,
    reasons: derived.reasons,
    recording: inputs.recording,
    registrations: inputs.registrations === null ? null : sortedDeep(inputs.registrations),
    rnd: inputs.rnd,
    ruleBook: inputs.ruleBook,
  };
  const after = {
    safeHarborMessage: inputs.safeHarborMessage,
    seller: inputs.seller,
    source: inputs.source,
    state: inputs.state,
    suppressions: inputs.suppressions,
    textStops: inputs.textStops,
    voice: inputs.voice,
    // Only when there are any: a record without them keeps the text (and digest) it always had.
    ...(derived.warnings === undefined ? {} : { warnings: derived.warnings }),
    zip: inputs.zip,
    zone: inputs.zone,
    zoneDerivation: derived.zoneDerivation,
    zones: derived.zones,
  };
  const head = JSON.stringify(before);
  const tail = JSON.stringify(after);
  return `${head.slice(0, -1)},"rules":${rulesText(derived.rules)},${tail.slice(1)}`;
}

/** Any plain JSON value with its objects' keys sorted (the settings' registrations, as the user wrote them). */
function sortedDeep(value: unknown): unknown {
  return JSON.parse(canonicalJson(value));
}

const rulesTexts = new Map<string, string>();

/** The JSON text of a record's rules, by the rows' ids and digests (a few hundred combinations). */
function rulesText(rules: readonly EvidenceRule[]): string {
  let key = "";
  for (const rule of rules) key += `${rule.id}@${rule.digest},`;
  let text = rulesTexts.get(key);
  if (text === undefined) {
    text = JSON.stringify(rules);
    if (rulesTexts.size >= 10_000) rulesTexts.clear();
    rulesTexts.set(key, text);
  }
  return text;
}

/** Whether the first line of a file is an evidence record, or the manifest of an empty one (a file `--out` may replace). */
export const isEvidenceLine = (line: string): boolean =>
  line.startsWith('{"digest":"sha256:') || isManifestLine(line);
