import { describe, expect, it, vi } from "vitest";

/**
 * The verdict cache keys a number by its area code and an id of its zone list. Ids were the
 * size of the per-exchange zone cache, which also grows when a number is judged without the
 * cache (a contact with attempts): two different zone lists could then share an id, and a
 * cached verdict of one exchange was returned for another. Found by the full suite (modules
 * shared between test files): 850-222 (Eastern only, allowed at 08:30 EDT) came back blocked
 * with the verdict of an Eastern + Central 850 exchange (07:30 CDT). Each test imports the
 * module afresh so the caches start empty.
 */
async function freshCompliance() {
  vi.resetModules();
  return import("../../src/compliance/index.ts");
}

describe("zone-list ids of the verdict cache", () => {
  it("two exchanges with different zones never share a cached verdict, whatever was judged before", async () => {
    const { ComplianceEngine, parseNanp } = await freshCompliance();
    const engine = new ComplianceEngine();
    const at = Date.parse("2026-03-10T12:30:00Z"); // 08:30 EDT, 07:30 CDT
    const eastern = parseNanp("+18502225555"); // 850-222 Tallahassee: Eastern only
    const mixed = parseNanp("+18505550200"); // another 850 exchange: Eastern and Central
    if (!eastern || !mixed) throw new Error("bad numbers");
    // Judged with its history first: not cached, but its zones are.
    const withHistory = engine.evaluate({
      number: eastern,
      atMs: at,
      consent: true,
      onDnc: false,
      attempts: [{ atMs: at - 3 * 86_400_000, campaignId: "701" }],
    });
    expect(withHistory.zones).toEqual(["America/New_York"]);
    const other = engine.evaluate({ number: mixed, atMs: at, consent: true, onDnc: false });
    expect(other.zones).toEqual(["America/New_York", "America/Chicago"]);
    expect(other.allowed).toBe(false);
    const cached = engine.evaluate({ number: eastern, atMs: at, consent: true, onDnc: false });
    expect(cached.zones).toEqual(["America/New_York"]);
    expect(cached.allowed).toBe(true);
  });
});
