import type { z } from "zod";

/**
 * Errors a handler throws to answer with a status and a JSON body. Every error body has
 * `error` (a stable code) and `message` (for humans); some carry more (`issues`,
 * `requiredScopes`, ...).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    extra: Record<string, unknown> = {},
    headers = {},
  ) {
    super(message);
    this.status = status;
    this.body = { error: code, message, ...extra };
    this.headers = headers;
  }
}

export const badRequest = (message: string, extra?: Record<string, unknown>) =>
  new ApiError(400, "invalid_request", message, extra);
export const notFound = (what: string, id: string) =>
  new ApiError(404, "not_found", `${what} ${id} not found`);
export const conflict = (code: string, message: string, extra?: Record<string, unknown>) =>
  new ApiError(409, code, message, extra);

export interface Issue {
  path: string;
  message: string;
}

export function issuesOf(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(body)",
    message: issue.message,
  }));
}

/** Parses with a zod schema, or throws a 400 naming every problem and where it is. */
export function parseOr400<T>(schema: z.ZodType<T>, value: unknown, where: "body" | "query" | "params"): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = issuesOf(result.error);
  const first = issues[0];
  throw badRequest(`invalid ${where}: ${first ? `${first.path}: ${first.message}` : "malformed"}`, {
    issues,
  });
}
