import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { settingsLayout } from "../../../scripts/settings-layout.ts";
import type { FieldRule } from "../../../src/core/config/layout-types.ts";
import { schemaSettingsOf } from "../../../src/core/config/load.ts";
import { quickSettings } from "../../../src/core/config/quick.ts";
import { SETTINGS_LAYOUT } from "../../../src/core/config/settings-layout.generated.ts";
import {
  type SettingFlags,
  type SettingsInput,
  settingsInput,
  type Tree,
} from "../../../src/core/config/tree.ts";

/**
 * The quick path (no zod) must give exactly what the schema gives — same values, same key order
 * (`cxo config show` prints them) — wherever it answers, and must answer the usual runs.
 */

const cwd = mkdtempSync(path.join(tmpdir(), "cxo-quick-"));

function both(env: NodeJS.ProcessEnv, flags: SettingFlags = {}, dir = cwd) {
  const input = settingsInput({ env, flags, cwd: dir });
  const quick = quickSettings(input);
  let schema: unknown;
  try {
    schema = schemaSettingsOf(settingsInput({ env, flags, cwd: dir }));
  } catch (error) {
    schema = error;
  }
  return { quick, schema };
}

/** Values of each named setting's variable: valid ones, edge cases and invalid ones. */
const VALUES: Record<string, readonly string[]> = {
  CXONE_BASE_URL: [
    "http://api.example",
    "https://api.example/v1/",
    "HTTP://UPPER.example",
    " http://padded.example ",
    "http://tab\t.example",
    "http:example.com",
    "ftp://x",
    "not a url",
    "https://[::1]:8443/x?y=1#z",
    "http://",
  ],
  CXONE_TOKEN_URL: ["http://token.example/oauth", "mailto:x@y", "https://ok.example"],
  CXONE_CLIENT_ID: ["id", "x".repeat(300)],
  CXONE_CLIENT_SECRET: ["secret"],
  CXONE_PLATFORM: ["seed", "cxone", "Seed", "other"],
  CXONE_ISSUER: ["https://cxone.niceincontact.com", "issuer"],
  CXONE_ACCESS_KEY_ID: ["AKID"],
  CXONE_ACCESS_KEY_SECRET: ["aks"],
  CXONE_TENANT_ID: ["11e0-abc"],
  CXONE_API_VERSION: ["v33.0", "v2.0", "v33.1", "33.0", "v100.0"],
  CXONE_AUTH: ["auto", "access-key", "application", "basic"],
  CXONE_AREA: ["na1", "eu1", "auu12", "NA1", "n1"],
  CXONE_ACCESS_KEY_URL: ["https://na1.nice-incontact.com/authentication/v1/token/access-key", "x"],
  CXONE_AUTH_CREDENTIALS: ["basic", "body", "header"],
  CXONE_AUTH_ENCODING: ["form", "json", "xml"],
  CXONE_SCOPES: ["a b", "dialer:read,interactions:write", " , "],
  CXO_DATA_DIR: ["/tmp/data", "rel/dir"],
  CXO_DATABASE_URL: ["postgres://u:p@h/db", "POSTGRESQL://h/db", "mysql://h/db", "postgres://"],
  CXO_INSTANCE_ID: ["api-1", "a b", "x".repeat(65)],
  CXO_LOG_LEVEL: ["info", "silent", "loud"],
  CXO_SERVICE_TOKEN: ["0123456789abcdef", "short"],
  CXO_SERVICE_WEBHOOK_SECRET: ["whsec_x"],
  CXO_AUDIT_ANCHOR_KEY: ["0123456789abcdef0", "short"],
  CXO_DEST_BI_URL: ["http://127.0.0.1:9000/bi", "nope"],
  CXO_DEST_BI_SECRET: ["whsec_b3Zl"],
  CXO_DEST_CRM_URL: ["http://127.0.0.1:9100/crm"],
  CXO_DEST_9X_URL: ["http://127.0.0.1:9100/x"],
};

