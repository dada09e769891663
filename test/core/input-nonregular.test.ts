import { execFileSync } from "node:child_process";
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { loadSettings } from "../../src/core/config/load.ts";
import { assertTextInputFile, loadInputFile, readCappedText } from "../../src/core/input-file.ts";
import { readList, readModel } from "../../src/strategy/files.ts";

/**
 * Issue 63 N14: the 8 MiB cap on input documents was checked on `stat`'s size, so /dev/zero
 * (size 0; a V8 out-of-memory after 2.6 GB) and a FIFO (the open never returns) passed. Inputs
 * must be regular files, and no more than the cap is ever read. Every case here hangs or runs
 * out of memory on a build without the guard: the test's own timeout is what fails then.
 */
const dir = mkdtempSync(join(tmpdir(), "cxo-nonregular-"));
const link = (name: string, target: string) => {
  const path = join(dir, name);
  symlinkSync(target, path);
  return path;
};
const fifo = (name: string) => {
  const path = join(dir, name);
  execFileSync("mkfifo", [path]);
  return path;
};

describe("inputs that are not regular files (N14)", () => {
  it("a YAML input document that is /dev/zero or a FIFO is refused naming the flag", () => {
    expect(() => loadInputFile(link("zero.yaml", "/dev/zero"), z.object({}), "--spec")).toThrow(
      /^--spec: .*zero\.yaml" is not a regular file/,
    );
    expect(() => loadInputFile(fifo("pipe.yaml"), z.object({}), "--spec")).toThrow(
      /^--spec: .*pipe\.yaml" is not a regular file/,
    );
  }, 20_000);

  it("the config file and a tenant profile too", () => {
    expect(() => loadSettings({ flags: { config: link("cxo.config.yaml", "/dev/zero") }, env: {} })).toThrow(
      /is not a regular file/,
    );
    expect(() => readCappedText(fifo("profile.yaml"))).toThrow(/is not a regular file/);
  }, 20_000);

  it("streamed inputs (a list, rows to tag) and the strategy's model", async () => {
    expect(() => assertTextInputFile(fifo("rows.csv"), "--file")).toThrow(
      /^--file: .*rows\.csv" is not a regular file/,
    );
    const drain = async () => {
      for await (const _ of readList(fifo("list.csv"), "--list"));
    };
    await expect(drain()).rejects.toThrow(/^--list: .*list\.csv" is not a regular file/);
    expect(() => readModel(link("model.json", "/dev/zero"), "--model")).toThrow(/is not a regular file/);
  }, 20_000);
});
