import { z } from "zod";
import { ZIP_PATTERN, ZIP_RULE } from "../compliance/nyc-zips.ts";
import { NUMBER_TYPES, type NumberType } from "../compliance/touches.ts";
import { accountIdProblem } from "../consent/account-id.ts";
import { zonedInstantIssue } from "../core/instant-input.ts";
import { UK_E164 } from "../core/phone-number.ts";

/**
 * One record of the list a plan is made for (`--list FILE`): CSV with a header row, or NDJSON.
 * `recordId` and `phone` (E.164: +1 and ten digits, or a UK number, +44 and 9 or 10 digits) are required; `state` (two-letter USPS
 * code, for numbers whose area code says little), `zip`, `accountId` (the debt, for Reg F:
 * required for kind `collections`), `consent` (true/false, yes/no, 1/0; absent = unknown),
 * `lastTransactionAt` (the consumer's last transaction, ISO 8601 with an offset: an established business
 * relationship, e.g. Oregon's 18 months) and `numberType` (`personal`, a residence or mobile
 * number, or `other`: Massachusetts counts them differently) are optional. Other columns are kept
 * as text in `columns` (for a model's `column:NAME` segment key).
 */
export const E164_NANP = /^\+1[2-9]\d{2}[2-9]\d{6}$/;

/** A list's, plan's or push's number: NANP (E164_NANP), or a UK one (+44, judged by the UK's rules). */
export const isListPhone = (phone: string): boolean => E164_NANP.test(phone) || UK_E164.test(phone);
export const LIST_PHONE_RULE =
  "must be an E.164 North American number such as +13125550123, or a UK one such as +447700900123";

const consentSchema = z.preprocess((value) => {
  if (typeof value === "boolean" || value === undefined || value === null) return value ?? undefined;
  const text = String(value).trim().toLowerCase();
  if (text === "") return undefined;
  if (["true", "yes", "y", "1"].includes(text)) return true;
  if (["false", "no", "n", "0"].includes(text)) return false;
  return value;
}, z.boolean({ message: "must be true or false (yes/no, 1/0)" }).optional());

export const listRowSchema = z.object({
  recordId: z.preprocess((value) => (typeof value === "number" ? String(value) : value), z.string().min(1)),
  phone: z.string().refine(isListPhone, LIST_PHONE_RULE),
  state: z.preprocess(
    (value) =>
      value === null || value === undefined || value === "" ? undefined : String(value).toUpperCase(),
    z
      .string()
      .regex(/^[A-Z]{2}$/, "must be a two-letter state code")
      .optional(),
  ),
  // Issue 92: a ZIP code narrows the called zone and places New York City: a malformed one is refused.
  zip: z.preprocess(
    (value) => (value === null || value === undefined || value === "" ? undefined : String(value).trim()),
    z.string().regex(ZIP_PATTERN, ZIP_RULE).optional(),
  ),
  // Issue 100: an id of spaces only or of more than 128 characters names no debt (an empty cell is none).
  accountId: z.preprocess(
    (value) => (value === null || value === undefined || value === "" ? undefined : String(value)),
    z
      .string()
      .superRefine((value, ctx) => {
        const problem = accountIdProblem(value);
        if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
      })
      .optional(),
  ),
  consent: consentSchema,
  lastTransactionAt: z.preprocess(
    (value) => (value === null || value === undefined || value === "" ? undefined : String(value)),
    // The rule `compliance check --last-transaction` has: one reading of an instant everywhere.
    z.string().transform(zonedInstantIssue).optional(),
  ),
  numberType: z.preprocess(
    (value) =>
      value === null || value === undefined || value === "" ? undefined : String(value).toLowerCase(),
    z.enum(NUMBER_TYPES, { message: `must be one of ${NUMBER_TYPES.join(", ")}` }).optional(),
  ),
});

