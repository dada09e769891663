import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Counters,
  classify,
  type DecisionConfig,
  decide,
} from "../../../src/campaigns/watchdog/decision.ts";

const config: DecisionConfig = { threshold: 0.15, minSample: 30, breaches: 3, failBack: false };
const fresh: Counters = { breaches: 0, healthy: 0, incidentOpen: false };

describe("classify", () => {
  it.each([
    [{ successRate: 0.1, callsInWindow: 100 }, config, "breach"],
    [{ successRate: 0.15, callsInWindow: 100 }, config, "healthy"], // at the threshold is not below it
    [{ successRate: 0.149, callsInWindow: 30 }, config, "breach"], // exactly the minimum sample
    [{ successRate: 0.01, callsInWindow: 29 }, config, "insufficient"],
    [{ successRate: 0.01, callsInWindow: undefined }, config, "insufficient"],
    [{ successRate: 0.01, callsInWindow: undefined }, { ...config, minSample: 0 }, "breach"],
    [{ successRate: 0.9, callsInWindow: 0 }, { ...config, minSample: 0 }, "healthy"],
  ] as const)("%j with %j → %s", (sample, cfg, verdict) => {
    expect(classify(sample, cfg)).toBe(verdict);
  });
});

describe("decide", () => {
  const bad = { successRate: 0.05, callsInWindow: 200 };
  const good = { successRate: 0.3, callsInWindow: 200 };
  const thin = { successRate: 0.01, callsInWindow: 3 };

  const run = (samples: Array<typeof bad>, cfg = config, start = fresh) => {
    let counters = start;
    const actions: string[] = [];
    for (const sample of samples) {
      const decision = decide(counters, sample, cfg);
      counters = decision.counters;
      actions.push(decision.action);
    }
    return { counters, actions };
  };

  it.each([
    ["K breaches in a row fail over on the K-th", [bad, bad, bad], ["none", "none", "failover"]],
    [
      "a healthy sample resets the streak",
      [bad, bad, good, bad, bad],
      ["none", "none", "none", "none", "none"],
    ],
    [
      "an insufficient sample neither counts nor resets",
      [bad, thin, bad, thin, bad],
      ["none", "none", "none", "none", "failover"],
    ],
    ["only thin samples never fail over", [thin, thin, thin, thin], ["none", "none", "none", "none"]],
    [
      "no second failover while the incident is open",
      [bad, bad, bad, bad, bad, bad],
      ["none", "none", "failover", "none", "none", "none"],
    ],
    [
      "healthy samples after a failover do nothing without fail-back",
      [bad, bad, bad, good, good, good, good],
      ["none", "none", "failover", "none", "none", "none", "none"],
    ],
  ])("%s", (_label, samples, expected) => {
    expect(run(samples).actions).toEqual(expected);
  });

  it("with fail-back: K healthy samples in a row fail back, a breach in between resets that streak", () => {
    const cfg = { ...config, failBack: true };
    const { actions, counters } = run([bad, bad, bad, good, good, bad, good, good, good], cfg);
    expect(actions).toEqual([
      "none",
      "none",
      "failover",
      "none",
      "none",
      "none",
      "none",
      "none",
      "fail-back",
    ]);
    expect(counters).toEqual({ breaches: 0, healthy: 3, incidentOpen: false });
    // After failing back the watch starts afresh: K more breaches open a new incident.
    expect(run([bad, bad, bad], cfg, counters).actions).toEqual(["none", "none", "failover"]);
  });

  it("property: failover happens only on the K-th consecutive trusted breach, never otherwise", () => {
    const sample = fc.record({
      successRate: fc.double({ min: 0, max: 1, noNaN: true }),
      callsInWindow: fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 60 }), fc.integer({ min: 1, max: 6 }), (samples, k) => {
        const cfg = { ...config, breaches: k };
        let counters = fresh;
        let streak = 0;
        for (const s of samples) {
          const verdict = classify(s, cfg);
          if (!counters.incidentOpen) {
            if (verdict === "breach") streak += 1;
            else if (verdict === "healthy") streak = 0;
          }
          const decision = decide(counters, s, cfg);
          const shouldFailOver = !counters.incidentOpen && verdict === "breach" && streak >= k;
          expect(decision.action === "failover").toBe(shouldFailOver);
          if (verdict === "insufficient") expect(decision.counters).toEqual(counters);
          counters = decision.counters;
        }
      }),
    );
  });
});
