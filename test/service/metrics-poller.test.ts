import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logging/index.ts";
import { CampaignBoard } from "../../src/service/campaign-board.ts";
import { MetricsPoller } from "../../src/service/metrics-poller.ts";

/** A campaigns port whose reads answer (or fail) as each test says. */
function poller(metrics: () => Promise<never> | Promise<unknown>) {
  const board = new CampaignBoard({ historyPoints: 10, campaigns: ["701"] });
  const campaigns = {
    get: async (id: string) => ({ id, name: "Renewals East", status: "running" }),
    metrics,
  };
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
