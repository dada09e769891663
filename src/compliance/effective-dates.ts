import { calendarDayProblem, calendarDayText } from "../core/calendar-day.ts";
import type { InputProblem } from "../core/input-error.ts";
import { REVOCATION_RULES, type RevocationRule } from "./revocation-rules.ts";
import { RULE_TABLE, type RuleRow } from "./rule-table.ts";

/**
 * Dates counsel moves: `rules.effectiveDates: {RULE_ID: yyyy-mm-dd}` in cxo.config.yaml (and
 * `createClient({ rules: { effectiveDates } })`) replaces a rule's built-in `effectiveFrom`. A
 * date the FCC has postponed twice (revoke-all, 47 CFR 64.1200(a)(10)) and may move again must not
 * take a release to follow: the rule book a check, plan, push and evidence record are judged by is
 * the built-in one with these dates put in (a new rule book version, so an evidence record made
 * under the old dates is replayed with them). Pure: no clock, no I/O.
 */
export type EffectiveDates = Readonly<Record<string, string>>;

export type DateSource = "built-in" | "config";

/**
 * The dates of a given `effectiveDates` that keep the calendar-day rule (core/calendar-day.ts),
 * written as `YYYY-MM-DD` (the spaces around one gone): what the rule book is built with.
 */
export function effectiveDatesText(dates: EffectiveDates): Record<string, string> {
  return Object.fromEntries(Object.entries(dates).map(([id, date]) => [id, calendarDayText(date) ?? date]));
}

/** Every rule whose date can be moved: the rule table's rows and the revocation deadlines, by id. */
function datedRules(): Map<string, { effectiveFrom: string; effectiveTo?: string | undefined }> {
  const rules = new Map<string, { effectiveFrom: string; effectiveTo?: string | undefined }>();
  for (const row of RULE_TABLE) rules.set(row.id, row);
  for (const rule of REVOCATION_RULES) rules.set(rule.id, rule);
  return rules;
}

/**
 * The problems of a given `effectiveDates` (each naming `field.RULE_ID`): an object of known
 * rule ids to dates with their year, each before the rule's own end (`effectiveTo`).
 */
export function effectiveDatesProblems(given: unknown, field = "rules.effectiveDates"): InputProblem[] {
  if (given === undefined) return [];
  if (typeof given !== "object" || given === null || Array.isArray(given))
    return [{ field, rule: "must be a map of rule id to date, e.g. { us-revoke-all-purposes: 2027-01-31 }" }];
  const known = datedRules();
  const problems: InputProblem[] = [];
  for (const [id, date] of Object.entries(given)) {
    const rule = known.get(id);
    if (!rule) {
      problems.push({
        field: `${field}.${id}`,
        rule: `names no rule cxo knows (cxo compliance rules lists their ids, e.g. us-revoke-all-purposes)`,
      });
      continue;
    }
    const day = calendarDayText(date);
    if (day === undefined)
      problems.push({ field: `${field}.${id}`, rule: calendarDayProblem(date) as string });
    else if (rule.effectiveTo !== undefined && day >= rule.effectiveTo)
      problems.push({
        field: `${field}.${id}`,
        rule: `must be before the rule's end (${rule.effectiveTo}); a successor rule takes over then`,
      });
  }
  return problems;
}

/** The key a set of dates is remembered by (order-free). */
const keyOf = (dates: EffectiveDates) =>
  Object.entries(dates)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, date]) => `${id}=${date}`)
    .join(",");

const tables = new Map<string, readonly RuleRow[]>();

/** The policies a tenant sets in its rule book: the UK's calling hours (`compliance.ukCallingHours`). */
export interface RulePolicies {
  /** The UK's hours policy's windows, or false: none. Undefined: the built-in 08:00-21:00. */
  ukCallingHours?: false | { monFri: string | null; sat: string | null; sun: string | null } | undefined;
}

const UK_HOURS_POLICY = "gb-calling-hours-policy";

/**
 * The rule table with the dates moved and the policies set (RULE_TABLE itself when neither is):
 * one array per set, so the engine's caches and the rule book's version (a digest of the rows)
 * see one book. The dates are checked first (effectiveDatesProblems); an unknown id here is a
 * programming error.
 */