/** One list row, as the schema returns it, with the other columns kept. */
export interface ListRow {
  recordId: string;
  /** E.164: a North American number, or a UK one (+44). */
  phone: string;
  /** Two-letter state code (upper case). */
  state?: string | undefined;
  zip?: string | undefined;
  /** The debt (Reg F, kind collections). */
  accountId?: string | undefined;
  /**
   * Every debt the record is for, when more than one: a collections plan makes the
   * rows of one number that name several debts one record (the first row's), its number dialled
   * once and each call counted toward every one of them; `accountId` is the first.
   */
  accountIds?: readonly string[] | undefined;
  /** Call consent; absent = not recorded. */
  consent?: boolean | undefined;
  /** The consumer's last transaction (ISO 8601), for an established business relationship. */
  lastTransactionAt?: string | undefined;
  /** A residence or mobile number (`personal`) or another (`other`), for the caps that tell them apart. */
  numberType?: NumberType | undefined;
  /** The row's other columns, as text (empty ones left out); absent when there are none. */
  columns?: Readonly<Record<string, string>> | undefined;
}

/**
 * A list row's column `name`, or undefined: its OWN property only. A column name comes from the
 * model's `column:NAME` key, and `constructor`, `toString` … are properties every object
 * inherits: read with `[]`, they passed the missing-column guard and became segment values
 * (issue 63 N15).
 */
export function ownColumn(columns: Readonly<Record<string, unknown>> | undefined, name: string): unknown {
  return columns !== undefined && columns !== null && Object.hasOwn(columns, name)
    ? columns[name]
    : undefined;
}

const KNOWN_COLUMNS = new Set([
  "recordId",
  "phone",
  "state",
  "zip",
  "accountId",
  "accountIds",
  "consent",
  "lastTransactionAt",
  "numberType",
  "columns",
]);

/** The row with the record's other non-empty columns (text, numbers, booleans) kept in `columns`. */
export function withOtherColumns(row: ListRow, record: Readonly<Record<string, unknown>>): ListRow {
  let columns: Record<string, string> | undefined;
  for (const name in record) {
    if (KNOWN_COLUMNS.has(name)) continue;
    const value = record[name];
    if (
      value === "" ||
      (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean")
    )
      continue;
    columns ??= {};
    columns[name] = String(value);
  }
  if (columns) row.columns = columns;
  return row;
}

const STATE_CODE = /^[A-Z]{2}$/;
const emptyCell = (value: unknown) => value === undefined || value === null || value === "";
const optionalCanonical = (value: unknown): value is string | undefined =>
  value === undefined || typeof value === "string";

/**
 * The row when every field is already in its canonical form (a clean file: text ids, E.164
 * phone, an upper-case state, consent true/false or empty), which is what the schema would
 * return; otherwise undefined and the schema decides, with its messages. A million-row list is
 * then not a million schema runs.
 */
export function canonicalListRow(record: Readonly<Record<string, unknown>>): ListRow | undefined {
  const { recordId, phone, state, zip, accountId, consent } = record;
  // The rarer columns are the schema's to read (their formats and messages).
  if (!emptyCell(record.lastTransactionAt) || !emptyCell(record.numberType)) return undefined;
  if (typeof recordId !== "string" || recordId === "") return undefined;
  if (typeof phone !== "string" || !isListPhone(phone)) return undefined;
  if (!optionalCanonical(state) || !optionalCanonical(zip) || !optionalCanonical(accountId)) return undefined;
  if (accountId !== undefined && accountId !== "" && accountIdProblem(accountId) !== undefined)
    return undefined;
  if (state !== undefined && state !== "" && !STATE_CODE.test(state)) return undefined;
  if (zip !== undefined && zip !== "" && !ZIP_PATTERN.test(zip)) return undefined;
  let agreed: boolean | undefined;
  if (consent === true || consent === "true") agreed = true;
  else if (consent === false || consent === "false") agreed = false;
  else if (consent !== undefined && consent !== "") return undefined;
  const row: ListRow = { recordId, phone };
  if (state) row.state = state;
  if (zip) row.zip = zip;
  if (accountId) row.accountId = accountId;
  if (agreed !== undefined) row.consent = agreed;
  return row;
}

/** Why a collections list's row needs `accountId`. */
export const ACCOUNT_ID_RULE =
  "is required for kind collections: Regulation F counts calls per debt (add an accountId column)";
