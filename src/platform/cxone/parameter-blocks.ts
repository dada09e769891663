import { NotFoundError, ValidationError } from "../../core/http/errors.ts";
import type { EndpointGroup } from "../../core/http/group-names.ts";
import { pathOf } from "../../core/http/http-client.ts";
import { ReadBackMismatchError } from "../errors.ts";
import type { ProductionApi } from "./api.ts";
import { isObject, type Raw, singleOf } from "./tolerant.ts";

/**
 * A Personal Connection skill's parameter blocks as a write needs them (conformance §6). Whether
 * a block PUT merges or replaces is not public, so every PUT sends the whole block; the combined
 * `GET …/parameters` is not a whole copy of every block (it lacks general settings' two
 * DNC-holiday flags) and types three fields otherwise than the PUT models. So each block is read
 * from its fullest source, normalised to the PUT's types, and read back after the write.
 */

/** The key each parameter block has in `GET /skills/{id}/parameters` and in its PUT body. */
export const BLOCK_KEYS: Record<string, string> = {
  "general-settings": "generalSettings",
  "delivery-preferences": "deliveryPreferences",
  "cpa-management": "cpaSettings",
  "retry-settings": "retrySettings",
  "schedule-settings": "scheduleSettings",
};

/** Blocks with a documented GET of their own that answers the PUT's layout (GEN, FULL). */
const OWN_GET_BLOCKS = ["general-settings", "schedule-settings"] as const;

/** Fields the PUT models type otherwise than the combined GET (conformance §6). */
const PUT_TYPES: Record<string, "string" | "number" | "boolean"> = {
  aggressiveness: "string",
  waitTimeFactor: "number",
  enableCPALogging: "boolean",
};

/** Array fields the PUT models take (every other array or object in a GET is read-only). */
const PUT_ARRAYS = new Set(["exceptions"]);

/** Fields kept in both general and retry settings: a write to one may change the other. */
export const SHARED_FIELDS: Record<string, readonly string[]> = {
  generalSettings: ["maximumAttempts", "minimumRetryMinutes", "loadNonFresh"],
  retrySettings: ["maximumAttempts", "minimumRetryMinutes", "loadNonFresh"],
};

/**
 * A field as the PUT model types it, or undefined when it cannot be sent: nested objects and
 * arrays (GET's `schedules[]`, which the PUT does not take; not `exceptions`) and nulls are dropped, and so is a
 * GET boolean `waitTimeFactor` (the PUT wants the number, which the boolean does not say).
 */
export function putValue(field: string, value: unknown): unknown {
  // The one array a PUT model takes (calljacob's and NICE's cpa-management: `exceptions`): sent
  // back as read, or a replacing tenant would lose it (issue 75: the emulator's block now holds it).
  if (Array.isArray(value) && PUT_ARRAYS.has(field)) return value;
  if (value === null || typeof value === "object") return undefined;
  const wanted = PUT_TYPES[field];
  const flag = typeof value === "string" ? value.trim().toLowerCase() : undefined;
  const numeric = typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim());
  if (wanted === "string") return typeof value === "number" ? String(value) : value;
  if (wanted === "number") {
    if (typeof value === "number") return value;
    return numeric ? Number(value) : undefined;
  }
  if (wanted === "boolean") {
    if (typeof value === "boolean") return value;
    return flag === "true" || flag === "false" ? flag === "true" : undefined;
  }
  // Tenants that answer numbers as text (`numbersAsStrings`) and booleans as "True"/"False".
  if (numeric) return Number(value);
  if (flag === "true" || flag === "false") return flag === "true";
  return value;
}

export interface ParameterRead {
  /** The combined `GET …/parameters`, as answered (the version tag and the domain read use it). */
  combined: Raw;
  /** Each block from its fullest source: the combined read, with own-GET blocks merged over it. */
  fullest: Raw;
}

/**
 * Reads a skill's parameters for a write: the combined GET, plus the own GET of each block in
 * `blocks` that has one. A tenant that refuses an own GET (404, 400) leaves the combined read.
 */
