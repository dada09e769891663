import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_LINE_BYTES } from "../../src/core/input-file.ts";
import { readList } from "../../src/strategy/files.ts";
import { readPlanRows } from "../../src/strategy/plan-read.ts";

/**
 * Issue 63 N16: a list with a 576 MB cell exited 1 with V8's raw "Invalid string length" and no
 * line number. A line (or a CSV record) longer than MAX_LINE_BYTES is refused before it is read
 * into a string, naming the file, the line and the cap.
 */
const dir = mkdtempSync(join(tmpdir(), "cxo-line-cap-"));
const drain = async (rows: AsyncIterable<unknown>) => {
  for await (const _ of rows);
};
const huge = "x".repeat(MAX_LINE_BYTES + 10);

describe("a line longer than the cap is refused naming it (N16)", () => {
  it("a CSV list", async () => {
    const file = join(dir, "list.csv");
    writeFileSync(file, `recordId,phone,note\nA-1,+13055552100,ok\nA-2,+13055552101,${huge}\n`);
    await expect(drain(readList(file, "--list"))).rejects.toThrow(
      /^--list: ".*list\.csv" line 3 is longer than 1 MiB/,
    );
  });

  it("a CSV record whose quoted cell spans lines", async () => {
    const file = join(dir, "quoted.csv");
    const cell = Array.from({ length: 40 }, () => "y".repeat(MAX_LINE_BYTES / 32)).join("\n");
    writeFileSync(file, `recordId,phone,note\nA-1,+13055552100,"${cell}"\n`);
    await expect(drain(readList(file, "--list"))).rejects.toThrow(
      /^--list: ".*quoted\.csv" line \d+: a record is longer than 1 MiB/,
    );
  });

  it("an NDJSON list and a plan", async () => {
    const list = join(dir, "list.ndjson");
    writeFileSync(list, `{"recordId":"A-1","phone":"+13055552100","note":"${huge}"}\n`);
    await expect(drain(readList(list, "--list"))).rejects.toThrow(/^--list: .*line 1 is longer than 1 MiB/);
    const plan = join(dir, "plan.ndjson");
    writeFileSync(plan, `{"recordId":"A-1"}\n{"recordId":"${huge}"}\n`);
    await expect(drain(readPlanRows(plan, "--plan"))).rejects.toThrow(
      /^--plan: .*line 2 is longer than 1 MiB/,
    );
  });
});
