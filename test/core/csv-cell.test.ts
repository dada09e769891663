import { PassThrough } from "node:stream";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contactWriter } from "../../src/campaigns/segment/contact-writer.ts";
import type { SegmentedContact } from "../../src/campaigns/segment/segmented-contact.ts";
import { neutraliseCell, restoreCell } from "../../src/core/csv-cell.ts";
import { writeProblemReport } from "../../src/dispositions/report.ts";
import { canonicalRecord, csvCellParser, csvRows, recordFromCsv } from "../../src/outcomes/record-format.ts";

/** CSV formula injection (OWASP): every CSV writer neutralises cells a spreadsheet would run. */
const ATTACKS = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"];

describe("neutraliseCell", () => {
  it.each(ATTACKS)("prefixes %j with a quote", (value) => {
    expect(neutraliseCell(value)).toBe(`'${value}`);
  });

  it.each(["+14155550100", "-12", "-0.5", "1e5", "hello", "", "x=1", "Bob"])("keeps %j", (value) => {
    expect(neutraliseCell(value)).toBe(value);
  });

  it("is reversible for every string (a leading quote is escaped too)", () => {
    expect(neutraliseCell("'=x")).toBe("''=x");
    fc.assert(
      fc.property(fc.string(), (value) => {
        expect(restoreCell(neutraliseCell(value))).toBe(value);
      }),
    );
  });
});

describe("CSV writers", () => {
  it("outcome records: the notes cell is neutralised and reads back exactly", async () => {
    const record = canonicalRecord({
      id: "c-1",
      campaignId: "camp",
      startTime: "2026-01-01T00:00:00Z",
      notes: ATTACKS[0],
      agentId: "@agent",
      phoneNumber: "+14155550100",
    });
    const text = csvRows([record]);
    const cells = parse(text)[0] as string[];
    expect(cells).toContain(`'${ATTACKS[0]}`);
    expect(cells).toContain("'@agent");
    expect(cells).toContain("+14155550100");
    for (const cell of cells) expect(cell).not.toMatch(/^[=+@\t\r-](?!\d+$)/);
    const parser = csvCellParser();
    parser.end(text);
    for await (const row of parser) expect(recordFromCsv(row)).toEqual(record);
  });

  it("segmented contacts (campaigns contacts --format csv)", async () => {
    const out = new PassThrough();
    let text = "";
    out.on("data", (chunk) => (text += chunk));
    const sink = contactWriter(out, "csv", { closeOut: true });
    const contact: SegmentedContact = {
      id: "ct-1",
      firstName: '=HYPERLINK("http://evil","x")',
      lastName: "@Smith",
      phone: "+14155550100",
      timeZone: null,
      state: null,
      consentCall: true,
      allowed: true,
      reasons: [],
      zones: [],
      states: [],
      nextAllowedAt: null,
    };
    await sink.write(contact);
    await sink.end();
    const [row] = parse(text, { columns: true }) as Array<Record<string, string>>;
    expect(row).toMatchObject({
      firstName: `'${contact.firstName}`,
      lastName: "'@Smith",
      phone: "+14155550100",
    });
  });

  it("the tag problem report (tag --report)", async () => {
    const { mkdtempSync, readFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const file = `${mkdtempSync(`${tmpdir()}/cxo-csv-`)}/report.csv`;
    await writeProblemReport(file, [
      { row: 2, callId: "=1+2", field: "callId", code: "malformed_id", rule: "must be …" },
    ]);
    const [row] = parse(readFileSync(file), { columns: true }) as Array<Record<string, string>>;
    expect(row?.callId).toBe("'=1+2");
  });
});

describe("strategy plan CSV (issue 63 N3)", () => {
  it("neutralises every text cell of a plan written as CSV, and push's reader gives the plan back", async () => {
    const { mkdtempSync, readFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const { writePlan } = await import("../../src/strategy/files.ts");
    const { readPlanRows } = await import("../../src/strategy/plan-read.ts");
    const row = {
      recordId: ATTACKS[0] as string,
      phone: "+14155550100",
      accountId: ATTACKS[1] as string,
      attemptAt: "2026-03-09T18:00:00-04:00",
      zone: "America/New_York",
      slot: 42,
      attempt: 1,
      estimate: 0.25,
      interval: [0.1, 0.4] as [number, number],
      ruledOut: [],
      campaign: ATTACKS[3] as string,
    };
    const other = { ...row, recordId: "-2+3", accountId: "'quoted" };
    const file = path.join(mkdtempSync(path.join(tmpdir(), "cxo-plan-csv-")), "plan.csv");
    async function* batches() {
      yield [row, other];
    }
    await writePlan(file, batches());
    const cells = (parse(readFileSync(file, "utf8")) as string[][]).flat();
    for (const cell of cells) expect(cell).not.toMatch(/^[=+@\t\r-](?![\d.]+$)/);
    expect(cells).toContain(`'${ATTACKS[0]}`);
    expect(cells).toContain("'-2+3");
    expect(cells).toContain("+14155550100");
    const back: Array<Record<string, unknown>> = [];
    for await (const read of readPlanRows(file)) back.push(read);
    expect(back.map((r) => [r.recordId, r.accountId, r.campaign, r.phone])).toEqual([
      [row.recordId, row.accountId, row.campaign, row.phone],
      [other.recordId, other.accountId, other.campaign, other.phone],
    ]);
  });
});
