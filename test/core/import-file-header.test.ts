import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { importRows } from "../../src/core/import-file-rows.ts";
import { InputError } from "../../src/core/input-error.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * An import file (touches, consent) whose header names a column twice, or a row with more cells
 * than the header: refused naming the line, nothing recorded (the last cell used to win, and the
 * extra cells were dropped, without a word).
 */
const dir = mkdtempSync(path.join(tmpdir(), "cxo-import-header-"));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};
const SHAPE = { required: ["phone", "at", "channel"], columns: "phone, at, channel" };

async function problemOf(file: string): Promise<InputError> {
  try {
    for await (const _row of importRows(file, SHAPE));
  } catch (error) {
    return error as InputError;
  }
  throw new Error("no error");
}

describe("import files: a header and its rows agree", () => {
  it("a column named twice in the header is refused, naming it", async () => {
    const error = await problemOf(
      write(
        "twice.csv",
        "phone,at,channel,phone\n+12127363101,2026-11-02T10:00:00-05:00,call,+13127363101\n",
      ),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/phone: .*names the phone column twice/);
  });

  it("a row with more fields than the header is refused, naming its line", async () => {
    const error = await problemOf(
      write(
        "wide.csv",
        "phone,at,channel\n+12127363101,2026-11-02T10:00:00-05:00,call\n+12127363102,2026-11-02T10:00:00-05:00,call,extra\n",
      ),
    );
    expect(error.problems[0]).toMatchObject({ row: 3 });
    expect(error.message).toMatch(/4 fields where the header names 3 columns/);
  });

  it("cxo touches import exits 2 on either, and records nothing", async () => {
    const dataDir = path.join(dir, ".cxo");
    const twice = await runCli(
      [
        "touches",
        "import",
        "--file",
        write("t.csv", "phone,at,channel,at\n+12127363101,2026-11-02T10:00:00-05:00,call,x\n"),
      ],
      { CXO_DATA_DIR: dataDir },
    );
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/at column twice/);
    const report = await runCli(
      [
        "--json",
        "compliance",
        "check",
        "--phone",
        "+12127363101",
        "--consent",
        "yes",
        "--channel",
        "call",
        "--at",
        "2026-11-02T11:00:00-05:00",
        "--campaign-caps",
        "day=1",
      ],
      {
        CXO_DATA_DIR: dataDir,
      },
    );
    expect(JSON.parse(report.stdout).allowed).toBe(true);
  });
});
