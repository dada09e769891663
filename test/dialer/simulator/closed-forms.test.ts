import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  birthDeathErlangA,
  deterministicPatience,
  erlangA,
  erlangB,
  erlangC,
  exponentialPatience,
  impatientQueue,
  logSeriesA,
  mmnD,
  progressive,
  serversForBlocking,
} from "../../../src/dialer/simulator/index.ts";

/** Reference values from reference/queueing.md's worked examples, plus textbook checks. */
describe("Erlang B", () => {
  it("matches the worked examples", () => {
    expect(erlangB(1, 1)).toBeCloseTo(0.5, 12);
    expect(erlangB(2, 1)).toBeCloseTo(0.2, 12);
    // Textbook table: 10 Erlangs on 15 servers blocks 3.65%.
    expect(erlangB(15, 10)).toBeCloseTo(0.03649, 4);
    expect(erlangB(0, 3)).toBe(1);
  });

  it("stays finite and sensible for thousands of servers", () => {
    const b = erlangB(5000, 4800);
    expect(b).toBeGreaterThan(0);
    expect(b).toBeLessThan(0.01);
    expect(erlangB(5000, 6000)).toBeCloseTo(1 - 5000 / 6000, 2);
  });

  it("decreases with servers and increases with load (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 0.01, max: 400, noNaN: true }),
        (n, a) => {
          expect(erlangB(n + 1, a)).toBeLessThanOrEqual(erlangB(n, a));
          expect(erlangB(n, a * 1.1)).toBeGreaterThanOrEqual(erlangB(n, a));
        },
      ),
    );
  });

  it("sizes trunks for a blocking target", () => {
    const n = serversForBlocking(10, 0.01);
    expect(erlangB(n, 10)).toBeLessThanOrEqual(0.01);
    expect(erlangB(n - 1, 10)).toBeGreaterThan(0.01);
  });

  it("rejects nonsense arguments", () => {
    expect(() => erlangB(-1, 1)).toThrow(RangeError);
    expect(() => erlangB(2.5, 1)).toThrow(RangeError);
    expect(() => erlangB(2, Number.NaN)).toThrow(RangeError);
  });
});

describe("Erlang C", () => {
  it("matches the worked example (a = 10, n = 14, t = 20 s)", () => {
    const r = erlangC(14, 100 / 1800, 1 / 180, 20);
    expect(r.pWait).toBeCloseTo(0.1741, 4);
    expect(r.serviceLevel).toBeCloseTo(0.888, 3);
    expect(r.asa).toBeCloseTo(7.84, 2);
    expect(r.occupancy).toBeCloseTo(0.714, 3);
  });

  it("refuses an unstable load (a ≥ n) and names it", () => {
    expect(() => erlangC(10, 10, 1)).toThrow(/unstable/);
  });
});

