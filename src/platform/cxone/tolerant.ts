import { UnreadableAnswerError } from "../../core/http/errors.ts";

/**
 * Tolerant readers for the production API's inconsistencies: numbers and booleans sent as
 * strings (`"0"`, `"True"`), field names that changed between versions (v23 `contactStart` /
 * v33 `contactStartDate`), single objects sent flat or wrapped (`{skills:[obj]}`), and empty
 * lists sent as 204 with no body.
 */
export type Raw = Record<string, unknown>;

export const isObject = (value: unknown): value is Raw =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A string, or a number as its decimal text; undefined for anything else (null, "", objects). */
export function text(value: unknown): string | undefined {
  if (typeof value === "string") return value === "" ? undefined : value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A number, or a numeric string; undefined otherwise. */
export function num(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** true/false, "true"/"True"/"1"/"Y", "false"/"False"/"0"/"N"; undefined otherwise. */
export function bool(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string") {
    const v = value.trim().toLowerCase();
    if (v === "true" || v === "1" || v === "y" || v === "yes") return true;
    if (v === "false" || v === "0" || v === "n" || v === "no") return false;
  }
  return undefined;
}

/** The first of `names` that is present (not undefined/null) on `record`. */
export function pick(record: Raw, ...names: string[]): unknown {
  for (const name of names) {
    const value = record[name];
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

/** The items of a list answer: `body[key]` (or `resultSet[key]`), [] for a 204's empty body. */
export function listOf(body: unknown, key: string): Raw[] {
  if (body === undefined || body === null || body === "") return [];
  if (!isObject(body)) return [];
  const container = isObject(body.resultSet)
    ? body.resultSet
    : isObject(body.resultset)
      ? body.resultset
      : body;
  const items = container[key] ?? body[key];
  return Array.isArray(items) ? items.filter(isObject) : [];
}

/**
 * One object, however the answer holds it: flat, `{key:[obj]}`, `{key:obj}`, or one of the
 * alternative keys (`{contactId:{…}}` as the reporting API's spec shows a single contact).
 */
export function singleOf(body: unknown, keys: string[], endpoint: string, status?: number): Raw {
  if (isObject(body)) {
    for (const key of keys) {
      const inner = body[key];
      if (Array.isArray(inner) && isObject(inner[0])) return inner[0];
      if (isObject(inner)) return inner;
    }
    return body;
  }
  throw new UnreadableAnswerError(
    endpoint,
    `a JSON object (it sent ${body === undefined ? "no body" : Array.isArray(body) ? "an array" : typeof body})`,
    { ...(status === undefined ? {} : { status }), body },
  );
}

/**
 * The id a write answers with (`jobId`, `listId`, `sessionId`…), or the UnreadableAnswerError
 * naming the route and the id it lacks: a write whose id cannot be read cannot be followed.
 */
export function idOfAnswer(answer: { status: number; body: unknown }, field: string, route: string): string {
  const id = text(isObject(answer.body) ? answer.body[field] : undefined);
  if (id) return id;
  throw new UnreadableAnswerError(route, `a ${field}`, { status: answer.status, body: answer.body });
}

/** The `skip` a `_links.next` URL asks for, when it names one. */
export function skipOfNextLink(next: unknown): number | undefined {
  if (typeof next !== "string" || next === "") return undefined;
  try {
    const url = new URL(next);
    for (const [key, value] of url.searchParams) if (key.toLowerCase() === "skip") return num(value);
  } catch {
    return undefined;
  }
  return undefined;
}

/** UTC with a literal Z, as the platform wants timestamps. */
export const utc = (iso: string): string => new Date(iso).toISOString();
