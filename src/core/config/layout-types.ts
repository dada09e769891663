/**
 * What scripts/settings-layout.ts reads from the zod schema for the schema-free quick path
 * (quick.ts): per settings object, its keys in zod's output order, the defaults of absent keys,
 * the keys that must be given, and the rule of each field the quick path may accept. Plain
 * data, so the quick path loads no zod.
 */

/** A field's rule, as the schema states it. A field without one is left to the schema. */
export type FieldRule =
  /** `z.string()` with optional `.min(n)` and `.regex(…)`. */
  | { type: "string"; minLength?: number; pattern?: string; flags?: string }
  /** `z.url({ protocol })`: the protocol's pattern, tested without the colon. */
  | { type: "url"; protocol: string; flags: string }
  /** `z.enum([...])`. */
  | { type: "enum"; values: readonly string[] }
  /** `z.array(rule)`, without checks on the array itself. */
  | { type: "array"; of: FieldRule }
  /** A nested settings object: its own layout. */
  | { type: "object"; layout: string }
  /** A record of settings objects by name: the key's rule and each value's layout. */
  | { type: "record"; key: FieldRule; layout: string };

export interface ObjectLayout {
  /** The object's keys in the schema's order (zod's output order). */
  keys: readonly string[];
  /** What zod gives for each key that is absent and has a default. */
  defaults: Readonly<Record<string, unknown>>;
  /** Keys without a default that are not optional. */
  required: readonly string[];
  /** The rule of each field the quick path may accept; any other key is the schema's. */
  fields: Readonly<Record<string, FieldRule>>;
}
