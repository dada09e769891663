import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { dialerConfigSchema } from "../../src/dialer/config.ts";
import { sweepDialRatio } from "../../src/dialer/simulator/sweep.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import * as sdk from "../../src/index.ts";

/**
 * What only the CLI could do, now the client's (review 7 gap 2): verify an export's compliance
 * hash (`outcomes.verify`), sweep the simulator over the dial ratio (`dialer.sweep`), the verdict
 * on a simulation's target (`withinTarget`), and plan a CXone calling list by its id (`strategy.plan`
 * of `{ listId }`: test/strategy/plan-reads-what-push-reads.test.ts plans it on the production
 * emulator). Each: bad input an InputError naming the SDK's field, refused after close().
 */
let emulator: RunningEmulator;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-cli-work-"));
beforeAll(async () => {
  emulator = (await startEmulator({ port: 0, calls: 200, metricsIntervalMs: 0 })) as RunningEmulator;
});
afterAll(() => emulator.close());

function client(): sdk.CxoneClient {
  const admin = emulator.fixtures.clients[0]!;
  return sdk.createClient({
    connection: { baseUrl: emulator.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
    dataDir: mkdtempSync(path.join(dir, "data-")),
  });
}
/** A client with no connection: what the CLI's local commands use. */
const local = () => sdk.createClient({ dataDir: mkdtempSync(path.join(dir, "local-")) });
const config = () => parse(readFileSync("examples/dialer.yaml", "utf8")) as sdk.DialerConfigInput;
const failureOf = async (call: () => Promise<unknown>): Promise<unknown> =>
  call().then(
    () => undefined,
    (error: unknown) => error,
  );
const fields = (error: unknown) => (error as sdk.InputError).problems.map((p) => p.field);
/** One turn of the event loop (a simulation's slices are setImmediates). */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("dialer.sweep and simulate's verdict", () => {
  it("answers the sweep the simulator computes (points, recommendation), locally", async () => {
    await using c = local();
    const range = { from: 1, to: 2, step: 0.5 };
    const sweep = await c.dialer.sweep(config(), { dialRatio: range, hours: 0.5, seed: 3 });
    const parsed = dialerConfigSchema.parse(config());
    expect(sweep).toEqual(sweepDialRatio(parsed, range, { mode: "predictive", hours: 0.5, seed: 3 }));
    expect(sweep.points.map((p) => p.dialRatio)).toEqual([1, 1.5, 2]);
    expect(sweep.target).toBe(parsed.algorithm.abandonmentTarget);
  });

  it("simulate's answer carries the config's target and withinTarget: the CI's upper bound at or under it", async () => {
    await using c = local();
    const within = await c.dialer.simulate(config(), { hours: 0.5 });
    expect(within.target).toBe(dialerConfigSchema.parse(config()).algorithm.abandonmentTarget);
    expect(within.withinTarget).toBe(within.abandonment.ci95.high <= within.target);
    // A target of 0 with calls abandoned: the upper bound is above it.
    const base = config() as { algorithm: Record<string, unknown> };
    const over = await c.dialer.simulate(
      { ...base, algorithm: { ...base.algorithm, abandonmentTarget: 0, dialRatio: 3 } } as never,
      { hours: 0.5, mode: "predictive" },
    );
    expect(over.abandonment.ci95.high).toBeGreaterThan(0);
    expect(over).toMatchObject({ target: 0, withinTarget: false });
  });

  it("a bad range names dialRatio, progressive names mode, a bad config names its field; nothing runs", async () => {
    await using c = local();
    const range = (dialRatio: unknown) => c.dialer.sweep(config(), { dialRatio } as never);
    for (const bad of [
      undefined,
      { from: 1, to: 2 },
      { from: 0.5, to: 2, step: 0.5 },
      { from: 3, to: 2, step: 1 },
    ]) {
      const error = await failureOf(() => range(bad));
      expect(error).toBeInstanceOf(sdk.InputError);
      expect(fields(error)).toEqual(["dialRatio"]);
    }
    const many = await failureOf(() => range({ from: 1, to: 20, step: 0.01 }));
    expect((many as sdk.InputError).problems[0]?.rule).toMatch(/^at most 200 points/);
    const progressive = await failureOf(() =>
      c.dialer.sweep(config(), { dialRatio: { from: 1, to: 2, step: 1 }, mode: "progressive" }),
    );
    expect(fields(progressive)).toEqual(["mode"]);
    const badConfig = await failureOf(() =>
      c.dialer.sweep({ algorithm: { dialRatio: "x" } } as never, { dialRatio: { from: 1, to: 2, step: 1 } }),
    );
    expect(badConfig).toBeInstanceOf(sdk.InputError);
  });

  it("stops at the call's signal (the runs are sliced), and is refused after close()", async () => {
    const c = local();
    const stop = new AbortController();
    let settled = false;
    const running = failureOf(() =>
      c.dialer.sweep(
        config(),
        { dialRatio: { from: 1, to: 3, step: 0.5 }, hours: 2000 },
        { signal: stop.signal },
      ),
    ).finally(() => {
      settled = true;
    });
    for (let i = 0; i < 3; i++) await turn();
    expect(settled).toBe(false);
    stop.abort(new Error("stopped by the test"));
    let turns = 0;
    while (!settled && turns < 1_000) {
      await turn();
      turns += 1;
    }
    expect(turns).toBeLessThanOrEqual(2);
    expect(String(await running)).toContain("stopped by the test");
    await c.close();
    const closed = await failureOf(() =>
      c.dialer.sweep(config(), { dialRatio: { from: 1, to: 2, step: 1 } }),
    );
    expect(closed).toBeInstanceOf(sdk.ClientClosedError);
  });
});

describe("outcomes.verify", () => {
  let out = "";
  let hash = "";
  let records = 0;
  beforeAll(async () => {
    await using c = client();
    out = path.join(dir, "calls.ndjson");
    const summary = await c.outcomes.export(
      {
        campaignId: emulator.fixtures.campaigns[0]!.id,
        from: new Date(Date.now() - 80 * 86_400_000),
        to: new Date(Date.now() - 60_000),
      },
      { out },
    );
    hash = summary.complianceHash;
    records = summary.totalRecords;
  });

  it("recomputes the hash: ok when it matches (any case), the hash found when it does not", async () => {
    await using c = local();
    expect(records).toBeGreaterThan(10);
    expect(await c.outcomes.verify({ file: out, hash })).toEqual({
      ok: true,
      file: out,
      format: "ndjson",
      records,
      complianceHash: hash,
      expectedHash: hash,
    });
    expect(await c.outcomes.verify({ file: out, hash: hash.toUpperCase() })).toMatchObject({ ok: true });
    const other = "0".repeat(64);
    expect(await c.outcomes.verify({ file: out, hash: other })).toEqual({
      ok: false,
      file: out,
      format: "ndjson",
      records,
      complianceHash: hash,
      expectedHash: other,
    });
  });

  it("a file that is no export answers ok false with the error; read as CSV, the NDJSON is none", async () => {
    await using c = local();
    const notes = path.join(dir, "notes.json");
    writeFileSync(notes, '{"a": 1\n');
    expect(await c.outcomes.verify({ file: notes, hash })).toEqual({
      ok: false,
      file: notes,
      error: "line 1 is not JSON",
    });
    const asCsv = await c.outcomes.verify({ file: out, hash, format: "csv" });
    expect(asCsv).toMatchObject({ ok: false, file: out });
    expect("error" in asCsv && asCsv.error).toMatch(/is not valid CSV/);
  });

  it("bad input names file, hash and format, every problem at once; refused after close()", async () => {
    const c = local();
    const none = await failureOf(() => c.outcomes.verify({} as never));
    expect(none).toBeInstanceOf(sdk.InputError);
    expect((none as sdk.InputError).problems).toEqual([
      { field: "file", rule: "is required" },
      { field: "hash", rule: "is required" },
    ]);
    const bad = await failureOf(() =>
      c.outcomes.verify({ file: path.join(dir, "missing.ndjson"), hash: "abc", format: "xml" as never }),
    );
    expect(fields(bad)).toEqual(["hash", "file", "format"]);
    expect((bad as sdk.InputError).problems[0]?.rule).toBe(
      "must be a SHA-256 hex digest (64 hex characters)",
    );
    await c.close();
    expect(await failureOf(() => c.outcomes.verify({ file: out, hash }))).toBeInstanceOf(
      sdk.ClientClosedError,
    );
  });
});

describe("strategy.plan of { listId }: bad input names list", () => {
  it("an empty id, a list of no known shape: InputError naming list before anything is read", async () => {
    await using c = local();
    const model = { version: 1 } as never;
    const params = { from: "2026-12-02T07:00:00-05:00", days: 1 } as never;
    for (const list of [{ listId: "" }, { listId: 7 }, {}, 42]) {
      const error = await failureOf(() => c.strategy.plan(list as never, model, params));
      expect(error).toBeInstanceOf(sdk.InputError);
      expect(fields(error)).toEqual(["list"]);
    }
  });
});
