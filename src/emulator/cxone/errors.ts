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

/** Parses with the emulator's own schema, or throws a 400 naming the first bad field. */
export function parseOr400<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map(String).join(".");
  const field = path ? (where === "body" || where === "query" ? path : `${where}.${path}`) : where;
  const reason =
    issue?.code === "unrecognized_keys" ? `has unknown field(s) ${issue.keys.join(", ")}` : "is invalid";
  throw invalid(issue?.code === "unrecognized_keys" && path === "" ? where : field, reason);
}
