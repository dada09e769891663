import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/core/store/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { accessKeyEnv, cxoneApi } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * CXone's scheduled callbacks and consent, from the CLI on the production emulator: a callback
 * scheduled (by another client, as an agent's tool would) to a number that revokes consent
 * afterwards is listed by `consent report` and `cxo why`, deleted by `consent honour` before its
 * time (journaled and audited), and never dialled by the emulator's callback dialer — while a
 * callback to a number that did not revoke is dialled at its time. A deletion CXone refuses
 * leaves the callback pending and `consent honour` exits 1 saying so; the next run deletes it.
 */
let cxone: RunningCxoneEmulator;
let clock: ReturnType<typeof pinClock>;
let skillId = "";
let env: Record<string, string> = {};
let cwd = "";

// pinClock's Wednesday, 14:00Z (09:00 in New York); the callbacks are due that afternoon.
const REVOKED = "+13125550181";
const KEPT = "+13125550182";
const REFUSED = "+13125550183";
const ids = { revoked: "", kept: "", refused: "" };

const schedule = async (phone: string, at: string) =>
  String(
    (
      (await cxoneApi(cxone, "POST", "/scheduled-callbacks", {
        phoneNumber: phone.slice(2),
        skillId,
        scheduleDate: at,
        firstName: "Pat",
        lastName: "Doe",
      })) as { callbackId: number }
    ).callbackId,
  );

const emulatorCallbacks = async () =>
  (await adminCall(cxone.url, "GET", "/scheduled-callbacks")) as {
    callbacks: Array<{ callbackId: number; status: string }>;
    dials: Array<{ callbackId: number; phone: string; at: string }>;
  };
const statusOf = async (id: string) =>
  (await emulatorCallbacks()).callbacks.find((c) => String(c.callbackId) === id)?.status;
const cxo = (...args: string[]) => runCli(["--json", ...args], env, { cwd, timeoutMs: 60_000 });

beforeAll(async () => {
  clock = pinClock();
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 47,
    contacts: 50,
    days: 1,
  })) as RunningCxoneEmulator;
  const group = cxone.fixtures.dncGroups.find((g) => g.isActive)!;
  skillId = String(
    cxone.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isRunning)!.skillId,
  );
  cwd = mkdtempSync(path.join(tmpdir(), "cxo-callbacks-"));
  // One attempt a request: the refused deletion below is refused at once, not after backoff.
  writeFileSync(
    path.join(cwd, "cxo.config.yaml"),
    `consent:\n  cxoneDncGroup: ${group.dncGroupId}\nhttp:\n  maxAttempts: 1\n  rateLimitScale: 100\n`,
  );
  env = { ...accessKeyEnv(cxone), CXO_DATA_DIR: path.join(cwd, ".cxo"), ...cliClockEnv() };
  ids.revoked = await schedule(REVOKED, "2026-12-02T16:00:00Z");
  ids.kept = await schedule(KEPT, "2026-12-02T16:10:00Z");
  ids.refused = await schedule(REFUSED, "2026-12-02T16:20:00Z");
});
afterAll(async () => {
  await cxone?.close();
  clock?.restore();
});

describe("scheduled callbacks to revoked numbers", () => {
  it("consent report and cxo why list a pending callback to a number that revoked after it was scheduled", async () => {
    for (const phone of [REVOKED, REFUSED]) {
      const revoke = await cxo("consent", "revoke", "--phone", phone, "--channel", "sms");
      expect(revoke.code, revoke.stderr).toBe(0);
    }
    const report = await cxo("consent", "report");
    expect(report.code, report.stderr).toBe(1);
    const doc = JSON.parse(report.stdout);
    expect(doc.scheduledCallbacks.skills).toContain(skillId);
    expect(doc.scheduledCallbacks.toRevoked).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          callbackId: ids.revoked,
          phone: REVOKED,
          skillId,
          callbackAt: "2026-12-02T16:00:00.000Z",
        }),
      ]),
    );
    expect(doc.scheduledCallbacks.toRevoked.map((c: { phone: string }) => c.phone)).not.toContain(KEPT);

    const why = await cxo("why", "--campaign", skillId);
    expect(why.code, why.stderr).toBe(0);
    const revoked = JSON.parse(why.stdout).callbacksToRevoked as Array<{
      callbackId: string;
      revocation: string;
    }>;
    expect(revoked.map((c) => c.callbackId).sort()).toEqual([ids.revoked, ids.refused].sort());
    expect(revoked[0]?.revocation).toMatch(/revoked consent/);
    const human = await runCli(["why", "--campaign", skillId], env, { cwd, timeoutMs: 60_000 });
    expect(human.stdout).toContain(`PENDING CALLBACK TO A REVOKED NUMBER: ${ids.revoked} to ${REVOKED}`);
  });

  it("a deletion CXone refuses stays pending and is loud (exit 1); the next honour deletes it", async () => {
    // Refused for the first callback only: the fault takes one request.
    await adminCall(cxone.url, "POST", "/faults", {
      route: "DELETE /scheduled-callbacks/:callbackId",
      errorRate: 1,
      errorStatus: 503,
      count: 1,
    });
    const refused = await runCli(["consent", "honour"], env, { cwd, timeoutMs: 60_000 });
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stdout).toMatch(/NOT DELETED .*still pending in CXone/);
    const statuses = [await statusOf(ids.revoked), await statusOf(ids.refused)].sort();
    // One of the two was refused (the first asked), the other deleted.
    expect(statuses).toEqual(["deleted", "pending"]);

    const again = await cxo("consent", "honour");
    expect(again.code, again.stderr).toBe(0);
    const sweep = JSON.parse(again.stdout).scheduledCallbacks;
    expect(sweep.failed).toEqual([]);
    expect(sweep.cancelled).toHaveLength(1);
    expect(await statusOf(ids.revoked)).toBe("deleted");
    expect(await statusOf(ids.refused)).toBe("deleted");
    // Nothing left to delete: a third run finds none.
    const third = JSON.parse((await cxo("consent", "honour")).stdout).scheduledCallbacks;
    expect(third).toMatchObject({ toRevoked: [], cancelled: [], failed: [] });
  });

  it("the deleted callbacks are never dialled; the kept one is, at its time; each deletion is audited", async () => {
    await adminCall(cxone.url, "POST", "/scheduled-callbacks/dial", { until: "2026-12-02T18:00:00Z" });
    const { dials } = await emulatorCallbacks();
    expect(dials.map((d) => d.phone)).toEqual([KEPT]);
    expect(dials[0]?.at).toBe("2026-12-02T16:10:00.000Z");

    const store = await openStore(path.join(cwd, ".cxo"));
    try {
      const rows = await store.db.all<{ target: string; outcome: string; details: string }>(
        "SELECT target, outcome, details_json AS details FROM audit_log WHERE operation = 'consent.scheduled-callback.cancel' ORDER BY seq",
      );
      expect(rows.map((r) => r.outcome).sort()).toEqual(["done", "done", "failed"]);
      const done = rows.filter((r) => r.outcome === "done").map((r) => JSON.parse(r.details));
      expect(done.map((d) => d.phone).sort()).toEqual([REVOKED, REFUSED].sort());
      expect(done[0]).toMatchObject({ result: "deleted", skillId });
    } finally {
      await store.close();
    }
    const report = JSON.parse((await cxo("consent", "report")).stdout);
    expect(report.scheduledCallbacks.toRevoked).toEqual([]);
  });
});