function expectSame(env: NodeJS.ProcessEnv, flags: SettingFlags = {}, dir = cwd): boolean {
  const { quick, schema } = both(env, flags, dir);
  if (quick === undefined) return false;
  expect(schema).not.toBeInstanceOf(Error);
  expect(JSON.stringify(quick)).toBe(JSON.stringify(schema));
  return true;
}

describe("settings without the schema (the quick path)", () => {
  it("uses the layout the schema gives (run `node scripts/settings-layout.ts` after changing schema.ts)", () => {
    expect(SETTINGS_LAYOUT).toEqual(settingsLayout());
  });

  it("answers the usual runs: defaults, and every named setting with a valid value, alone or together", () => {
    expect(expectSame({})).toBe(true);
    expect(expectSame({}, { dataDir: "./d", logLevel: "info", baseUrl: "http://flag.example" })).toBe(true);
    const all: NodeJS.ProcessEnv = {};
    // A destination's secret alone (no URL) and a name that does not start with a letter are errors.
    const invalidAlone = ["CXO_DEST_BI_SECRET", "CXO_DEST_9X_URL"];
    for (const [name, values] of Object.entries(VALUES)) {
      if (name !== "CXO_DEST_9X_URL") all[name] = values[0];
      expect(expectSame({ [name]: values[0] }), name).toBe(!invalidAlone.includes(name));
    }
    expect(expectSame(all)).toBe(true);
  });

  it("equals the schema on every value it accepts, and leaves every invalid one to the schema", () => {
    const declinedValid: string[] = [];
    for (const [name, values] of Object.entries(VALUES))
      for (const value of values) {
        const { quick, schema } = both({ [name]: value });
        if (quick !== undefined)
          expect(JSON.stringify(quick), `${name}=${value}`).toBe(JSON.stringify(schema));
        else if (!(schema instanceof Error)) declinedValid.push(`${name}=${value}`);
      }
    // Values zod accepts but rewrites (it trims URLs and drops tabs): the schema answers them.
    expect(declinedValid).toEqual([
      "CXONE_BASE_URL= http://padded.example ",
      "CXONE_BASE_URL=http://tab\t.example",
    ]);
  });

  it("any mix of named settings: the quick result, when there is one, is the schema's", () => {
    const names = Object.keys(VALUES);
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...names), fc.nat(20)), (picks) => {
        const env: NodeJS.ProcessEnv = {};
        for (const [name, index] of Object.entries(picks)) {
          const values = VALUES[name]!;
          env[name] = values[index % values.length];
        }
        const { quick, schema } = both(env);
        if (quick !== undefined) expect(JSON.stringify(quick)).toBe(JSON.stringify(schema));
      }),
      { numRuns: 300 },
    );
  });

  it("a config file of named settings and destinations takes the quick path; any other key goes to the schema", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-quick-file-"));
    writeFileSync(
      path.join(dir, "cxo.config.yaml"),
      "cxone:\n  baseUrl: http://file.example\n  auth: access-key\n  area: eu1\ndataDir: ./from-file\ndestinations:\n  zeta: { url: http://127.0.0.1:9000/z }\n  bi: { url: http://127.0.0.1:9000/bi, secret: whsec_ZmlsZQ== }\nservice:\n  instanceId: web-2\n",
    );
    expect(expectSame({ CXONE_SCOPES: "a b" }, {}, dir)).toBe(true);
    writeFileSync(path.join(dir, "cxo.config.yaml"), "http:\n  timeoutMs: 1000\n");
    expect(both({}, {}, dir).quick).toBeUndefined();
    writeFileSync(path.join(dir, "cxo.config.yaml"), "cxone:\n  baseUrll: http://x\n");
    const { quick, schema } = both({}, {}, dir);
    expect(quick).toBeUndefined();
    expect(schema).toBeInstanceOf(Error);
  });

  it("gives each run its own objects (no default shared between two loads)", () => {
    const input = settingsInput({ env: {}, cwd });
    const a = quickSettings(input)!;
    const b = quickSettings(input)!;
    a.cxone.auth.scopes.push("mutated");
    a.service.campaigns.push("x");
    expect(b.cxone.auth.scopes).toEqual([]);
    expect(quickSettings(input)!.service.campaigns).toEqual([]);
  });

  it("has no rule of its own: on every field the schema gives a rule for, it accepts what the schema accepts and declines the rest", () => {
    // Where each layout sits in a settings tree, and what it needs beside the field under test.
    const placeOf = (layout: string, key: string, value: unknown): Tree => {
      if (layout === "") return { [key]: value };
      if (layout === "destinations.*")
        return { destinations: { bi: { url: "http://127.0.0.1:9000/bi", [key]: value } } };
      const parts = layout.split(".");
      let tree: Tree = { [key]: value };
      for (const part of parts.reverse()) tree = { [part]: tree };
      return tree;
    };
    /** Values the rule admits (drawn from it) and values it refuses. */
    const samples = (rule: FieldRule): { valid: unknown[]; invalid: unknown[] } => {
      switch (rule.type) {
        case "string": {
          const min = rule.minLength ?? 0;
          const valid = rule.pattern
            ? fc.sample(fc.stringMatching(new RegExp(rule.pattern, rule.flags?.replace("i", ""))), {
                numRuns: 20,
                seed: 43,
              })
            : ["x".repeat(Math.max(min, 1)), "y".repeat(min + 20)];
          const invalid: unknown[] = [42, true, null, ["x"]];
          if (min > 0) invalid.push("z".repeat(min - 1));
          if (rule.pattern) invalid.push("  no such value  ", "");
          return { valid: valid.filter((v) => v.length >= min), invalid };
        }
        case "url":
          return {
            valid: ["http://a.example", "https://b.example:8443/p?q=1", "HTTPS://C.EXAMPLE"],
            invalid: ["ftp://a.example", "a.example", "", 7],
          };
        case "enum":
          return {
            valid: [...rule.values],
            invalid: [`${rule.values[0]}-not`, rule.values[0]?.toUpperCase() ?? "", 1],
          };
        case "array": {
          const inner = samples(rule.of);
          return { valid: [[], inner.valid.slice(0, 3)], invalid: ["not an array", [inner.invalid[0]]] };
        }
        default:
          return { valid: [], invalid: [] };
      }
    };
    const run = (tree: Tree) => {
      const input: SettingsInput = { tree, configFile: "cxo.config.yaml", cwd };
      const quick = quickSettings(input);
      let schema: unknown;
      try {
        schema = schemaSettingsOf(input);
      } catch (error) {
        schema = error;
      }
      return { quick, schema };
    };
    let checked = 0;
    for (const [layout, { fields }] of Object.entries(SETTINGS_LAYOUT))
      for (const [key, rule] of Object.entries(fields)) {
        const { valid, invalid } = samples(rule);
        for (const value of valid) {
          const { quick, schema } = run(placeOf(layout, key, value));
          const where = `${layout || "(root)"}.${key} = ${JSON.stringify(value)}`;
          expect(schema, where).not.toBeInstanceOf(Error);
          expect(quick, `${where}: the quick path declined a value the schema accepts`).toBeDefined();
          expect(JSON.stringify(quick), where).toBe(JSON.stringify(schema));
          checked++;
        }
        for (const value of invalid) {
          const { quick, schema } = run(placeOf(layout, key, value));
          const where = `${layout || "(root)"}.${key} = ${JSON.stringify(value)}`;
          expect(schema, where).toBeInstanceOf(Error);
          expect(quick, `${where}: the quick path accepted a value the schema refuses`).toBeUndefined();
          checked++;
        }
      }
    // The record's key rule (destination names) the same way.
    for (const name of ["bi", "crm_2", "a-b"])
      expect(run({ destinations: { [name]: { url: "http://x.example" } } }).quick).toBeDefined();
    for (const name of ["9x", "Bi", "_a"]) {
      const { quick, schema } = run({ destinations: { [name]: { url: "http://x.example" } } });
      expect(schema).toBeInstanceOf(Error);
      expect(quick).toBeUndefined();
    }
    expect(checked).toBeGreaterThan(150);
  });
});
