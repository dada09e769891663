import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RateLimitRegistry } from "../../../src/core/http/endpoint-groups.ts";
import { RateShareMembership, type ShareStore, shareRateBudget } from "../../../src/core/http/rate-budget.ts";

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
    async release(_tenant, groups) {
      for (const key of [...rows.keys()])
        if (key.endsWith(` ${holder}`) && (!groups || groups.includes(key.split(" ")[0]!))) rows.delete(key);
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

describe("one process's membership of a group, whatever number of its calls use it", () => {
  const options = { tenant: "t", intervalMs: 250, ttlMs: 3_000 };
  /** A `cxo serve` (A) holding outcomes, and a client (B) whose calls share its membership. */
  async function beside() {
    const shares = memoryShares(() => performance.now());
    const a = new RateLimitRegistry({ outcomes: { limit: 100, per: "second" } });
    const b = new RateLimitRegistry({ outcomes: { limit: 100, per: "second" } });
    const served = await shareRateBudget(a, shares.asHolder("A"), { ...options, groups: ["outcomes"] });
    const joins: string[] = [];
    const membership = new RateShareMembership(async (group) => {
      joins.push(group);
      return shareRateBudget(b, shares.asHolder("B"), { ...options, groups: [group] });
    });
    return { a, b, served, membership, joins };
  }

  it("calls that overlap join once (one wait), and the first to finish does not give the share back", async () => {
    const { a, b, served, membership, joins } = await beside();
    let releaseFirst!: () => void;
    const first = membership.with(
      ["outcomes"],
      () => new Promise<void>((resolve) => (releaseFirst = resolve)),
    );
    await vi.advanceTimersByTimeAsync(0);
    const pausedAt = b.get("outcomes").state().pausedForMs;
    expect(pausedAt).toBeGreaterThanOrEqual(1_000);
    await vi.advanceTimersByTimeAsync(100);
    // A second call while the first runs: no second join, no new pause.
    let secondDone = false;
    const second = membership.with(["outcomes"], async () => {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      secondDone = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(joins).toEqual(["outcomes"]);
    expect(b.get("outcomes").state().pausedForMs).toBeLessThanOrEqual(pausedAt - 100);
    releaseFirst();
    await first;
    // The second still runs: the process still holds its share, and A still has half.
    await vi.advanceTimersByTimeAsync(600);
    expect(secondDone).toBe(false);
    expect(a.get("outcomes").state()).toMatchObject({ holders: 2, currentLimit: 50 });
    await vi.advanceTimersByTimeAsync(2_000);
    await second;
    await membership.close();
    await served.close();
  });

  it("a call soon after the last one rides on its share; after the linger the share goes back", async () => {
    const { a, membership, joins, served } = await beside();
    await vi.advanceTimersByTimeAsync(0);
    const run = membership.with(["outcomes"], async () => undefined);
    await vi.advanceTimersByTimeAsync(10);
    await run;
    await vi.advanceTimersByTimeAsync(1_000);
    await membership.with(["outcomes"], async () => undefined);
    expect(joins).toEqual(["outcomes"]);
    // Five idle seconds later the share is given back and A's grows back.
    await vi.advanceTimersByTimeAsync(5_300);
    expect(a.get("outcomes").state()).toMatchObject({ holders: 1, currentLimit: 100 });
    // The next call joins again (and waits its window again).
    await membership.with(["outcomes"], async () => undefined);
    expect(joins).toEqual(["outcomes", "outcomes"]);
    await membership.close();
    await served.close();
  });

  it("a failed join is forgotten: the next call tries again", async () => {
    let attempts = 0;
    const membership = new RateShareMembership(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error("store busy");
      return { refresh: async () => undefined, close: async () => undefined };
    });
    await expect(membership.with(["outcomes"], async () => "x")).rejects.toThrow("store busy");
    await expect(membership.with(["outcomes"], async () => "y")).resolves.toBe("y");
    expect(attempts).toBe(2);
    await membership.close();
  });
});
