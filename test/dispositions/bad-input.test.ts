import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";
import { callOfPath, type TagHarness, tagHarness, validRows, writeCsv } from "./helpers.ts";

/** A file of broken rows: each kind is reported (row, field, rule) and none of them is sent. */
describe("cxo tag --file with broken rows", () => {
  let h: TagHarness;
  let calls: string[];
  beforeAll(async () => {
    h = await tagHarness({ calls: 20_000 });
    calls = await h.callsOf(h.campaign.id, 40);
  });
  afterAll(() => h.close());

  it("reports 20+ kinds of broken NDJSON rows with --report, sends only the valid rows", async () => {
    const dir = h.dir();
    const codes = h.campaign.matrix.codes;
    const withReasons = codes.filter((c) => c.reasonCodes.length > 0);
    const [a, b] = withReasons;
    const noReason = codes.find((c) => c.reasonCodes.length === 0);
    const ok = { dispositionCodeId: a?.id, reasonCodeId: a?.reasonCodes[0]?.id, tags: "x" };
    let n = 0;
    const next = () => calls[n++] as string;
    // [line, expected field, expected rule code]
    const broken: Array<[string, string, string]> = [
      [JSON.stringify({ ...ok, callId: "" }), "callId", "required"],
      [JSON.stringify({ ...ok, callId: "call/../1" }), "callId", "malformed_id"],
      [JSON.stringify({ ...ok, callId: "c".repeat(200) }), "callId", "malformed_id"],
      [JSON.stringify({ ...ok, callId: 12345 }), "callId", "wrong_type"],
      [JSON.stringify({ ...ok, callId: next(), dispositionCodeId: "" }), "dispositionCodeId", "required"],
      [JSON.stringify({ ...ok, callId: next(), dispositionCodeId: 41 }), "dispositionCodeId", "wrong_type"],
      [
        JSON.stringify({ ...ok, callId: next(), dispositionCodeId: "SOLD_OUT" }),
        "dispositionCodeId",
        "unknown_disposition_code",
      ],
      [
        JSON.stringify({ ...ok, callId: next(), dispositionCodeId: "BAD CODE" }),
        "dispositionCodeId",
        "unknown_disposition_code",
      ],
      [
        JSON.stringify({ ...ok, callId: next(), reasonCodeId: b?.reasonCodes[0]?.id }),
        "reasonCodeId",
        "reason_not_under_code",
      ],
      [
        JSON.stringify({ ...ok, callId: next(), reasonCodeId: "NO_SUCH_REASON" }),
        "reasonCodeId",
        "reason_not_under_code",
      ],
      [
        JSON.stringify({
          ...ok,
          callId: next(),
          dispositionCodeId: noReason?.id,
          reasonCodeId: a?.reasonCodes[0]?.id,
        }),
        "reasonCodeId",
        "reason_not_under_code",
      ],
      [JSON.stringify({ ...ok, callId: next(), reasonCodeId: "a b" }), "reasonCodeId", "malformed_id"],
      [JSON.stringify({ ...ok, callId: next(), tags: "1;2;3;4;5;6;7;8;9;10;11" }), "tags", "too_many_tags"],
      [JSON.stringify({ ...ok, callId: next(), tags: "a;;b" }), "tags[1]", "empty_tag"],
      [JSON.stringify({ ...ok, callId: next(), tags: "vip; vip" }), "tags[1]", "duplicate_tag"],
      [JSON.stringify({ ...ok, callId: next(), tags: "t".repeat(150) }), "tags[0]", "tag_too_long"],
      [JSON.stringify({ ...ok, callId: next(), tags: ["ok", "bell\u0007"] }), "tags[1]", "control_character"],
      [JSON.stringify({ ...ok, callId: next(), tags: 7 }), "tags", "wrong_type"],
      [JSON.stringify({ ...ok, callId: next(), notes: "n".repeat(2001) }), "notes", "notes_too_long"],
      [JSON.stringify({ ...ok, callId: next(), notes: "nul\u0000byte" }), "notes", "control_character"],
      [JSON.stringify({ ...ok, callId: next(), agentId: "a-1" }), "agentId", "unknown_field"],
      ['{"callId": "c-1", "dispositionCodeId": ', "(row)", "invalid_json"],
      ['["call-1", "BUSY"]', "(row)", "not_an_object"],
      ["42", "(row)", "not_an_object"],
    ];
    const good = validRows([next(), next()], h.campaign.matrix);
    const duplicateOf = good[0]?.callId as string;
    broken.push([JSON.stringify({ ...ok, callId: duplicateOf }), "callId", "duplicate_call"]);
    const lines = [JSON.stringify(good[0]), JSON.stringify(good[1]), ...broken.map(([line]) => line)];
    const file = path.join(dir, "rows.ndjson");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const report = path.join(dir, "report.csv");

    const before = (await h.puts()).length;
    const result = await runCli(
      ["--json", "tag", "--campaign", h.campaign.id, "--file", file, "--report", report],
      h.env(path.join(dir, ".cxo")),
    );
    expect(result.code).toBe(1); // valid rows sent, invalid ones refused
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ total: lines.length, invalid: broken.length, succeeded: 2, failed: 0 });
    expect(broken.length).toBeGreaterThanOrEqual(20);
    // distinct (field, rule) pairs: 20 different ways a row can be wrong
    expect(new Set(broken.map(([, field, code]) => `${field} ${code}`)).size).toBeGreaterThanOrEqual(20);

    const rows = parse(readFileSync(report), { columns: true }) as Array<Record<string, string>>;
    broken.forEach(([, field, code], index) => {
      const row = String(index + 3);
      expect(rows, `row ${row}: ${field} ${code}`).toContainEqual(
        expect.objectContaining({ row, field, code }),
      );
    });
    for (const row of rows) expect(row.rule?.length).toBeGreaterThan(5);

    const sent = (await h.puts()).slice(before).map((r) => callOfPath(r.path));
    expect(sent.sort()).toEqual([good[0]?.callId, good[1]?.callId].sort());
  });

  it("--dry-run on CSV: reports, sends nothing, exits 2 when rows are invalid and 0 when all are valid", async () => {
    const dir = h.dir();
    const rows = validRows(calls.slice(30, 36), h.campaign.matrix);
    const [first] = rows;
    if (first) first.tags = "a;a";
    const file = writeCsv(path.join(dir, "rows.csv"), rows);
    writeFileSync(path.join(dir, "short.csv"), "callId,dispositionCodeId\nc1\n");
    const before = (await h.puts()).length;
    const env = h.env(path.join(dir, ".cxo"));
    const badHeader = path.join(dir, "header.csv");
    writeFileSync(badHeader, "call,dispositionCodeId\nc1,BUSY\n");
    const clean = writeCsv(path.join(dir, "clean.csv"), rows.slice(1));
    // Four runs that fail or stop before sending: one process through the CLI's entry point.
    const [dry, short, header, ok] = await runCliBatch(
      [
        ["--json", "tag", "--campaign", h.campaign.id, "--file", file, "--dry-run"],
        ["tag", "--campaign", h.campaign.id, "--file", path.join(dir, "short.csv"), "--dry-run"],
        ["tag", "--campaign", h.campaign.id, "--file", badHeader],
        ["--json", "tag", "--campaign", h.campaign.id, "--file", clean, "--dry-run"],
      ].map((args) => ({ args, env, cwd: dir })),
      1,
    );
    expect(dry?.code, dry?.stderr).toBe(2);
    expect(JSON.parse(dry?.stdout ?? "")).toMatchObject({ total: 6, invalid: 1, dryRun: true, succeeded: 0 });
    expect(short?.code).toBe(2);
    expect(short?.stderr).toContain("row 1, (row): has 1 columns, the header has 2");
    expect(header?.code).toBe(2);
    expect(header?.stderr).toContain("callId: required column is missing");
    expect(ok?.code, ok?.stderr).toBe(0);
    expect((await h.puts()).length).toBe(before);
  });
});
