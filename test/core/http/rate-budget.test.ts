import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RateLimitRegistry } from "../../../src/core/http/endpoint-groups.ts";
import { type ShareStore, shareRateBudget } from "../../../src/core/http/rate-budget.ts";

/** The store's share table, in memory: holders per group, each with an expiry. */
function memoryShares(now: () => number) {
  const rows = new Map<string, number>(); // `${group} ${holder}` → expires at
  const asHolder = (holder: string): ShareStore => ({
    async renew(_tenant, groups, ttlMs) {
      for (const group of groups) rows.set(`${group} ${holder}`, now() + ttlMs);
      const counts = new Map<string, number>();
      for (const [key, expires] of rows) {
        if (expires <= now()) continue;
        const group = key.split(" ")[0]!;
        counts.set(group, (counts.get(group) ?? 0) + 1);
      }
      return counts;
    },
    async release() {
      for (const key of [...rows.keys()]) if (key.endsWith(` ${holder}`)) rows.delete(key);
    },
  });
  return { asHolder };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("a rate budget shared by processes through the store", () => {
  it("a second process halves each one's share, waits a window before sending, and a dead one's share returns", async () => {
    const shares = memoryShares(() => performance.now());
    const a = new RateLimitRegistry({ dispositions: { limit: 300, per: "second" } });
    const b = new RateLimitRegistry({ dispositions: { limit: 300, per: "second" } });
    const options = { tenant: "t", groups: ["dispositions"] as const, intervalMs: 250, ttlMs: 3_000 };
    const budgetA = await shareRateBudget(a, shares.asHolder("A"), options);
    expect(a.get("dispositions").state()).toMatchObject({ holders: 1, currentLimit: 300, pausedForMs: 0 });

    const budgetB = await shareRateBudget(b, shares.asHolder("B"), options);
    // B joins at its share, paused until A has lowered its rate and its window has aged out.
    expect(b.get("dispositions").state()).toMatchObject({ holders: 2, currentLimit: 150 });
    expect(b.get("dispositions").state().pausedForMs).toBeGreaterThanOrEqual(1_000);
    await vi.advanceTimersByTimeAsync(300);
    expect(a.get("dispositions").state()).toMatchObject({ holders: 2, currentLimit: 150 });

    // B dies without a word (kill -9): its row expires and A's share grows back.
    await budgetB.close().catch(() => undefined);
    await vi.advanceTimersByTimeAsync(300);
    expect(a.get("dispositions").state()).toMatchObject({ holders: 1, currentLimit: 300 });
    await budgetA.close();
  });

  it("a crashed process's share comes back within the lease (a few seconds)", async () => {
    const shares = memoryShares(() => performance.now());
    const a = new RateLimitRegistry();
    const options = { tenant: "t", groups: ["dispositions"] as const, intervalMs: 250, ttlMs: 3_000 };
    const budgetA = await shareRateBudget(a, shares.asHolder("A"), options);
    // A holder that renewed once and then died: never releases.
    await shares.asHolder("dead").renew("t", ["dispositions"], 3_000);
    await vi.advanceTimersByTimeAsync(300);
    expect(a.get("dispositions").state().holders).toBe(2);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(a.get("dispositions").state()).toMatchObject({ holders: 1, currentLimit: 100 });
    await budgetA.close();
  });

  it("its renewal timer never keeps the process alive, and close stops it", async () => {
    const shares = memoryShares(() => performance.now());
    const budget = await shareRateBudget(new RateLimitRegistry(), shares.asHolder("A"), {
      tenant: "t",
      groups: ["dispositions"],
    });
    expect(vi.getTimerCount()).toBe(1);
    await budget.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});
