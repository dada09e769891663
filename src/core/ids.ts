import type { InputProblem } from "./input-error.ts";

/**
 * The one rule for campaign (and contact-list, call) ids everywhere a user gives one: 1–128
 * letters, digits or `_ . : -`. It covers the seed API's ids and the production platform's
 * numeric skill ids, and keeps `/`, spaces and control characters out of URLs and file names.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
export const ID_RULE = "must be an id: 1–128 letters, digits or _ . : -, starting with a letter or digit";

/** Account ids as lists, plans, revocations and touches carry them: an id, not free text (a lookup key). */
export const ACCOUNT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;
export const ACCOUNT_RULE = "must be an account id: 1-64 letters, digits, '.', '_', ':', '/' or '-'";

/**
 * Whether `value` is an id by the one rule (ID_PATTERN): every test of a campaign (list, call) id
 * asks this function; schemas that need a pattern use ID_PATTERN itself.
 */
export function isId(value: unknown): value is string {
  return typeof value === "string" && ID_PATTERN.test(value);
}

/**
 * The problem with `value` as an id named `field`, or null when it is one (or absent): the one
 * check of the rule, for a flag, a parameter or a file's field (a value that is no string is none).
 */
export function campaignIdProblem(value: unknown, field: string): InputProblem | null {
  return value !== undefined && !isId(value) ? { field, rule: ID_RULE } : null;
}

/**
 * On the production platform a campaign is an outbound skill, named by a whole number (and a
 * contact by one too): the platform's own id rule, beside ID_PATTERN. Asked through `isSkillId`.
 */
const SKILL_ID = /^[1-9]\d{0,17}$/;

/** Whether `value` is a CXone skill (or contact) id: a whole number, no leading zero, at most 18 digits. */
export function isSkillId(value: unknown): value is string {
  return typeof value === "string" && SKILL_ID.test(value);
}
