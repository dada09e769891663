// A frozen copy of src/campaigns/compliance/evaluate.ts as it was before the engine was split by rule
// family: the property test (engine-equivalence.test.ts) compares its verdicts with the new engine's.
// Never edit it to follow the new code: it is the reference.
import { DateTime, IANAZone } from "luxon";
import {
  type Candidates,
  resolveCandidates,
  zoneListIdOf,
} from "../../../../src/campaigns/compliance/candidates.ts";
import { notDialable } from "../../../../src/campaigns/compliance/dialable.ts";
import { holidayOn } from "../../../../src/campaigns/compliance/holidays.ts";
import {
  type DialInterval,
  type IntervalIndex,
  indexIntervals,
  mostWithin,
} from "../../../../src/campaigns/compliance/interval-caps.ts";
import { nycCountyOf } from "../../../../src/campaigns/compliance/nyc-zips.ts";
import type { RegistryFinding } from "../../../../src/campaigns/compliance/registry/lookup.ts";
import { judgeConfirmation } from "../../../../src/campaigns/compliance/revocation-confirmation.ts";
import {
  governs,
  registrationProblem,
  textStopBarring,
} from "../../../../src/campaigns/compliance/row-scope.ts";
import type { Suppression } from "../../../../src/campaigns/compliance/suppression.ts";
import {
  type CapCount,
  capCount,
  capExempt,
  capMessage,
  type Touch,
  touchesCounted,
} from "../../../../src/campaigns/compliance/touch-caps.ts";
import type {
  CampaignKind,
  Channel,
  CountedPer,
  Counts,
  NumberType,
  Registrations,
  TouchPurpose,
} from "../../../../src/campaigns/compliance/touches.ts";
import {
  announcementProblem,
  artificialVoiceProblem,
  type VoiceFacts,
  type VoiceProblemCode,
} from "../../../../src/campaigns/compliance/voice-rules.ts";
import { ENGINE_LOCALE, zoneFor } from "../../../../src/campaigns/compliance/zone-clock.ts";
import type { NanpNumber } from "../../../../src/core/phone-number.ts";
import {
  type CallingHoursRow,
  type Confidence,
  type FrequencyCapRow,
  type RevocationConfirmationRow,
  RULE_TABLE,
  type RuleRow,
} from "./rule-table.ts";

/**
 * The compliance engine: pure (no clock, no I/O). Given a number, the instant, what the
 * contact's record declares, consent, DNC membership and the attempt history, it returns
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
  /** Issue 92 §2: the voice the call uses and what its consent and introduction say (default: live). */
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
  | "revocation_confirmation_refused";

export interface Reason {
  code: ReasonCode;
  message: string;
  jurisdiction: string;
  zone: string | null;
  ruleId: string;
  citation: string;
  confidence: Confidence | null;
  /** A cap's reason: what it counts, per what, its window and the touches it counted (issue 79). */
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
  /** Which derivation decided the zones: `zip`, `number`, `number+address` (issue 92 §4). */
  zoneDerivation: "zip" | "number" | "number+address";
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
}

/** A registry copy may be used for 31 days after its date (16 CFR 310.4(b)(3)(iv)). */
export const REGISTRY_MAX_AGE_DAYS = 31;
const REGISTRY_CITATION = "16 CFR 310.4(b)(3)(iv); 47 CFR 64.1200(c)(2)";

/** The one reason text that names the number itself: a registry copy lists it. */
function listingMessage(e164: string, finding: RegistryFinding): string {
  return `${e164} is on ${registryLabel(finding.registry)} (copy of ${finding.asOf}) and no consent is recorded`;
}

const registryLabel = (registry: string) =>
  registry === "national" ? "the National Do Not Call Registry" : `${registry}'s do-not-call list`;

const listingRuleId = (finding: RegistryFinding) => `dnc-registry-${finding.registry}`;

