import type { RndCheckResult, RndVerdict } from "../compliance/rnd/check-numbers.ts";
import { CONSENT_DATE_RULE, consentDateOf, consentDateProblem } from "../compliance/rnd/consent-date.ts";
import { InputError, type InputProblem } from "../core/input-error.ts";
import type { RndQuestion } from "../platform/ports/rnd.ts";
import { type ListRow, ownColumn } from "./list-format.ts";

/**
 * Issue 79 §3 inside `strategy plan`: with `compliance.rnd` configured, every list record with a
 * consent date (a `consentDate` or `consent_date` column) is checked against the Reassigned
 * Numbers Database before anything is planned (the answers stored as evidence), and a number it
 * reports permanently disconnected since that date is planned no attempt (`rnd_reassigned`). A
 * record without a consent date cannot be asked: it is counted and named in the plan's notes (no
 * safe harbor for it). A malformed or future consent date is bad input naming its row, nothing
 * asked.
 */
export interface RndScreen {
  verdicts: RndVerdict[];
  result: RndCheckResult | undefined;
  withoutDate: number;
}

const MAX_PROBLEMS = 50;

export async function screenListByRnd(
  rows: AsyncIterable<ListRow> | Iterable<ListRow>,
  check: (questions: RndQuestion[]) => Promise<RndCheckResult>,
  nowMs: number,
): Promise<RndScreen> {
  const latest = new Map<string, string>();
  const problems: InputProblem[] = [];
  let withoutDate = 0;
  let index = 0;
  for await (const row of rows) {
    index += 1;
    const given = ownColumn(row.columns, "consentDate") ?? ownColumn(row.columns, "consent_date");
    if (given === undefined || given === "") {
      withoutDate += 1;
      continue;
    }
    const day = consentDateOf(given, nowMs);
    if (day === undefined) {
      if (problems.length < MAX_PROBLEMS)
        problems.push({
          field: "consentDate",
          row: index,
          rule: `${consentDateProblem(given, nowMs) ?? CONSENT_DATE_RULE} (record ${row.recordId})`,
        });
      continue;
    }
    const known = latest.get(row.phone);
    if (known === undefined || day > known) latest.set(row.phone, day);
  }
  if (problems.length > 0) throw new InputError(problems);
  const questions = [...latest].map(([phone, consentDate]) => ({ phone, consentDate }));
  const result = questions.length > 0 ? await check(questions) : undefined;
  return { verdicts: result?.verdicts ?? [], result, withoutDate };
}

/** The plan's note on what the RND said (and what it could not be asked). */
export function rndNote(screen: RndScreen): string {
  const r = screen.result;
  const asked = r
    ? `the Reassigned Numbers Database (data as of ${r.dataAsOf ?? "-"}) was consulted on ${r.numbers} number(s) (${r.asked} asked, ${r.reused} answered from the store): ${r.refused} refused (${r.disconnected} disconnected since consent${r.noData > 0 ? `, ${r.noData} no data` : ""})`
    : "the Reassigned Numbers Database was not asked: no record carries a consent date";
  return screen.withoutDate > 0
    ? `${asked}; ${screen.withoutDate} record(s) carry no consentDate and were not asked (no safe harbor for them)`
    : asked;
}

/** What the RND said of a plan's list, without the verdicts (the refusals are the plan's `suppressed`). */
export type PlanRndCounts = Partial<Omit<RndCheckResult, "verdicts">> & {
  /** Records not asked: they carry no consent date. */
  withoutConsentDate: number;
};

/** The RND's counts in a plan's answer (and the CLI's JSON document). */
export function rndCounts(screen: RndScreen): PlanRndCounts {
  const { verdicts: _verdicts, ...counts } = screen.result ?? { verdicts: [] };
  return { ...counts, withoutConsentDate: screen.withoutDate };
}
