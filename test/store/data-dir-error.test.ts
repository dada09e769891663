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

describe("the store file is never opened through a link", () => {
  it("a link planted where cxo.sqlite goes is refused (exit 2, naming dataDir), and nothing is created at its target", async () => {
    const { mkdtempSync, symlinkSync, existsSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const { openStore } = await import("../../src/core/store/index.ts");
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-store-link-"));
    const target = path.join(dir, "elsewhere.sqlite");
    const dataDir = path.join(dir, ".cxo");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(dataDir);
    symlinkSync(target, path.join(dataDir, "cxo.sqlite"));
    const error = await openStore(dataDir, { actor: "test" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]?.field).toBe("dataDir");
    expect((error as InputError).problems[0]?.rule).toMatch(/symbolic link/);
    expect(existsSync(target)).toBe(false);
  });
});
