import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/input-error.ts";
import { evaluate } from "../../src/strategy/evaluate.ts";
import { learn } from "../../src/strategy/learn.ts";
import { history, holdoutStart } from "./known-lift-history.ts";

/**
 * `strategy evaluate` on a synthetic history whose answer is known: eight weeks of an
 * hour-agnostic campaign calling 13:00–20:59 local, the right party answering 40% of the time
 * from 17:00 and 10% before. The strategy spends the same attempts in the better half of the
 * hours, so its lift on the held-out fortnight is 0.40 / 0.25 = 1.6. A flat history (25% at every
 * hour) has no lift to find: the interval holds 1 and the sentence says so.
 */
describe("strategy evaluate (offline lift on held-out weeks)", () => {
  it("finds the known lift of 1.6 with an interval around it, and says it is worth switching on", async () => {
    const records = history((hour) => (hour >= 17 ? 0.4 : 0.1));
    const model = await learn(
      (async function* () {
        yield* records;
      })(),
      { campaign: "C1", keys: ["state"], to: holdoutStart },
    );
    const result = await evaluate(records, model, { holdoutDays: 14 });
    expect(result.attempts).toBeGreaterThan(14 * 8 * 16 * 0.95);
    expect(result.lift).toBeGreaterThan(1.45);
    expect(result.lift).toBeLessThan(1.75);
    expect(result.ci95[0]).toBeLessThan(1.6);
    expect(result.ci95[1]).toBeGreaterThan(1.6);
    expect(result.ci95[0]).toBeGreaterThan(1.2);
    expect(result.worthSwitchingOn).toBe(true);
    expect(result.verdict).toMatch(/^Worth switching on/);
    expect(result.notes).toEqual([]);
  });

  it("a flat history: the interval holds no lift and the verdict says not proven; a model that saw the held-out days is named", async () => {
    const records = history(() => 0.25, 11);
    const stream = (to?: string) =>
      learn(
        (async function* () {
          yield* records;
        })(),
        { campaign: "C1", keys: ["state"], ...(to ? { to } : {}) },
      );
    const result = await evaluate(records, await stream(holdoutStart), { holdoutDays: 14 });
    expect(result.ci95[0]).toBeLessThan(1);
    expect(result.ci95[1]).toBeGreaterThan(1);
    expect(result.worthSwitchingOn).toBe(false);
    expect(result.verdict).toMatch(/^Not proven yet/);
    // A model that learned from the held-out days is refused (issue 64 §2), naming model.learnedFrom …
    const refused = await evaluate(records, await stream(), { holdoutDays: 14, resamples: 10 }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as InputError).problems[0]).toMatchObject({ field: "model.learnedFrom" });
    expect((refused as InputError).problems[0]?.rule).toMatch(/inside the held-out days .*allowOverlap/);
    // … unless allowed, and then the headline itself says the figure is optimistic.
    const leaked = await evaluate(records, await stream(), {
      holdoutDays: 14,
      resamples: 10,
      allowOverlap: true,
    });
    expect(leaked.optimistic).toBe(true);
    expect(leaked.verdict).toMatch(/^Optimistic — the model learned from these held-out days/);
    expect(leaked.notes.join(" ")).toMatch(/learned from a window reaching into the held-out days/);
    expect(result.optimistic).toBe(false);
  });

  it("refuses a history without the model's campaign, naming the field", async () => {
    const records = history(() => 0.25).map((r) => ({ ...r, campaignId: "OTHER" }));
    const model = await learn(
      (async function* () {
        yield* history(() => 0.25);
      })(),
      { campaign: "C1", keys: ["state"] },
    );
    const error = await evaluate(records, model, { holdoutDays: 14 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]?.field).toBe("history");
  });
});

describe("SDK strategy group", () => {
  it("strategy.evaluate gives the same answer as the function; a bad holdout is refused naming the field", async () => {
    const { strategyGroup } = await import("../../src/sdk/strategy.ts");
    const records = history((hour) => (hour >= 17 ? 0.4 : 0.1), 5);
    const model = await learn(
      (async function* () {
        yield* records;
      })(),
      { campaign: "C1", keys: ["state"], to: holdoutStart },
    );
    const group = strategyGroup();
    const viaSdk = await group.evaluate(records, model, { holdoutDays: 14, resamples: 50 });
    const direct = await evaluate(records, model, { holdoutDays: 14, resamples: 50 });
    expect(viaSdk).toEqual(direct);
    const error = await group.evaluate(records, model, { holdoutDays: 0 }).catch((e: unknown) => e);
    expect((error as InputError).problems[0]?.field).toBe("holdoutDays");
  });
});

