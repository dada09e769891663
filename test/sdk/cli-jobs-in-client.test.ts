import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { compileScenario, scenarioSchema } from "../../src/dialer/pacing/scenario.ts";
import { diffSettings } from "../../src/dialer/settings/diff.ts";
import { runBench } from "../../src/dialer/simulator/pacing-bench/bench.ts";
import * as sdk from "../../src/index.ts";
import { seedDialerHistory } from "../support/dialer-history.ts";

/**
 * The three jobs only the CLI could run, now the client's (review 8 gap 3): `dialer.diff` of two
 * versions, `compliance.importRegistry` of a DNC registry's files, `dialer.pacingBench` on a
 * scenario. Each local (a client without a connection), bad input an InputError naming the SDK's
 * field, stopped by the call's signal where it runs long, and refused after close().
 */
const dir = mkdtempSync(path.join(tmpdir(), "cxo-cli-jobs-"));
const dataDir = () => mkdtempSync(path.join(dir, "data-"));
const failureOf = async (call: () => Promise<unknown>): Promise<unknown> =>
  call().then(
    () => undefined,
    (error: unknown) => error,
  );
/** One turn of the event loop (an inline bench runs a job a turn). */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const fields = (error: unknown) => (error as sdk.InputError).problems.map((p) => p.field);

const settings = (maxAgents: number, dialRatio: number) => ({
  name: "Tenant default dialer",
  concurrency: { maxAgents, maxSimultaneousCalls: 120, callSpacingMs: 200 },
  algorithm: {
    type: "predictive" as const,
    abandonmentTarget: 0.025,
    agentAvailabilityEstimate: 0.8,
    dialRatio,
    warmLineTimeoutSec: 10,
  },
});

async function withHistory(): Promise<string> {
  const data = dataDir();
  await seedDialerHistory(data, [
    ["2026-11-01T10:00:00.000Z", "v-one", settings(40, 2.5)],
    ["2026-11-02T10:00:00.000Z", "v-two", settings(42, 1.3)],
  ]);
  return data;
}

describe("dialer.diff", () => {
  it("diffs two versions of the history, on a client without a connection", async () => {
    await using c = sdk.createClient({ dataDir: await withHistory() });
    expect(await c.dialer.diff({ from: "v-one", to: "v-two" })).toEqual({
      from: "v-one",
      to: "v-two",
      changes: diffSettings(settings(40, 2.5), settings(42, 1.3)),
    });
    expect((await c.dialer.diff({ from: "v-two", to: "v-two" })).changes).toEqual([]);
  });

  it("names the SDK's field for an unknown or missing version, and is refused after close()", async () => {
    const c = sdk.createClient({ dataDir: await withHistory() });
    const unknown = await failureOf(() => c.dialer.diff({ from: "v-one", to: "v-nope" }));
    expect(unknown).toBeInstanceOf(sdk.InputError);
    expect((unknown as sdk.InputError).problems).toEqual([
      { field: "to", rule: "version v-nope is not in the history (see cxo dialer history)" },
    ]);
    expect(fields(await failureOf(() => c.dialer.diff({ from: "v-nope", to: "v-nope" })))).toEqual(["from"]);
    expect(fields(await failureOf(() => c.dialer.diff({} as sdk.DialerDiffParams)))).toEqual(["from", "to"]);
    // "current" is CXone's: a client without a connection refuses it (nothing to read it from).
    expect(await failureOf(() => c.dialer.diff({ from: "v-one", to: "current" }))).toBeInstanceOf(Error);
    await c.close();
    expect(await failureOf(() => c.dialer.diff({ from: "v-one", to: "v-two" }))).toBeInstanceOf(
      sdk.ClientClosedError,
    );
  });
});

