import { InputError } from "./input-error.ts";

/** A call's params object: absent is `{}`; anything but an object is an InputError naming `field`. */
export function paramsOf<T extends object>(params: T | null | undefined, field = "params"): T | Partial<T> {
  if (params === undefined) return {};
  if (typeof params !== "object" || params === null || Array.isArray(params))
    throw new InputError({ field, rule: "must be an object" });
  return params;
}

/** An id the call names (a campaign, a list, an interaction): a non-empty string, else InputError. */
export function idOf(value: unknown, field: string): string {
  if (typeof value !== "string" || value.trim() === "")
    throw new InputError({ field, rule: "must be a non-empty string" });
  return value;
}

/**
 * A call's params object that must name a path (`dir`, `file`): that field, a non-empty string,
 * else an InputError naming the field with `rule`.
 */
export function requiredPathOf(params: unknown, field: string, rule: string): string {
  const value =
    typeof params === "object" && params !== null ? (params as Record<string, unknown>)[field] : undefined;
  if (typeof value !== "string" || value === "") throw new InputError({ field, rule });
  return value;
}

/**
 * What a method needs a client for when a program may have made its group without one (local
 * work on files): the client, else an InputError naming `client` with `rule` (what needs it).
 */
export function needClient<T>(client: T | undefined, rule: string): T {
  if (client === undefined) throw new InputError({ field: "client", rule });
  return client;
}

/** Fields whose value is undefined left out (a call's params as the caller gave them, nothing said for the rest). */
export function definedFields<T extends Record<string, unknown>>(
  fields: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}
