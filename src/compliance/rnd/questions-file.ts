import { InputError, type InputProblem } from "../../core/input-error.ts";
import { assertTextInputFileWithin } from "../../core/input-file.ts";
import { csvRecords, ndjsonLineRule, ndjsonRows } from "../../core/input-rows.ts";
import { NANP_RULE, parseNanp } from "../../core/phone-number.ts";
import type { RndQuestion } from "../../platform/ports/rnd.ts";
import { CONSENT_DATE_RULE, consentDateOf, consentDateProblem } from "./consent-date.ts";

/**
 * `cxo compliance rnd check --file numbers.csv|.ndjson`: a phone and its consent date per row
 * (`phone, consentDate`; `consent_date` also read). The whole file is checked before anything is
 * asked or recorded: every bad row is an InputError naming its line and field (a missing consent
 * date included: the RND cannot be asked without one), nothing sent. At most 250,000 numbers (the
 * RND's largest file).
 */
export const MAX_RND_FILE_ROWS = 250_000;
const MAX_PROBLEMS = 50;

export interface NumberedQuestion extends RndQuestion {
  /** The file's line (CSV: the header is line 1). */
  row: number;
}

export function rndFileFormat(file: string): "csv" | "ndjson" {
  const lower = file.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) return "ndjson";
  throw new InputError({ field: "file", rule: "must end in .csv, .ndjson or .jsonl" });
}

/** The file's questions in file order, each number once per consent date, or an InputError. */
export async function readRndQuestions(
  file: string,
  options: { nowMs: number; signal?: AbortSignal },
): Promise<NumberedQuestion[]> {
  rndFileFormat(file);
  await assertTextInputFileWithin(file, "file", options.signal);
  const problems: InputProblem[] = [];
  const questions: NumberedQuestion[] = [];
  const seen = new Set<string>();
  let rows = 0;
  for await (const { line, fields } of rowsOf(file)) {
    options.signal?.throwIfAborted();
    rows += 1;
    if (rows > MAX_RND_FILE_ROWS)
      throw new InputError({
        field: "file",
        row: line,
        rule: `holds more than ${MAX_RND_FILE_ROWS} numbers (the RND's largest file)`,
      });
    const found: InputProblem[] = [];
    const phone = typeof fields.phone === "string" ? parseNanp(fields.phone.trim()) : undefined;
    if (!phone) found.push({ field: "phone", row: line, rule: fields.phone ? NANP_RULE : "is missing" });
    const given = fields.consentDate ?? fields.consent_date;
    const consentDate = consentDateOf(given, options.nowMs);
    if (consentDate === undefined)
      found.push({
        field: "consentDate",
        row: line,
        rule:
          given === undefined || given === ""
            ? `is missing: ${CONSENT_DATE_RULE}`
            : (consentDateProblem(given, options.nowMs) ?? CONSENT_DATE_RULE),
      });
    for (const p of found) if (problems.length < MAX_PROBLEMS) problems.push(p);
    if (found.length > 0 || !phone || consentDate === undefined) continue;
    const key = `${phone.e164}|${consentDate}`;
    if (seen.has(key)) continue;
    seen.add(key);
    questions.push({ phone: phone.e164, consentDate, row: line });
  }
  if (problems.length > 0) throw new InputError(problems);
  if (rows === 0)
    throw new InputError({ field: "file", rule: `${file} has no numbers (columns: phone, consentDate)` });
  return questions;
}

async function* rowsOf(file: string): AsyncGenerator<{ line: number; fields: Record<string, unknown> }> {
  if (rndFileFormat(file) === "ndjson") {
    for await (const row of ndjsonRows(file)) {
      if ("problem" in row)
        throw new InputError({ field: "file", row: row.line, rule: ndjsonLineRule(file, row.line) });
      yield { line: row.line, fields: row.value };
    }
    return;
  }
  let header: string[] | undefined;
  for await (const { lines, record } of csvRecords(file, "file")) {
    if (!header) {
      header = record.map((name) => name.trim());
      if (!header.includes("consentDate") && !header.includes("consent_date"))
        throw new InputError({
          field: "consentDate",
          row: lines,
          rule: `${file} has no consentDate column (columns: phone, consentDate): the RND is asked whether a number was disconnected since consent was given`,
        });
      if (!header.includes("phone"))
        throw new InputError({
          field: "phone",
          row: lines,
          rule: `${file} has no phone column (columns: phone, consentDate)`,
        });
      continue;
    }
    const fields: Record<string, unknown> = {};
    header.forEach((name, index) => {
      fields[name] = record[index]?.trim();
    });
    yield { line: lines, fields };
  }
}

/** Questions given in code (the SDK's `numbers`): each problem names `field[i].phone` or `.consentDate`. */
export function rndQuestionsOf(items: unknown, nowMs: number, field = "numbers"): RndQuestion[] {
  if (!Array.isArray(items) || items.length === 0)
    throw new InputError({ field, rule: "must be a non-empty array of { phone, consentDate }" });
  if (items.length > MAX_RND_FILE_ROWS)
    throw new InputError({
      field,
      rule: `must hold at most ${MAX_RND_FILE_ROWS} numbers (the RND's largest file)`,
    });
  const problems: InputProblem[] = [];
  const questions: RndQuestion[] = [];
  const seen = new Set<string>();
  items.forEach((item: unknown, index) => {
    const given = typeof item === "object" && item !== null ? (item as Record<string, unknown>) : {};
    const phone = typeof given.phone === "string" ? parseNanp(given.phone.trim()) : undefined;
    const consentDate = consentDateOf(given.consentDate, nowMs);
    if (!phone && problems.length < MAX_PROBLEMS)
      problems.push({
        field: `${field}[${index}].phone`,
        rule: given.phone === undefined ? "is missing" : NANP_RULE,
      });
    if (consentDate === undefined && problems.length < MAX_PROBLEMS)
      problems.push({
        field: `${field}[${index}].consentDate`,
        rule:
          given.consentDate === undefined
            ? `is missing: ${CONSENT_DATE_RULE}`
            : (consentDateProblem(given.consentDate, nowMs) ?? CONSENT_DATE_RULE),
      });
    if (!phone || consentDate === undefined) return;
    const key = `${phone.e164}|${consentDate}`;
    if (!seen.has(key)) questions.push({ phone: phone.e164, consentDate });
    seen.add(key);
  });
  if (problems.length > 0) throw new InputError(problems);
  return questions;
}
