import { describe, expect, it, vi } from "vitest";
import { silentLogger } from "../../src/core/logging/index.ts";
import { CampaignBoard } from "../../src/service/campaign-board.ts";
import { MetricsPoller } from "../../src/service/metrics-poller.ts";
import { followSharedStates } from "../../src/service/shared-states.ts";

/** A campaigns port whose reads answer (or fail) as each test says. */
function poller(
  metrics: () => Promise<never> | Promise<unknown>,
  get: (id: string) => Promise<unknown> = async (id) => ({ id, name: "Renewals East", status: "running" }),
) {
  const board = new CampaignBoard({ historyPoints: 10, campaigns: ["701"] });
  const campaigns = { get, metrics };
  const task = new MetricsPoller({
    campaigns: campaigns as never,
    board,
    intervalMs: 60_000,
    windowMinutes: 15,
    logger: silentLogger,
  });
  return { board, task };
}

describe("MetricsPoller", () => {
  it("puts the campaign's name on the board even when its metrics read fails", async () => {
    const { board, task } = poller(() => Promise.reject(new Error("metrics: 503 Service Unavailable")));
    const error = await task.pollOne("701");
    expect((error as Error).message).toMatch(/503/);
    const view = board.view("701");
    expect(view?.name).toBe("Renewals East");
    expect(view?.status).toBe("running");
    expect(view?.lastError).toMatch(/503/);
  });

  it("records state and metrics together when both reads answer", async () => {
    const { board, task } = poller(async () => ({
      callsInWindow: 4,
      successRate: 0.25,
      activeCalls: 2,
      failoverTriggered: false,
      lastUpdated: "2026-11-25T08:00:00Z",
    }));
    expect(await task.pollOne("701")).toBeUndefined();
    const view = board.view("701");
    expect(view?.name).toBe("Renewals East");
    expect(view?.successRate).toBe(0.25);
    expect(view?.lastError).toBeNull();
  });
});

describe("the board's campaign state: the newest observation wins, whatever order they arrive in", () => {
  it("a poll whose read was asked before an operator's pause does not undo the pause on the board", async () => {
    let answer: ((status: string) => void) | undefined;
    const { board, task } = poller(
      async () => ({ callsInWindow: 0, successRate: null, activeCalls: 0, failoverTriggered: false }),
      // The read is asked now; CXone answers later (with what was true when it was asked).
      (id) =>
        new Promise((resolve) => {
          answer = (status) => resolve({ id, name: "Renewals East", status });
        }),
    );
    vi.useFakeTimers({ toFake: ["Date"], now: 1_000 });
    try {
      const polling = task.pollOne("701");
      vi.setSystemTime(1_001);
      board.recordState("701", { status: "paused" }); // the operator's pause, done meanwhile
      answer?.("active");
      await polling;
    } finally {
      vi.useRealTimers();
    }
    expect(board.view("701")?.status).toBe("paused");
    expect(board.view("701")?.name).toBe("Renewals East"); // the name still comes from the read
  });

  it("a state shared by another instance that is older than the latest read is not applied", () => {
    const board = new CampaignBoard({ historyPoints: 10, campaigns: ["701"] });
    board.recordState("701", { status: "paused", at: 1_000 }); // an instance's pause at t=1000
    board.recordState("701", { status: "active", at: 3_000 }); // a read asked at t=3000
    board.recordState("701", { status: "paused", at: 1_000 }); // the pause, relayed late
    expect(board.view("701")?.status).toBe("active");
    board.recordState("701", { status: "paused", at: 4_000 });
    expect(board.view("701")?.status).toBe("paused");
  });
});

describe("another instance's pause, relayed after a newer read", () => {
  it("the relay does not put the board back to the older state", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: 10_000 });
    try {
      const rows: Array<{ key: string; value: unknown }> = [];
      const kv = { list: async () => rows } as never;
      const board = new CampaignBoard({ historyPoints: 10, campaigns: ["701"] });
      const follower = followSharedStates({
        store: { kv },
        board,
        logger: silentLogger,
        intervalMs: 3_600_000,
      });
      try {
        vi.setSystemTime(11_000);
        rows.push({ key: "701", value: { status: "paused", at: Date.now() } }); // paused on another instance
        vi.setSystemTime(12_000);
        board.recordState("701", { status: "active", at: Date.now() }); // resumed since: a read says so
        await follower.readNow(); // the pause arrives now
        expect(board.view("701")?.status).toBe("active");
      } finally {
        follower.stop();
      }
    } finally {
      vi.useRealTimers();
    }
  });
});
