import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { parseNanp, recordAttempt } from "../../src/compliance/index.ts";
import { touchesOfPhones } from "../../src/compliance/touches-store.ts";
import { openStore } from "../../src/core/store/index.ts";
import { STORE_BACKENDS, useStoreBackend } from "../store/fixtures/backends.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

describe.each(STORE_BACKENDS)("attempt history of a batch (%s)", (name) => {
  const backend = useStoreBackend(name);

  it("touchesOfPhones reads a batch's calls in one query, window bounds as attemptsInWindow", async () => {
    const location = await backend.fresh();
    const store = await openStore(location.target);
    try {
      const at = Date.parse("2026-03-10T15:00:00Z");
      await recordAttempt(store, { phone: "+13055550200", campaignId: "c1", at: at - 3_600_000 });
      await recordAttempt(store, { phone: "+13055550200", campaignId: "c2", at: at - 60_000 });
      await recordAttempt(store, { phone: "+13055550201", campaignId: "c1", at: at - 8 * 86_400_000 });
      await recordAttempt(store, { phone: "+13055550202", campaignId: "c1", at: at + 1 });
      const phones = Array.from({ length: 1200 }, (_, i) => `+1212555${String(1000 + i).padStart(4, "0")}`);
      const history = await touchesOfPhones(
        store,
        [...phones, "+13055550200", "+13055550201", "+13055550202", "+13055550200"],
        at - 7 * 86_400_000,
        at,
      );
      expect(history.get("+13055550200")?.map((c) => [c.atMs, c.campaignId, c.channel, c.source])).toEqual([
        [at - 3_600_000, "c1", "call", "cxo"],
        [at - 60_000, "c2", "call", "cxo"],
      ]);
      expect(history.has("+13055550201")).toBe(false); // before the window
      expect(history.has("+13055550202")).toBe(false); // after it
      expect(history.size).toBe(1);
      expect((await touchesOfPhones(store, [], 0, at)).size).toBe(0);
    } finally {
      await store.close();
      location.remove();
    }
  });
});

/** The parts a large scrub leans on: one attempt query per batch, and verdicts reused per situation. */
describe("scrub helpers", () => {
  it("a reused verdict names its own number, and its shared parts cannot be changed", () => {
    const at = Date.parse("2026-03-10T11:00:00Z"); // 07:00 in New York: refused
    const first = engine.evaluate({
      number: parseNanp("+12125550200")!,
      atMs: at,
      consent: true,
      onDnc: false,
    });
    const second = engine.evaluate({
      number: parseNanp("+12125550299")!,
      atMs: at,
      consent: true,
      onDnc: false,
    });
    expect(first.phone).toBe("+12125550200");
    expect(second.phone).toBe("+12125550299");
    expect(second.reasons).toEqual(first.reasons);
    expect(() => (second.reasons as unknown[]).push({})).toThrow(TypeError);
    // A number on the internal list is judged afresh: its message names it.
    const listed = engine.evaluate({
      number: parseNanp("+12125550201")!,
      atMs: at,
      consent: true,
      onDnc: true,
    });
    expect(listed.reasons.find((r) => r.code === "internal_dnc")?.message).toContain("+12125550201");
  });
});
