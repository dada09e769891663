import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseErlangFlags } from "../../../src/cli/commands/dialer-erlang-flags.ts";
import { parseSimulateFlags } from "../../../src/cli/commands/dialer-simulate-flags.ts";
import { InputError } from "../../../src/core/input-error.ts";
import { erlangReport } from "../../../src/dialer/simulator/index.ts";

/**
 * The flag parsing behind `cxo dialer erlang|simulate`, in-process (the spawned-CLI test keeps
 * to a few runs): every bad input is an InputError naming the flag or config field and the rule.
 */
const EXAMPLE = path.resolve("examples/dialer.yaml");
const dir = mkdtempSync(path.join(tmpdir(), "cxo-sim-input-"));

function problemsOf(fn: () => unknown): Array<{ field: string; rule: string }> {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  throw new Error("expected an InputError");
}

describe("cxo dialer erlang flags", () => {
  it("gives every model its document, null where the model defines no figure", () => {
    const b = erlangReport(parseErlangFlags({ model: "b", agents: "2", arrivalPerMin: "1", ahtMin: "1" }));
    expect(b).toMatchObject({ model: "b", pWait: null, asaSeconds: null, serviceLevel: null });
    expect(b.pAbandon).toBeCloseTo(0.2, 12);
    const c = erlangReport(
      parseErlangFlags({ model: "c", agents: "14", arrivalPerMin: String(100 / 30), ahtMin: "3" }),
    );
    expect(c).toMatchObject({ model: "c", pAbandon: null, slSeconds: 20 });
    expect(c.pWait).toBeCloseTo(0.1741, 4);
    expect(c.asaSeconds).toBeCloseTo(7.84, 2);
    expect(c.serviceLevel).toBeCloseTo(0.888, 3);
    const a = erlangReport(
      parseErlangFlags({
        model: "a",
        agents: "14",
        arrivalPerMin: String(100 / 30),
        ahtMin: "3",
        patienceMin: "5",
      }),
    );
    expect(a.pWait).toBeCloseTo(0.14526, 5);
    expect(a.pAbandon).toBeCloseTo(0.013984, 6);
    expect(a.occupancy).toBeCloseTo(0.704297, 6);
    expect(a.asaSeconds).toBeGreaterThan(0);
    const d = erlangReport(
      parseErlangFlags({ model: "mmnd", agents: "20", arrivalPerMin: "9", ahtMin: "2" }),
    );
    expect(d.pAbandon).toBeCloseTo(0.10233, 5); // τ defaults to the 2-second rule
    expect(d.occupancy).toBeCloseTo(0.8079, 4);
    const p = erlangReport(
      parseErlangFlags({
        model: "progressive",
        answerRate: "0.25",
        nonLiveS: "20",
        liveS: "8",
        ahtS: "120",
        agents: "10",
      }),
    );
    expect(p).toMatchObject({ model: "progressive", pWait: null, pAbandon: 0, serviceLevel: null });
    expect(p.connectsPerHour).toBeCloseTo(191.5, 1);
  });

  it.each([
    [{ agents: "3" }, "--model", /one of/],
    [{ model: "erlang" }, "--model", /one of/],
    [{ model: "c", agents: "10", arrivalPerMin: "5", ahtMin: "2" }, "--arrival-per-min", /unstable/],
    [{ model: "b", agents: "ten", arrivalPerMin: "5", ahtMin: "2" }, "--agents", /must be a number/],
    [{ model: "b", agents: "2.5", arrivalPerMin: "5", ahtMin: "2" }, "--agents", /whole number/],
    [{ model: "b", agents: "0", arrivalPerMin: "5", ahtMin: "2" }, "--agents", /whole number from 1/],
    [{ model: "b", agents: "3", arrivalPerMin: "-1", ahtMin: "2" }, "--arrival-per-min", /above 0/],
    [{ model: "b", agents: "3", arrivalPerMin: "1" }, "--aht-min", /required/],
    [{ model: "a", agents: "3", arrivalPerMin: "1", ahtMin: "2" }, "--patience-min", /required/],
    [
      { model: "mmnd", agents: "3", arrivalPerMin: "1", ahtMin: "2", patienceS: "-2" },
      "--patience-s",
      /0 or more/,
    ],
    [{ model: "c", agents: "3", arrivalPerMin: "1", ahtMin: "2", slS: "abc" }, "--sl-s", /number/],
    [
      { model: "c", agents: "3", arrivalPerMin: "1", ahtMin: "2", patienceMin: "1" },
      "--patience-min",
      /does not apply/,
    ],
    [
      { model: "progressive", answerRate: "1.5", nonLiveS: "20", liveS: "8", ahtS: "120" },
      "--answer-rate",
      /at most 1/,
    ],
    [{ model: "progressive", answerRate: "0.2", nonLiveS: "20", liveS: "8" }, "--aht-s", /required/],
  ])("rejects %o naming %s", (options, field, rule) => {
    const problems = problemsOf(() => parseErlangFlags(options as Record<string, string>));
    const problem = problems.find((p) => p.field === field);
    expect(problem, JSON.stringify(problems)).toBeDefined();
    expect(problem?.rule).toMatch(rule);
  });
});

