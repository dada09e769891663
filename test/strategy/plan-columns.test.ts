import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { planRecords } from "../../src/strategy/push.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * The plan as push holds it (columns, ids as bytes, columns most plans leave empty made only
 * when a row fills them) answers what the rows themselves say: each record's id, number, first
 * attempt, account, rows and list text, and the key's order (first attempt, then id in
 * `localeCompare`'s order), on random plans with records planned several times, ids outside
 * ASCII, and the optional fields present on some rows only.
 */

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ID_STEMS = ["A", "b", "José", "Ünal", "z", "Ä", "rec-✓", "a", "B"];

interface Row {
  recordId: string;
  phone: string;
  attemptAt: string;
  attempt: number;
  estimate: number;
  staleMinutes: number;
  zip?: string;
  accountId?: string;
  lastTransactionAt?: string;
  numberType?: "personal" | "other";
}

function randomPlan(seed: number, records: number, optional: boolean): Row[] {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const rows: Row[] = [];
  for (let r = 0; r < records; r++) {
    const recordId = `${pick(ID_STEMS)}-${r}`;
    const phone = `+1305555${String(1000 + (r % 7000)).padStart(4, "0")}`;
    const attempts = random() < 0.2 ? 1 + Math.floor(random() * 3) : 1;
    for (let a = 1; a <= attempts; a++) {
      // Few distinct times: many records share their first attempt's time (the id orders them).
      const hour = 10 + Math.floor(random() * 4);
      const row: Row = {
        recordId,
        phone,
        attemptAt: `2026-03-09T${String(hour).padStart(2, "0")}:00:00-04:00`,
        attempt: a,
        estimate: Math.round(random() * 1000) / 1000,
        staleMinutes: 59,
      };
      if (optional && random() < 0.3) row.zip = pick(["10001", "33101", "60601"]);
      if (optional && random() < 0.3) row.accountId = `ACC-${Math.floor(random() * 20)}`;
      if (optional && random() < 0.2) row.lastTransactionAt = "2026-02-01T00:00:00Z";
      if (optional && random() < 0.2) row.numberType = pick(["personal", "other"] as const);
      rows.push(row);
    }
  }
  // Later attempts are not always after the first in the file.
  for (let i = rows.length - 1; i > 0; i--) {
    if (random() < 0.1) {
      const j = Math.floor(random() * (i + 1));
      [rows[i], rows[j]] = [rows[j] as Row, rows[i] as Row];
    }
  }
  return rows;
}

describe("the plan's columns", () => {
  for (const [seed, optional] of [
    [1, false],
    [2, true],
    [3, true],
  ] as const) {
    it(`answer what the rows say (seed ${seed}, optional fields ${optional ? "on some rows" : "on none"})`, async () => {
      const rows = randomPlan(seed, 2000, optional);
      const { plan } = await planRecords(engine, rows, { campaign: "4012", staleMinutes: 59 });
      const ids = [...new Set(rows.map((r) => r.recordId))];
      expect(plan.records).toBe(ids.length);
      expect(plan.rows).toBe(rows.length);
      const rowsOfId = new Map<string, number[]>();
      rows.forEach((r, j) => {
        rowsOfId.set(r.recordId, [...(rowsOfId.get(r.recordId) ?? []), j]);
      });
      const firstOf = (id: string) => {
        const of = rowsOfId.get(id) as number[];
        return of.reduce((best, j) =>
          Date.parse((rows[j] as Row).attemptAt) < Date.parse((rows[best] as Row).attemptAt) ? j : best,
        );
      };
      for (const id of ids) {
        const record = plan.recordOf(id);
        expect(record).toBeGreaterThanOrEqual(0);
        expect(plan.idOf(record)).toBe(id);
        expect(plan.rowsOf(record)).toEqual(rowsOfId.get(id));
        const first = firstOf(id);
        expect(plan.firstRow(record)).toBe(first);
        const row = rows[first] as Row;
        expect(plan.phoneOf(record)).toBe(row.phone);
        expect(plan.accountOf(record)).toBe(row.accountId);
        expect(plan.timedJson(record)).toBe(JSON.stringify(plan.timed(record)));
        const pushed = plan.pushed(record);
        expect(pushed.externalId).toBe(id);
        expect(pushed.zip).toBe(row.zip);
        expect(pushed.accountId).toBe(row.accountId);
        expect(pushed.numberType).toBe(row.numberType);
        expect(pushed.lastTransactionMs).toBe(
          row.lastTransactionAt === undefined ? undefined : Date.parse(row.lastTransactionAt),
        );
        for (const j of rowsOfId.get(id) as number[])
          expect(plan.attemptOf(j)).toBe((rows[j] as Row).attempt);
      }
      expect(plan.recordOf("not-a-record")).toBe(-1);
      const compare = new Intl.Collator().compare;
      const at = (id: string) => Date.parse((rows[firstOf(id)] as Row).attemptAt);
      const expected = [...ids].sort((a, b) => at(a) - at(b) || compare(a, b));
      expect(Array.from(plan.order, (record) => plan.idOf(record))).toEqual(expected);
    });
  }
});