function registryReasons(input: ComplianceInput, atMs: number): Reason[] {
  const reasons: Reason[] = [];
  for (const finding of input.registries ?? []) {
    const national = finding.registry === "national";
    const jurisdiction = national ? "US" : `US-${finding.registry}`;
    const label = registryLabel(finding.registry);
    const ageDays = Math.floor((atMs - Date.parse(`${finding.asOf}T00:00:00Z`)) / DAY_MS);
    if (ageDays > REGISTRY_MAX_AGE_DAYS)
      reasons.push({
        code: "dnc_registry_stale",
        message: `the copy of ${label} is dated ${finding.asOf}, ${ageDays} days before this call; a copy more than ${REGISTRY_MAX_AGE_DAYS} days old may not be used (import a fresh one)`,
        jurisdiction,
        zone: null,
        ruleId: `dnc-registry-${finding.registry}-age`,
        citation: REGISTRY_CITATION,
        confidence: "verified",
      });
    // Prior express written permission (here: recorded consent to calls) is the exemption
    // the rules accept for a listed number; the internal list has no such exemption.
    if (finding.listed && input.consent !== true)
      reasons.push({
        code: national ? "national_dnc" : `state_dnc_${finding.registry}`,
        message: listingMessage(input.number.e164, finding),
        jurisdiction,
        zone: null,
        ruleId: listingRuleId(finding),
        citation: national
          ? "47 CFR 64.1200(c)(2); 16 CFR 310.4(b)(1)(iii)(B)"
          : `${finding.registry} do-not-call statute; 47 CFR 64.1200(c)(2)`,
        confidence: national ? "verified" : "secondary",
      });
  }
  return reasons;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Local calendar facts of an instant in a zone, remembered: a segmentation asks the same few
 * hundred (zone, instant) pairs for every contact, and luxon answers each through Intl.
 */
export interface LocalTime {
  date: string;
  year: number;
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
  seconds: number;
}

/**
 * A bounded memo by zone, then instant: no key text to build and hash (a check asks ten or more
 * times); emptied whole at `limit` entries, so a long run's memory stays flat.
 */
class ZoneInstantMemo<T> {
  private readonly byZone = new Map<string, Map<number, T>>();
  private count = 0;
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  get(zone: string, ms: number, make: () => T): T {
    let inZone = this.byZone.get(zone);
    let value = inZone?.get(ms);
    if (value === undefined) {
      value = make();
      if (this.count >= this.limit) {
        this.byZone.clear();
        this.count = 0;
        inZone = undefined;
      }
      if (!inZone) {
        inZone = new Map();
        this.byZone.set(zone, inZone);
      }
      inZone.set(ms, value);
      this.count++;
    }
    return value;
  }
}

const localTimes = new ZoneInstantMemo<LocalTime>(20_000);
const two = (n: number) => (n < 10 ? `0${n}` : String(n));
/** A zone's local calendar facts at an instant (exported for its test against luxon). */
export function localAt(zone: string, ms: number): LocalTime {
  return localTimes.get(zone, ms, () => {
    // What luxon's DateTime does (its zone's offset, then the UTC fields of the shifted
    // instant), without making one: an evidence run asks a million distinct instants.
    const z = zoneFor(zone);
    const t = new Date(ms + (typeof z === "string" ? IANAZone.create(z) : z).offset(ms) * 60_000);
    const year = t.getUTCFullYear();
    const month = t.getUTCMonth() + 1;
    const day = t.getUTCDate();
    const hour = t.getUTCHours();
    const minute = t.getUTCMinutes();
    return {
      date:
        year >= 0 && year <= 9999
          ? `${String(year).padStart(4, "0")}-${two(month)}-${two(day)}`
          : (DateTime.fromMillis(ms, { zone: z }).toISODate() as string),
      year,
      month,
      day,
      weekday: t.getUTCDay() || 7,
      hour,
      minute,
      seconds: hour * 3600 + minute * 60 + t.getUTCSeconds(),
    };
  });
}

interface Window {
  startS: number;
  endS: number;
  text: string;
}

const windowCache = new Map<string, Window | null>();
function parseWindow(text: string | null): Window | null {
  if (text === null) return null;
  let window = windowCache.get(text);
  if (window === undefined) {
    const match = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(text);
    if (!match) throw new Error(`rule table: bad window "${text}"`);
    const [, h1, m1, h2, m2] = match.map(Number) as [number, number, number, number, number];
    window = { startS: h1 * 3600 + m1 * 60, endS: h2 * 3600 + m2 * 60, text: text.replace("-", "–") };
    windowCache.set(text, window);
  }
  return window;
}

/** The window of a local weekday (1 = Monday … 7 = Sunday); null = no calls that day. */
function windowOn(row: CallingHoursRow, weekday: number): Window | null {
  return parseWindow(weekday <= 5 ? row.window.monFri : weekday === 6 ? row.window.sat : row.window.sun);
}

const inEffect = (row: RuleRow, isoDate: string) =>
  row.effectiveFrom <= isoDate && (row.effectiveTo === undefined || isoDate < row.effectiveTo);

const reasonOf = (row: RuleRow, code: ReasonCode, message: string, zone: string | null): Reason => ({
  code,
  message,
  jurisdiction: row.jurisdiction,
  zone,
  ruleId: row.id,
  citation: row.citation,
  confidence: row.confidence,
});

const DAY_NAMES = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

interface Prepared {
  input: ComplianceInput;
  candidates: Candidates;
  zones: string[];
  rows: RuleRow[];
  capRows: Array<{
    row: FrequencyCapRow;
    max: number;
    windowMs: number;
    attempts: number[];
    /** The touches counted (what `caps` and a reason list). */
    touches: AttemptTime[];
    /** What it counted at one instant, once made (countedAt). */
    counted?: { atMs: number; count: CapCount };
    /** The same attempts as dial intervals (interval mode). */
    intervals: DialInterval[];
    /** `intervals` sorted once for mostWithin (asked for every instant tried), when first asked. */
    index?: IntervalIndex;
    campaign: boolean;
  }>;
  /** Interval mode: the call's dial window's length (`untilMs − atMs`); undefined: an instant. */
  spanMs: number | undefined;
}

/** The candidates of a call, New York City added by the consumer's address (a listed ZIP code), never by an area code. */
function candidatesOf(input: ComplianceInput): Candidates {
  const nyc = nycCountyOf(input.zip) !== undefined;
  const found = resolveCandidates(
    nyc && input.addressState === undefined ? { ...input, addressState: "NY" } : input,
  );
  return nyc ? { ...found, jurisdictions: [...found.jurisdictions, "US-NYC"] } : found;
}

/** The rows that govern a call, remembered per jurisdictions and scope (a few hundred combinations). */
const governing = new WeakMap<readonly RuleRow[], Map<string, RuleRow[]>>();
function governingRows(input: ComplianceInput, candidates: Candidates): RuleRow[] {
  const table = input.ruleTable ?? RULE_TABLE;
  let ofTable = governing.get(table);
  if (!ofTable) {
    ofTable = new Map();
    governing.set(table, ofTable);
  }
  const key = `${candidates.jurisdictions.join(",")}|${input.channel ?? ""}|${input.kind ?? ""}|${input.numberType ?? ""}|${input.purpose ?? ""}`;
  let rows = ofTable.get(key);
  if (!rows) {
    rows = table.filter((row) => candidates.jurisdictions.includes(row.jurisdiction) && governs(row, input));
    if (ofTable.size >= 10_000) ofTable.clear();
    ofTable.set(key, rows);
  }
  return rows;
}

/**
 * How far back a check of this call must read touches, and whether by account: the longest
 * window of the caps that govern it (its jurisdictions, channel, kind, number type; the campaign's
 * own caps), 0 when none does. A check reads no more than its rules count (issue 79's bench: a
 * Massachusetts work number's 31 days are not read for a Florida call).
 */
export function touchReach(input: ComplianceInput): { lookbackMs: number; byAccount: boolean } {
  let hours = 0;
  let byAccount = false;
  for (const row of governingRows(input, candidatesOf(input)))
    if (row.kind === "frequency_cap") {
      hours = Math.max(hours, row.windowHours);
      if (row.per === "account") byAccount = true;
    }
  if (input.campaignCaps?.perWeek !== undefined) hours = Math.max(hours, 7 * 24);
  else if (input.campaignCaps?.perDay !== undefined) hours = Math.max(hours, 24);
  return { lookbackMs: hours * HOUR_MS, byAccount: byAccount && input.accountId !== undefined };
}

function prepare(input: ComplianceInput): Prepared {
  const candidates = candidatesOf(input);
  const rows = governingRows(input, candidates);
  const given = input.attempts ?? [];
  const key = { phone: input.number.e164, accountId: input.accountId, seller: input.seller };
  const capRows: Prepared["capRows"] = [];
  for (const row of rows)
    if (row.kind === "frequency_cap") capRows.push(capRowOf(row, touchesCounted(row, key, given), false));
  const caps = input.campaignCaps ?? {};
  // The campaign's own per-contact caps count its calls to the number.
  const campaignCalls = touchesCounted({ counts: "calls", per: "number" }, key, given).filter(
    (a) => input.campaignId === undefined || a.campaignId === input.campaignId,
  );
  const campaignRow = (id: string, hours: number, max: number): FrequencyCapRow => ({
    id,
    jurisdiction: "campaign",
    kind: "frequency_cap",
    max,
    windowHours: hours,
    counts: "calls",
    per: "number",
    effectiveFrom: "0000-01-01",
    citation: "the campaign's own rate limits",
    confidence: "verified",
  });
  if (caps.perDay !== undefined)
    capRows.push(capRowOf(campaignRow("campaign-per-day", 24, caps.perDay), campaignCalls, true));
  if (caps.perWeek !== undefined)
    capRows.push(capRowOf(campaignRow("campaign-per-week", 24 * 7, caps.perWeek), campaignCalls, true));
  const spanMs = input.untilMs === undefined ? undefined : Math.max(0, input.untilMs - input.atMs);
  return { input, candidates, zones: candidates.zones.map((z) => z.zone), rows, capRows, spanMs };
}

/** A cap with the touches it counts, as instants and as dial intervals (interval mode). */
function capRowOf(
  row: FrequencyCapRow,
  touches: AttemptTime[],
  campaign: boolean,
): Prepared["capRows"][number] {
  const intervals = touches.map((a) => ({ startMs: a.atMs, endMs: a.untilMs ?? a.atMs }));
  return {
    row,
    max: row.max,
    windowMs: row.windowHours * HOUR_MS,
    attempts: ascendingTimes(touches),
    touches,
    intervals,
    campaign,
  };
}

/** The touches' instants, ascending: most come sorted (a check's history), so they are sorted only when not. */
function ascendingTimes(touches: readonly AttemptTime[]): number[] {
  const times = touches.map((a) => a.atMs);
  for (let i = 1; i < times.length; i++)
    if ((times[i] as number) < (times[i - 1] as number)) return times.sort((a, b) => a - b);
  return times;
}

/** Reasons that no passing of time removes (consent, DNC, unknown place). */
function permanentReasons(p: Prepared, atMs: number): Reason[] {
  const reasons: Reason[] = [];
  const date = localAt(p.zones[0] ?? "UTC", atMs).date;
  const country = p.candidates.jurisdictions.filter((j) => !j.includes("-"));
  const impossible = notDialable(p.input.number);
  reasons.push(...registryReasons(p.input, atMs));
  for (const found of p.input.suppressions ?? [])
    reasons.push({
      code: found.code,
      message: found.message,
      jurisdiction: "US",
      zone: null,
      ruleId: found.ruleId,
      citation: found.citation,
      confidence: found.confidence,
    });
  if (impossible)
    reasons.push({
      code: "not_dialable",
      message: impossible.message,
      jurisdiction: "NANP",
      zone: null,
      ruleId: impossible.ruleId,
      citation: impossible.citation,
      confidence: "verified",
    });
  else if (country.length === 0)
    reasons.push({
      code: "no_rules_for_destination",
      message: `no calling rules are known for area code ${p.input.number.npa} (${p.candidates.areaCodePlace ?? "not a US or Canadian area code"}); give the contact's --state if it is in the US`,
      jurisdiction: "unknown",
      zone: null,
      ruleId: "destination",
      citation:
        "47 CFR 64.1200 and 16 CFR 310.4 (US), CRTC Unsolicited Telecommunications Rules (Canada): the only rules modelled",
      confidence: null,
    });
  if (p.zones.length === 0 && !impossible)
    reasons.push({
      code: "unknown_time_zone",
      message: `the time-zone data does not know area code ${p.input.number.npa}; give the contact's --zone or --state`,
      jurisdiction: country[0] ?? "unknown",
      zone: null,
      ruleId: "time-zone",
      citation: "47 CFR 64.1200(c)(1): hours are the called party's local time",
      confidence: null,
    });
  for (const row of p.rows) {
    if (!inEffect(row, date)) continue;
    if (row.kind === "consent" && p.input.consent !== true)
      reasons.push(reasonOf(row, "no_consent", consentMessage(p.input), null));
    const voice =
      row.kind === "artificial_voice"
        ? artificialVoiceProblem(row, p.input.voice, p.input.consent, p.input.kind)
        : row.kind === "voice_announcement"
          ? announcementProblem(row, p.input.voice)
          : undefined;
    if (voice) reasons.push(reasonOf(row, voice.code, voice.message, null));
    if (row.kind === "internal_dnc" && p.input.onDnc)
      reasons.push(
        reasonOf(row, "internal_dnc", `${p.input.number.e164} is on the internal do-not-call list`, null),
      );
    if (row.kind === "registration") {
      const problem = registrationProblem(row, p.input.registrations, date);
      if (problem) reasons.push(reasonOf(row, "registration_required", problem, null));
    }
    if (row.kind === "text_stop") {
      const stop = textStopBarring(row, p.input.textStopsMs, atMs);
      if (stop)
        reasons.push(
          reasonOf(
            row,
            "text_stop",
            `${p.input.number.e164} replied STOP to a text on ${new Date(stop.stopMs).toISOString().slice(0, 10)}: no text solicitation until ${new Date(stop.untilMs).toISOString().slice(0, 10)}`,
            null,
          ),
        );
    }
  }
  return reasons;
}

const CHANNEL_NOUN: Record<Channel, string> = {
  call: "calls",
  callback: "calls",
  voicemail: "calls",
  sms: "texts",
  email: "email",
};

/** A missing consent, named for the channel asked about (the consent given is for that channel). */
function consentMessage(input: ComplianceInput): string {
  const channel = input.channel ?? "call";
  if (channel === "call")
    return input.consent === false
      ? "consentFlags.outbound.call is false: the contact has not consented to calls"
      : "consentFlags.outbound.call is missing: no recorded consent to calls";
  return input.consent === false
    ? `the contact has not consented to ${CHANNEL_NOUN[channel]}`
    : `no recorded (written) consent to ${CHANNEL_NOUN[channel]}`;
}

/**
 * Reasons that depend on the instant: windows, day bans, holidays, caps. `firstOnly` stops at
 * the first one (the next-allowed search only needs to know whether there is any). In interval
 * mode (`spanMs`), the call is `[atMs, atMs + spanMs]`: the zone rules are asked at both ends
 * and at every instant in between where one can start to fail (innerInstants), the caps over
 * dial intervals.
 */
function timeReasons(p: Prepared, atMs: number, firstOnly = false): Reason[] {
  const reasons: Reason[] = [];
  const endMs = atMs + (p.spanMs ?? 0);
  for (const zone of p.zones) {
    if (firstOnly && reasons.length > 0) return reasons;
    if (endMs === atMs) {
      zoneReasonsAt(p, zone, atMs, reasons);
      continue;
    }
    const found: Reason[] = [];
    for (const t of [atMs, ...innerInstants(p, zone, atMs, endMs), endMs]) {
      zoneReasonsAt(p, zone, t, found);
      if (firstOnly && found.length > 0) break;
    }
    // One reason per rule and zone: the first instant of the interval that breaks it.
    const seen = new Set<string>();
    for (const reason of found) {
      const key = `${reason.ruleId}|${reason.code}`;
      if (seen.has(key)) continue;
      seen.add(key);
      reasons.push(reason);
    }
  }
  for (const cap of p.capRows) {
    if (firstOnly && reasons.length > 0) return reasons;
    if (!cap.campaign) {
      const anyZoneInEffect = p.zones.some((zone) => inEffect(cap.row, localAt(zone, atMs).date));
      if (!anyZoneInEffect) continue;
    }
    const hours = cap.windowMs / HOUR_MS;
    if (p.spanMs !== undefined) {
      // Exempt for the whole dial window, or not at all (a relationship may lapse inside it).
      const exempt = p.input.lastTransactionMs;
      if (capExempt(cap.row, exempt, atMs) && capExempt(cap.row, exempt, endMs)) continue;
      cap.index ??= indexIntervals(cap.intervals);
      const others = mostWithin({ startMs: atMs, endMs }, cap.index, cap.windowMs) - 1;
      if (others >= cap.max)
        reasons.push(
          reasonOf(
            cap.row,
            cap.campaign ? "campaign_cap" : (cap.row.code ?? "frequency_cap"),
            `${others} other attempt${others === 1 ? "" : "s"} may be dialled within ${hours} h of this one (their dial windows and this one's included); at most ${cap.max} allowed`,
            null,
          ),
        );
      continue;
    }
    if (capExempt(cap.row, p.input.lastTransactionMs, atMs)) continue;
    const count = countWithin(cap.attempts, atMs - cap.windowMs, atMs);
    if (count >= cap.max) {
      const reason = reasonOf(
        cap.row,
        cap.campaign ? "campaign_cap" : (cap.row.code ?? "frequency_cap"),
        cap.campaign
          ? `${count} attempt${count === 1 ? "" : "s"} in the last ${hours} h; at most ${cap.max} allowed`
          : capMessage(cap.row, count, hours),
        null,
      );
      if (!cap.campaign && !firstOnly) Object.assign(reason, capDetail(cap, atMs));
      reasons.push(reason);
    }
  }
  return reasons;
}

/** How many of the ascending instants lie in (fromMs, toMs]. */
function countWithin(sorted: readonly number[], fromMs: number, toMs: number): number {
  let n = 0;
  for (const t of sorted) if (t > fromMs && t <= toMs) n++;
  return n;
}

/** A cap reason's account of itself: what it counts, per what, its window and its touches. */
function capDetail(cap: Prepared["capRows"][number], atMs: number) {
  const { counts, per, window, touches } = countedAt(cap, atMs);
  return { counts, per, window, touches };
}

/** What a cap counted at `atMs`, made once per call and instant (a reason and `caps` share it). */
function countedAt(cap: Prepared["capRows"][number], atMs: number): CapCount {
  if (cap.counted?.atMs !== atMs) {
    const inWindow = cap.touches.filter((t) => t.atMs > atMs - cap.windowMs && t.atMs <= atMs);
    cap.counted = { atMs, count: capCount(cap.row, inWindow, atMs) };
  }
  return cap.counted.count;
}

/** Every cap that governs the call at `atMs`, what it counted and whether it allows it (`caps`). */
function capCounts(p: Prepared, atMs: number): CapCount[] {
  const out: CapCount[] = [];
  for (const cap of p.capRows) {
    if (cap.campaign) continue;
    if (!p.zones.some((zone) => inEffect(cap.row, localAt(zone, atMs).date))) continue;
    const count = { ...countedAt(cap, atMs) };
    if (capExempt(cap.row, p.input.lastTransactionMs, atMs)) {
      count.allowed = true;
      count.exempt = `an established business relationship: a transaction within ${cap.row.exemptAfterTransactionMonths} months`;
    }
    out.push(count);
  }
  return out;
}

/** The calling-hours, day-ban and holiday rules of one zone at one instant, into `reasons`. */
function zoneReasonsAt(p: Prepared, zone: string, atMs: number, reasons: Reason[]): void {
  const local = localAt(zone, atMs);
  const { date, seconds } = local;
  const clock = `${String(local.hour).padStart(2, "0")}:${String(local.minute).padStart(2, "0")}`;
  for (const row of p.rows) {
    if (!inEffect(row, date)) continue;
    if (row.kind === "calling_hours") {
      const window = windowOn(row, local.weekday);
      if (window === null)
        reasons.push(
          reasonOf(
            row,
            "no_calls_on_this_day",
            `no calls on ${DAY_NAMES[local.weekday]} (${zone}, ${date})`,
            zone,
          ),
        );
      else if (seconds < window.startS || seconds >= window.endS)
        reasons.push(
          reasonOf(
            row,
            "outside_calling_hours",
            `${clock} ${DAY_NAMES[local.weekday]} in ${zone} is outside ${window.text}`,
            zone,
          ),
        );
    } else if (row.kind === "holiday_ban") {
      const holiday = holidayOn(row.calendar, local.year, local.month, local.day);
      if (holiday) reasons.push(reasonOf(row, "holiday", `no calls on ${holiday} (${zone}, ${date})`, zone));
    }
  }
}

/**
 * The instants in `(fromMs, toMs)` at which a zone rule can start to fail while it held at
 * `fromMs`: a window's closing time, and each local midnight (a new day: a day ban, a holiday,
 * the small hours). Rules fail from such an instant on, so asking them there and at both ends
 * judges every instant of the interval. Within one local day (the planner's case: an hour and
 * its stale window) no clock library is needed; a window never closes inside a daylight-saving
 * jump (they happen at 02:00, outside every calling window).
 */
function innerInstants(p: Prepared, zone: string, fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  const first = localAt(zone, fromMs);
  const last = localAt(zone, toMs);
  if (first.date === last.date && toMs - fromMs < DAY_MS) {
    for (const row of p.rows) {
      if (row.kind !== "calling_hours" || !inEffect(row, first.date)) continue;
      const window = windowOn(row, first.weekday);
      if (window && first.seconds < window.endS && window.endS <= last.seconds)
        out.push(fromMs + (window.endS - first.seconds) * 1000);
    }
    return out;
  }
  const options = { zone: zoneFor(zone), locale: ENGINE_LOCALE };
  let day = DateTime.fromMillis(fromMs, options).startOf("day");
  while (day.toMillis() <= toMs) {
    const midnight = day.toMillis();
    if (midnight > fromMs) out.push(midnight);
    const date = day.toISODate() as string;
    for (const row of p.rows) {
      if (row.kind !== "calling_hours" || !inEffect(row, date)) continue;
      const window = windowOn(row, day.weekday);
      if (!window || window.endS >= DAY_S) continue;
      const closes = day
        .set({ hour: Math.floor(window.endS / 3600), minute: (window.endS % 3600) / 60 })
        .toMillis();
      if (closes > fromMs && closes < toMs) out.push(closes);
    }
    day = day.plus({ days: 1 }).startOf("day");
  }
  return out;
}

const DAY_S = 86_400;

/** Instants at which a failing rule can start to pass: window openings, midnights, cap expiries. */
function boundaries(p: Prepared, fromMs: number, toMs: number): number[] {
  const points = new Set<number>();
  const { hourRows, rowKey } = callingHoursOf(p.rows);
  for (const zone of p.zones)
    for (const t of zoneBoundaries(zone, hourRows, rowKey, fromMs, toMs)) points.add(t);
  for (const cap of p.capRows) for (const t of cap.intervals) points.add(t.endMs + cap.windowMs);
  return [...points].filter((t) => t > fromMs && t <= toMs).sort((a, b) => a - b);
}

/** The calling-hours rows of a governing set and their key, once per set (governingRows shares the sets). */
const callingHours = new WeakMap<readonly RuleRow[], { hourRows: RuleRow[]; rowKey: string }>();
function callingHoursOf(rows: readonly RuleRow[]): { hourRows: RuleRow[]; rowKey: string } {
  let found = callingHours.get(rows);
  if (!found) {
    const hourRows = rows.filter((row) => row.kind === "calling_hours");
    found = { hourRows, rowKey: hourRows.map((row) => row.id).join(",") };
    callingHours.set(rows, found);
  }
  return found;
}

/** One zone's midnights and window openings in [fromMs, toMs], remembered per rows and span. */
const zonePoints = new Map<string, readonly number[]>();
function zoneBoundaries(
  zone: string,
  hourRows: readonly RuleRow[],
  rowKey: string,
  fromMs: number,
  toMs: number,
): readonly number[] {
  const key = `${zone}|${rowKey}|${fromMs}|${toMs}`;
  const known = zonePoints.get(key);
  if (known) return known;
  const points: number[] = [];
  {
    const options = { zone: zoneFor(zone), locale: ENGINE_LOCALE };
    let day = DateTime.fromMillis(fromMs, options).startOf("day");
    const last = DateTime.fromMillis(toMs, options);
    while (day <= last) {
      points.push(day.toMillis());
      const date = day.toISODate() as string;
      for (const row of hourRows) {
        if (row.kind !== "calling_hours" || !inEffect(row, date)) continue;
        const window = windowOn(row, day.weekday);
        // Wall-clock set, not elapsed seconds: on a DST change day midnight + 8 h is not 08:00.
        if (window)
          points.push(
            day
              .set({ hour: Math.floor(window.startS / 3600), minute: (window.startS % 3600) / 60 })
              .toMillis(),
          );
      }
      day = day.plus({ days: 1 }).startOf("day");
    }
  }
  if (zonePoints.size >= 5_000) zonePoints.clear();
  zonePoints.set(key, points);
  return points;
}

/** By zone, then instant (as localAt). */
const isoTexts = new ZoneInstantMemo<string>(20_000);
/** The instant's ISO text in a zone, as luxon's `toISO({ suppressMilliseconds: true })` (exported for its test). */
export function isoIn(ms: number, zone: string | undefined): string {
  const zoneName = zone ?? "UTC";
  return isoTexts.get(zoneName, ms, () => {
    const z = zoneFor(zoneName);
    // A NANP zone: luxon's ISO text written from the zone's offset (as localAt), without a DateTime.
    if (typeof z !== "string") {
      const offset = z.offset(ms);
      const t = new Date(ms + offset * 60_000);
      const year = t.getUTCFullYear();
      if (year >= 0 && year <= 9999) {
        const millis = t.getUTCMilliseconds();
        const abs = Math.abs(offset);
        return `${String(year).padStart(4, "0")}-${two(t.getUTCMonth() + 1)}-${two(t.getUTCDate())}T${two(t.getUTCHours())}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())}${millis === 0 ? "" : `.${String(millis).padStart(3, "0")}`}${offset < 0 ? "-" : "+"}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
      }
    }
    return DateTime.fromMillis(ms, { zone: z, locale: ENGINE_LOCALE }).toISO({
      suppressMilliseconds: true,
    }) as string;
  });
}

/**
 * Verdicts of calls that differ only in the number's last digits are the same verdict: a
 * segmentation of a million contacts meets a few tens of thousands of distinct situations
 * (zones, jurisdictions, declared zone and state, consent, registry listings, instant). Those
 * are computed once and reused; anything that depends on the number beyond its area code and
 * exchange (the internal DNC list, a not-dialable number) or on its history (attempts) is
 * computed afresh. A registry listing is part of the situation; its reason names the number,
 * so that one text is rewritten for each number (listingMessage).
 *
 * The bound is above the situations a million-contact list meets (about 30,000 in the
 * emulator's lists): emptying the cache part way through recomputed every situation again.
 */
const VERDICT_CACHE_SIZE = 100_000;

/**
 * Cached verdict templates: by instant, then by situation. A situation is one number when its
 * parts fit (situationNumber: a Map hashes a number far faster than the 50-character text the
 * key was, ~0.4 s of a million-contact scrub), else its text. The small ids inside the number
 * are exact (one per distinct text), and they are forgotten only together with the verdicts
 * made with them, so two situations can never share a key.
 */
class VerdictCache {
  private readonly limit: number;

  constructor(limit = VERDICT_CACHE_SIZE) {
    this.limit = limit;
  }

  private byInstant = new Map<number, Map<number | string, Verdict>>();
  private size = 0;
  private readonly zoneIds = new Map<string, number>();
  private readonly stateIds = new Map<string, number>();
  private readonly registryTextIds = new Map<string, number>();
  // A scrub's findings are a few shared arrays (registry/lookup.ts): their id by identity.
  private readonly registryArrayIds = new Map<readonly RegistryFinding[], number>();

  get(atMs: number, key: number | string): Verdict | undefined {
    return this.byInstant.get(atMs)?.get(key);
  }

  set(atMs: number, key: number | string, verdict: Verdict): void {
    let byKey = this.byInstant.get(atMs);
    if (!byKey) {
      byKey = new Map();
      this.byInstant.set(atMs, byKey);
    }
    byKey.set(key, verdict);
    this.size += 1;
  }

  /** Before adding a verdict: when full, everything goes, the ids with the keys made of them. */
  makeRoom(): void {
    if (this.size < this.limit) return;
    this.byInstant = new Map();
    this.size = 0;
    this.zoneIds.clear();
    this.stateIds.clear();
    this.registryTextIds.clear();
    this.registryArrayIds.clear();
  }

  zoneId(zone: string): number {
    return idOf(this.zoneIds, zone);
  }

  stateId(state: string): number {
    return idOf(this.stateIds, state);
  }

  registriesId(findings: readonly RegistryFinding[]): number {
    let id = this.registryArrayIds.get(findings);
    if (id === undefined) {
      id = idOf(
        this.registryTextIds,
        findings.map((r) => `${r.registry}@${r.asOf}${r.listed ? "+" : "-"}`).join("|"),
      );
      this.registryArrayIds.set(findings, id);
    }
    return id;
  }
}

function idOf(ids: Map<string, number>, text: string): number {
  let id = ids.get(text);
  if (id === undefined) {
    id = ids.size;
    ids.set(text, id);
  }
  return id;
}

let verdictCache = new VerdictCache();

/** Tests: a fresh cache holding at most `limit` verdicts, to exercise its eviction. */
export function resetVerdictCacheForTests(limit?: number): void {
  verdictCache = new VerdictCache(limit);
}

/**
 * The situation's key (see VerdictCache), or undefined when the verdict depends on more than the
 * situation: the internal DNC list, a number that cannot be dialled, the number's history.
 */
function cacheKey(input: ComplianceInput): number | string | undefined {
  // An interval's verdict depends on its length too: asked by the planner, which does not repeat.
  if (
    input.onDnc ||
    (input.attempts?.length ?? 0) > 0 ||
    (input.suppressions?.length ?? 0) > 0 ||
    input.untilMs !== undefined ||
    touchFieldsGiven(input)
  )
    return undefined;
  if (notDialable(input.number)) return undefined;
  // The number's zones and regions follow from its area code and exchange (one id per
  // distinct zone list); the contact's own zone and state are part of the key as given.
  const npa = Number(input.number.npa);
  const zoneList = zoneListIdOf(input.number);
  const zone = verdictCache.zoneId(input.declaredZone ?? "");
  const state = verdictCache.stateId(input.addressState ?? "");
  const consent = input.consent === undefined ? 2 : input.consent ? 1 : 0;
  // 0-30: a combination of findings; 31: no registry was consulted.
  const registries = input.registries ? verdictCache.registriesId(input.registries) : 31;
  const registryBits = input.registries ? (registries < 31 ? registries : -1) : 31;
  const caps = input.campaignCaps || input.campaignId !== undefined || input.searchDays !== undefined;
  // 10 + 20 + 8 + 7 + 2 + 5 = 52 bits: exact in a double.
  if (!caps && npa < 1024 && zoneList < 1 << 20 && zone < 256 && state < 128 && registryBits >= 0)
    return ((((npa * 2 ** 20 + zoneList) * 256 + zone) * 128 + state) * 4 + consent) * 32 + registryBits;
  // Joined rather than concatenated: a key kept in the cache is then one flat string.
  return [
    npa,
    zoneList,
    input.declaredZone ?? "",
    input.addressState ?? "",
    String(input.consent),
    input.registries ? `r${registries}` : "",
    String(input.campaignCaps?.perDay),
    String(input.campaignCaps?.perWeek),
    String(input.campaignId),
    String(input.searchDays),
  ].join("|");
}

/** Issue 79's fields: a verdict that depends on them is computed afresh (segmentation never gives them). */
const touchFieldsGiven = (input: ComplianceInput) =>
  (input.channel !== undefined && input.channel !== "call") ||
  input.kind !== undefined ||
  input.accountId !== undefined ||
  input.seller !== undefined ||
  input.zip !== undefined ||
  input.registrations !== undefined ||
  input.lastTransactionMs !== undefined ||
  input.numberType !== undefined ||
  input.voice !== undefined ||
  input.purpose !== undefined ||
  input.ruleTable !== undefined ||
  (input.textStopsMs?.length ?? 0) > 0 ||
  input.explainCaps === true;

export function evaluateCall(input: ComplianceInput): Verdict {
  const key = cacheKey(input);
  if (key === undefined) return evaluateUncached(input);
  let template = verdictCache.get(input.atMs, key);
  if (!template) {
    template = freezeVerdict(evaluateUncached(input));
    verdictCache.makeRoom();
    // Made room by forgetting every id: this key's ids may now mean something else.
    const fresh = cacheKey(input);
    if (fresh !== undefined) verdictCache.set(input.atMs, fresh, template);
  }
  // Shared, frozen parts: a million contacts allocate a million small objects, not ten million.
  // Field by field rather than spread: one object shape, and the compiler checks every field.
  const verdict: Verdict = {
    allowed: template.allowed,
    phone: input.number.e164,
    at: template.at,
    reasons: template.reasons,
    zones: template.zones,
    zoneSources: template.zoneSources,
    zoneDerivation: template.zoneDerivation,
    states: template.states,
    jurisdictions: template.jurisdictions,
    rules: template.rules,
    nextAllowedAt: template.nextAllowedAt,
    registries: template.registries,
  };
  if (input.registries?.some((r) => r.listed)) verdict.reasons = renamedListings(template.reasons, input);
  return verdict;
}

/** The template's reasons with each registry listing's text naming this input's number. */
function renamedListings(reasons: Reason[], input: ComplianceInput): Reason[] {
  return reasons.map((reason) => {
    const finding = input.registries?.find((f) => f.listed && reason.ruleId === listingRuleId(f));
    return finding ? { ...reason, message: listingMessage(input.number.e164, finding) } : reason;
  });
}

/**
 * A cached verdict, frozen, with its lists shared with every other cached verdict that has the
 * same list (most situations share their zones, states, rules…): a list per verdict made the
 * cache's arrays alone ~20 MB for a million contacts.
 */
function freezeVerdict(verdict: Verdict): Verdict {
  if (sharedLists.size >= VERDICT_CACHE_SIZE) sharedLists.clear();
  return {
    ...verdict,
    reasons: shared(verdict.reasons),
    zones: shared(verdict.zones),
    zoneSources: shared(verdict.zoneSources),
    states: shared(verdict.states),
    jurisdictions: shared(verdict.jurisdictions),
    rules: shared(verdict.rules),
    registries: shared(verdict.registries),
  };
}

/** Frozen lists by their JSON text (their items are plain data: strings or flat records). */
const sharedLists = new Map<string, readonly unknown[]>();

function shared<T>(list: T[]): T[] {
  const text = JSON.stringify(list);
  const known = sharedLists.get(text);
  if (known) return known as T[];
  for (const item of list) if (typeof item === "object" && item !== null) Object.freeze(item);
  Object.freeze(list);
  sharedLists.set(text, list);
  return list;
}

/**
 * The first instant at which every cap broken at `atMs` holds again, when the touches it counts
 * all lie at or before `atMs` (a check's history; not a plan's later attempts or dial windows):
 * a cap of `max` in any W breaks while `max` of its touches lie within W before, so it holds from
 * the (count − max + 1)-th newest touch's instant + W on. A Massachusetts refusal's search then
 * starts days ahead instead of trying every window opening before (issue 79's bench: the search
 * was most of a refused check's time). `atMs` when no cap is broken, or a touch lies later.
 */
function capsFreeAt(p: Prepared, atMs: number): number {
  if (p.spanMs !== undefined) return atMs;
  let free = atMs;
  for (const cap of p.capRows) {
    const within = cap.attempts.filter((t) => t > atMs - cap.windowMs);
    if (within.some((t) => t > atMs) || within.length < cap.max) {
      if (within.some((t) => t > atMs)) return atMs;
      continue;
    }
    if (capExempt(cap.row, p.input.lastTransactionMs, atMs)) continue;
    // `within` is ascending (capRowOf sorts): the one that must leave the window last.
    free = Math.max(free, (within[within.length - cap.max] as number) + cap.windowMs);
  }
  return free;
}

/**
 * The verdict without the verdict cache: for a caller that asks each situation and instant once
 * (the strategy planner judges each hour of its horizon once per situation), where caching
 * would only copy and freeze every verdict.
 */
export function evaluateUncached(input: ComplianceInput): Verdict {
  if (input.purpose === "revocation-confirmation") return confirmationVerdict(input);
  const p = prepare(input);
  const permanent = permanentReasons(p, input.atMs);
  const timed = p.zones.length > 0 ? timeReasons(p, input.atMs) : [];
  const reasons = [...permanent, ...timed];
  const primary = p.zones[0];

  let nextAllowedMs: number | null = null;
  if (permanent.length === 0) {
    if (timed.length === 0) nextAllowedMs = input.atMs;
    else {
      // Widening stages: the answer is nearly always within a day, so most searches compute
      // one day's boundaries instead of the whole horizon's.
      const days = input.searchDays ?? 21;
      // No instant before a broken cap frees can be allowed: those are not tried. (The stages'
      // ranges stay as they are: one zone's boundaries are remembered per range.)
      const free = capsFreeAt(p, input.atMs);
      let from = input.atMs;
      search: for (const stage of [1, 3, 8, days]) {
        const to = input.atMs + Math.min(stage, days) * DAY_MS;
        if (to <= from) continue;
        if (to < free) {
          from = to;
          continue;
        }
        for (const t of boundaries(p, from, to))
          if (t >= free && timeReasons(p, t, true).length === 0 && permanentReasons(p, t).length === 0) {
            nextAllowedMs = t;
            break search;
          }
        from = to;
      }
    }
  }
  const date = localAt(primary ?? "UTC", input.atMs).date;
  return {
    allowed: reasons.length === 0,
    phone: input.number.e164,
    at: isoIn(input.atMs, primary),
    reasons,
    zones: p.zones,
    zoneSources: p.candidates.zones,
    zoneDerivation: p.candidates.zoneDerivation,
    states: p.candidates.regions.map((r) => r.code),
    jurisdictions: p.candidates.jurisdictions,
    rules: [
      ...p.rows.filter((row) => inEffect(row, date)).map((row) => row.id),
      ...p.capRows.filter((c) => c.campaign).map((c) => c.row.id),
    ],
    nextAllowedAt: nextAllowedMs === null ? null : isoIn(nextAllowedMs, primary),
    registries: [...(input.registries ?? [])],
    ...(input.explainCaps ? { caps: capCounts(p, input.atMs) } : {}),
  };
}

/** What still refuses an allowed confirmation: a number that cannot be reached, or is not the consumer's. */
const CONFIRMATION_KEEPS = new Set<ReasonCode>([
  "not_dialable",
  "no_rules_for_destination",
  "rnd_reassigned",
  "rnd_no_data",
]);

/**
 * A touch marked as the confirmation of a revocation by text (issue 92 §3): judged as any touch
 * when no confirmation row is in force (before 2025-04-11, Canada), else by the row. Allowed, it is
 * not a solicitation: only a number that cannot be reached or was reassigned still refuses it (the
 * revocation, the consent rule, the DNC lists, hours and caps do not). Refused, the row's reason is
 * added to every other (the revocation's own among them).
 */
function confirmationVerdict(input: ComplianceInput): Verdict {
  const { purpose: _purpose, ...plain } = input;
  const ordinary = evaluateUncached(plain);
  const p = prepare(input);
  const date = localAt(p.zones[0] ?? "UTC", input.atMs).date;
  const row = p.rows.find(
    (r): r is RevocationConfirmationRow => r.kind === "revocation_confirmation" && inEffect(r, date),
  );
  if (!row) return ordinary;
  const judged = judgeConfirmation(row, {
    channel: input.channel,
    atMs: input.atMs,
    untilMs: input.untilMs,
    textStopsMs: input.textStopsMs,
    touches: input.attempts,
  });
  const rules = [...ordinary.rules, row.id];
  if (!judged.allowed)
    return {
      ...ordinary,
      allowed: false,
      reasons: [...ordinary.reasons, reasonOf(row, "revocation_confirmation_refused", judged.why, null)],
      rules,
      nextAllowedAt: null,
    };
  const reasons = ordinary.reasons.filter((r) => CONFIRMATION_KEEPS.has(r.code));
  return {
    ...ordinary,
    allowed: reasons.length === 0,
    reasons,
    rules,
    nextAllowedAt: reasons.length === 0 ? ordinary.at : null,
  };
}

/**
 * How far inside the calling hours a call placed anywhere in `[startMs, endMs]` is in one zone:
 * the seconds between the interval and the nearer edge of the strictest window in effect for the
 * number's jurisdictions on that local day (negative: outside; null: no window that day, or the
 * zone is not one of the number's candidates). A pushed list record carries one zone for the
 * dialer's own windows: of a number's candidate zones, the one with the smallest margin is the
 * stricter at that interval (issue 62 §3).
 */
export function callingMarginIn(
  input: Pick<ComplianceInput, "number" | "addressState" | "declaredZone">,
  zone: string,
  startMs: number,
  endMs: number,
): number | null {
  const p = prepare({ ...input, atMs: startMs, consent: true, onDnc: false });
  if (!p.zones.includes(zone)) return null;
  const local = localAt(zone, startMs);
  let open = 0;
  let close = DAY_S;
  let any = false;
  for (const row of p.rows) {
    if (row.kind !== "calling_hours" || !inEffect(row, local.date)) continue;
    const window = windowOn(row, local.weekday);
    if (window === null) return null;
    any = true;
    open = Math.max(open, window.startS);
    close = Math.min(close, window.endS);
  }
  if (!any) return null;
  const end = local.seconds + Math.round((endMs - startMs) / 1000);
  return Math.min(local.seconds - open, close - end);
}
