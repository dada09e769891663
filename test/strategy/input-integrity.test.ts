import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { InputError } from "../../src/core/input-error.ts";
import { readList, readModel } from "../../src/strategy/files.ts";
import { checkListAccounts } from "../../src/strategy/plan-calls.ts";
import { readPlanRows } from "../../src/strategy/plan-read.ts";
import { planRecords } from "../../src/strategy/push.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * Issue 63 N4: input that is not UTF-8 is refused naming the line and the byte offset, never
 * bent into U+FFFD (a Latin-1 `Josè-1` and `José-1` both became `Jos\uFFFD-1`); a UTF-16 list is
 * refused; two records with one id are refused by `strategy plan`, and by `push` for a plan
 * edited by hand — one of them was silently never called.
 */
const dir = mkdtempSync(join(tmpdir(), "cxo-strategy-input-"));
const file = (name: string, bytes: Buffer | string): string => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const drain = async (rows: AsyncIterable<unknown>) => {
  for await (const _ of rows);
};
const refusal = async (promise: Promise<unknown>): Promise<string> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as Error).message;
};

const HEADER = "recordId,phone\n";

describe("strategy inputs are UTF-8 (N4)", () => {
  it("a Latin-1 list is refused naming its line and byte offset", async () => {
    const latin1 = Buffer.concat([
      Buffer.from(`${HEADER}A-1,+13055552100\nJos`),
      Buffer.from([0xe8]),
      Buffer.from("-1,+13055552101\n"),
    ]);
    const message = await refusal(drain(readList(file("latin1.csv", latin1), "--list")));
    expect(message).toMatch(/^--list: ".*latin1\.csv" line 3 is not valid UTF-8 \(byte offset 35\b/);
  });

  it("a UTF-16 list is refused, with or without its byte-order mark", async () => {
    const text = `${HEADER}A-1,+13055552100\n`;
    const withBom = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    expect(await refusal(drain(readList(file("bom16.csv", withBom), "--list")))).toMatch(
      /line 1 is not valid UTF-8/,
    );
    const bare = Buffer.from(text, "utf16le");
    expect(await refusal(drain(readList(file("bare16.ndjson", bare), "--list")))).toMatch(
      /line 1 is not valid UTF-8 \(byte offset 1: a NUL byte/,
    );
  });

  it("the history, the model and push's plan are checked too", async () => {
    const bad = Buffer.concat([Buffer.from('{"recordId":"Jos'), Buffer.from([0xe9]), Buffer.from('"}\n')]);
    expect(await refusal(drain(readPlanRows(file("plan.ndjson", bad), "--plan")))).toMatch(
      /^--plan: .* line 1 is not valid UTF-8/,
    );
    expect(() => readModel(file("model.json", bad), "--model")).toThrow(
      /^--model: .* line 1 is not valid UTF-8/,
    );
  });
});

describe("duplicate record ids (N4)", () => {
  it("strategy plan's list: a record id twice is refused naming both rows", async () => {
    const list = file("dup.csv", `${HEADER}A-1,+13055552100\nB-2,+13055552101\nA-1,+13055552102\n`);
    const message = await refusal(checkListAccounts(readList(list, "--list"), "sales"));
    expect(message).toMatch(/row 3, recordId: "A-1" is also row 1/);
  });

  it("push: a plan edited by hand with one record id planned twice for the same attempt, or with two phones, is refused", async () => {
    const row = (recordId: string, phone: string, attempt: number, hour: number) => ({
      recordId,
      phone,
      attemptAt: `2026-03-09T${String(hour).padStart(2, "0")}:00:00-04:00`,
      attempt,
      estimate: 0.2,
      staleMinutes: 59, // plan file version 2 (issue 62 §3): the window push gives must be planned for
    });
    const params = { campaign: "4012", staleMinutes: 59 };
    expect(
      await refusal(
        planRecords(engine, [row("A-1", "+13055552100", 1, 10), row("A-1", "+13055552101", 1, 11)], params),
      ),
    ).toMatch(/row 2, recordId: "A-1" is also row 1/);
    expect(
      await refusal(
        planRecords(engine, [row("A-1", "+13055552100", 1, 10), row("A-1", "+13055552101", 2, 11)], params),
      ),
    ).toMatch(/row 2, recordId: "A-1" is also row 1/);
    // Later attempts of one record (same phone) are the plan's own: deferred, as before.
    const ok = await planRecords(
      engine,
      [row("A-1", "+13055552100", 1, 10), row("A-1", "+13055552100", 2, 11)],
      params,
    );
    expect(ok).toMatchObject({ deferred: 1 });
  });
});

describe("a plan's kind (issue 79)", () => {
  const row = (recordId: string, kind?: string) => ({
    recordId,
    phone: "+15035552300",
    attemptAt: "2026-10-06T10:00:00-07:00",
    attempt: 1,
    estimate: 0.2,
    staleMinutes: 59,
    ...(kind === undefined ? {} : { kind }),
  });
  const params = { campaign: "4012", staleMinutes: 59 };

  it("push reads the kind the plan was made for; rows without one leave it undeclared", async () => {
    expect((await planRecords(engine, [row("A", "collections"), row("B", "collections")], params)).kind).toBe(
      "collections",
    );
    expect((await planRecords(engine, [row("A"), row("B")], params)).kind).toBeUndefined();
  });

  it("rows of two kinds, or an unknown kind, are refused naming the row", async () => {
    expect(await refusal(planRecords(engine, [row("A", "collections"), row("B", "sales")], params))).toMatch(
      /row 2, kind: is sales, but the plan's earlier rows are collections/,
    );
    expect(await refusal(planRecords(engine, [row("A", "retail")], params))).toMatch(/row 1, kind/);
  });
});
