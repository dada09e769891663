import type { z } from "zod";

/**
 * Errors in the production platform's shapes (reference §C1): 400 `InvalidParameter`, 403
 * `Forbidden`, 404 `NotFound`, each `{error, errorDescription}` with an `icStatusDescription`
 * header (other layouts with the `errorBody` knob); 5xx have no JSON body. Handlers throw these; the pipeline writes them.
 */
export class CxoneError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, description: string) {
    super(description);
    this.status = status;
    this.code = code;
  }
}

export const invalid = (what: string, why = "is invalid") =>
  new CxoneError(400, "InvalidParameter", `${what} ${why}`);
export const notFound = (what: string) => new CxoneError(404, "NotFound", `${what} was not found`);
/** A skill the business unit does not have, in CXone's words (the unit tells a user which one they are on). */
export const skillNotFound = (skillId: unknown, businessUnitId: number) =>
  new CxoneError(
    404,
    "NotFound",
    `Skill ${String(skillId)} was not found in business unit ${businessUnitId}`,
  );
export const forbidden = (why: string) => new CxoneError(403, "Forbidden", why);

type Issue = z.core.$ZodIssue;

function firstIssueOr400(issue: Issue | undefined, where: string): never {
  const path = issue?.path.map(String).join(".");
  const field = path ? (where === "body" || where === "query" ? path : `${where}.${path}`) : where;
  const reason =
    issue?.code === "unrecognized_keys" ? `has unknown field(s) ${issue.keys.join(", ")}` : "is invalid";
  throw invalid(issue?.code === "unrecognized_keys" && path === "" ? where : field, reason);
}

/** A copy of a JSON value without the keys the issues name (each at its path). */
function withoutKeys(value: unknown, issues: readonly Issue[]): unknown {
  const copy = structuredClone(value);
  for (const issue of issues) {
    if (issue.code !== "unrecognized_keys") continue;
    let at: unknown = copy;
    for (const step of issue.path)
      at = (at as Record<PropertyKey, unknown> | undefined)?.[step as PropertyKey];
    if (at && typeof at === "object")
      for (const key of issue.keys) delete (at as Record<string, unknown>)[key];
  }
  return copy;
}

/**
 * Parses an API request with the emulator's own schema, as the platform reads it: a field the
 * schema does not know is ignored, as NICE's production client shows the platform does (it sends
 * `tagName, isActive, notes` with a tag id, `primaryCallbackTime` with a disposition:
 * independent-clients.md §6), while a known field of the wrong type, a missing required one or a
 * value out of range is a 400 naming it. Route schemas stay `strictObject` so that what they know
 * is written down in one place; the unknown keys are dropped here.
 */
export function parseOr400<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const wrong = issues.find((issue) => issue.code !== "unrecognized_keys");
  if (wrong) firstIssueOr400(wrong, where);
  const again = schema.safeParse(withoutKeys(value, issues));
  if (again.success) return again.data;
  return firstIssueOr400(again.error.issues[0], where);
}

/**
 * Parses an admin request (`/_emulator`: this project's own API, not CXone's) strictly: an
 * unknown field is a 400 naming it, so a typo in a test's fault or knob is never silently ignored.
 */
export function parseStrictOr400<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  return firstIssueOr400(result.error.issues[0], where);
}