describe("Erlang A (M/M/n+M)", () => {
  const lambda = 100 / 30;
  it("matches the worked example", () => {
    const r = erlangA(14, lambda, 1 / 3, 1 / 5);
    expect(r.pWait).toBeCloseTo(0.14526, 5);
    expect(r.pAbandon).toBeCloseTo(0.013984, 6);
    expect(r.occupancy).toBeCloseTo(0.704297, 6);
    expect(r.meanWait).toBeCloseTo(r.pAbandon * 5, 12);
  });

  it("agrees with the exact birth–death chain (property), including overload", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.double({ min: 0.1, max: 1.6, noNaN: true }),
        fc.double({ min: 0.05, max: 20, noNaN: true }),
        (n, rho, patienceOverAht) => {
          const mu = 1;
          const closed = erlangA(n, rho * n * mu, mu, 1 / patienceOverAht);
          const chain = birthDeathErlangA(n, rho * n * mu, mu, 1 / patienceOverAht);
          expect(closed.pWait).toBeCloseTo(chain.pWait, 7);
          expect(closed.pAbandon).toBeCloseTo(chain.pAbandon, 7);
          expect(closed.occupancy).toBeCloseTo(chain.occupancy, 7);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("does not overflow for a large centre (n = 3000, overloaded, long patience)", () => {
    const r = erlangA(3000, 3300 / 180, 1 / 180, 1 / 600);
    expect(Number.isFinite(r.pAbandon)).toBe(true);
    // Overloaded by 10%: about 1/11 of callers must leave.
    expect(r.pAbandon).toBeCloseTo(1 - 1 / 1.1, 2);
  });

  it("uses ρ = λ/(nμ), not λ/μ (the public-code bug gives a different answer)", () => {
    const [n, mu, theta] = [14, 1 / 3, 1 / 5];
    const r = erlangA(n, lambda, mu, theta);
    const seriesA = Math.exp(logSeriesA((n * mu) / theta, lambda / theta));
    const abandonGivenWait = (rho: number) => 1 / (rho * seriesA) + 1 - 1 / rho;
    expect(r.pAbandon).toBeCloseTo(abandonGivenWait(lambda / (n * mu)) * r.pWait, 12);
    expect(Math.abs(abandonGivenWait(lambda / mu) * r.pWait - r.pAbandon)).toBeGreaterThan(0.1);
  });
});

describe("M/M/n+G and the 2-second rule (M/M/n+D)", () => {
  it("matches the worked example (n = 20, AHT 120 s, 0.15/s, τ = 2 s)", () => {
    const r = mmnD(20, 0.15, 1 / 120, 2);
    expect(r.pAbandon).toBeCloseTo(0.10233, 5);
    expect(r.occupancy).toBeCloseTo(0.8079, 4);
    expect(erlangB(20, 18)).toBeCloseTo(0.10921, 5);
  });

  it("τ → 0 is Erlang B", () => {
    for (const [n, a] of [
      [20, 18],
      [5, 2],
      [100, 95],
    ] as const) {
      expect(mmnD(n, a / 100, 1 / 100, 0).pAbandon).toBeCloseTo(erlangB(n, a), 10);
      expect(mmnD(n, a / 100, 1 / 100, 1e-9).pAbandon).toBeCloseTo(erlangB(n, a), 6);
    }
  });

  it("the general numeric M/M/n+G agrees with the D closed form and with Erlang A", () => {
    for (const tau of [0.5, 2, 12, 120]) {
      const closed = mmnD(20, 0.15, 1 / 120, tau);
      const numeric = impatientQueue(20, 0.15, 1 / 120, deterministicPatience(tau));
      expect(numeric.pWait).toBeCloseTo(closed.pWait, 6);
      expect(numeric.pAbandon).toBeCloseTo(closed.pAbandon, 6);
    }
    const a = erlangA(14, 100 / 30, 1 / 3, 1 / 5);
    const g = impatientQueue(14, 100 / 30, 1 / 3, exponentialPatience(5));
    expect(g.pWait).toBeCloseTo(a.pWait, 6);
    expect(g.pAbandon).toBeCloseTo(a.pAbandon, 6);
    expect(g.meanWaitAll).toBeCloseTo(a.meanWait, 5);
  });

  it("longer patience means fewer drops (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 80 }),
        fc.double({ min: 0.3, max: 1.3, noNaN: true }),
        fc.double({ min: 0.1, max: 30, noNaN: true }),
        (n, rho, tau) => {
          const lambda = (rho * n) / 100;
          const short = mmnD(n, lambda, 1 / 100, tau).pAbandon;
          const long = mmnD(n, lambda, 1 / 100, tau * 2).pAbandon;
          expect(long).toBeLessThanOrEqual(short + 1e-12);
          expect(short).toBeLessThanOrEqual(erlangB(n, lambda * 100) + 1e-12);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("stays finite for an overloaded large centre with long patience", () => {
    const r = mmnD(5000, (5000 / 180) * 1.1, 1 / 180, 600);
    expect(r.pAbandon).toBeCloseTo(1 - 1 / 1.1, 3);
    expect(r.pWait).toBeCloseTo(1, 6);
  });
});

describe("progressive dialing", () => {
  it("matches the worked example (p = 0.25, Dn = 20 s, Dl = 8 s, H = 120 s)", () => {
    const r = progressive({ answerRate: 0.25, nonLiveSeconds: 20, liveSeconds: 8, ahtSeconds: 120 });
    expect(r.cycleSeconds).toBeCloseTo(188, 10);
    expect(r.connectsPerAgentHour).toBeCloseTo(19.15, 2);
    expect(r.occupancy).toBeCloseTo(0.638, 3);
    expect(r.pAbandon).toBe(0);
  });

  it("rejects an answer rate of 0", () => {
    expect(() => progressive({ answerRate: 0, nonLiveSeconds: 20, liveSeconds: 8, ahtSeconds: 120 })).toThrow(
      RangeError,
    );
  });
});
