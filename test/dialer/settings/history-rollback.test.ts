import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../support/run-cli.ts";
import { type DialerHarness, dialerHarness, goodConfig } from "./helpers.ts";

/** history, diff, rollback (requested), metrics and audit paging, against the emulator. */
describe("cxo dialer history | diff | rollback | metrics | audit", () => {
  let h: DialerHarness;
  beforeAll(async () => {
    h = await dialerHarness({ operationDelayMs: 100 });
  });
  afterAll(() => h.close());
  const fast = ["--poll-min-ms", "20", "--poll-max-ms", "100"];

  it("rollback (default: the previous version) restores it with the current tag, verified; diff shows the change", async () => {
    const dir = h.dir();
    const env = h.env(path.join(dir, ".cxo"));
    const original = await h.rawSettings();
    const applied = await runCli(
      ["--json", "dialer", "apply", "--config", h.writeConfig(dir, goodConfig({ maxAgents: 42 })), ...fast],
      env,
    );
    expect(applied.code).toBe(0);
    const newTag = JSON.parse(applied.stdout).versionTag as string;

    const diff = await runCli(["--json", "dialer", "diff", original.versionTag, "current"], env);
    expect(diff.code).toBe(0);
    expect(JSON.parse(diff.stdout)).toMatchObject({ from: original.versionTag, to: newTag });
    expect(JSON.parse(diff.stdout).changes).toContainEqual({
      field: "concurrency.maxAgents",
      from: 40,
      to: 42,
    });

    h.seen.length = 0;
    const rolled = await runCli(["--json", "dialer", "rollback", ...fast], env);
    expect(rolled.code).toBe(0);
    const doc = JSON.parse(rolled.stdout);
    expect(doc).toMatchObject({ ok: true, to: original.versionTag, outcome: "restored", ifMatch: newTag });
    expect(h.settingsPuts().map((p) => [p.ifMatch, p.status])).toEqual([[newTag, 202]]);
    const now = await h.rawSettings();
    expect(now.concurrency).toEqual(original.concurrency);
    expect(now.algorithm).toEqual(original.algorithm);
    expect(now.name).toBe(original.name);

    const history = JSON.parse((await runCli(["--json", "dialer", "history"], env)).stdout);
    expect(history.versions.at(-1)).toMatchObject({
      source: "rollback",
      outcome: "verified",
      versionTag: now.versionTag,
    });

    // Rolling back to the version we are already at sends nothing.
    h.seen.length = 0;
    const again = await runCli(["--json", "dialer", "rollback", "--to", original.versionTag, ...fast], env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).outcome).toBe("unchanged");
    expect(h.settingsPuts()).toHaveLength(0);
  });

  it("metrics: every page of a 30-day hourly window, only the metrics asked for", async () => {
    const campaign = h.fixtures.campaigns[0]?.id as string;
    await h.admin("DELETE", "/requests");
    const result = await runCli(
      [
        "--json",
        "dialer",
        "metrics",
        "--campaign",
        campaign,
        "--metrics",
        "abandonmentRate,efficiency",
        "--from",
        "2026-01-01T00:00:00Z",
        "--to",
        "2026-01-31T00:00:00Z",
      ],
      h.env(path.join(h.dir(), ".cxo")),
    );
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.rows).toBe(30 * 24);
    expect(new Set(doc.results.map((r: { timestamp: string }) => r.timestamp)).size).toBe(720);
    expect(Object.keys(doc.results[0]).sort()).toEqual([
      "abandonmentRate",
      "campaignId",
      "efficiency",
      "timestamp",
    ]);
    const pages = (await h.apiRequests()).filter((r) => r.path === "/api/v1/analytics/dialer/metrics");
    expect(pages).toHaveLength(2);
  });

  it("audit: CXone's dialer audit entries across pages, newest first", async () => {
    await h.admin("DELETE", "/requests");
    const result = await runCli(
      ["--json", "dialer", "audit", "--limit", "60"],
      h.env(path.join(h.dir(), ".cxo")),
    );
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.count).toBe(60);
    expect(doc.logs.every((l: { entity: string }) => l.entity === "dialer")).toBe(true);
    const times = doc.logs.map((l: { timestamp: string }) => Date.parse(l.timestamp));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // The changes the first test made are at the top.
    expect(doc.logs[0].action).toBe("settings.updated");
    expect((await h.apiRequests()).filter((r) => r.path === "/api/v1/audit/logs")).toHaveLength(2);
  });
});
