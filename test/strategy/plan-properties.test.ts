import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { type AccountAttempt, type AttemptTime, parseNanp, regFReasons } from "../../src/compliance/index.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import type { ListRow } from "../../src/strategy/list-format.ts";
import { plan } from "../../src/strategy/plan.ts";
import type { PlanRow } from "../../src/strategy/plan-format.ts";
import type { HistoryAttempt } from "../../src/strategy/types.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * Issue 55's property: over ≥ 5,000 generated records and their histories (Florida, Oklahoma
 * and Maryland numbers; area codes that span two zones; weeks with a DST change and federal
 * holidays; Reg F accounts with several numbers, prior calls and conversations), not one planned
 * attempt is refused when the compliance engine re-checks it, attempt by attempt, with every
 * other attempt of its phone (history and plan) and, for collections, every call about its
 * account.
 *
 * 5 lists of 1,000 records (issue 80: the suite's CPU; 2,000 each until 2026-11-27, 12.5 s of
 * CPU, nearly all of it the planner): accounts are drawn from 76 (were 151), so an account holds
 * ~13 records as before and Reg F's 7-in-7 and conversation rules bind as often; phones, zones,
 * horizons, histories and the hourly capacity are drawn as before (1,867 attempts planned).
 */
const AREA_CODES = [
  "305", // FL, Eastern
  "850", // FL panhandle: Central and Eastern
  "405", // OK
  "918", // OK
  "410", // MD
  "301", // MD
  "270", // KY: Central and Eastern
  "605", // SD: Central and Mountain
  "915", // TX El Paso: Mountain
  "208", // ID: Mountain and Pacific
  "401", // RI: holidays, Sundays
  "801", // UT: holidays, Sundays
  "212",
];
/** Horizons that hold a DST change or a federal holiday. */
const STARTS = [
  "2026-03-06T00:00:00-05:00", // spring forward 2026-03-08
  "2026-10-29T00:00:00-04:00", // fall back 2026-11-01
  "2026-07-01T00:00:00-04:00", // Independence Day
  "2026-11-23T00:00:00-05:00", // Thanksgiving 2026-11-26
  "2026-12-22T00:00:00-05:00", // Christmas
  "2026-01-16T00:00:00-05:00", // Martin Luther King Jr. Day 2026-01-19
];

const HOUR = 3_600_000;

const caseArb = fc.record({
  start: fc.constantFrom(...STARTS),
  kind: fc.constantFrom("sales" as const, "collections" as const),
  days: fc.integer({ min: 2, max: 4 }),
  attemptsPerRecord: fc.integer({ min: 1, max: 3 }),
  capacity: fc.option(fc.integer({ min: 5, max: 60 }), { nil: undefined }),
  seed: fc.integer({ min: 0, max: 1000 }),
  records: fc.array(
    fc.record({
      npa: fc.constantFrom(...AREA_CODES),
      nxx: fc.integer({ min: 200, max: 999 }),
      line: fc.integer({ min: 1000, max: 9999 }),
      state: fc.option(fc.constantFrom("FL", "OK", "MD", "TX", "IN"), { nil: undefined, freq: 4 }),
      consent: fc.option(fc.boolean(), { nil: undefined, freq: 10 }),
      account: fc.integer({ min: 0, max: 75 }),
      // prior attempts: hours before the horizon's start (negative: inside it is not allowed)
      history: fc.array(fc.record({ hoursBefore: fc.integer({ min: 0, max: 24 * 9 }), talk: fc.boolean() }), {
        maxLength: 6,
      }),
    }),
    { minLength: 1000, maxLength: 1000 },
  ),
});

/** A model with a random profile: some peaks, some untried slots. */
function randomModel(seed: number) {
  const counts = new SlotCounts();
  let x = seed + 1;
  for (let s = 0; s < 168; s++) {
    x = (x * 48271) % 2147483647;
    const attempts = x % 7 === 0 ? 0 : 50 + (x % 200);
    counts.add(["state"], { state: "FL" }, s, attempts, Math.floor((attempts * (x % 40)) / 100));
  }
  return buildModel(counts, { campaign: "C1" });
}

