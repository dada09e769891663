import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { finished } from "node:stream/promises";
import { beforeEach, describe, expect, it } from "vitest";
import { acquireFileLock } from "../../src/core/file-lock.ts";
import { InputError } from "../../src/core/input-error.ts";
import {
  checkWriteTarget,
  createSafeWriteStream,
  kindByFirstLine,
  writeFileSafely,
} from "../../src/core/safe-write.ts";

/** Issue 51 items 1 and 15: the one safe-write helper and the export lock. */
const KIND = kindByFirstLine("test report", (line) => line === "# test report");
const options = { field: "--out", kind: KIND };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "cxo-safe-write-"));
});

const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error("not refused");
};

describe("writeFileSafely", () => {
  it("writes a new file 0600 through a temporary file, leaving nothing else behind", () => {
    const file = path.join(dir, "r.txt");
    writeFileSafely(file, "# test report\nrow\n", options);
    expect(readFileSync(file, "utf8")).toBe("# test report\nrow\n");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["r.txt"]);
  });

  it("replaces its own kind of file, an empty file, and a foreign one only with force", () => {
    const file = path.join(dir, "r.txt");
    writeFileSync(file, "# test report\nold\n", { mode: 0o644 });
    writeFileSafely(file, "# test report\nnew\n", options);
    expect(readFileSync(file, "utf8")).toBe("# test report\nnew\n");
    writeFileSync(file, "");
    writeFileSafely(file, "# test report\n", options);
    writeFileSync(file, "key: value\n");
    expect(refusal(() => writeFileSafely(file, "# test report\n", options))).toMatch(
      /^--out: ".*r\.txt" exists and is not a test report: .*`force` replaces it anyway/,
    );
    expect(readFileSync(file, "utf8")).toBe("key: value\n");
    writeFileSafely(file, "# test report\n", { ...options, force: true, mode: 0o640 });
    expect(readFileSync(file, "utf8")).toBe("# test report\n");
    expect(statSync(file).mode & 0o777).toBe(0o640);
  });

  it("refuses a symbolic link, even with force, and writes nothing through it", () => {
    const victim = path.join(dir, "victim");
    writeFileSync(victim, "# test report\nvictim\n", { mode: 0o644 });
    const link = path.join(dir, "l.txt");
    symlinkSync(victim, link);
    expect(refusal(() => writeFileSafely(link, "x", { ...options, force: true }))).toMatch(
      /^--out: ".*l\.txt" is a symbolic link/,
    );
    symlinkSync(path.join(dir, "nowhere"), path.join(dir, "dangling"));
    expect(refusal(() => writeFileSafely(path.join(dir, "dangling"), "x", options))).toMatch(/symbolic link/);
    expect(readFileSync(victim, "utf8")).toBe("# test report\nvictim\n");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(["dangling", "l.txt", "victim"]);
  });

  it("refuses a directory, a missing directory and an empty name", () => {
    expect(refusal(() => writeFileSafely(dir, "x", options))).toMatch(/is a directory/);
    expect(refusal(() => writeFileSafely(path.join(dir, "no", "f"), "x", options))).toMatch(
      /directory .*no does not exist/,
    );
    expect(refusal(() => checkWriteTarget("", options))).toMatch(/must name a file/);
  });
});

describe("createSafeWriteStream", () => {
  it("renames over the target only when the stream finishes", async () => {
    const file = path.join(dir, "s.txt");
    writeFileSync(file, "# test report\nold\n");
    const out = createSafeWriteStream(file, options);
    out.write("# test report\n");
    expect(readFileSync(file, "utf8")).toBe("# test report\nold\n");
    out.end("new\n");
    await finished(out);
    expect(readFileSync(file, "utf8")).toBe("# test report\nnew\n");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["s.txt"]);
  });

  it("leaves the target as it was when destroyed, and removes its temporary file", async () => {
    const file = path.join(dir, "s.txt");
    writeFileSync(file, "# test report\nold\n");
    const out = createSafeWriteStream(file, options);
    out.write("# test report\nhalf");
    out.destroy();
    await new Promise((resolve) => out.once("close", resolve));
    expect(readFileSync(file, "utf8")).toBe("# test report\nold\n");
    expect(readdirSync(dir)).toEqual(["s.txt"]);
  });

  it("refuses at the end a target that became a link meanwhile (and writes nothing through it)", async () => {
    const file = path.join(dir, "s.txt");
    const victim = path.join(dir, "victim");
    writeFileSync(victim, "victim\n");
    const out = createSafeWriteStream(file, options);
    out.write("# test report\n");
    symlinkSync(victim, file);
    out.end();
    await expect(finished(out)).rejects.toThrow(/is a symbolic link/);
    expect(readFileSync(victim, "utf8")).toBe("victim\n");
    expect(readdirSync(dir).sort()).toEqual(["s.txt", "victim"]);
  });
});

describe("acquireFileLock", () => {
  it("refuses a second holder naming the first, and takes over a dead one's lock", () => {
    const lockPath = path.join(dir, ".ds.lock");
    const first = acquireFileLock(lockPath, { field: "out", what: "the Parquet dataset ds" });
    expect(
      refusal(() => acquireFileLock(lockPath, { field: "out", what: "the Parquet dataset ds" })),
    ).toMatch(
      new RegExp(
        `^out: the Parquet dataset ds is being written by another cxo run \\(pid ${process.pid}, since `,
      ),
    );
    first.release();
    expect(readdirSync(dir)).toEqual([]);
    // A run killed with its lock held: a pid that is not running.
    const owner = JSON.parse(readFileSync(acquireAndKeep(lockPath), "utf8")) as Record<string, unknown>;
    writeFileSync(lockPath, JSON.stringify({ ...owner, pid: 2 ** 22 + 12345 }));
    const second = acquireFileLock(lockPath, { field: "out", what: "ds" });
    expect(JSON.parse(readFileSync(lockPath, "utf8")).pid).toBe(process.pid);
    second.release();
    expect(readdirSync(dir)).toEqual([]);
  });
});

function acquireAndKeep(lockPath: string): string {
  acquireFileLock(lockPath, { field: "out", what: "ds" });
  const text = readFileSync(lockPath, "utf8");
  unlinkSync(lockPath);
  writeFileSync(lockPath, text);
  return lockPath;
}
