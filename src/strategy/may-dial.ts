import {
  type AccountAttempt,
  type AttemptTime,
  type CampaignCaps,
  type ComplianceEngine,
  type RegistryFinding,
  regFReasons,
} from "../compliance/index.ts";
import { regFPatterns } from "../compliance/reg-f-patterns.ts";
import type { CampaignKind, NumberType, Registrations } from "../compliance/touches.ts";
import { type CampaignVoice, voiceFactsFor } from "../compliance/voice-rules.ts";
import type { NanpNumber } from "../core/phone-number.ts";
import { type SkillHours, type SkillOpen, skillOpen } from "./skill-hours.ts";

/**
 * May skill S dial record r anywhere in its window `[atMs, untilMs]`? The one answer `strategy
 * plan` and `strategy push` share, so that a plan made for a skill is one its push accepts: a
 * planner and a push that each asked their own questions disagreed (the planner on the law
 * alone, the push with the skill's hours too), and an unattended daily plan-and-push was refused
 * every day. In this order, every rule over the whole window:
 * 1. Regulation F for the record's account (the debt's calls, when it is one);
 * 2. the law for the number: the compliance engine (calling hours in every candidate zone, state
 *    windows, day bans, holidays, consent, DNC and registries, the state, account and campaign
 *    caps counted over the attempts given; a prerecorded or AI voice's consent and California's
 *    introduction, with the record's grant);
 * 3. the skill's own hours (`timeZoneSettings`, per zone), its weekly schedule (read in the
 *    business unit's zone) and, on the seed API, the campaign's window: open throughout the
 *    window in every zone CXone may time the record by.
 * The record's own window is the interval itself: what the list record's time range and
 * expiration hold it to. Pure: no clock, no I/O. An empty answer: it may.
 */
export interface DialScope {
  /** The engine that judges the law (the runtime's: a client's, a CLI run's). */
  engine: ComplianceEngine;
  campaignId: string;
  campaignCaps?: CampaignCaps | undefined;
  /** The kind as declared (undeclared: every kind's rows apply, none exempted). */
  kind?: CampaignKind | undefined;
  seller?: string | undefined;
  registrations?: Registrations | undefined;
  /** When the skill itself dials; undefined: the law alone (no skill known). */
  skill?: SkillOpen | undefined;
  /**
   * The voice the campaign's calls use and their introduction (a campaign spec's
   * `voice:`, `announcement: live`, `discloses: ai`); undefined: a live voice.
   */
  voice?: CampaignVoice | undefined;
}

/** What the record is judged with: its number and the facts a list row gives. */
export interface DialRecord {
  number: NanpNumber;
  /**
   * The zones CXone may time the record by, each of which must have the skill open: at push the
   * list record's own zone; at plan time every candidate zone of the number (the list zone is
   * one of them). Empty: no zone known, the skill's hours are not asked.
   */
  zones: readonly string[];
  /** The list's address state (or New York, placed by a New York City ZIP code). */
  state?: string | undefined;
  zip?: string | undefined;
  /** Consent as recorded; undefined = not recorded = none. */
  consent: boolean | undefined;
  onDnc: boolean;
  registries?: readonly RegistryFinding[] | undefined;
  lastTransactionMs?: number | undefined;
  numberType?: NumberType | undefined;
  accountId?: string | undefined;
  /**
   * What the record's consent is (its newest grant for the call's purpose, consent/grants.ts):
   * written or not, AI disclosed or not — asked of a prerecorded or AI voice.
   */
  writtenConsent?: boolean | undefined;
  aiDisclosed?: boolean | undefined;
}

/** The calls counted toward the rules that depend on other calls. */
export interface DialCounted {
  /** The number's attempts (and the account's touches on its other numbers), before and after. */
  attempts?: readonly AttemptTime[] | undefined;
  /** The debt's calls on every number (Regulation F); undefined: not judged as a debt. */
  account?: readonly AccountAttempt[] | undefined;
  /**
   * The window was already found open for the number alone (the planner judges each hour once
   * for every number of a situation): only what the counted calls add is asked — Regulation F,
   * and the engine when `attempts` are given.
   */
  aloneAllowed?: boolean | undefined;
}

export interface DialRefusal {
  /** The engine's reason code, a Regulation F code, or `outside_skill_hours`. */
  code: string;
  message: string;
  citation?: string | undefined;
}

/** The scope of one plan or push: the campaign, its caps and kind, the seller, the skill's hours. */
export function dialScope(scope: Omit<DialScope, "skill">, hours: SkillHours | undefined): DialScope {
  return { ...scope, ...(hours ? { skill: skillOpen(hours) } : {}) };
}

export function dialRefusals(
  scope: DialScope,
  record: DialRecord,
  atMs: number,
  untilMs: number,
  counted: DialCounted = {},
): DialRefusal[] {
  const out: DialRefusal[] = [];
  // Regulation F is a debt collector's rule: the planner asks it for `kind: collections` only, and
  // push asked it of every account — a sales plan's rows were refused at push for caps the plan
  // never counted (issue 91's sales week: `reg_f_7_in_7`, the campaign stopped). One judge: a
  // declared sales campaign is not held to it; an undeclared kind is (the stricter reading).
  if (counted.account && scope.kind !== "sales") {
    out.push(...regFReasons(counted.account, atMs, untilMs));
    // The patterns that rebut the presumption of compliance are evidence, not a bar, in a check;
    // a plan never makes one (reg-f-patterns.ts).
    out.push(
      ...regFPatterns(counted.account, {
        atMs,
        untilMs,
        phone: record.number.e164,
        zone: record.zones[0],
      }),
    );
  }
  if (!counted.aloneAllowed || (counted.attempts?.length ?? 0) > 0)
    out.push(
      ...scope.engine.evaluate({
        number: record.number,
        atMs,
        untilMs,
        addressState: record.state,
        zip: record.zip,
        consent: record.consent,
        onDnc: record.onDnc,
        registries: record.registries,
        attempts: counted.attempts,
        campaignCaps: scope.campaignCaps,
        campaignId: scope.campaignId,
        searchDays: 0,
        kind: scope.kind,
        accountId: record.accountId,
        seller: scope.seller,
        registrations: scope.registrations,
        lastTransactionMs: record.lastTransactionMs,
        numberType: record.numberType,
        voice: voiceFactsFor(scope.voice, record),
      }).reasons,
    );
  if (!counted.aloneAllowed && scope.skill) {
    const closed = record.zones.filter((zone) => !scope.skill?.throughout(zone, atMs, untilMs));
    if (closed.length > 0)
      out.push({
        code: "outside_skill_hours",
        message: `the skill does not dial throughout ${new Date(atMs).toISOString()} + ${Math.round((untilMs - atMs) / 60_000)} min in ${closed.join(", ")}: outside its hours (timeZoneSettings) or its weekly schedule`,
      });
  }
  return out;
}
