import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveContactList } from "../../src/campaigns/spec.ts";
import { verdictInFlags } from "../../src/cli/compliance-flags.ts";
import { describeError } from "../../src/cli/exit-codes.ts";
import { renameFields } from "../../src/cli/flag-names.ts";
import { RULE_TABLE } from "../../src/compliance/rule-table.ts";
import { destinationReasons } from "../../src/compliance/rules/destination.ts";
import { candidatesOf } from "../../src/compliance/rules/prepared.ts";
import type { ComplianceInput } from "../../src/compliance/verdict.ts";
import { ConfigError } from "../../src/core/config/errors.ts";
import type { InputError } from "../../src/core/input-error.ts";
import { parseNanp } from "../../src/core/phone-number.ts";
import { dataDirError } from "../../src/core/store/data-dir-error.ts";
import { StoreFullError } from "../../src/core/store/errors.ts";
import { parseExportQuery } from "../../src/outcomes/query.ts";
import { autoCapacity } from "../../src/strategy/capacity.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Below src/cli a message names the SDK's field in backticks (`tz`, `state`, `dataDir`); the CLI
 * writes the flag that sets it, so its users read the same text as before (layer-boundaries).
 */
const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
};
const rules = (error: unknown) => (error as InputError).problems.map((p) => `${p.field}: ${p.rule}`);

describe("the SDK names its fields; the CLI names its flags", () => {
  it("outcomes: a naive instant says `tz`; cxo outcomes export says --tz", () => {
    const error = thrown(() =>
      parseExportQuery({ campaign: "C1", from: "2026-01-01T00:00:00", to: "2026-01-02T00:00:00Z" }),
    );
    expect(rules(error)).toEqual(["from: has no time zone: add Z or an offset such as +02:00, or give `tz`"]);
    expect(rules(renameFields(error, { from: "--from", tz: "--tz" }))).toEqual([
      "--from: has no time zone: add Z or an offset such as +02:00, or give --tz",
    ]);
  });

  it("strategy: capacity auto without agents says `capacityPerHour`; the plan command says --capacity", () => {
    const error = thrown(() =>
      autoCapacity({ agentsLoggedIn: 0, attempts: 1, connects: 1, agentHours: 1, from: "a", to: "b" }),
    );
    expect(rules(error)[0]).toMatch(/\(e\.g\. `capacityPerHour` 400\)$/);
    expect(rules(renameFields(error, { capacity: "--capacity", capacityPerHour: "--capacity" }))[0]).toBe(
      "--capacity: auto found no agent logged in to the campaign now: give a number of attempts per hour instead (e.g. --capacity 400)",
    );
  });

  it("campaigns: a spec without a list says `contactListId`", () => {
    const resolved = resolveContactList({ name: "x" } as never, undefined);
    expect(resolved).toEqual({
      problem: { field: "contactListId", rule: "is required (in the spec, or with `contactListId` ID)" },
    });
  });

  it("the store: `dataDir` in the SDK's words, --data-dir on the CLI's stderr (field kept)", () => {
    const error = dataDirError("/d", Object.assign(new Error("EEXIST: mkdir"), { code: "EEXIST" }));
    expect(rules(error)[0]).toMatch(/set `dataDir`, CXO_DATA_DIR or dataDir in the config file/);
    expect(describeError(error)).toMatch(
      /^error: dataDir: .*set --data-dir, CXO_DATA_DIR or dataDir in the config file/,
    );
    const full = new StoreFullError({ location: "/d/cxo.sqlite", dataDir: "/d" });
    expect(full.message).toContain("(or set `dataDir`, CXO_DATA_DIR");
    expect(describeError(full)).toContain("(or set --data-dir, CXO_DATA_DIR");
  });

  it("another error's remedy is renamed by the command's flags too (DuckDB missing: `history`)", () => {
    const error = new Error("needs @duckdb/node-api (or use `history` FILE.ndjson)");
    expect((renameFields(error, { history: "--history" }) as Error).message).toBe(
      "needs @duckdb/node-api (or use --history FILE.ndjson)",
    );
  });

  it("the error the SDK threw is left as it was: the CLI's words are on a copy of the same class, code and cause", () => {
    const cause = new Error("the wire's words");
    const error = Object.assign(new ConfigError("history", "needs a file (or use `history` FILE)", "x"), {
      cause,
    });
    const before = error.message;
    const renamed = renameFields(error, { history: "--history" }) as ConfigError;
    expect(error.message).toBe(before);
    expect(renamed).not.toBe(error);
    expect(renamed).toBeInstanceOf(ConfigError);
    expect(renamed.message).toBe(before.replace("`history`", "--history"));
    expect([renamed.name, renamed.code, renamed.cause]).toEqual([error.name, error.code, cause]);
    // Nothing to rename: the error itself.
    expect(renameFields(error, { tz: "--tz" })).toBe(error);
  });

  it("compliance: a destination reason says `state`; cxo compliance check shows --state", () => {
    const at = "2026-03-10T18:00:00Z";
    const input: ComplianceInput = {
      number: parseNanp("+18767360123") as NonNullable<ReturnType<typeof parseNanp>>,
      atMs: Date.parse(at),
      consent: true,
      onDnc: false,
    };
    const candidates = candidatesOf(input);
    const reasons = destinationReasons({
      input,
      candidates,
      zones: candidates.zones.map((z) => z.zone),
      rows: RULE_TABLE.filter((row) => candidates.jurisdictions.includes(row.jurisdiction)),
      capRows: [],
      spanMs: undefined,
      calendar: undefined as never,
    });
    expect(reasons.map((r) => r.message).join("\n")).toMatch(/give the contact's `state` if it is in the US/);
    const shown = verdictInFlags({ allowed: false, reasons });
    expect(shown.reasons.map((r) => r.message).join("\n")).toMatch(
      /give the contact's --state if it is in the US/,
    );
    expect(Object.keys(shown.reasons[0] ?? {})).toEqual(Object.keys(reasons[0] ?? {}));
  });

  it("cxo compliance check prints the flag in a reason, on its text and its --json alike", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-flag-names-"));
    const args = ["compliance", "check", "--phone", "+18767360123", "--at", "2026-03-10T18:00:00Z"];
    const common = ["--consent", "yes", "--data-dir", path.join(dir, "data")];
    const [text, json] = await Promise.all([
      runCli([...args, ...common]),
      runCli([...args, ...common, "--json"]),
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/give the contact's --state if it is in the US/);
    const verdict = JSON.parse(json.stdout) as { reasons: Array<{ code: string; message: string }> };
    expect(verdict.reasons.find((r) => r.code === "no_rules_for_destination")?.message).toMatch(
      /give the contact's --state if it is in the US$/,
    );
  });
});
