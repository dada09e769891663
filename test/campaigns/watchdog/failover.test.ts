import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type Evaluation,
  readIncidents,
  startWatchdog,
  type Watchdog,
  type WatchdogConfig,
} from "../../../src/campaigns/watchdog/index.ts";
import type { InternalClient } from "../../../src/client.ts";
import { ServerError } from "../../../src/core/http/errors.ts";
import { openStore, type Store } from "../../../src/core/store/index.ts";
import type { CampaignsPort } from "../../../src/platform/ports/campaigns.ts";
import { until, VirtualClock } from "../../support/virtual-clock.ts";
import { type CampaignHarness, campaignHarness } from "../lifecycle/harness.ts";

/** The watchdog against the emulator: one pause + one activation per incident, whatever happens. */
let h: CampaignHarness;
let client: InternalClient;
let primary: string;
let backup: string;
const opened: Array<{ watchdog?: Watchdog; store: Store }> = [];

beforeAll(async () => {
  h = await campaignHarness();
  client = h.client();
  primary = h.pair.primaryId;
  backup = h.pair.backupId;
});
afterAll(async () => {
  for (const { watchdog, store } of opened) {
    await watchdog?.stop();
    await store.close();
  }
  await h.close();
});
beforeEach(async () => {
  await h.admin$("POST", "/reset");
  await h.admin$("DELETE", "/requests");
});

const config = (overrides: Partial<WatchdogConfig> = {}): WatchdogConfig => ({
  primary,
  backup,
  threshold: 0.15,
  windowMinutes: 30,
  intervalSeconds: 0.05,
  minSample: 30,
  breaches: 3,
  failBack: false,
  ...overrides,
});

const force = (campaignId: string, successRate: number, callsInWindow: number) =>
  h.admin$("POST", `/campaigns/${campaignId}/metrics`, { successRate, callsInWindow });

async function open(dataDir: string, options: Partial<Parameters<typeof startWatchdog>[0]> = {}) {
  const store = await openStore(dataDir);
  const watchdog = startWatchdog({
    client: client.port,
    store,
    config: config(),
    mode: "manual",
    ...options,
  });
  opened.push({ watchdog, store });
  await watchdog.ready;
  return { store, watchdog };
}

async function transitions() {
  return { primary: (await h.statusPuts(primary)).length, backup: (await h.statusPuts(backup)).length };
}

