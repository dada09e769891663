import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zonedInstantProblem } from "../../src/core/instant-input.ts";
import { type CxoneClient, createClient, InputError } from "../../src/index.ts";
import { eveningHistory } from "../support/evening-history.ts";

/**
 * `strategy.plan`'s `until` (the horizon's end when earlier than `days` after `from`) keeps the
 * one rule for a date-time with a zone, as `from` does: before, it was read with Date.parse, so
 * `2026-02-30T09:00Z` was 2 March (a one-hour horizon, nothing planned), a time without a zone was
 * the machine's, and `tomorrow` was NaN (the whole `days` planned, silently).
 */
let client: CxoneClient;
let model: Awaited<ReturnType<CxoneClient["strategy"]["learn"]>>;
const FROM = "2026-03-02T00:00:00-05:00";
const LIST = [{ recordId: "r1", phone: "+13055552100", consent: true }];

const history = eveningHistory;

beforeAll(async () => {
  // Local: a client without a connection plans on the data dir's rules and the law.
  client = createClient({ dataDir: mkdtempSync(path.join(tmpdir(), "cxo-plan-until-")) });
  model = await client.strategy.learn(history(), { campaign: "C1" });
});
afterAll(() => client?.close());

/** The InputError's problems a plan with this `until` ends in (every row handed to onRow counted). */
async function refusal(until: string) {
  const rows: unknown[] = [];
  const error = await client.strategy
    .plan(LIST, model, { from: FROM, days: 2, until, onRow: (row) => rows.push(row) })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(rows).toEqual([]);
  expect(error, `until ${until}`).toBeInstanceOf(InputError);
  return (error as InputError).problems;
}

describe("strategy.plan until: the one rule for a date-time with a zone", () => {
  it("a day that does not exist, a word and a time without a zone are refused naming until, nothing planned", async () => {
    for (const until of ["2026-02-30T09:00Z", "tomorrow", "2026-03-02T12:00:00"])
      expect(await refusal(until)).toEqual([{ field: "until", rule: zonedInstantProblem(until) }]);
  });

  it("an until at or before from is refused naming until", async () => {
    for (const until of [FROM, "2026-03-01T23:00:00-05:00", "2026-03-02T04:59:59Z"])
      expect(await refusal(until)).toEqual([
        { field: "until", rule: expect.stringMatching(/^must be after `from`/) },
      ]);
  });

  it("a good until still ends the horizon: the evening the model prefers is after it, so an earlier hour is planned", async () => {
    const whole = await client.strategy.plan(LIST, model, { from: FROM, days: 2 });
    expect(whole.rows.map((r) => r.attemptAt)).toEqual([
      expect.stringMatching(/^2026-03-0[23]T18:00:00-05:00$/),
    ]);
    // The same instant in every form the rule takes (the autopilot passes toISOString's).
    for (const until of [
      "2026-03-02T12:00:00-05:00",
      "2026-03-02T17:00:00.000Z",
      "2026-03-02T17:00Z",
      "2026-03-02T12:00-05",
    ]) {
      const cut = await client.strategy.plan(LIST, model, { from: FROM, days: 2, until });
      expect(cut.rows, until).toHaveLength(1);
      const at = Date.parse(cut.rows[0]!.attemptAt);
      expect(at, `${until}: ${cut.rows[0]!.attemptAt}`).toBeLessThan(Date.parse("2026-03-02T12:00:00-05:00"));
      expect(at).toBeGreaterThanOrEqual(Date.parse(FROM));
    }
  });
});
