import path from "node:path";
import type { FieldRule } from "./layout-types.ts";
import type { Settings } from "./schema.ts";
import { SETTINGS_LAYOUT } from "./settings-layout.generated.ts";
import type { SettingsInput } from "./tree.ts";

/**
 * The settings of the usual run without the zod schema: defaults plus the values a user sets by
 * name (flags, environment, or the same keys in a config file) and webhook destinations. Loading
 * zod and building the schema was most of the CPU of `cxo compliance check`, the command a
 * dialing script runs once per number.
 *
 * The quick path only ever ACCEPTS: a value it accepts, zod accepts and outputs unchanged. It has
 * no rule of its own: every field's rule (length, pattern, choices, URL protocol), the key order,
 * the defaults and the required keys are read from the schema by scripts/settings-layout.ts into
 * settings-layout.generated.ts (checked by `npm run lint`). Anything else — a key without a rule
 * there, a value of another type, a value it is not sure of (an untrimmed URL) — declines, and the
 * caller runs the schema, which gives the result or words the error.
 * test/core/config/quick.test.ts compares the two on every named setting and every field rule.
 */

const DECLINE: unique symbol = Symbol("decline");
type Checked = unknown | typeof DECLINE;

/** Patterns of the generated rules, compiled once each. */
const compiled = new Map<string, RegExp>();
function regex(pattern: string, flags = ""): RegExp {
  const key = `${flags}/${pattern}`;
  let found = compiled.get(key);
  if (!found) {
    found = new RegExp(pattern, flags);
    compiled.set(key, found);
  }
  return found;
}

/**
 * zod's `z.url({ protocol })` trims the value and drops tabs and newlines from what it returns:
 * such a value declines, so what is accepted is returned as given. The rest is zod's test: the
 * `http(s)://` guard, the WHATWG URL parser, the scheme.
 */
function urlAccepted(value: string, protocol: RegExp): boolean {
  if (value !== value.trim() || /[\t\n\r]/.test(value) || !/^https?:\/\//i.test(value)) return false;
  const url = URL.parse(value);
  return url !== null && protocol.test(url.protocol.slice(0, -1));
}

/** `value` under the schema's rule `rule` (as zod outputs it), or DECLINE. */
function checkField(rule: FieldRule, value: unknown): Checked {
  switch (rule.type) {
    case "string":
      return typeof value === "string" &&
        (rule.minLength === undefined || value.length >= rule.minLength) &&
        (rule.pattern === undefined || regex(rule.pattern, rule.flags).test(value))
        ? value
        : DECLINE;
    case "url":
      return typeof value === "string" && urlAccepted(value, regex(rule.protocol, rule.flags))
        ? value
        : DECLINE;
    case "enum":
      return typeof value === "string" && rule.values.includes(value) ? value : DECLINE;
    case "array": {
      if (!Array.isArray(value)) return DECLINE;
      const out: unknown[] = [];
      for (const item of value) {
        const checked = checkField(rule.of, item);
        if (checked === DECLINE) return DECLINE;
        out.push(checked);
      }
      return out;
    }
    case "object":
      return buildObject(rule.layout, value);
    case "record": {
      if (!isPlainObject(value)) return DECLINE;
      const out: Record<string, unknown> = {};
      for (const [name, entry] of Object.entries(value)) {
        if (checkField(rule.key, name) === DECLINE) return DECLINE;
        const checked = buildObject(rule.layout, entry);
        if (checked === DECLINE) return DECLINE;
        out[name] = checked;
      }
      return out;
    }
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  Object.getPrototypeOf(value) === Object.prototype;

function buildObject(at: string, value: unknown): Checked {
  if (!isPlainObject(value)) return DECLINE;
  const layout = SETTINGS_LAYOUT[at];
  if (!layout) return DECLINE;
  // A key without a rule (unknown to the schema, or one the quick path cannot judge) declines.
  for (const key of Object.keys(value)) if (!Object.hasOwn(layout.fields, key)) return DECLINE;
  const out: Record<string, unknown> = {};
  for (const key of layout.keys) {
    if (Object.hasOwn(value, key)) {
      const rule = layout.fields[key];
      if (rule === undefined || value[key] === undefined) return DECLINE;
      const checked = checkField(rule, value[key]);
      if (checked === DECLINE) return DECLINE;
      out[key] = checked;
    } else if (Object.hasOwn(layout.defaults, key)) out[key] = structuredClone(layout.defaults[key]);
    else if (layout.required.includes(key)) return DECLINE;
  }
  return out;
}

/** The settings of `input`, or undefined when the zod schema must decide (see above). */
export function quickSettings(input: SettingsInput): Settings | undefined {
  const built = buildObject("", input.tree);
  if (built === DECLINE) return undefined;
  const settings = built as Settings;
  settings.dataDir = path.resolve(input.cwd, settings.dataDir);
  return settings;
}
