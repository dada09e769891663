import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.ts";
import { type CliJob, runCliBatch } from "../support/run-cli-batch.ts";

/**
 * Issue 103's case table (test/fixtures/compliance/rule-book-2027-cases.json): dates moved by config,
 * Regulation F's patterns, voices, UK numbers registered 27, 28 and 29 days before the call, and
 * the bad input the issue names — each row with its source, each answered by the CLI users run
 * (`compliance check --json`, `compliance rules --json`, `compliance dnc import`). The caller-id
 * rows are pushed on the production emulator (test/strategy/push-caller-id.test.ts).
 */
interface Row {
  id: string;
  case: string;
  source: string;
  via: "check" | "rules" | "tps-import" | "push";
  config?: "moved";
  args?: string[];
  rule?: string;
  file?: string;
  expect: Record<string, unknown>;
}
const TABLE = JSON.parse(
  readFileSync(path.resolve("test/fixtures/compliance/rule-book-2027-cases.json"), "utf8"),
) as { rows: Row[] };
const rows = (via: Row["via"]) => TABLE.rows.filter((r) => r.via === via);

const root = mkdtempSync(path.join(tmpdir(), "cxo-issue-103-"));
const plain = path.join(root, "plain");
const moved = path.join(root, "moved");
const env = { CXO_DATA_DIR: path.join(root, "data"), CXO_CLOCK: "2026-12-02T12:00:00-05:00" };
const job = (row: Row, args: string[]): CliJob => ({
  args,
  env,
  cwd: row.config === "moved" ? moved : plain,
});

beforeAll(async () => {
  mkdirSync(plain);
  mkdirSync(moved);
  writeFileSync(
    path.join(moved, "cxo.config.yaml"),
    'rules:\n  effectiveDates:\n    us-revoke-all-purposes: "2027-04-30"\n    or-hours-2026: "2026-06-01"\n',
  );
  writeFileSync(
    path.join(root, "touches.csv"),
    "phone,at,channel,account,answered\n+12125551234,2026-12-02T10:00:00-05:00,call,A-1,false\n",
  );
  writeFileSync(path.join(root, "tps.csv"), "phone,registeredAt\n+447700900201,2026-10-01\n");
  const setup = [
    ["--json", "touches", "import", "--file", path.join(root, "touches.csv")],
    [
      "--json",
      "compliance",
      "dnc",
      "import",
      "--registry",
      "tps",
      "--as-of",
      "2026-11-01",
      path.join(root, "tps.csv"),
    ],
  ];
  for (const args of setup) {
    const run = await runCli(args, env, { cwd: plain });
    expect(run.code, run.stderr).toBe(0);
  }
}, 120_000);

describe("issue 103's case table", () => {
  it("every row cites its source", () => {
    for (const row of TABLE.rows) expect(row.source, row.id).toMatch(/\S{3}/);
    expect(new Set(TABLE.rows.map((r) => r.id)).size).toBe(TABLE.rows.length);
  });

  it("compliance check answers every check row as the table says", async () => {
    const checks = rows("check");
    const results = await runCliBatch(
      checks.map((row) => job(row, ["--json", "compliance", "check", ...(row.args ?? [])])),
    );
    checks.forEach((row, i) => {
      const run = results[i]!;
      const want = row.expect;
      if (want.exit !== undefined) {
        expect(run.code, row.id).toBe(want.exit);
        expect(run.stderr, row.id).toContain(want.stderr as string);
        return;
      }
      expect(run.code, `${row.id}: ${run.stderr}`).toBe(0);
      const verdict = JSON.parse(run.stdout) as {
        allowed: boolean;
        reasons: Array<{ code: string }>;
        warnings?: Array<{ code: string }>;
      };
      expect({
        id: row.id,
        allowed: verdict.allowed,
        codes: verdict.reasons.map((r) => r.code).sort(),
      }).toEqual({
        id: row.id,
        allowed: want.allowed,
        codes: [...(want.codes as string[])].sort(),
      });
      if (want.warnings !== undefined)
        expect(
          (verdict.warnings ?? []).map((w) => w.code),
          row.id,
        ).toEqual(want.warnings);
    });
  }, 240_000);

  it("compliance rules shows each date row's date and where it came from", async () => {
    for (const row of rows("rules")) {
      const run = await runCli(["--json", "compliance", "rules"], env, { cwd: job(row, []).cwd });
      expect(run.code, run.stderr).toBe(0);
      const listed = (JSON.parse(run.stdout) as { rules: Array<Record<string, unknown>> }).rules.find(
        (r) => r.id === row.rule,
      );
      expect(listed, row.id).toMatchObject(row.expect);
    }
  }, 120_000);

  it("a TPS file row without its registration date is refused, naming the field, the copy untouched", async () => {
    for (const row of rows("tps-import")) {
      const file = path.join(root, `${row.id}.csv`);
      writeFileSync(file, row.file ?? "");
      const run = await runCli(
        ["compliance", "dnc", "import", "--registry", "tps", "--as-of", "2026-11-01", file],
        env,
        { cwd: plain },
      );
      expect(run.code, row.id).toBe(row.expect.exit);
      expect(run.stderr, row.id).toContain(row.expect.stderr as string);
    }
    // The copy imported in the setup still answers (uk-28 holds).
    const again = await runCli(
      ["--json", "compliance", "check", "--phone", "+447700900201", "--at", "2026-10-29T12:00:00Z"],
      env,
      { cwd: plain },
    );
    expect(JSON.parse(again.stdout)).toMatchObject({ allowed: false });
  }, 120_000);
});
