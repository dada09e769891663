import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type CxoneHarness, cxoneHarness } from "./helpers.ts";

let h: CxoneHarness;
beforeAll(async () => {
  h = await cxoneHarness({ seed: 3, contacts: 2000 });
});
afterAll(() => h.close());
afterEach(async () => {
  await h.admin("DELETE", "/faults");
});

describe("production-API emulator: faults", () => {
  it("answers 429 with Retry-After, then without it, then recovers; other groups untouched", async () => {
    await h.api("GET", "server-time"); // token fetched before the faults
    await h.admin("POST", "/faults", { group: "completed", burst429: 1, retryAfter: 3 });
    await h.admin("POST", "/faults", { group: "completed", burst429: 1, retryAfterFormat: "none" });
    const first = await h.api("GET", "contacts/completed?top=1");
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("3");
    const second = await h.api("GET", "contacts/completed?top=1");
    expect(second.status).toBe(429);
    expect(second.headers.get("retry-after")).toBeNull();
    expect((await h.api("GET", "skills")).status).toBe(200);
    expect((await h.api("GET", "contacts/completed?top=1")).status).toBe(200);
    const log = (await h.admin("GET", "/requests")).body.requests.filter(
      (r: { group: string }) => r.group === "completed",
    );
    expect(log.slice(-3).map((r: { status: number }) => r.status)).toEqual([429, 429, 200]);
  });

  it("answers 503 without Retry-After, or with it when asked (throttling in disguise)", async () => {
    await h.admin("POST", "/faults", { errorRate: 1, errorStatus: 503, count: 1 });
    const plain = await h.api("GET", "skills");
    expect(plain.status).toBe(503);
    expect(plain.headers.get("retry-after")).toBeNull();
    await h.admin("POST", "/faults", {
      errorRate: 1,
      errorStatus: 503,
      count: 1,
      retryAfterFormat: "seconds",
      retryAfter: 2,
    });
    const throttled = await h.api("GET", "skills");
    expect(throttled.status).toBe(503);
    expect(throttled.headers.get("retry-after")).toBe("2");
    expect((await h.api("GET", "skills")).status).toBe(200);
  });

  it("resets connections and adds latency; the token endpoint is a group too", async () => {
    await h.admin("POST", "/faults", { group: "skills", resetRate: 1, count: 1 });
    await expect(h.api("GET", "skills")).rejects.toThrow();
    expect((await h.api("GET", "skills")).status).toBe(200);
    await h.admin("POST", "/faults", { group: "misc", latencyMs: 150, count: 1 });
    const t0 = performance.now();
    await h.api("GET", "server-time");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    await h.admin("POST", "/faults", { group: "auth", burst429: 1, retryAfterFormat: "none" });
    await expect(h.login()).rejects.toThrow(/token: 429/);
    const log = (await h.admin("GET", "/requests")).body.requests;
    expect(log.some((r: { status: number; group: string }) => r.status === 0 && r.group === "skills")).toBe(
      true,
    );
  });

  it("cuts a completed-contacts page mid-body (full Content-Length, half the bytes), logged as truncated", async () => {
    await h.api("GET", "server-time");
    await h.admin("POST", "/faults", { group: "completed", truncateRate: 1, count: 1 });
    await expect(h.api("GET", "contacts/completed?top=50")).rejects.toThrow();
    expect((await h.api("GET", "contacts/completed?top=50")).status).toBe(200);
    const log = (await h.admin("GET", "/requests")).body.requests.filter(
      (r: { group: string }) => r.group === "completed",
    );
    expect(log.at(-2)).toMatchObject({ status: 200, truncated: true });
    expect(log.at(-1).truncated).toBeUndefined();
  });

  it("refuses an unknown group or field, naming it", async () => {
    const bad = await h.admin("POST", "/faults", { group: "outcomes", burst429: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errorDescription).toContain("group");
    expect((await h.admin("POST", "/knobs", { closedContact: "maybe" })).body.errorDescription).toContain(
      "closedContact",
    );
  });
});