describe("cxo dialer simulate flags", () => {
  it("builds a config from flags alone: AHT = talk + wrap, non-live outcomes rescaled, no trunk limit", () => {
    const run = parseSimulateFlags(
      { agents: "20", ahtS: "120", answerRate: "0.4", dialRatio: "2" },
      undefined,
    );
    expect(run.config.concurrency.maxAgents).toBe(20);
    expect(run.config.algorithm.agentAvailabilityEstimate).toBe(1);
    expect(run.config.traffic.talkSeconds + run.config.traffic.wrapSeconds).toBe(120);
    expect(run.config.traffic.liveAnswerRate).toBe(0.4);
    // 0.15 : 0.45 of the 0.75 non-live remainder, now of 0.6.
    expect(run.config.traffic.machineRate).toBeCloseTo(0.12, 12);
    expect(run.config.traffic.noAnswerRate).toBeCloseTo(0.36, 12);
    expect(run.config.carrier.trunks).toBe(100_000);
    expect(run).toMatchObject({ mode: "predictive", hours: 8, seed: 1 });
  });

  it("lays flags over a config file", () => {
    const run = parseSimulateFlags({ dialRatio: "3", hours: "2", seed: "5", mode: "adaptive" }, EXAMPLE);
    expect(run.config.algorithm.dialRatio).toBe(3);
    expect(run.config.carrier.trunks).toBe(150);
    expect(run).toMatchObject({ mode: "adaptive", hours: 2, seed: 5 });
  });

  it("parses a sweep and defaults its mode to predictive", () => {
    const run = parseSimulateFlags({ sweep: "dial-ratio=1:4:0.1", chart: path.join(dir, "c.html") }, EXAMPLE);
    expect(run.sweep).toEqual({ from: 1, to: 4, step: 0.1 });
    expect(run.mode).toBe("predictive");
  });

  const bad = path.join(dir, "bad.yaml");
  writeFileSync(bad, readFileSync(EXAMPLE, "utf8").replace("dialRatio: 2.5", "dialRatio: 0.5"));
  const flags = { agents: "20", ahtS: "120", answerRate: "0.3" };
  it.each([
    [{ agents: "20" }, undefined, "--aht-s", /required without --config/],
    [{ ...flags }, undefined, "--dial-ratio", /required/],
    [{ ...flags, dialRatio: "0.5" }, undefined, "--dial-ratio", /from 1 to 20/],
    [{ ...flags, dialRatio: "2", target: "0.05" }, undefined, "--target", /3%/],
    [{ ...flags, dialRatio: "2", ahtS: "5" }, undefined, "--aht-s", /above the wrap time/],
    [{ ...flags, dialRatio: "2", patienceS: "1.5" }, undefined, "--patience-s", /whole number/],
    [{ ...flags, dialRatio: "2", hours: "0" }, undefined, "--hours", /above 0/],
    [
      { ...flags, dialRatio: "2", dialsPerHour: "100" },
      undefined,
      "--dials-per-hour",
      /only applies to --mode open/,
    ],
    [{}, bad, "--config algorithm.dialRatio", /1/],
    [{}, path.join(dir, "missing.yaml"), "--config", /cannot read/],
    [{ chart: path.join(dir, "x.svg") }, EXAMPLE, "--chart", /only applies to --sweep/],
    [{ sweep: "dial-ratio=1:4:0.5", chart: path.join(dir, "x.png") }, EXAMPLE, "--chart", /\.svg or \.html/],
    [
      { sweep: "dial-ratio=1:4:0.5", chart: path.join(dir, "no-dir", "x.svg") },
      EXAMPLE,
      "--chart",
      /does not exist/,
    ],
    [{ sweep: "ratio=1:4" }, EXAMPLE, "--sweep", /dial-ratio=FROM:TO:STEP/],
    [{ sweep: "dial-ratio=4:1:0.5" }, EXAMPLE, "--sweep", /at least FROM/],
    [{ sweep: "dial-ratio=1:4:0.001" }, EXAMPLE, "--sweep", /at most 200 points/],
    [{ sweep: "dial-ratio=0.5:4:0.5" }, EXAMPLE, "--sweep", /from 1 to 20/],
    [{ sweep: "dial-ratio=1:4:0.5", mode: "progressive" }, EXAMPLE, "--mode", /no dial ratio/],
    [{ seed: "-1" }, EXAMPLE, "--seed", /whole number/],
  ])("rejects %o (config %s) naming %s", (options, file, field, rule) => {
    const problems = problemsOf(() => parseSimulateFlags(options as Record<string, string>, file));
    const problem = problems.find((p) => p.field === field);
    expect(problem, JSON.stringify(problems)).toBeDefined();
    expect(problem?.rule).toMatch(rule);
  });
});
