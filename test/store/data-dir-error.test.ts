import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/input-error.ts";
import { dataDirError } from "../../src/core/store/data-dir-error.ts";

/** Issue 20, item 6: the errors a data dir can give, mapped to "dataDir: … and what to do". */
describe("dataDirError", () => {
  const rule = (error: unknown) => {
    const mapped = dataDirError("/d", error);
    expect(mapped).toBeInstanceOf(InputError);
    const [problem] = (mapped as InputError).problems;
    expect(problem?.field).toBe("dataDir");
    return problem?.rule ?? "";
  };
  const sqlite = (errcode: number, message: string) => Object.assign(new Error(message), { errcode });

  it("names each case and what to do", () => {
    expect(rule(Object.assign(new Error("EEXIST: mkdir"), { code: "EEXIST" }))).toMatch(/is a file/);
    expect(rule(Object.assign(new Error("x"), { code: "EACCES" }))).toMatch(
      /cannot be created or written \(EACCES\)/,
    );
    expect(rule(sqlite(8, "attempt to write a readonly database"))).toMatch(
      /is read-only: .*make it writable/,
    );
    expect(rule(sqlite(14, "unable to open database file"))).toMatch(/cannot be opened/);
    expect(rule(sqlite(26, "file is not a database"))).toMatch(/corrupt store.*backup/);
    expect(rule(sqlite(11, "database disk image is malformed"))).toMatch(/corrupt store/);
  });

  it("leaves other errors alone", () => {
    const other = new Error("disk I/O error");
    expect(dataDirError("/d", other)).toBe(other);
  });
});