describe("compliance.importRegistry", () => {
  const file = (name: string, text: string) => {
    const at = path.join(mkdtempSync(path.join(dir, "files-")), name);
    writeFileSync(at, text);
    return at;
  };
  const current = (data: string, registry: string) =>
    readFileSync(path.join(data, "dnc-registry", registry, "CURRENT"), "utf8");

  it("imports a national copy and a state list into the data dir, without a connection; check reads it", async () => {
    const data = dataDir();
    await using c = sdk.createClient({ dataDir: data });
    const nat = file("nat.txt", "2025551234\n2025551235\n3035550000\n");
    const summary = await c.compliance.importRegistry({
      registry: "national",
      files: [nat],
      asOf: "2026-01-01",
    });
    expect(summary).toMatchObject({
      registry: "national",
      asOf: "2026-01-01",
      mode: "full",
      lines: 3,
      numbers: 3,
      areaCodes: 2,
      previousNumbers: null,
    });
    const changes = file("changes.txt", "-2025551234\n");
    expect(
      await c.compliance.importRegistry({
        registry: "national",
        files: [changes],
        mode: "changes",
        asOf: "2026-01-02",
      }),
    ).toMatchObject({ numbers: 2, previousNumbers: 3, mode: "changes" });
    expect(
      await c.compliance.importRegistry({ registry: "tx", files: [nat], asOf: "2026-01-01" }),
    ).toMatchObject({
      registry: "TX",
      numbers: 3,
    });
    const uk = file("tps.csv", "+447700900123,2024-01-01\n");
    expect(await c.compliance.importRegistry({ registry: "tps", files: [uk], asOf: "2026-01-01" })).toEqual({
      registry: "tps",
      numbers: 1,
      lines: 1,
      asOf: "2026-01-01",
    });
  });

  it("checks the request whole, naming the SDK's fields (an unreadable file by its path), nothing imported", async () => {
    const data = dataDir();
    await using c = sdk.createClient({ dataDir: data });
    const missing = path.join(dir, "none.txt");
    const error = await failureOf(() =>
      c.compliance.importRegistry({ registry: "zz", files: [missing], asOf: "2099-01-01" }),
    );
    expect(error).toBeInstanceOf(sdk.InputError);
    expect(fields(error)).toEqual(["registry", missing, "asOf"]);
    const nat = file("nat.txt", "2025551234\n");
    expect(
      fields(
        await failureOf(() =>
          c.compliance.importRegistry({ registry: "national", files: [nat], asOf: "2026-13-01" }),
        ),
      ),
    ).toEqual(["asOf"]);
    expect(
      fields(
        await failureOf(() =>
          c.compliance.importRegistry({ registry: "national", files: [nat], mode: "all" as "full" }),
        ),
      ),
    ).toEqual(["mode"]);
    expect(
      fields(await failureOf(() => c.compliance.importRegistry({ registry: "national", files: ["-"] }))),
    ).toEqual(["asOf"]);
    expect(
      fields(
        await failureOf(() =>
          c.compliance.importRegistry({
            registry: "ctps",
            files: [nat],
            mode: "changes",
            asOf: "2026-01-01",
          }),
        ),
      ),
    ).toEqual(["files"]);
    const bad = file("bad.txt", "2025551234\nabc\n");
    const line = await failureOf(() =>
      c.compliance.importRegistry({ registry: "national", files: [bad], asOf: "2026-01-01" }),
    );
    expect((line as sdk.InputError).problems).toMatchObject([{ field: bad, row: 2 }]);
  });

  it("stops between chunks at the call's signal, leaving the previous copy; refused after close()", async () => {
    const data = dataDir();
    const c = sdk.createClient({ dataDir: data });
    await c.compliance.importRegistry({
      registry: "national",
      files: [file("nat.txt", "2025551234\n")],
      asOf: "2026-01-01",
    });
    const before = current(data, "national");
    const stop = new AbortController();
    const stdin = Readable.from(
      (async function* () {
        yield Buffer.from("3035550000\n");
        stop.abort(new Error("stopped"));
        yield Buffer.from("3035550001\n");
      })(),
    );
    const stopped = await failureOf(() =>
      c.compliance.importRegistry(
        { registry: "national", files: ["-"], asOf: "2026-01-02", stdin },
        { signal: stop.signal },
      ),
    );
    expect((stopped as Error).message).toBe("stopped");
    expect(current(data, "national")).toBe(before);
    await c.close();
    expect(
      await failureOf(() =>
        c.compliance.importRegistry({ registry: "national", files: ["-"], asOf: "2026-01-01" }),
      ),
    ).toBeInstanceOf(sdk.ClientClosedError);
  });
});

