import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/core/store/index.ts";
import { runCli } from "../support/run-cli.ts";
import { waitUntil } from "../support/wait-until.ts";
import { callOfPath, type TagHarness, tagHarness, validRows, writeCsv } from "./helpers.ts";

const CXO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/cxo.js");
const ROWS = 600;

async function doneTargets(dataDir: string): Promise<string[]> {
  const store = await openStore(dataDir);
  try {
    const targets: string[] = [];
    for await (const record of store.audit.records())
      if (record.operation === "dispositions.tag" && record.outcome === "done" && record.target)
        targets.push(record.target);
    expect((await store.audit.verify()).ok).toBe(true);
    return targets;
  } finally {
    await store.close();
  }
}

describe("cxo tag --file: SIGKILL in the middle, then rerun", () => {
  let h: TagHarness;
  beforeAll(async () => {
    // 20 ms per request and 4 rows in flight: ~3 s for the file, time to kill it half way.
    h = await tagHarness({ calls: 50_000, latencyMs: 20 });
  });
  afterAll(() => h.close());

  it("ends with every row tagged exactly once in the audit log, and no row sent again once recorded done", async () => {
    const dir = h.dir();
    const dataDir = path.join(dir, ".cxo");
    const calls = await h.callsOf(h.campaign.id, ROWS);
    const file = writeCsv(path.join(dir, "rows.csv"), validRows(calls, h.campaign.matrix));
    const env = h.env(dataDir);
    await h.clearRequests();

    const child = spawn(
      process.execPath,
      [CXO, "--json", "tag", "--campaign", h.campaign.id, "--file", file, "--concurrency", "4"],
      {
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
        stdio: "ignore",
      },
    );
    const exited = new Promise((resolve) => child.on("exit", resolve));
    await waitUntil(async () => (await h.puts()).length >= ROWS / 3, {
      what: "a third of the rows PUT",
      timeoutMs: 20_000,
      intervalMs: 25,
    });
    child.kill("SIGKILL");
    await exited;
    const firstRunPuts = (await h.puts()).length;
    expect(firstRunPuts).toBeGreaterThanOrEqual(ROWS / 3);
    expect(firstRunPuts).toBeLessThan(ROWS);

    const doneBefore = await doneTargets(dataDir);
    expect(doneBefore.length).toBeGreaterThan(0);
    const probe = await openStore(dataDir);
    const pendingBefore = (await probe.journal.pending()).length;
    await probe.close();
    await h.clearRequests();

    // The rerun at ten times the default rate limits (CXO_CONFIG's http.rateLimitScale): the first
    // run's pace (~90 rows a second, the limits' own) is what gives the kill its time; the
    // rerun's is not the point, and at it the rerun took ~4.4 s of the test's ~7.
    const rerun = await runCli(
      ["--json", "tag", "--campaign", h.campaign.id, "--file", file, "--concurrency", "16"],
      { ...env, CXO_CONFIG: h.configFile(dir, 10) },
      {
        timeoutMs: 30_000,
      },
    );
    expect(rerun.stderr).toBe("");
    expect(rerun.code).toBe(0);
    const summary = JSON.parse(rerun.stdout);
    expect(summary.failed).toBe(0);
    // Rows done before the kill are skipped; those it left pending were re-driven on start and
    // are counted as re-driven, not as "already done" (issue 20, item 10).
    expect(summary.skipped).toBe(doneBefore.length);
    expect(summary.redrivenRows).toBe(pendingBefore);
    expect(summary.skipped + summary.redrivenRows + summary.succeeded).toBe(ROWS);

    const resent = new Set((await h.puts()).map((r) => callOfPath(r.path)));
    for (const callId of doneBefore)
      expect(resent.has(callId), `${callId} was sent again after done`).toBe(false);

    const done = await doneTargets(dataDir);
    expect(done).toHaveLength(ROWS);
    expect(new Set(done)).toEqual(new Set(calls));

    // A third run finds nothing to do and sends nothing.
    await h.clearRequests();
    const third = await runCli(["--json", "tag", "--campaign", h.campaign.id, "--file", file], env);
    expect(third.code).toBe(0);
    expect(JSON.parse(third.stdout)).toMatchObject({ skipped: ROWS, succeeded: 0 });
    expect(await h.puts()).toHaveLength(0);
  }, 120_000);
});