export async function readParameterBlocks(
  api: ProductionApi,
  skillId: string,
  group: EndpointGroup,
  blocks: readonly string[],
  signal?: AbortSignal,
): Promise<ParameterRead> {
  const get = (suffix: string, endpoint: string) =>
    api.request({
      method: "GET",
      path: suffix ? pathOf`/skills/${skillId}/parameters/${suffix}` : pathOf`/skills/${skillId}/parameters`,
      endpoint,
      group,
      ...(signal ? { signal } : {}),
    });
  const response = await get("", "GET /skills/{skillId}/parameters");
  const combined = singleOf(
    response.body,
    ["parameters"],
    "GET /skills/{skillId}/parameters",
    response.status,
  );
  const fullest: Raw = { ...combined };
  for (const block of OWN_GET_BLOCKS) {
    if (!blocks.includes(block)) continue;
    const key = BLOCK_KEYS[block] as string;
    const endpoint = `GET /skills/{skillId}/parameters/${block}`;
    const own = await get(block, endpoint).then(
      (r) => singleOf(r.body, [key], endpoint, r.status),
      (error: unknown) => {
        if (error instanceof NotFoundError || error instanceof ValidationError) return undefined;
        throw error;
      },
    );
    if (own) fullest[key] = { ...(isObject(combined[key]) ? combined[key] : {}), ...own };
  }
  return { combined, fullest };
}

/** One whole parameter block PUT (a block write of campaign create, or of a dialer settings change). */
export function putParameterBlock(
  api: ProductionApi,
  skillId: string,
  group: EndpointGroup,
  block: string,
  body: unknown,
  signal?: AbortSignal,
) {
  return api.request({
    method: "PUT",
    path: pathOf`/skills/${skillId}/parameters/${block}`,
    endpoint: `PUT /skills/{skillId}/parameters/${block}`,
    group,
    body,
    ...(signal ? { signal } : {}),
  });
}

/**
 * Every change as a whole block: the block as read (fullest), in the PUT model's types, with the
 * change's fields over it. A replacing tenant then keeps every setting the change did not name.
 */
export function wholeBlocks(read: Raw, changes: Array<[string, unknown]>): Array<[string, unknown]> {
  return changes.map(([segment, body]) => {
    const key = BLOCK_KEYS[segment];
    if (!key || !isObject(body) || !isObject(body[key])) return [segment, body];
    const current = isObject(read[key]) ? read[key] : {};
    const whole: Raw = {};
    for (const [field, value] of Object.entries(current)) {
      const typed = putValue(field, value);
      if (typed !== undefined) whole[field] = typed;
    }
    return [segment, { [key]: { ...whole, ...body[key] } }];
  });
}

/** The blocks of a read that a rollback puts back whole (those among `segments` it holds). */
export function snapshotOf(read: Raw, segments: readonly string[]): Array<[string, unknown]> {
  return wholeBlocks(
    read,
    segments
      .filter((segment) => isObject(read[BLOCK_KEYS[segment] as string]))
      .map((segment) => [segment, { [BLOCK_KEYS[segment] as string]: {} }]),
  );
}

/**
 * After a write: every field sent reads back as sent (in the PUT's types), and a field kept in
 * two blocks reads back in both as the last block written set it. Throws naming each field that
 * did not: a tenant that dropped or reset it must not pass for a completed change.
 */
export function checkReadBack(after: Raw, sent: Array<[string, unknown]>, endpoint: string): void {
  const intended = new Map<string, unknown>();
  for (const [segment, body] of sent) {
    const key = BLOCK_KEYS[segment];
    if (!key || !isObject(body) || !isObject(body[key])) continue;
    for (const [field, value] of Object.entries(body[key])) {
      intended.set(`${key}.${field}`, value);
      for (const [other, fields] of Object.entries(SHARED_FIELDS))
        if (other !== key && fields.includes(field) && isObject(after[other]))
          intended.set(`${other}.${field}`, value);
    }
  }
  const wrong: string[] = [];
  for (const [path, value] of intended) {
    const [key, field] = path.split(".") as [string, string];
    const block = after[key];
    if (!isObject(block)) continue; // a block no read shows cannot be checked
    if (!(field in block)) {
      wrong.push(`${path} (sent ${JSON.stringify(value)}, now absent)`);
      continue;
    }
    const read = putValue(field, block[field]);
    if (read === undefined) continue; // read in a type that does not say the value (GET's boolean)
    const same = Array.isArray(read) ? JSON.stringify(read) === JSON.stringify(value) : read === value;
    if (!same) wrong.push(`${path} (sent ${JSON.stringify(value)}, reads ${JSON.stringify(block[field])})`);
  }
  if (wrong.length > 0)
    throw new ReadBackMismatchError(
      `the skill's parameters did not read back as written: ${wrong.join("; ")}; CXone kept other values, so the change is not complete`,
      wrong,
      { endpoint },
    );
}
