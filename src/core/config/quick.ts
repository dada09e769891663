import path from "node:path";
import {
  API_VERSION_PATTERN,
  AREA_PATTERN,
  AUTH_CREDENTIALS,
  AUTH_ENCODINGS,
  AUTH_MODES,
  DESTINATION_NAME_PATTERN,
  HTTP_PROTOCOL,
  INSTANCE_ID_PATTERN,
  LOG_LEVELS,
  MIN_SECRET_KEY_LENGTH,
  PLATFORMS,
  POSTGRES_URL_PATTERN,
} from "./rules.ts";
import type { Settings } from "./schema.ts";
import { SETTINGS_LAYOUT } from "./settings-layout.generated.ts";
import type { SettingsInput } from "./tree.ts";

/**
 * The settings of the usual run without the zod schema: defaults plus the values a user sets by
 * name (flags, environment, or the same keys in a config file) and webhook destinations. Loading
 * zod and building the schema was most of the CPU of `cxo compliance check`, the command a
 * dialing script runs once per number.
 *
 * The quick path only ever ACCEPTS: a value it accepts, zod accepts and outputs unchanged (each
 * check below is the schema's rule, or a stricter one, from rules.ts), and the result is built
 * in zod's key order from the layout generated from the schema (settings-layout.generated.ts).
 * Anything else — a key it does not know, a value of another type, a value it is not sure of
 * (an untrimmed URL) — declines, and the caller runs the schema, which gives the result or words
 * the error. test/core/config/quick.test.ts compares the two on every named setting.
 */

const DECLINE: unique symbol = Symbol("decline");
type Checked = unknown | typeof DECLINE;
type Leaf = (value: unknown) => Checked;

interface Section {
  /** Key of SETTINGS_LAYOUT. */
  layout: string;
  fields: Readonly<Record<string, Leaf | Section | RecordOf>>;
}

/** A record of objects by name (the destinations). */
interface RecordOf {
  name: RegExp;
  each: Section;
}

const text =
  (ok: (value: string) => boolean): Leaf =>
  (value) =>
    typeof value === "string" && ok(value) ? value : DECLINE;

const nonEmpty = text((value) => value.length >= 1);
const secretKey = text((value) => value.length >= MIN_SECRET_KEY_LENGTH);
const oneOf = (choices: readonly string[]) => text((value) => choices.includes(value));
const matching = (pattern: RegExp) => text((value) => pattern.test(value));

/**
 * zod's `z.url({ protocol })` trims the value and drops tabs and newlines from what it returns:
 * such a value declines, so what is accepted is returned as given. The rest is zod's test: the
 * `http(s)://` guard, the WHATWG URL parser, the scheme.
 */
const httpUrl = text((value) => {
  if (value !== value.trim() || /[\t\n\r]/.test(value) || !/^https?:\/\//i.test(value)) return false;
  const url = URL.parse(value);
  return url !== null && HTTP_PROTOCOL.test(url.protocol.slice(0, -1));
});

const scopes: Leaf = (value) =>
  Array.isArray(value) && value.every((scope) => typeof scope === "string" && scope.length >= 1)
    ? [...value]
    : DECLINE;

const ROOT: Section = {
  layout: "",
  fields: {
    cxone: {
      layout: "cxone",
      fields: {
        platform: oneOf(PLATFORMS),
        baseUrl: httpUrl,
        tokenUrl: httpUrl,
        clientId: nonEmpty,
        clientSecret: nonEmpty,
        auth: {
          layout: "cxone.auth",
          fields: {
            mode: oneOf(AUTH_MODES),
            credentials: oneOf(AUTH_CREDENTIALS),
            encoding: oneOf(AUTH_ENCODINGS),
            scopes,
          },
        },
        issuer: httpUrl,
        accessKeyId: nonEmpty,
        accessKeySecret: nonEmpty,
        area: matching(AREA_PATTERN),
        accessKeyUrl: httpUrl,
        tenantId: nonEmpty,
        apiVersion: matching(API_VERSION_PATTERN),
      },
    },
    dataDir: nonEmpty,
    store: { layout: "store", fields: { url: matching(POSTGRES_URL_PATTERN) } },
    destinations: {
      name: DESTINATION_NAME_PATTERN,
      each: { layout: "destinations.*", fields: { url: httpUrl, secret: nonEmpty } },
    },
    log: { layout: "log", fields: { level: oneOf(LOG_LEVELS) } },
    service: {
      layout: "service",
      fields: {
        instanceId: matching(INSTANCE_ID_PATTERN),
        accessToken: secretKey,
        webhookSecret: nonEmpty,
      },
    },
    audit: { layout: "audit", fields: { anchorKey: secretKey } },
  },
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  Object.getPrototypeOf(value) === Object.prototype;

function checkField(spec: Leaf | Section | RecordOf, value: unknown): Checked {
  if (typeof spec === "function") return spec(value);
  if ("each" in spec) {
    if (!isPlainObject(value)) return DECLINE;
    const out: Record<string, unknown> = {};
    for (const [name, entry] of Object.entries(value)) {
      if (!spec.name.test(name)) return DECLINE;
      const checked = buildObject(spec.each, entry);
      if (checked === DECLINE) return DECLINE;
      out[name] = checked;
    }
    return out;
  }
  return buildObject(spec, value);
}

function buildObject(section: Section, value: unknown): Checked {
  if (!isPlainObject(value)) return DECLINE;
  const layout = SETTINGS_LAYOUT[section.layout];
  if (!layout) return DECLINE;
  // A key the quick path does not know (unknown to the schema, or not a named setting) declines.
  for (const key of Object.keys(value)) if (!Object.hasOwn(section.fields, key)) return DECLINE;
  const out: Record<string, unknown> = {};
  for (const key of layout.keys) {
    if (Object.hasOwn(value, key)) {
      const spec = section.fields[key];
      if (spec === undefined || value[key] === undefined) return DECLINE;
      const checked = checkField(spec, value[key]);
      if (checked === DECLINE) return DECLINE;
      out[key] = checked;
    } else if (Object.hasOwn(layout.defaults, key)) out[key] = structuredClone(layout.defaults[key]);
    else if (layout.required.includes(key)) return DECLINE;
  }
  return out;
}

/** The settings of `input`, or undefined when the zod schema must decide (see above). */
export function quickSettings(input: SettingsInput): Settings | undefined {
  const built = buildObject(ROOT, input.tree);
  if (built === DECLINE) return undefined;
  const settings = built as Settings;
  settings.dataDir = path.resolve(input.cwd, settings.dataDir);
  return settings;
}
