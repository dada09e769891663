import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../../../src/core/store/index.ts";
import { HISTORY_NAMESPACE, type HistoryRow } from "../../../src/dialer/settings/history.ts";
import { runCli } from "../../support/run-cli.ts";
import { type DialerHarness, dialerHarness, goodConfig } from "./helpers.ts";

/** `cxo dialer apply` against the emulator over real HTTP (through a header-recording proxy). */
describe("cxo dialer apply", () => {
  let h: DialerHarness;
  beforeAll(async () => {
    h = await dialerHarness({ operationDelayMs: 150 });
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await h.admin("POST", "/reset");
    h.seen.length = 0;
    h.setBeforeForward(undefined);
  });

  const fast = ["--poll-min-ms", "20", "--poll-max-ms", "100"];

  async function history(dataDir: string) {
    const store = await openStore(dataDir);
    try {
      const rows = (await store.kv.list(HISTORY_NAMESPACE)).map((r) => r.value as HistoryRow);
      const audit = await store.audit.tail(100);
      const wfm = await store.outbox.list({ destination: "wfm" });
      const journal = await store.journal.counts();
      const verified = await store.audit.verify();
      return { rows, audit, wfm, journal, verified };
    } finally {
      await store.close();
    }
  }

  it("applies: settings changed on CXone, history has the snapshot and the verified version, audit + WFM event", async () => {
    const dir = h.dir();
    const dataDir = path.join(dir, ".cxo");
    const before = await h.rawSettings();
    const file = h.writeConfig(dir, goodConfig({ maxAgents: 44 }));
    const result = await runCli(["--json", "dialer", "apply", "--config", file, ...fast], h.env(dataDir));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({ outcome: "applied", ok: true, snapshotVersionTag: before.versionTag });

    const after = await h.rawSettings();
    expect(after.versionTag).not.toBe(before.versionTag);
    expect(doc.versionTag).toBe(after.versionTag);
    expect(after).toMatchObject({
      name: "Spring push",
      concurrency: { max_agents: 44, max_simultaneous_calls: 120, call_spacing_ms: 100 },
      algorithm: { abandonment_rate_target: 0.02, dial_ratio: 1.3, agent_availability_estimate: 0.85 },
    });
    // One PUT, carrying the snapshot's tag.
    expect(h.settingsPuts().map((p) => [p.ifMatch, p.status])).toEqual([[before.versionTag, 202]]);

    const { rows, audit, wfm, journal, verified } = await history(dataDir);
    expect(rows.map((r) => [r.source, r.versionTag, r.outcome])).toEqual([
      ["snapshot", before.versionTag, "seen"],
      ["applied", after.versionTag, "verified"],
    ]);
    expect(rows[1]?.settings.concurrency.maxAgents).toBe(44);
    expect(journal).toEqual({ pending: 0, done: 4, failed: 0 });
    expect(audit.map((a) => a.operation)).toEqual([
      "dialer.settings.snapshot",
      "dialer.settings.put",
      "dialer.settings.activation",
      "dialer.settings.verify",
    ]);
    expect(verified.ok).toBe(true);
    expect(wfm).toHaveLength(1);
    expect(wfm[0]).toMatchObject({
      type: "dialer.settings.applied",
      data: { versionTag: after.versionTag, previousVersionTag: before.versionTag },
    });
    const raw = readFileSync(path.join(dataDir, "cxo.sqlite")).toString("latin1");
    const secret = h.env(dataDir).CXONE_CLIENT_SECRET as string;
    expect(raw).not.toContain(secret);
    expect(result.stdout).not.toContain(secret);

    // Re-running the same file sends nothing.
    h.seen.length = 0;
    const again = await runCli(["--json", "dialer", "apply", "--config", file, ...fast], h.env(dataDir));
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).outcome).toBe("unchanged");
    expect(h.settingsPuts()).toHaveLength(0);
  });

  it("a FAILED operation is rolled back with a freshly read tag, restored settings verified, history consistent", async () => {
    const dir = h.dir();
    const dataDir = path.join(dir, ".cxo");
    const before = await h.rawSettings();
    await h.admin("POST", "/faults", { failNextOperations: 1 });
    const file = h.writeConfig(dir, goodConfig({ maxAgents: 47 }));
    const result = await runCli(["--json", "dialer", "apply", "--config", file, ...fast], h.env(dataDir));
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({
      outcome: "rolled_back",
      ok: false,
      operationStatus: "FAILED",
      errorDetails: { code: "ACTIVATION_FAILED" },
      rollback: { outcome: "restored" },
    });

    const after = await h.rawSettings();
    const strip = ({
      versionTag: _v,
      updatedAt: _u,
      pendingOperationId: _p,
      ...s
    }: Record<string, unknown>) => s;
    expect(strip(after)).toEqual(strip(before));
    expect(after.versionTag).toBe(doc.rollback.versionTag);

    // The rollback PUT carried the tag read AFTER the failure (a GET just before it), not a
    // remembered one; here the failed operation left the tag unchanged, so both equal.
    const puts = h.settingsPuts();
    expect(puts.map((p) => p.status)).toEqual([202, 202]);
    const rollbackPut = h.seen.indexOf(puts[1] as (typeof h.seen)[number]);
    const readJustBefore = h.seen
      .slice(0, rollbackPut)
      .filter((s) => s.method === "GET" && s.path === "/api/v1/dialer/settings")
      .at(-1);
    expect(readJustBefore && h.seen.indexOf(readJustBefore)).toBeGreaterThan(
      h.seen.indexOf(puts[0] as never),
    );
    expect(puts[1]?.ifMatch).toBe((readJustBefore?.body as { versionTag?: string } | undefined)?.versionTag);
    expect(doc.rollback.ifMatch).toBe(puts[1]?.ifMatch);

    const { rows, wfm, journal } = await history(dataDir);
    expect(rows.map((r) => [r.source, r.outcome])).toEqual([
      ["snapshot", "seen"],
      ["applied", "failed"],
      ["snapshot", "seen"],
      ["rollback", "verified"],
    ]);
    expect(rows[0]?.versionTag).toBe(before.versionTag);
    expect(rows[3]?.versionTag).toBe(after.versionTag);
    expect(rows[3]?.ifMatch).toBe(puts[1]?.ifMatch);
    expect(journal.pending).toBe(0);
    expect(wfm.map((e) => e.type)).toEqual(["dialer.settings.rolled_back"]);
  });

  it("a timed-out operation: waits for it, then rolls back with the NEW tag (the stale one would be 412)", async () => {
    const slow = await dialerHarness({ operationDelayMs: 600 });
    try {
      const dir = slow.dir();
      const dataDir = path.join(dir, ".cxo");
      const before = await slow.rawSettings();
      const file = slow.writeConfig(dir, goodConfig({ maxAgents: 48 }));
      const result = await runCli(
        ["--json", "dialer", "apply", "--config", file, "--deadline-s", "0.15", ...fast],
        slow.env(dataDir),
      );
      expect(result.code).toBe(1);
      const doc = JSON.parse(result.stdout);
      expect(doc).toMatchObject({ outcome: "rolled_back", rollback: { outcome: "restored" } });
      const puts = slow.settingsPuts();
      expect(puts).toHaveLength(2);
      expect(puts[0]?.ifMatch).toBe(before.versionTag);
      // Our change completed after we stopped waiting, so the tag moved: the rollback used the new one.
      const applied = (puts[0]?.body as { versionTag?: string } | undefined)?.versionTag;
      expect(applied).toBeTruthy();
      expect(puts[1]?.ifMatch).toBe(applied);
      expect(puts[1]?.ifMatch).not.toBe(before.versionTag);
      expect(puts.map((p) => p.status)).toEqual([202, 202]);

      const after = await slow.rawSettings();
      expect(after.concurrency).toEqual(before.concurrency);
      expect(after.algorithm).toEqual(before.algorithm);
      const { rows } = await history(dataDir);
      // While it waits for the timed-out operation it snapshots what it sees: once if the
      // operation had already completed by its first look (a loaded machine), else more.
      const steps = rows.map((r) => `${r.source}:${r.outcome}`).join(" ");
      expect(steps).toMatch(/^snapshot:seen applied:timeout (snapshot:seen ){1,3}rollback:verified$/);
      // The last snapshot before the rollback is of our applied version: the rollback's If-Match.
      expect(rows[rows.length - 2]?.versionTag).toBe(applied);
    } finally {
      await slow.close();
    }
  });

  it("a concurrent change between our snapshot and our PUT: 412 reported with a diff, nothing overwritten", async () => {
    const dir = h.dir();
    const dataDir = path.join(dir, ".cxo");
    const before = await h.rawSettings();
    let otherTag = "";
    h.setBeforeForward(async (request) => {
      if (request.method === "PUT" && request.path === "/api/v1/dialer/settings" && otherTag === "") {
        otherTag = await h.otherClientPut((s) => ({
          ...s,
          algorithm: { ...(s.algorithm as object), dial_ratio: 1.1 },
        }));
      }
    });
    const file = h.writeConfig(dir, goodConfig({ maxAgents: 41 }));
    const result = await runCli(["--json", "dialer", "apply", "--config", file, ...fast], h.env(dataDir));
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({
      outcome: "conflict",
      snapshotVersionTag: before.versionTag,
      conflict: {
        currentVersionTag: otherTag,
        changedUnderneath: [{ field: "algorithm.dialRatio", from: 2.5, to: 1.1 }],
      },
    });
    // Our one PUT was refused; nothing else was sent; the other client's change stands.
    expect(h.settingsPuts().map((p) => [p.ifMatch, p.status])).toEqual([[before.versionTag, 412]]);
    const now = await h.rawSettings();
    expect(now.versionTag).toBe(otherTag);
    expect(now).toMatchObject({ concurrency: { max_agents: 40 }, algorithm: { dial_ratio: 1.1 } });

    const human = await runCli(
      ["dialer", "apply", "--config", file, ...fast],
      h.env(path.join(dir, ".cxo2")),
    );
    // With the fresh snapshot the second try goes through.
    expect(human.code).toBe(0);
    expect(human.stdout).toContain("applied:");
  });
});