describe("dialer.pacingBench", () => {
  const document = {
    name: "tiny",
    days: 1,
    day: { start: "09:00", end: "10:00" },
    agents: 10,
    talk: { dist: "exponential", mean: 120 },
    wrap: { dist: "constant", mean: 10 },
    ring: { answered: { dist: "constant", mean: 10 }, unansweredSeconds: 25 },
    answerRate: [{ at: "09:00", rate: 0.3 }],
    machines: { share: 0.2, detectSeconds: 2.5, falsePositive: 0.05 },
    abandon: { connectWithinSeconds: 2 },
    limits: { target: 0.03, window: "day", maxLinesPerAgent: 3 },
  };
  const small = { controllers: ["cxo"], replications: 1, tuneDays: 1, workers: 0 };

  it("benches a scenario document or file locally: the bench's own report", async () => {
    await using c = sdk.createClient({ dataDir: dataDir() });
    const report = await c.dialer.pacingBench({ scenario: document, ...small });
    const direct = await runBench({
      scenario: compileScenario(scenarioSchema.parse(document)),
      controllers: ["cxo"],
      replications: 1,
      tuneDays: 1,
      workers: 0,
    });
    const { wallSeconds: _a, ...figures } = report;
    const { wallSeconds: _b, ...expected } = direct;
    expect(figures).toEqual(expected);
    expect(report.controllers.map((r) => r.name)).toContain("cxo");
    const yaml = path.join(dir, "scenario.json");
    writeFileSync(yaml, JSON.stringify(document));
    const fromFile = await c.dialer.pacingBench({ scenario: yaml, ...small });
    expect(fromFile.controllers.map((r) => r.connectsPerAgentHour)).toEqual(
      report.controllers.map((r) => r.connectsPerAgentHour),
    );
  });

  it("names the SDK's fields for bad input, before anything runs", async () => {
    await using c = sdk.createClient({ dataDir: dataDir() });
    const error = await failureOf(() =>
      c.dialer.pacingBench({ scenario: "", replications: 0, seed: -1, workers: 65, tuneDays: 1.5 }),
    );
    expect(fields(error)).toEqual(["replications", "workers", "tuneDays", "seed", "scenario"]);
    const unknown = await failureOf(() =>
      c.dialer.pacingBench({ scenario: document, controllers: ["nope", "cxo"] }),
    );
    expect((unknown as sdk.InputError).problems).toMatchObject([
      { field: "controllers", rule: expect.stringMatching(/^unknown controller\(s\) nope; known: cxo, /) },
    ]);
    expect(
      fields(await failureOf(() => c.dialer.pacingBench({ scenario: document, controllers: [] }))),
    ).toEqual(["controllers"]);
    expect(
      fields(await failureOf(() => c.dialer.pacingBench({ scenario: path.join(dir, "none.yaml") }))),
    ).toEqual(["scenario"]);
    expect(
      fields(await failureOf(() => c.dialer.pacingBench({ scenario: { ...document, agents: -1 } }))),
    ).toEqual(["agents"]);
  });

  it("stops at the call's signal between jobs (Ctrl-C), and is refused after close()", async () => {
    const c = sdk.createClient({ dataDir: dataDir() });
    const stop = new AbortController();
    let settled = false;
    const running = failureOf(() =>
      c.dialer.pacingBench(
        { scenario: document, replications: 50, tuneDays: 5, workers: 0 },
        { signal: stop.signal },
      ),
    ).finally(() => {
      settled = true;
    });
    // The bench under way (its jobs are slices of the event loop), then the signal.
    for (let i = 0; i < 50; i++) await turn();
    expect(settled).toBe(false);
    stop.abort(new Error("interrupted by the user"));
    expect(((await running) as Error).message).toBe("interrupted by the user");
    // close() ends a bench in flight.
    const inFlight = failureOf(() =>
      c.dialer.pacingBench({ scenario: document, replications: 50, workers: 0 }),
    );
    await c.close();
    expect(await inFlight).toBeInstanceOf(Error);
    expect(await failureOf(() => c.dialer.pacingBench({ scenario: document, ...small }))).toBeInstanceOf(
      sdk.ClientClosedError,
    );
  });
});