describe("failover watchdog", () => {
  it("fails over exactly once after K consecutive breaches, keeps watching and reports the backup", async () => {
    await force(primary, 0.05, 200);
    const store = await openStore(path.join(h.dir(), ".cxo"));
    // The loop as it runs in production (one evaluation a minute), in virtual time.
    const clock = new VirtualClock();
    const watchdog = startWatchdog({
      client: client.port,
      store,
      config: config({ intervalSeconds: 60 }),
      clock,
    });
    opened.push({ store });
    const evaluations: Evaluation[] = [];
    watchdog.on("evaluation", (e) => evaluations.push(e));
    for (let minute = 1; minute <= 10; minute++) {
      // The loop sleeps one interval after each evaluation: no evaluation comes before it is over.
      await until(() => evaluations.length === minute && clock.pending().length === 1);
      expect(clock.pending()).toEqual([60_000]);
      clock.advance(60_000);
    }
    await until(() => evaluations.length === 11);
    await watchdog.stop();

    expect(await transitions()).toEqual({ primary: 1, backup: 1 });
    expect(await h.campaignStatus(primary)).toBe("paused");
    expect(await h.campaignStatus(backup)).toBe("active");
    expect(evaluations.slice(0, 3).map((e) => [e.verdict, e.breaches, e.action])).toEqual([
      ["breach", 1, "none"],
      ["breach", 2, "none"],
      ["breach", 3, "failover"],
    ]);
    const later = evaluations.slice(3);
    expect(later.every((e) => e.action === "none" && e.incident?.phase === "failed-over")).toBe(true);
    expect(
      later.every((e) => e.backup?.campaignId === backup && typeof e.backup.successRate === "number"),
    ).toBe(true);

    const [incident, ...others] = await readIncidents(store);
    expect(others).toEqual([]);
    // Failed over at the third evaluation: two intervals after the first, on the watchdog's clock.
    expect(Date.parse(incident?.failedOverAt ?? "")).toBe(clock.epochMs() - 8 * 60_000);
    expect(incident).toMatchObject({
      primary,
      backup,
      phase: "failed-over",
      trigger: { successRate: 0.05, callsInWindow: 200, threshold: 0.15, breaches: 3 },
    });
    const audit = (await store.audit.tail(20)).map((r) => [r.operation, r.target]);
    expect(audit).toEqual([
      ["campaigns.failover.opened", primary],
      ["campaigns.set-status", primary],
      ["campaigns.set-status", backup],
      ["campaigns.failover.completed", primary],
    ]);
    const events = (await store.outbox.list({ destination: "campaigns" })).map((e) => e.type);
    expect(events).toEqual([
      "campaign.failover.started",
      "campaign.status.changed",
      "campaign.status.changed",
      "campaign.failover.completed",
    ]);
    expect((await store.audit.verify()).ok).toBe(true);
  });

  it("a restart after K-1 breaches remembers them; later restarts never repeat the failover", async () => {
    await force(primary, 0.05, 200);
    const dataDir = path.join(h.dir(), ".cxo");
    const first = await open(dataDir);
    expect((await first.watchdog.evaluateNow()).breaches).toBe(1);
    expect((await first.watchdog.evaluateNow()).breaches).toBe(2);
    await first.watchdog.stop();

    const second = await open(dataDir);
    expect(second.watchdog.state().breaches).toBe(2);
    expect(await second.watchdog.evaluateNow()).toMatchObject({ verdict: "breach", action: "failover" });
    await second.watchdog.stop();

    const third = await open(dataDir);
    for (let i = 0; i < 3; i++)
      expect(await third.watchdog.evaluateNow()).toMatchObject({
        action: "none",
        incident: { phase: "failed-over" },
      });
    expect(await transitions()).toEqual({ primary: 1, backup: 1 });
    expect(await readIncidents(third.store)).toHaveLength(1);
  });

  it("a crash after the pause, before the activation was sent: the restart activates the backup, once", async () => {
    await force(primary, 0.05, 200);
    const dataDir = path.join(h.dir(), ".cxo");
    let hung!: () => void;
    const hanging = new Promise<void>((resolve) => (hung = resolve));
    // The process "dies" as it is about to activate the backup: its journal row stays pending.
    const dying: Pick<CampaignsPort, "get" | "setStatus" | "metrics"> = {
      get: (...args) => client.port.campaigns.get(...args),
      metrics: (...args) => client.port.campaigns.metrics(...args),
      setStatus: (id, ...rest) => {
        if (id !== backup) return client.port.campaigns.setStatus(id, ...rest);
        hung();
        return new Promise(() => {});
      },
    };
    const crashedStore = await openStore(dataDir);
    opened.push({ store: crashedStore });
    const crashed = startWatchdog({
      client: dying,
      store: crashedStore,
      config: config({ breaches: 1 }),
      mode: "manual",
    });
    void crashed.evaluateNow();
    await hanging;
    expect(await transitions()).toEqual({ primary: 1, backup: 0 });
    // The process is gone: its store no longer holds its pending rows (a live one would keep
    // them leased, and another process must not re-drive them).
    await crashedStore.close();

    const restarted = await open(dataDir, { config: config({ breaches: 1 }) });
    expect(await transitions()).toEqual({ primary: 1, backup: 1 });
    const [incident] = await readIncidents(restarted.store);
    expect(incident?.phase).toBe("failed-over");
    expect(await restarted.watchdog.evaluateNow()).toMatchObject({
      action: "none",
      incident: { phase: "failed-over" },
    });
    expect(await transitions()).toEqual({ primary: 1, backup: 1 });
    expect(await h.campaignStatus(backup)).toBe("active");
    expect((await restarted.store.journal.counts()).pending).toBe(0);
  });

  it("an unreadable primary (404) is an evaluation error, never a breach", async () => {
    const { watchdog } = await open(path.join(h.dir(), ".cxo"), {
      config: config({ primary: "no-such-campaign", breaches: 1 }),
    });
    const errors: Error[] = [];
    watchdog.on("error", (e) => errors.push(e));
    const evaluation = await watchdog.evaluateNow();
    expect(evaluation).toMatchObject({ verdict: null, action: "none", breaches: 0 });
    expect(evaluation.error).toMatch(/404|not found/i);
    expect(errors).toHaveLength(1);
    expect(await transitions()).toEqual({ primary: 0, backup: 0 });
  });

  it("respects the minimum sample: a low rate over too few calls never fails over", async () => {
    await force(primary, 0.01, 5);
    const { watchdog } = await open(path.join(h.dir(), ".cxo"), { config: config({ breaches: 1 }) });
    for (let i = 0; i < 5; i++)
      expect(await watchdog.evaluateNow()).toMatchObject({
        verdict: "insufficient",
        breaches: 0,
        action: "none",
      });
    expect(await transitions()).toEqual({ primary: 0, backup: 0 });
  });

  it("does not activate the backup when pausing the primary failed; the next evaluation finishes the incident", async () => {
    await force(primary, 0.05, 200);
    let failPause = true;
    const flaky: Pick<CampaignsPort, "get" | "setStatus" | "metrics"> = {
      get: (...args) => client.port.campaigns.get(...args),
      metrics: (...args) => client.port.campaigns.metrics(...args),
      setStatus: (id, ...rest) => {
        if (id === primary && failPause)
          return Promise.reject(new ServerError("503 after every retry", { status: 503 }));
        return client.port.campaigns.setStatus(id, ...rest);
      },
    };
    const { watchdog } = await open(path.join(h.dir(), ".cxo"), {
      client: flaky,
      config: config({ breaches: 1 }),
    });
    const errors: Error[] = [];
    watchdog.on("error", (e) => errors.push(e));
    const failed = await watchdog.evaluateNow();
    expect(failed.error).toContain("503");
    expect(failed.incident).toMatchObject({ phase: "failing-over" });
    expect(errors).toHaveLength(1);
    expect(await h.campaignStatus(backup)).toBe("paused");
    failPause = false;
    expect(await watchdog.evaluateNow()).toMatchObject({
      error: null,
      action: "failover",
      incident: { phase: "failed-over" },
    });
    expect(await transitions()).toEqual({ primary: 1, backup: 1 });
  });

  it("with fail-back: K healthy samples of the primary pause the backup, resume the primary, close the incident", async () => {
    await force(primary, 0.05, 200);
    const { watchdog, store } = await open(path.join(h.dir(), ".cxo"), {
      config: config({ breaches: 2, failBack: true }),
    });
    await watchdog.evaluateNow();
    expect((await watchdog.evaluateNow()).action).toBe("failover");
    await force(primary, 0.4, 200);
    expect((await watchdog.evaluateNow()).action).toBe("none");
    expect(await watchdog.evaluateNow()).toMatchObject({ action: "fail-back", incident: null });
    expect(await h.campaignStatus(primary)).toBe("active");
    expect(await h.campaignStatus(backup)).toBe("paused");
    expect(await transitions()).toEqual({ primary: 2, backup: 2 });
    expect(await readIncidents(store)).toEqual([
      expect.objectContaining({ phase: "closed", closedBy: "fail-back" }),
    ]);
    // Watching goes on: a new drop opens a second incident.
    await force(primary, 0.05, 200);
    await watchdog.evaluateNow();
    expect((await watchdog.evaluateNow()).action).toBe("failover");
    expect(await readIncidents(store)).toHaveLength(2);
  });

  it("closes the incident when someone resumes the primary by hand, then watches it afresh", async () => {
    await force(primary, 0.05, 200);
    const { watchdog, store } = await open(path.join(h.dir(), ".cxo"), { config: config({ breaches: 1 }) });
    expect((await watchdog.evaluateNow()).action).toBe("failover");
    await client.port.campaigns.setStatus(primary, "active", "operator-resume-1");
    await force(primary, 0.5, 200);
    expect(await watchdog.evaluateNow()).toMatchObject({ action: "closed", incident: null });
    expect(await readIncidents(store)).toEqual([expect.objectContaining({ closedBy: "primary-resumed" })]);
    expect(watchdog.state()).toMatchObject({ breaches: 0, openIncidentId: null });
  });

  it("counts samples pushed by the webhook receiver and survives a token expiry mid-run", async () => {
    const { watchdog } = await open(path.join(h.dir(), ".cxo"));
    const evaluations: Evaluation[] = [];
    watchdog.on("evaluation", (e) => evaluations.push(e));
    const pushed = {
      campaignId: primary,
      windowMinutes: 30,
      successRate: 0.02,
      activeCalls: 10,
      callsInWindow: 150,
      failoverTriggered: true,
      lastUpdated: undefined,
    };
    watchdog.observe(pushed);
    watchdog.observe({ ...pushed, campaignId: "another-campaign" }); // not ours: ignored
    watchdog.observe(pushed);
    await force(primary, 0.05, 200);
    await h.admin$("POST", "/faults", { expireTokens: true });
    const third = await watchdog.evaluateNow();
    expect(evaluations.map((e) => e.source)).toEqual(["webhook", "webhook", "poll"]);
    expect(third).toMatchObject({ error: null, action: "failover" });
    expect(await transitions()).toEqual({ primary: 1, backup: 1 });
    const tokenRequests = (await h.requests()).filter((r) => r.path.endsWith("/oauth/token"));
    expect(tokenRequests.length).toBeGreaterThan(0);
  });
});
