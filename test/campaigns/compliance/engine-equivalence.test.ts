import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../../src/campaigns/compliance/engine.ts";
import { RULE_TABLE } from "../../../src/campaigns/compliance/rule-table.ts";
import type { ComplianceInput } from "../../../src/campaigns/compliance/verdict.ts";
import * as old from "./old-engine/evaluate.ts";
import { type DrawnInput, drawnInput } from "./old-engine/inputs.ts";
import { RULE_TABLE as OLD_RULE_TABLE } from "./old-engine/rule-table.ts";

/**
 * The compliance engine split by rule family and held by a ComplianceEngine (engine.ts, rules/)
 * answers every question exactly as the engine it replaced (old-engine/: evaluate.ts and
 * rule-table.ts as they were, frozen): the same verdict, field by field — allowed, every reason
 * with its code, text, rule and citation, the zones, states, rules, the next allowed instant, the
 * caps counted — cached or not, with its caches of their usual size and of a tiny one (every
 * situation forgotten and asked again), and the same touch reach and calling margin.
 *
 * `CXO_ENGINE_RUNS` sets the number of random questions (a few thousand by default: a few
 * seconds; the split was compared on 1,000,000).
 */
const RUNS = Number(process.env.CXO_ENGINE_RUNS ?? 1000);
const SEED = Number(process.env.CXO_ENGINE_SEED ?? 20_260_310);

/** The rows of a table a mask keeps (the same rows of the old table and the new). */
const masked = <T>(table: readonly T[], mask: number) => table.filter((_, i) => (mask >>> (i % 31)) & 1);
const oldTables = new Map<number, readonly unknown[]>();
const newTables = new Map<number, typeof RULE_TABLE>();

function inputs(drawn: DrawnInput): { before: old.ComplianceInput; after: ComplianceInput } {
  const { input, ruleMask } = drawn;
  if (ruleMask === undefined) return { before: input as old.ComplianceInput, after: input };
  // One table per mask on each side: the engines remember the rows governing a table by its identity.
  let before = oldTables.get(ruleMask);
  if (!before) {
    before = masked(OLD_RULE_TABLE, ruleMask);
    oldTables.set(ruleMask, before);
  }
  let after = newTables.get(ruleMask);
  if (!after) {
    after = masked(RULE_TABLE, ruleMask);
    newTables.set(ruleMask, after);
  }
  return {
    before: { ...input, ruleTable: before } as old.ComplianceInput,
    after: { ...input, ruleTable: after },
  };
}

function differences(drawn: DrawnInput, engines: ComplianceEngine[]): string[] {
  const { before, after } = inputs(drawn);
  const found: string[] = [];
  const same = (what: string, a: unknown, b: unknown) => {
    if (!isDeepStrictEqual(a, b))
      found.push(`${what}:\n  old ${JSON.stringify(a)}\n  new ${JSON.stringify(b)}`);
  };
  const expected = old.evaluateCall(before);
  // Not compared with each other: the old cache renames a listing by its registry, so two copies
  // of one registry in one question (never so imported) both read the first copy's date; the new
  // engine keeps that answer.
  const uncached = old.evaluateUncached(before);
  const reach = old.touchReach(before);
  const end = before.atMs + drawn.marginSpanMs;
  const margin = old.callingMarginIn(before, drawn.marginZone, before.atMs, end);
  for (const [n, engine] of engines.entries()) {
    same(`evaluate (engine ${n})`, expected, engine.evaluate(after));
    same(`evaluateUncached (engine ${n})`, uncached, engine.evaluateUncached(after));
    same(`touchReach (engine ${n})`, reach, engine.touchReach(after));
    same(
      `callingMarginIn (engine ${n})`,
      margin,
      engine.callingMarginIn(after, drawn.marginZone, after.atMs, end),
    );
  }
  return found;
}

describe("the compliance engine split by rule family", () => {
  it("has the rule table it had, row for row", () => {
    expect(RULE_TABLE).toEqual(OLD_RULE_TABLE);
  });

  it(
    `gives the old engine's verdicts, cached or not, with caches of any size (${RUNS} random questions)`,
    () => {
      // Both sizes judge the same questions in turn: the tiny one forgets nearly everything.
      const engines = [new ComplianceEngine(), new ComplianceEngine({ cacheLimit: 16 })];
      let asked = 0;
      const started = performance.now();
      fc.assert(
        fc.property(drawnInput, (drawn) => {
          asked++;
          const found = differences(drawn, engines);
          if (found.length > 0)
            throw new Error(`${JSON.stringify(drawn.input)} (mask ${drawn.ruleMask}):\n${found.join("\n")}`);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: RUNS > 100_000 },
      );
      if (process.env.CXO_ENGINE_RUNS)
        console.log(`${asked} questions, ${((performance.now() - started) / 1000).toFixed(1)} s`);
      expect(asked).toBe(RUNS);
    },
    Math.max(60_000, RUNS * 20),
  );
});
