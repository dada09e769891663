import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { campaignOperations } from "../../../src/campaigns/operations.ts";
import { changeCampaignStatus, statusIdempotencyKey } from "../../../src/campaigns/transition.ts";
import { openStore } from "../../../src/core/store/index.ts";
import type { CampaignsPort } from "../../../src/platform/ports/campaigns.ts";
import { runCli } from "../../support/run-cli.ts";
import { type CampaignHarness, campaignHarness } from "./harness.ts";

/** Pause/resume: one transition per intent, already-in-state is success, resets never double it. */
let h: CampaignHarness;
beforeAll(async () => {
  h = await campaignHarness();
});
afterAll(() => h.close());
afterEach(async () => {
  await h.admin$("DELETE", "/faults");
});

/** The fixture campaigns that start active (the failover backup starts paused). */
const activeCampaigns = () => h.fixtures.campaigns.filter((c) => c.status === "active").map((c) => c.id);

describe("cxo campaigns pause / resume", () => {
  it("pause twice, resume twice: all exit 0, one transition each, audit and events show exactly two", async () => {
    const campaignId = activeCampaigns()[0] as string;
    const dataDir = path.join(h.dir(), ".cxo");
    const env = h.env(dataDir);
    const run = (args: string[]) => runCli(["--json", ...args], env);

    const pause1 = await run(["campaigns", "pause", campaignId]);
    const pause2 = await run(["campaigns", "pause", campaignId]);
    const resume1 = await run(["campaigns", "resume", campaignId]);
    const resume2 = await runCli(["campaigns", "resume", campaignId], env);
    for (const result of [pause1, pause2, resume1, resume2]) expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(pause1.stdout)).toMatchObject({ changed: true, previous: "active", status: "paused" });
    expect(JSON.parse(pause2.stdout)).toMatchObject({
      changed: false,
      alreadyInState: true,
      status: "paused",
    });
    expect(JSON.parse(resume1.stdout)).toMatchObject({ changed: true, previous: "paused", status: "active" });
    expect(resume2.stdout).toContain("already active");

    expect((await h.statusPuts(campaignId)).length).toBe(2);
    expect(await h.campaignStatus(campaignId)).toBe("active");

    const store = await openStore(dataDir);
    try {
      const records = (await store.audit.tail(50)).filter((r) => r.operation === "campaigns.set-status");
      expect(records).toHaveLength(4);
      const transitions = records.filter((r) => (r.details as { changed: boolean }).changed);
      expect(transitions.map((r) => (r.after as { status: string }).status)).toEqual(["paused", "active"]);
      expect(records.every((r) => r.outcome === "done")).toBe(true);
      // Four intents, four distinct keys: a later pause is never a replay of the first.
      expect(new Set(records.map((r) => r.idempotencyKey)).size).toBe(4);
      const events = await store.outbox.list({ destination: "campaigns" });
      expect(events.map((e) => [e.type, (e.data as { status: string }).status])).toEqual([
        ["campaign.status.changed", "paused"],
        ["campaign.status.changed", "active"],
      ]);
    } finally {
      await store.close();
    }
  });

  it("a bad id exits 2 and sends nothing; an unknown campaign exits 2 naming it (one rule with tag and export)", async () => {
    const env = h.env(path.join(h.dir(), ".cxo"));
    const before = (await h.campaignRequests()).length;
    const bad = await runCli(["campaigns", "pause", "../etc"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("campaignId");
    expect((await h.campaignRequests()).length).toBe(before);
    const beforeUnknown = (await h.campaignRequests()).filter((r) => r.method === "PUT").length;
    const unknown = await runCli(["campaigns", "resume", "no-such-campaign"], env);
    expect(unknown.code).toBe(2);
    // Refused on the read, before any PUT: exit 2 says nothing was written.
    expect((await h.campaignRequests()).filter((r) => r.method === "PUT").length).toBe(beforeUnknown);
    expect(unknown.stderr).toMatch(/no-such-campaign.*does not exist/);
  });

  it("connection resets during the run: the CLI retries and the campaign changes state once", async () => {
    const campaignId = activeCampaigns()[1] as string;
    const dataDir = path.join(h.dir(), ".cxo");
    await h.admin$("DELETE", "/requests");
    // 8 resets: the read before the PUT uses up its 6 attempts (it is informational, so the
    // command goes on without it), then the PUT's first 2 attempts are reset too.
    await h.admin$("POST", "/faults", { group: "campaigns", resetRate: 1, count: 8 });
    const result = await runCli(["--json", "campaigns", "pause", campaignId], h.env(dataDir));
    expect(result.code, result.stderr).toBe(0);
    const puts = (await h.requests()).filter((r) => r.method === "PUT" && r.path.endsWith(campaignId));
    expect(puts.filter((p) => p.status === 0)).toHaveLength(2);
    expect(puts.filter((p) => p.status === 200)).toHaveLength(1);
    expect(puts.filter((p) => p.status === 409)).toHaveLength(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ changed: true, status: "paused", attempts: 3 });
    expect(await h.campaignStatus(campaignId)).toBe("paused");
  });

  it("the PUT itself is reset (not applied): the retry carries the same key and changes state once", async () => {
    const campaignId = activeCampaigns()[2] as string;
    const client = h.client();
    const store = await openStore(path.join(h.dir(), ".cxo"));
    // Arm the reset between the read and the PUT, so it is the PUT that loses its connection.
    const port: Pick<CampaignsPort, "get" | "setStatus"> = {
      get: async (id, signal) => {
        const campaign = await client.port.campaigns.get(id, signal);
        await h.admin$("POST", "/faults", { group: "campaigns", resetRate: 1, count: 1 });
        return campaign;
      },
      setStatus: (...args) => client.port.campaigns.setStatus(...args),
    };
    try {
      const result = await changeCampaignStatus(port, store, campaignId, "paused");
      expect(result).toMatchObject({ changed: true, status: "paused", attempts: 2 });
      const puts = (await h.requests()).filter((r) => r.method === "PUT" && r.path.endsWith(campaignId));
      expect(puts.map((p) => p.status)).toEqual([0, 200]);
      const [record] = await store.audit.tail(1);
      expect(record).toMatchObject({ operation: "campaigns.set-status", outcome: "done", status: 200 });
    } finally {
      await store.close();
    }
  });

  it("a crash after CXone applied the PUT but before the bookkeeping: the re-drive replays (same key), one transition", async () => {
    const campaignId = activeCampaigns()[3] as string;
    const client = h.client();
    const dataDir = path.join(h.dir(), ".cxo");
    const crashed = await openStore(dataDir);
    let reached!: () => void;
    const applied = new Promise<void>((resolve) => (reached = resolve));
    // The PUT reaches CXone, then the process "dies": the journal row stays pending.
    const dying: Pick<CampaignsPort, "get" | "setStatus"> = {
      get: (id) => client.port.campaigns.get(id),
      setStatus: async (...args) => {
        await client.port.campaigns.setStatus(...args);
        reached();
        return new Promise(() => {});
      },
    };
    void changeCampaignStatus(dying, crashed, campaignId, "paused");
    await applied;
    // The process is gone: its store no longer holds its pending rows (a live one would keep
    // them leased, and another process must not re-drive them).
    await crashed.close();
    const restarted = await openStore(dataDir);
    try {
      const [pending] = await restarted.journal.pending();
      expect(pending).toMatchObject({ kind: "campaigns.set-status", target: campaignId });
      const report = await restarted.journal.redrivePending(campaignOperations(client.port.campaigns));
      expect(report).toMatchObject({ redriven: 1, done: 1 });
      expect(pending?.idempotencyKey).toBe(
        statusIdempotencyKey(pending?.payload as { campaignId: string; target: "paused"; intent: string }),
      );
      const [record] = await restarted.audit.tail(1);
      expect(record).toMatchObject({ outcome: "done", details: { changed: true, replayed: true } });
      expect(await h.campaignStatus(campaignId)).toBe("paused");
      const events = await restarted.outbox.list({ destination: "campaigns" });
      expect(events).toHaveLength(1);
    } finally {
      await restarted.close();
      await crashed.close();
    }
  });
});
