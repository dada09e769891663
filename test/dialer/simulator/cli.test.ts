import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../../src/emulator/index.ts";
import { runCli } from "../../support/run-cli.ts";

/**
 * `cxo dialer erlang` and `cxo dialer simulate` as a user runs them (a few spawned runs; the
 * flag rules are covered in-process by cli-input.test.ts): one JSON document with --json, exit
 * 2 on bad input with nothing on stdout, and nothing ever sent to CXone — the environment
 * points the CLI at an emulator whose request log must stay empty.
 */
let emulator: RunningEmulator;
let env: Record<string, string>;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-sim-cli-"));
const EXAMPLE = path.resolve("examples/dialer.yaml");

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, metricsIntervalMs: 0 });
  const admin = emulator.fixtures.clients[0];
  env = {
    CXONE_BASE_URL: emulator.url,
    CXONE_CLIENT_ID: admin?.clientId ?? "",
    CXONE_CLIENT_SECRET: admin?.clientSecret ?? "",
    CXO_DATA_DIR: path.join(dir, ".cxo"),
  };
});

afterAll(async () => {
  await emulator.close();
});

const json = async (args: string[]) => {
  const r = await runCli(["--json", ...args], env, { timeoutMs: 60_000 });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
};

describe("cxo dialer erlang|simulate (spawned)", () => {
  it("erlang --json prints the contract's document; an unstable Erlang C exits 2 naming the flag", async () => {
    const doc = await json([
      "dialer",
      "erlang",
      "--model",
      "mmnd",
      "--agents",
      "20",
      "--arrival-per-min",
      "9",
      "--aht-min",
      "2",
      "--patience-s",
      "2",
    ]);
    expect(Object.keys(doc)).toEqual(
      expect.arrayContaining(["model", "pWait", "pAbandon", "asaSeconds", "serviceLevel", "occupancy"]),
    );
    expect(doc.model).toBe("mmnd");
    expect(doc.pAbandon).toBeCloseTo(0.10233, 5);
    const bad = await runCli(
      [
        "--json",
        "dialer",
        "erlang",
        "--model",
        "c",
        "--agents",
        "10",
        "--arrival-per-min",
        "5",
        "--aht-min",
        "2",
      ],
      env,
      { timeoutMs: 60_000 },
    );
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toMatch(/--arrival-per-min: .*unstable/);
  });

  it("simulate --config prints one JSON document with the CI and the target verdict", async () => {
    const doc = await json(["dialer", "simulate", "--config", EXAMPLE, "--hours", "2", "--seed", "9"]);
    expect(doc).toMatchObject({
      mode: "predictive",
      agents: 43,
      trunks: 150,
      hours: 2,
      seed: 9,
      target: 0.03,
    });
    const abandonment = doc.abandonment as { rate: number; ci95: { low: number; high: number } };
    expect(abandonment.ci95.low).toBeLessThanOrEqual(abandonment.rate);
    expect(abandonment.ci95.high).toBeGreaterThanOrEqual(abandonment.rate);
    expect(doc.withinTarget).toBe(abandonment.ci95.high <= 0.03);
    expect(doc.peakChannels).toBeLessThanOrEqual(150);
    expect(doc.eventsProcessed).toBeGreaterThan(1000);
  });

  it("simulate --sweep writes a self-contained HTML chart and recommends the largest safe ratio", async () => {
    const html = path.join(dir, "sweep.html");
    const doc = await json([
      "dialer",
      "simulate",
      "--config",
      EXAMPLE,
      "--hours",
      "2",
      "--sweep",
      "dial-ratio=1:4:0.5",
      "--chart",
      html,
    ]);
    const points = doc.points as Array<{ dialRatio: number; ci95High: number }>;
    expect(points.map((p) => p.dialRatio)).toEqual([1, 1.5, 2, 2.5, 3, 3.5, 4]);
    let expected: number | null = null;
    for (const p of points) {
      if (p.ci95High > 0.03) break;
      expected = p.dialRatio;
    }
    expect(expected).not.toBeNull();
    expect(doc.recommendedMaxRatio).toBe(expected);
    expect(doc.chart).toBe(html);
    const text = readFileSync(html, "utf8");
    expect(text).toContain("uPlot");
    expect(text).not.toMatch(/<script[^>]+src=|<link[^>]+href=/i);
  });

  it("simulate with missing flags exits 2 naming them; no command sent anything to CXone", async () => {
    const r = await runCli(["--json", "dialer", "simulate", "--agents", "20"], env, { timeoutMs: 60_000 });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("--aht-s: is required without --config");
    expect(r.stderr).toContain("--answer-rate: is required without --config");
    const log = (await (await fetch(`${emulator.url}/_emulator/requests`)).json()) as { requests: unknown[] };
    expect(log.requests).toEqual([]);
  });
});