export function ruleTableWith(
  dates: EffectiveDates | undefined,
  policies: RulePolicies = {},
): readonly RuleRow[] {
  const hours = policies.ukCallingHours;
  if ((dates === undefined || Object.keys(dates).length === 0) && hours === undefined) return RULE_TABLE;
  const key = `${keyOf(dates ?? {})}|${JSON.stringify(hours ?? null)}`;
  let table = tables.get(key);
  if (!table) {
    table = RULE_TABLE.flatMap((row): RuleRow[] => {
      if (row.id === UK_HOURS_POLICY && row.kind === "calling_hours" && hours !== undefined)
        return hours === false ? [] : [{ ...row, window: { ...hours } }];
      const moved = dates?.[row.id];
      return [moved === undefined || moved === row.effectiveFrom ? row : { ...row, effectiveFrom: moved }];
    });
    tables.set(key, table);
  }
  return table;
}

/** The revocation deadlines (revocation-rules.ts) with the dates moved. */
export function revocationRulesWith(dates: EffectiveDates | undefined): readonly RevocationRule[] {
  if (dates === undefined || Object.keys(dates).length === 0) return REVOCATION_RULES;
  return REVOCATION_RULES.map((rule) => {
    const moved = dates[rule.id];
    return moved === undefined ? rule : { ...rule, effectiveFrom: moved };
  });
}

/** One rule as `cxo compliance rules` lists it. */
export interface RuleListing {
  id: string;
  /** `calling` (the rule table: what a call is judged by) or `revocation` (the deadlines of a revocation). */
  book: "calling" | "revocation";
  kind: string;
  jurisdiction: string;
  /** The date it takes effect (the config's when it moves it). */
  effectiveFrom: string;
  effectiveTo?: string | undefined;
  /** Where `effectiveFrom` comes from: the rule book cxo ships, or `rules.effectiveDates`. */
  dateSource: DateSource;
  /** The date cxo ships with. */
  builtInFrom: string;
  citation: string;
  confidence: string;
  note?: string | undefined;
}

/** Every rule with its date and the date's source, in the rule book's order. */
export function listRules(dates: EffectiveDates | undefined): RuleListing[] {
  const given = dates ?? {};
  const listing = (
    book: RuleListing["book"],
    rule: {
      id: string;
      jurisdiction: string;
      effectiveFrom: string;
      effectiveTo?: string | undefined;
      citation: string;
      confidence: string;
      note?: string | undefined;
    },
    kind: string,
  ): RuleListing => {
    const moved = given[rule.id];
    return {
      id: rule.id,
      book,
      kind,
      jurisdiction: rule.jurisdiction,
      effectiveFrom: moved ?? rule.effectiveFrom,
      ...(rule.effectiveTo === undefined ? {} : { effectiveTo: rule.effectiveTo }),
      dateSource: moved === undefined ? "built-in" : "config",
      builtInFrom: rule.effectiveFrom,
      citation: rule.citation,
      confidence: rule.confidence,
      ...(rule.note === undefined ? {} : { note: rule.note }),
    };
  };
  return [
    ...RULE_TABLE.map((row) => listing("calling", row, row.kind)),
    ...REVOCATION_RULES.map((rule) =>
      listing("revocation", rule, rule.deadline === null ? "revocation_scope" : "revocation_deadline"),
    ),
  ];
}

/** A rule about to take effect on a date the config has not confirmed. */
export interface UnconfirmedDate {
  ruleId: string;
  effectiveFrom: string;
  daysLeft: number;
  citation: string;
}

const DAY_MS = 86_400_000;

/**
 * The rules whose date falls within `withinDays` from `today` (yyyy-mm-dd, inclusive) and that
 * `rules.effectiveDates` does not name: counsel has not confirmed the date cxo ships with (a date
 * the regulator has moved before may move again). A date the config names — even the built-in
 * one — is confirmed.
 */
export function unconfirmedDates(
  dates: EffectiveDates | undefined,
  today: string,
  withinDays = 30,
): UnconfirmedDate[] {
  const todayMs = Date.parse(`${today}T00:00:00Z`);
  return listRules(dates)
    .filter((rule) => rule.dateSource === "built-in")
    .map((rule) => ({
      ruleId: rule.id,
      effectiveFrom: rule.effectiveFrom,
      daysLeft: Math.round((Date.parse(`${rule.effectiveFrom}T00:00:00Z`) - todayMs) / DAY_MS),
      citation: rule.citation,
    }))
    .filter((rule) => rule.daysLeft >= 0 && rule.daysLeft <= withinDays);
}
