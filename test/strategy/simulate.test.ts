import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { parseYaml } from "../../src/core/input-file.ts";
import { modelSchema } from "../../src/strategy/model-format.ts";
import { hourAgnostic, niceRests, oracle } from "../../src/strategy/policies.ts";
import { learnedPlanned } from "../../src/strategy/policy-learned.ts";
import { compilePopulation } from "../../src/strategy/population.ts";
import { recheck } from "../../src/strategy/recheck.ts";
import { type Policy, simulate } from "../../src/strategy/simulate.ts";
import { buildWorld, slotAt, trueRate } from "../../src/strategy/world.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * The bench's world and dialer (issue 55 §4): seeded (same seed, same figures), every strategy
 * within the capacity and the attempts per record, the hidden profiles reachable through the
 * called party's local time across the change to daylight-saving time, the compliance re-check
 * finding a strategy that calls at night, and the oracle above the learned strategy above the
 * hour-agnostic baseline on a list whose column tells the segment.
 */
function population(change: Record<string, unknown> = {}) {
  const doc = parseYaml(readFileSync("examples/strategy-population.yaml", "utf8")) as Record<string, unknown>;
  return compilePopulation({
    ...doc,
    list: {
      size: 600,
      observable: { column: "lifestyle", accuracy: 1 },
      history: { share: 0.3, attempts: 4, days: 14 },
    },
    capacityPerHour: 12,
    ...change,
  });
}

describe("strategy simulator", () => {
  const pop = population();
  const world = buildWorld(pop, 3, engine);

  it("is seeded: the same seed gives the same list and the same figures", async () => {
    const again = buildWorld(pop, 3, engine);
    expect(Array.from(again.segment)).toEqual(Array.from(world.segment));
    expect(again.phone).toEqual(world.phone);
    const a = await simulate(world, learnedPlanned({ fromHistory: true, seed: 9 }));
    const b = await simulate(again, learnedPlanned({ fromHistory: true, seed: 9 }));
    expect([a.attempts, a.rpcs, a.reached]).toEqual([b.attempts, b.rpcs, b.reached]);
  });

  it("every strategy stays within the capacity and the attempts per record, with 0 violations re-checked", async () => {
    for (const policy of [
      hourAgnostic(),
      niceRests(),
      oracle(),
      learnedPlanned({ fromHistory: false, seed: 1 }),
    ]) {
      const result = await simulate(world, policy);
      expect(Math.max(...result.perHour)).toBeLessThanOrEqual(12);
      const perContact = new Map<number, number>();
      for (const c of result.log.contact) perContact.set(c, (perContact.get(c) ?? 0) + 1);
      expect(Math.max(...perContact.values())).toBeLessThanOrEqual(pop.spec.attemptsPerRecord);
      expect(recheck(world, result)).toMatchObject({ violations: 0 });
    }
  });

  it("the learned strategies run the product's learn and plan: a model keyed by the list column, the plan's own compliance", async () => {
    const policy = learnedPlanned({ fromHistory: true, seed: 4 });
    expect(policy.gated).toBe(false);
    const result = await simulate(world, policy);
    const model = modelSchema.parse(policy.model());
    expect(model.keys).toEqual(["column:lifestyle"]);
    expect(model.segments.map((s) => s.values["column:lifestyle"]).sort()).toEqual(
      ["retired", "shifts", "working"].sort(),
    );
    // learned from the history and every attempt dialled but the last day's
    expect(model.learnedFrom.records).toBeGreaterThan(world.history.contact.length);
    expect(model.learnedFrom.records).toBeLessThanOrEqual(world.history.contact.length + result.attempts);
    expect(recheck(world, result)).toMatchObject({ violations: 0 });
  });

  it("local hours follow the called party's zone through the change to daylight-saving time", () => {
    // 2026-03-08 06:00Z is 01:00 EST (Sunday); 07:00Z is 03:00 EDT: slot 145, then 147.
    const ny = world.zone.findIndex((z) => world.zones[z] === "America/New_York");
    const h = (iso: string) => (Date.parse(iso) - world.startMs) / 3_600_000;
    expect(slotAt(world, ny, h("2026-03-08T06:00:00Z"))).toBe(6 * 24 + 1);
    expect(slotAt(world, ny, h("2026-03-08T07:00:00Z"))).toBe(6 * 24 + 3);
    const phoenix = world.zone.findIndex((z) => world.zones[z] === "America/Phoenix");
    // Arizona keeps standard time: 07:00Z is 00:00 Sunday there before and after.
    expect(slotAt(world, phoenix, h("2026-03-08T07:00:00Z"))).toBe(6 * 24);
    expect(trueRate(world, ny, 18)).toBeGreaterThan(0);
  });

  it("the re-check finds a strategy that calls at night, and names the rule", async () => {
    const night: Policy = {
      name: "night",
      gated: false,
      eligible: (w, _s, c, h) => slotAt(w, c, h) % 24 === 3,
      score: () => 1,
    };
    const result = await simulate(world, night);
    expect(result.attempts).toBeGreaterThan(0);
    const check = recheck(world, result);
    expect(check.violations).toBe(result.attempts);
    expect(check.byReason.outside_calling_hours).toBeGreaterThanOrEqual(result.attempts);
  });

  it("with the column always right: oracle > learned from history > hour-agnostic in RPCs per attempt", async () => {
    const rate = async (p: Policy) => {
      const r = await simulate(world, p);
      return r.rpcs / r.attempts;
    };
    const agnostic = await rate(hourAgnostic());
    const learned = await rate(learnedPlanned({ fromHistory: true, seed: 2 }));
    const best = await rate(oracle());
    expect(learned).toBeGreaterThan(agnostic * 1.1);
    expect(best).toBeGreaterThan(learned);
  });
});
