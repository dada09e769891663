import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 51 item 15: two exports into one Parquet dataset (or one file) at once. The second is
 * refused with exit 2 naming the running one (not a raw ENOENT from a rename), before anything
 * is fetched; a lock left by a run that was killed (its pid is gone) is taken over. The running
 * export is stood for by its lock file, held by this test's own (live) process.
 */
let emulator: RunningEmulator;
let env: Record<string, string>;
let campaign = "";
const hour = 3_600_000;
const window = () => [
  "--from",
  new Date(Date.now() - 48 * hour).toISOString(),
  "--to",
  new Date(Date.now() - hour).toISOString(),
];
const lockOf = (pid: number) =>
  JSON.stringify({ pid, host: hostname(), startedAt: "2026-01-01T00:00:00.000Z", what: "x" });

beforeAll(async () => {
  emulator = (await startEmulator({ port: 0, calls: 50, metricsIntervalMs: 0 })) as RunningEmulator;
  const client = emulator.fixtures.clients[0]!;
  campaign = emulator.fixtures.campaigns[0]!.id;
  env = {
    CXONE_BASE_URL: emulator.url,
    CXONE_CLIENT_ID: client.clientId,
    CXONE_CLIENT_SECRET: client.clientSecret,
    CXO_DATA_DIR: mkdtempSync(path.join(tmpdir(), "cxo-lock-data-")),
  };
});
afterAll(() => emulator.close());

describe("one export at a time per destination", () => {
  it("a Parquet dataset being written: the second export exits 2 naming the first, nothing fetched", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "cxo-lock-"));
    const lock = path.join(out, `.campaign=${encodeURIComponent(campaign)}.lock`);
    writeFileSync(lock, lockOf(process.pid));
    await adminCall(emulator.url, "DELETE", "/requests");
    const run = await runCli(
      ["outcomes", "export", "--campaign", campaign, ...window(), "--out", `${out}/`],
      env,
      {
        timeoutMs: 60_000,
      },
    );
    expect(run.stderr).toMatch(
      new RegExp(
        `--out: the Parquet dataset .*campaign=.* is being written by another cxo run \\(pid ${process.pid}, since 2026-01-01T00:00:00.000Z\\)`,
      ),
    );
    expect(run.code).toBe(2);
    const log = (await adminCall(emulator.url, "GET", "/requests")) as { requests: unknown[] };
    expect(log.requests).toEqual([]);
    expect(readdirSync(out)).toEqual([path.basename(lock)]); // the running one's lock, untouched
  }, 90_000);

  it("a lock whose process is gone is taken over, and released when the export ends", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "cxo-lock-"));
    const lock = path.join(out, `.campaign=${encodeURIComponent(campaign)}.lock`);
    writeFileSync(lock, lockOf(2 ** 22 + 4321)); // above Linux's pid_max default: not running
    const run = await runCli(
      ["outcomes", "export", "--campaign", campaign, ...window(), "--out", `${out}/`],
      env,
      {
        timeoutMs: 60_000,
      },
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(existsSync(lock)).toBe(false);
    expect(readdirSync(out)).toEqual([`campaign=${encodeURIComponent(campaign)}`]);
  }, 90_000);

  it("an NDJSON file being written: the second export exits 2 naming the first", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-lock-"));
    mkdirSync(path.join(dir, "sub"));
    const out = path.join(dir, "sub", "o.ndjson");
    writeFileSync(`${out}.lock`, lockOf(process.pid));
    const run = await runCli(["outcomes", "export", "--campaign", campaign, ...window(), "--out", out], env, {
      timeoutMs: 60_000,
    });
    expect(run.stderr).toMatch(/--out: the export .*o\.ndjson is being written by another cxo run/);
    expect(run.code).toBe(2);
    expect(existsSync(out)).toBe(false);
    expect(statSync(`${out}.lock`).isFile()).toBe(true);
  }, 90_000);
});
