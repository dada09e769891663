import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { accessKeyEnv } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 44 §2: the stored `--since-last` cursor is checked (schema, version, not in the future)
 * before anything is sent or written; a broken one exits 2 naming the store key and the fix.
 */
let emulator: RunningCxoneEmulator;
let skillId = "";

beforeAll(async () => {
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 44,
    contacts: 200,
  })) as RunningCxoneEmulator;
  skillId = String(
    emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isActive)!.skillId,
  );
});
afterAll(() => emulator.close());

const listings = async () =>
  (
    (await adminCall(emulator.url, "GET", "/requests")) as { requests: Array<{ path: string }> }
  ).requests.filter((r) => r.path.endsWith("/contacts/completed"));

/** A data dir whose cursor for the skill was written by a first run, then replaced by `value` (raw JSON text). */
async function withCursor(
  value: string,
): Promise<{ dataDir: string; out: string; env: Record<string, string> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-cursor-"));
  const env = { ...accessKeyEnv(emulator), CXO_DATA_DIR: dataDir };
  const first = await runCli(
    [
      "--json",
      "outcomes",
      "export",
      "--campaign",
      skillId,
      "--updated-since",
      new Date(Date.now() - 86_400_000).toISOString(),
      "--out",
      path.join(dataDir, "first.ndjson"),
    ],
    env,
    { timeoutMs: 60_000 },
  );
  expect(first.code, first.stderr).toBe(0);
  const db = new DatabaseSync(path.join(dataDir, "cxo.sqlite"));
  try {
    const changed = db
      .prepare("UPDATE kv SET value = ? WHERE namespace = 'outcomes.changes' AND key = ?")
      .run(value, skillId);
    expect(changed.changes).toBe(1);
  } finally {
    db.close();
  }
  return { dataDir, out: path.join(dataDir, "next.ndjson"), env };
}

describe("a stored incremental cursor that is broken is refused before anything is sent or written", () => {
  const future = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const cases: Array<[string, string, RegExp]> = [
    [
      "in the future",
      JSON.stringify({ version: 1, updatedSince: future, seen: [], lastPollTime: null }),
      /is in the future/,
    ],
    [
      "seen is not a list",
      JSON.stringify({ version: 1, updatedSince: new Date().toISOString(), seen: 5, lastPollTime: null }),
      /seen/,
    ],
    ["not JSON", "{not json", /cannot be read/],
    ["no updatedSince", JSON.stringify({ version: 1, seen: [], lastPollTime: null }), /updatedSince/],
    [
      "not a date",
      JSON.stringify({ version: 1, updatedSince: "yesterday", seen: [], lastPollTime: null }),
      /updatedSince/,
    ],
    [
      "another version",
      JSON.stringify({ version: 2, updatedSince: new Date().toISOString(), seen: [], lastPollTime: null }),
      /version/,
    ],
  ];
  it.each(cases)(
    "%s: exit 2 naming the key and --updated-since, no request, no .partial",
    async (_name, value, problem) => {
      const { out, env } = await withCursor(value);
      await adminCall(emulator.url, "DELETE", "/requests");
      const run = await runCli(
        ["outcomes", "export", "--campaign", skillId, "--since-last", "--out", out],
        env,
        {
          timeoutMs: 60_000,
        },
      );
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(`outcomes.changes/${skillId}`);
      expect(run.stderr).toContain("--updated-since");
      expect(run.stderr).toMatch(problem);
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(await listings()).toEqual([]);
      expect(readdirSync(path.dirname(out)).filter((f) => f.startsWith("next"))).toEqual([]);
      // The fix the message gives works: a run with its own start replaces the broken cursor.
      const restart = await runCli(
        [
          "outcomes",
          "export",
          "--campaign",
          skillId,
          "--updated-since",
          new Date(Date.now() - 3_600_000).toISOString(),
          "--out",
          out,
        ],
        env,
        { timeoutMs: 60_000 },
      );
      expect(restart.code, restart.stderr).toBe(0);
      expect(existsSync(out)).toBe(true);
    },
  );
});