describe("plan: no planned attempt is refused when re-checked (property)", () => {
  it("holds over 5 lists × 1,000 records", async () => {
    let records = 0;
    let planned = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const startMs = Date.parse(c.start);
        const list: ListRow[] = c.records.map((r, i) => ({
          recordId: `r${i}`,
          phone: `+1${r.npa}${r.nxx}${r.line}`,
          ...(r.state === undefined ? {} : { state: r.state }),
          ...(r.consent === undefined ? {} : { consent: r.consent }),
          accountId: `A${r.account}`,
        }));
        const history: HistoryAttempt[] = c.records.flatMap((r, i) =>
          r.history.map((h) => ({
            phone: (list[i] as ListRow).phone,
            atMs: startMs - h.hoursBefore * HOUR - 60_000,
            campaignId: "C1",
            conversation: h.talk,
          })),
        );
        const rows: PlanRow[] = [];
        for await (const row of plan(engine, list, randomModel(c.seed), {
          campaign: "C1",
          from: c.start,
          days: c.days,
          kind: c.kind,
          attemptsPerRecord: c.attemptsPerRecord,
          capacityPerHour: c.capacity,
          history,
          seed: c.seed,
        }))
          rows.push(row);
        records += list.length;
        planned += rows.length;

        const byPhone = new Map<string, AttemptTime[]>();
        const byAccount = new Map<string, AccountAttempt[]>();
        const accountOfPhone = new Map(list.map((r) => [r.phone, r.accountId as string]));
        for (const h of history) {
          byPhone.set(h.phone, [...(byPhone.get(h.phone) ?? []), { atMs: h.atMs, campaignId: "C1" }]);
          const account = accountOfPhone.get(h.phone) as string;
          byAccount.set(account, [
            ...(byAccount.get(account) ?? []),
            { atMs: h.atMs, conversation: h.conversation },
          ]);
        }
        const plannedAt = rows.map((r) => Date.parse(r.attemptAt));
        rows.forEach((r, i) => {
          const t = plannedAt[i] as number;
          byPhone.set(r.phone, [...(byPhone.get(r.phone) ?? []), { atMs: t, campaignId: "C1" }]);
          const account = r.accountId as string;
          byAccount.set(account, [...(byAccount.get(account) ?? []), { atMs: t, conversation: false }]);
        });
        const perHour = new Map<number, number>();
        const byRecord = new Map(list.map((l) => [l.recordId, l]));
        rows.forEach((r, i) => {
          const t = plannedAt[i] as number;
          const source = byRecord.get(r.recordId) as ListRow;
          const self = (byPhone.get(r.phone) ?? []).find((a) => a.atMs === t);
          const others = (byPhone.get(r.phone) ?? []).filter((a) => a !== self);
          for (const atMs of [t, t + 59 * 60_000]) {
            const verdict = engine.evaluate({
              number: parseNanp(r.phone)!,
              atMs,
              addressState: source.state,
              consent: source.consent,
              onDnc: false,
              attempts: others,
              // The plan's declared kind: the rule table's kind-limited rows follow it (issue 79).
              kind: c.kind,
            });
            expect(
              verdict.reasons.map((x) => x.code),
              `${r.phone} at ${r.attemptAt}`,
            ).toEqual([]);
          }
          if (c.kind === "collections") {
            const calls = byAccount.get(r.accountId as string) ?? [];
            const selfCall = calls.find((a) => a.atMs === t && !a.conversation);
            const reasons = regFReasons(
              calls.filter((a) => a !== selfCall),
              t,
            );
            expect(
              reasons.map((x) => x.code),
              `account ${r.accountId} at ${r.attemptAt}`,
            ).toEqual([]);
          }
          perHour.set(t, (perHour.get(t) ?? 0) + 1);
        });
        if (c.capacity !== undefined)
          for (const n of perHour.values()) expect(n).toBeLessThanOrEqual(c.capacity);
      }),
      { numRuns: 5, seed: 55, endOnFailure: true },
    );
    expect(records).toBeGreaterThanOrEqual(5_000);
    expect(planned).toBeGreaterThan(1_000);
  }, 600_000);
});
