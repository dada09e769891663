import { describe, expect, it } from "vitest";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import { ContactFactor, digamma, evidenceWeight, trigamma } from "../../src/strategy/plan-contact.ts";
import { posteriorOf } from "../../src/strategy/plan-posterior.ts";

/**
 * A contact's own earlier attempts as a factor on its segment's rates (plan-contact.ts): the
 * evidence weights, the Gamma-Poisson factor λ = (m + Σ w·answered) / (m + Σ w·p), shrunk
 * toward 1 by m.
 */
describe("contact factor", () => {
  it("weighs an attempt at the same hour of the same kind of day fully, an hour away half, the other kind of day a quarter", () => {
    expect(evidenceWeight(18, 18 + 24)).toBe(1); // Monday and Tuesday 18:00
    expect(evidenceWeight(18, 19)).toBe(0.5);
    expect(evidenceWeight(0, 23)).toBe(0.5); // across midnight
    expect(evidenceWeight(18, 120 + 18)).toBe(0.25); // Monday and Saturday 18:00
    expect(evidenceWeight(18, 20)).toBe(0);
    expect(evidenceWeight(18, 120 + 19)).toBe(0);
  });

  it("an unanswered call lowers the hour, an answered one raises it, more with a weaker prior", () => {
    const counts = new SlotCounts();
    for (let s = 0; s < 168; s++) counts.add(["state"], { state: "FL" }, s, 1000, 250);
    const model = buildModel(counts, { campaign: "C1" });
    const posterior = posteriorOf(model.segments[0]?.slots ?? [], model.priorStrength);
    const p = posterior.estimate[18] as number;
    const missed = new ContactFactor(Int16Array.of(18), Uint8Array.of(0), 2);
    expect(missed.of(posterior, 18)).toBeCloseTo(2 / (2 + p), 10);
    expect(missed.of(posterior, 19)).toBeCloseTo(2 / (2 + 0.5 * p), 10);
    expect(missed.of(posterior, 100)).toBe(1);
    expect(missed.most(posterior)).toBe(1);
    const weak = new ContactFactor(Int16Array.of(18), Uint8Array.of(0), 0.5);
    expect(weak.of(posterior, 18)).toBeLessThan(missed.of(posterior, 18));
    const answered = new ContactFactor(Int16Array.of(18), Uint8Array.of(1), 2);
    expect(answered.of(posterior, 18)).toBeCloseTo(3 / (2 + p), 10);
    expect(answered.most(posterior)).toBeCloseTo(3 / (2 + p), 10);
  });
});

describe("digamma and trigamma (the contact-adjusted interval)", () => {
  it("match known values", () => {
    expect(digamma(1)).toBeCloseTo(-0.5772156649, 9);
    expect(digamma(0.5)).toBeCloseTo(-1.963510026, 9);
    expect(digamma(10)).toBeCloseTo(2.2517525891, 9);
    expect(trigamma(1)).toBeCloseTo(Math.PI ** 2 / 6, 9);
    expect(trigamma(0.5)).toBeCloseTo(Math.PI ** 2 / 2, 9);
    expect(trigamma(10)).toBeCloseTo(0.1051663357, 9);
  });
});
