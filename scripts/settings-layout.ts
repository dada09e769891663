// `node scripts/settings-layout.ts`: writes src/core/config/settings-layout.generated.ts, the key
// order, defaults, required keys and field rules of each settings object the quick path builds
// (see src/core/config/quick.ts), read from the zod schema. Run it after changing a default or adding a
// key in src/core/config/schema.ts; `--check` (in `npm run lint`) and test/core/config/quick.test.ts
// fail until the file is current.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { z } from "zod";
import type { FieldRule, ObjectLayout } from "../src/core/config/layout-types.ts";
import { authStyleSchema, destinationSchema, settingsSchema } from "../src/core/config/schema.ts";

type AnyObject = z.ZodObject<z.ZodRawShape>;

/** zod's internal definition of a schema (zod 4: `_zod.def`). */
// biome-ignore lint/suspicious/noExplicitAny: zod's defs are untyped across kinds
type Def = Record<string, any>;
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** A `.default(…)`'s inner schema. */
const inner = (schema: z.ZodType): AnyObject => defOf(schema).innerType as AnyObject;

/** The settings objects the quick path builds, by settings path. */
function sections(): Record<string, AnyObject> {
  const shape = settingsSchema.shape;
  return {
    "": settingsSchema as unknown as AnyObject,
    cxone: inner(shape.cxone),
    "cxone.auth": authStyleSchema as unknown as AnyObject,
    store: inner(shape.store),
    log: inner(shape.log),
    service: inner(shape.service),
    audit: inner(shape.audit),
    "destinations.*": destinationSchema as unknown as AnyObject,
  };
}

/** `optional()` / `default()` peeled off: absence is the layout's business (defaults, required). */
function unwrapped(schema: unknown): Def {
  let def = defOf(schema);
  while (def.type === "optional" || def.type === "default") def = defOf(def.innerType);
  return def;
}

/**
 * The rule of a field, read from its schema, when the quick path can apply it exactly; undefined
 * otherwise (numbers, booleans, objects without a layout, transforms, any check not listed here):
 * the quick path then declines the key and the schema decides.
 */
function ruleOf(def: Def): FieldRule | undefined {
  if (def.coerce) return undefined;
  if (def.type === "string" && def.format === "url") {
    const plain =
      !def.hostname && !def.normalize && (def.checks ?? []).every((c: unknown) => defOf(c) === def);
    return def.protocol instanceof RegExp && plain
      ? { type: "url", protocol: def.protocol.source, flags: def.protocol.flags }
      : undefined;
  }
  if (def.type === "string" && def.format === undefined) {
    const rule: FieldRule & { type: "string" } = { type: "string" };
    for (const check of def.checks ?? []) {
      const c = defOf(check);
      if (c.check === "min_length" && rule.minLength === undefined) rule.minLength = c.minimum;
      else if (c.check === "string_format" && c.format === "regex" && rule.pattern === undefined) {
        rule.pattern = c.pattern.source;
        rule.flags = c.pattern.flags;
      } else return undefined;
    }
    return rule;
  }
  if (def.type === "enum") {
    const values = Object.values(def.entries as Record<string, unknown>);
    return values.every((v) => typeof v === "string")
      ? { type: "enum", values: values as string[] }
      : undefined;
  }
  if (def.type === "array" && (def.checks ?? []).length === 0) {
    const of = ruleOf(defOf(def.element));
    return of && of.type !== "object" && of.type !== "record" ? { type: "array", of } : undefined;
  }
  return undefined;
}

function layoutOf(at: string, schema: AnyObject, all: Record<string, AnyObject>): ObjectLayout {
  const layout = { keys: [] as string[], defaults: {} as Record<string, unknown>, required: [] as string[] };
  const fields: Record<string, FieldRule> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    layout.keys.push(key);
    const absent = (field as z.ZodType).safeParse(undefined);
    if (!absent.success) layout.required.push(key);
    else if (absent.data !== undefined) layout.defaults[key] = absent.data;
    const path = at === "" ? key : `${at}.${key}`;
    let rule: FieldRule | undefined;
    if (all[path]) rule = { type: "object", layout: path };
    else if (all[`${path}.*`]) {
      const keyRule = ruleOf(defOf(unwrapped(field).keyType));
      if (!keyRule) throw new Error(`${path}: the record's key has no rule the quick path can apply`);
      rule = { type: "record", key: keyRule, layout: `${path}.*` };
    } else rule = ruleOf(unwrapped(field));
    if (rule) fields[key] = rule;
  }
  return { ...layout, fields };
}

/** The layouts, by the settings path of the object ("" the root, `destinations.*` each destination). */
export function settingsLayout(): Record<string, ObjectLayout> {
  const all = sections();
  return Object.fromEntries(Object.entries(all).map(([at, schema]) => [at, layoutOf(at, schema, all)]));
}

const OUT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../src/core/config/settings-layout.generated.ts",
);

const isMain =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);

if (isMain && process.argv.includes("--check")) {
  // `npm run lint`: the committed layout must be the schema's (after a change to schema.ts).
  const { SETTINGS_LAYOUT } = await import("../src/core/config/settings-layout.generated.ts");
  if (JSON.stringify(SETTINGS_LAYOUT) !== JSON.stringify(settingsLayout())) {
    process.stderr.write(
      "src/core/config/settings-layout.generated.ts is not the schema's layout: run `node scripts/settings-layout.ts`\n",
    );
    process.exit(1);
  }
} else if (isMain) {
  const layout = settingsLayout();
  if (JSON.stringify(JSON.parse(JSON.stringify(layout))) !== JSON.stringify(layout))
    throw new Error("a settings default is not plain JSON: the quick path cannot copy it");
  writeFileSync(
    OUT,
    `// Generated by scripts/settings-layout.ts from src/core/config/schema.ts: do not edit.\n` +
      `// Each settings object the quick path builds (quick.ts): its keys in zod's output order, the\n` +
      `// defaults of absent keys, the keys that must be given, and each field's rule (layout-types.ts).\n` +
      `import type { ObjectLayout } from "./layout-types.ts";\n\n` +
      `export const SETTINGS_LAYOUT: Readonly<Record<string, ObjectLayout>> = ${JSON.stringify(layout, null, 2)};\n`,
  );
  const biome = spawnSync(
    path.resolve(path.dirname(OUT), "../../../node_modules/.bin/biome"),
    ["format", "--write", OUT],
    {
      stdio: "inherit",
    },
  );
  if (biome.status !== 0) process.exit(biome.status ?? 1);
  process.stderr.write(`wrote ${path.relative(process.cwd(), OUT)}\n`);
}