describe("cxo strategy evaluate", () => {
  it("prints the lift and the verdict as JSON; a bad --holdout-days or a model of another shape exits 2 naming the flag", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { runCli } = await import("../support/run-cli.ts");
    const dir = mkdtempSync(join(tmpdir(), "cxo-evaluate-"));
    const records = history((hour) => (hour >= 17 ? 0.4 : 0.1), 3);
    const model = await learn(
      (async function* () {
        yield* records;
      })(),
      { campaign: "C1", keys: ["state"], to: holdoutStart },
    );
    writeFileSync(join(dir, "history.ndjson"), records.map((r) => `${JSON.stringify(r)}\n`).join(""));
    writeFileSync(join(dir, "model.json"), JSON.stringify(model));
    writeFileSync(join(dir, "bad-model.json"), JSON.stringify({ ...model, version: 9 }));
    const base = ["strategy", "evaluate", "--history", join(dir, "history.ndjson")];
    const ok = await runCli(
      [...base, "--model", join(dir, "model.json"), "--holdout-days", "14", "--json"],
      {},
      { timeoutMs: 60_000 },
    );
    expect(ok.code).toBe(0);
    const doc = JSON.parse(ok.stdout) as { lift: number; worthSwitchingOn: boolean; verdict: string };
    expect(doc.lift).toBeGreaterThan(1.3);
    expect(doc.worthSwitchingOn).toBe(true);
    const badDays = await runCli([...base, "--model", join(dir, "model.json"), "--holdout-days", "0"]);
    expect(badDays.code).toBe(2);
    expect(badDays.stderr).toContain("--holdout-days");
    // A model that learned from the held-out days: exit 2 naming model.learnedFrom and the flag
    // that allows it; with --allow-overlap, the headline says the figure is optimistic.
    const leakedModel = await learn(
      (async function* () {
        yield* records;
      })(),
      { campaign: "C1", keys: ["state"] },
    );
    writeFileSync(join(dir, "leaked.json"), JSON.stringify(leakedModel));
    const overlap = await runCli([...base, "--model", join(dir, "leaked.json")], {}, { timeoutMs: 60_000 });
    expect(overlap.code).toBe(2);
    expect(overlap.stdout).toBe("");
    expect(overlap.stderr).toMatch(
      /^error: model\.learnedFrom: .*inside the held-out days.*\(--allow-overlap\)/,
    );
    const allowed = await runCli(
      [...base, "--model", join(dir, "leaked.json"), "--allow-overlap"],
      {},
      { timeoutMs: 60_000 },
    );
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/^Optimistic — the model learned from these held-out days/m);
    const badModel = await runCli([...base, "--model", join(dir, "bad-model.json")]);
    expect(badModel.code).toBe(2);
    expect(badModel.stderr).toContain("version");
    expect(badModel.stderr).not.toMatch(/\n\s+at /);
  }, 90_000);

  it("--map: the outcome map learn was given is the one the replay counts RPCs by", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { runCli } = await import("../support/run-cli.ts");
    const dir = mkdtempSync(join(tmpdir(), "cxo-evaluate-map-"));
    // A tenant's own dispositions: DEAL is its success, which the default map does not know.
    const records = history((hour) => (hour >= 17 ? 0.4 : 0.1), 5).map((r) =>
      r.dispositionCode === "CONVERTED" ? { ...r, dispositionCode: "DEAL" } : r,
    );
    const map = {
      categories: { success: ["DEAL"], warm: ["MAYBE"], neutral: ["BUSY"], failure: ["NO_ANSWER"] },
      conversionCategories: ["success"],
    };
    writeFileSync(join(dir, "map.yaml"), JSON.stringify(map));
    const model = await learn(
      (async function* () {
        yield* records;
      })(),
      { campaign: "C1", keys: ["state"], to: holdoutStart, dispositionMap: map },
    );
    expect(model.priors.all.rpcs).toBeGreaterThan(0);
    writeFileSync(join(dir, "history.ndjson"), records.map((r) => `${JSON.stringify(r)}\n`).join(""));
    writeFileSync(join(dir, "model.json"), JSON.stringify(model));
    const run = await runCli(
      [
        "strategy",
        "evaluate",
        "--history",
        join(dir, "history.ndjson"),
        "--model",
        join(dir, "model.json"),
        "--map",
        join(dir, "map.yaml"),
        "--json",
      ],
      {},
      { timeoutMs: 60_000 },
    );
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { rpcs: number; lift: number };
    expect(doc.rpcs).toBeGreaterThan(0);
    expect(doc.lift).toBeGreaterThan(1.3);
  }, 90_000);
});
