import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 44 §3: every filesystem problem with a Parquet dataset's `--out` is exit 2 naming
 * `--out`, before anything is fetched, and no path spins (Node's recursive mkdir under /proc).
 */
let emulator: RunningEmulator;
let env: Record<string, string>;
let campaign = "";

beforeAll(async () => {
  emulator = (await startEmulator({ port: 0, calls: 50, metricsIntervalMs: 0 })) as RunningEmulator;
  const client = emulator.fixtures.clients[0]!;
  campaign = emulator.fixtures.campaigns[0]!.id;
  env = {
    CXONE_BASE_URL: emulator.url,
    CXONE_CLIENT_ID: client.clientId,
    CXONE_CLIENT_SECRET: client.clientSecret,
    CXO_DATA_DIR: mkdtempSync(path.join(tmpdir(), "cxo-dsout-data-")),
  };
});
afterAll(() => emulator.close());

describe("a Parquet --out that cannot hold a dataset", () => {
  it("a regular file, a dangling symbolic link, a path under /proc or below a file: exit 2 naming --out, nothing fetched", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-dsout-"));
    const file = path.join(dir, "a-file");
    writeFileSync(file, "x");
    const dangling = path.join(dir, "dangling");
    symlinkSync(path.join(dir, "missing-target"), dangling);
    mkdirSync(path.join(dir, "ok"));
    const outs: Array<[string, RegExp]> = [
      [file, /is not a directory/],
      [dangling, /symbolic link to a path that does not exist/],
      ["/proc/self/", /is under \/proc, which is not storage/],
      [path.join(file, "below"), /is not a directory/],
    ];
    await adminCall(emulator.url, "DELETE", "/requests");
    const hour = 3_600_000;
    const window = [
      "--from",
      new Date(Date.now() - 48 * hour).toISOString(),
      "--to",
      new Date(Date.now() - hour).toISOString(),
    ];
    const runs = await Promise.all(
      outs.map(([out]) =>
        runCli(
          ["outcomes", "export", "--campaign", campaign, ...window, "--format", "parquet", "--out", out],
          env,
          {
            timeoutMs: 30_000,
          },
        ),
      ),
    );
    runs.forEach((run, i) => {
      expect(run.code, `${outs[i]![0]}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toContain("--out");
      expect(run.stderr).toMatch(outs[i]![1]);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    });
    const log = (await adminCall(emulator.url, "GET", "/requests")) as { requests: Array<{ path: string }> };
    expect(log.requests.filter((r) => r.path.includes("/outbound/calls"))).toEqual([]);
  });
});
