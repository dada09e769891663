import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readIncidents } from "../../../src/campaigns/watchdog/index.ts";
import { openStore } from "../../../src/core/store/index.ts";
import { runCli } from "../../support/run-cli.ts";
import { type CampaignHarness, campaignHarness } from "../lifecycle/harness.ts";

/** `cxo campaigns watch` as a user runs it: --once from cron across restarts, a long run, bad flags. */
let h: CampaignHarness;
beforeAll(async () => {
  h = await campaignHarness();
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.admin$("POST", "/reset");
  await h.admin$("DELETE", "/requests");
});

/**
 * Runs a long `cxo --json campaigns watch` of the pair until `enough` holds for the JSON lines
 * printed so far, stops it with SIGTERM (it must exit 0) and returns the lines.
 */
async function watchUntil(
  dataDir: string,
  extra: string[],
  enough: (lines: Array<Record<string, unknown>>) => boolean,
): Promise<Array<Record<string, unknown>>> {
  const args = ["--json", "campaigns", "watch", "--primary", h.pair.primaryId, "--backup", h.pair.backupId];
  const child = spawn(
    process.execPath,
    [path.resolve("bin/cxo.js"), ...args, "--interval-s", "0.05", ...extra],
    {
      env: { PATH: process.env.PATH ?? "", ...h.env(dataDir) },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  const parsed = () =>
    stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  await new Promise<void>((resolve) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (enough(parsed())) resolve();
    });
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  child.kill("SIGTERM");
  expect(await exited).toBe(0);
  return parsed();
}

const statusPuts = async () => ({
  primary: (await h.statusPuts(h.pair.primaryId)).length,
  backup: (await h.statusPuts(h.pair.backupId)).length,
});

describe("cxo campaigns watch", () => {
  it("--once from cron: breaches accumulate across processes, the K-th fails over once, later runs do not repeat it", async () => {
    await h.admin$("POST", `/campaigns/${h.pair.primaryId}/metrics`, {
      successRate: 0.04,
      callsInWindow: 120,
    });
    const dataDir = path.join(h.dir(), ".cxo");
    const args = ["--json", "campaigns", "watch", "--primary", h.pair.primaryId, "--backup", h.pair.backupId];
    const docs = [];
    for (let run = 0; run < 3; run++) {
      const result = await runCli([...args, "--breaches", "2", "--once"], h.env(dataDir));
      expect(result.code, result.stderr).toBe(0);
      docs.push(JSON.parse(result.stdout));
    }
    expect(docs.map((d) => [d.evaluation.verdict, d.evaluation.action])).toEqual([
      ["breach", "none"],
      ["breach", "failover"],
      ["breach", "none"],
    ]);
    expect(docs[2].state.openIncidentId).toBe(docs[1].evaluation.incident.id);
    expect(docs[2].evaluation.backup).toMatchObject({ campaignId: h.pair.backupId });
    expect(await statusPuts()).toEqual({ primary: 1, backup: 1 });
    const store = await openStore(dataDir);
    try {
      expect(await readIncidents(store)).toEqual([expect.objectContaining({ phase: "failed-over" })]);
    } finally {
      await store.close();
    }
    const status = await runCli(["--json", "campaigns", "status", h.pair.primaryId], h.env(dataDir));
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      campaign: { id: h.pair.primaryId, status: "paused" },
      metrics: { successRate: 0.04, callsInWindow: 120 },
      known: null,
      incidents: [{ id: docs[1].evaluation.incident.id, phase: "failed-over", backup: h.pair.backupId }],
    });
  });

  it("rejects bad flags with exit 2, naming each, and sends nothing", async () => {
    const env = h.env(path.join(h.dir(), ".cxo"));
    const result = await runCli(
      [
        "campaigns",
        "watch",
        "--primary",
        "same",
        "--backup",
        "same",
        "--threshold",
        "1.5",
        "--breaches",
        "0",
        "--once",
      ],
      env,
    );
    expect(result.code).toBe(2);
    for (const flag of ["--backup: must differ", "--threshold", "--breaches"])
      expect(result.stderr).toContain(flag);
    const noBackup = await runCli(
      ["campaigns", "watch", "--primary", h.pair.primaryId, "--interval-s", "x"],
      env,
    );
    expect(noBackup.code).toBe(2);
    expect(noBackup.stderr).toContain("--interval-s: must be a number");
    expect(await h.campaignRequests()).toEqual([]);
  });

  it("a long run prints one line per evaluation, fails over, and stops cleanly on SIGTERM (exit 0)", async () => {
    await h.admin$("POST", `/campaigns/${h.pair.primaryId}/metrics`, {
      successRate: 0.04,
      callsInWindow: 120,
    });
    const lines = await watchUntil(path.join(h.dir(), ".cxo"), [], (all) => all.length >= 6);
    expect(lines.length).toBeGreaterThanOrEqual(6);
    expect(lines.filter((l) => l.action === "failover")).toHaveLength(1);
    expect(await statusPuts()).toEqual({ primary: 1, backup: 1 });
  });

  it("a long run fails over on a live rule (running, no active contact) while the success rate is healthy; --no-live does not", async () => {
    // A healthy success rate over enough calls: only the live figures show the campaign stopped.
    await h.admin$("POST", `/campaigns/${h.pair.primaryId}/metrics`, {
      successRate: 0.9,
      callsInWindow: 120,
      activeCalls: 0,
    });
    const dataDir = path.join(h.dir(), ".cxo");
    // --no-live: ten healthy success-rate evaluations, no live reading, no failover.
    const successOnly = await watchUntil(dataDir, ["--no-live"], (lines) => lines.length >= 10);
    expect(successOnly.filter((l) => l.source === "live")).toEqual([]);
    expect(successOnly.filter((l) => l.action === "failover")).toEqual([]);
    expect(await statusPuts()).toEqual({ primary: 0, backup: 0 });

    // Default: the third live reading in a row with no active contact fails over, once.
    const lines = await watchUntil(dataDir, [], (all) => all.filter((l) => l.source === "live").length >= 5);
    const live = lines.filter((l) => l.source === "live") as Array<{
      action: string;
      live: { rule: string | null; streak: number };
    }>;
    expect(live.slice(0, 3).map((l) => [l.live.rule, l.live.streak])).toEqual([
      ["contacts-stopped", 1],
      ["contacts-stopped", 2],
      ["contacts-stopped", 3],
    ]);
    expect(live[2]?.action).toBe("failover");
    expect(lines.filter((l) => l.action === "failover")).toHaveLength(1);
    expect(await statusPuts()).toEqual({ primary: 1, backup: 1 });
    const store = await openStore(dataDir);
    try {
      const incidents = await readIncidents(store);
      const byLiveRule = incidents.filter((i) => i.trigger.rule === "contacts-stopped");
      expect(byLiveRule).toHaveLength(1);
      expect(byLiveRule[0]?.trigger.reason).toMatch(/running with 0 active contacts .*3 readings in a row/);
    } finally {
      await store.close();
    }
  });
});
