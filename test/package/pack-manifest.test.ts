import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { restoreManifest, stripPrepare } from "../../scripts/pack-manifest.ts";
import { packageVersion } from "../../src/core/package-version.ts";

/**
 * Issue 54's chaos flake ("a restarted `cxo serve` exited at start with `error: Unexpected end
 * of JSON input`", 1 CI run in 6): the package test's `npm pack` runs `prepack`, which rewrote
 * the clone's package.json IN PLACE (truncate, then write) while the chaos test started `cxo`
 * processes from the same clone; every `cxo` read package.json at start for its version, and one
 * that read between the truncation and the write saw an empty file. The fix: the manifest is
 * replaced by a rename (a reader sees the old file or the new one, never a torn one), `cxo` reads
 * its manifest only for `--version`, and a torn manifest is named in the error.
 */
const dir = mkdtempSync(path.join(tmpdir(), "cxo-pack-manifest-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MANIFEST = {
  name: "cxone-outbound",
  version: "9.9.9",
  scripts: { prepare: "node scripts/build.ts", test: "vitest run" },
};

function readAllFrom(fd: number): string {
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(4096);
  for (let position = 0; ; ) {
    const n = readSync(fd, buffer, 0, buffer.length, position);
    if (n === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, n)));
    position += n;
  }
  return Buffer.concat(chunks).toString("utf8");
}

describe("the pack-time manifest rewrite", () => {
  it("replaces package.json by a rename: a reader that opened it before still reads the whole old file", () => {
    const root = mkdtempSync(path.join(dir, "root-"));
    const manifest = path.join(root, "package.json");
    const original = `${JSON.stringify(MANIFEST, null, 2)}\n`;
    writeFileSync(manifest, original, { mode: 0o644 });
    const before = statSync(manifest);
    // A `cxo` starting at that moment: it has the file open when the rewrite happens.
    const reader = openSync(manifest, "r");
    try {
      stripPrepare(root);
      // In place (truncate + write), this reader would see the new bytes, or none at all.
      expect(readAllFrom(reader)).toBe(original);
    } finally {
      closeSync(reader);
    }
    const after = statSync(manifest);
    expect(after.ino).not.toBe(before.ino);
    // Still readable by everyone, as npm and other users of the clone expect.
    expect(after.mode & 0o777).toBe(0o644);
    const stripped = JSON.parse(readFileSync(manifest, "utf8"));
    expect(stripped.scripts).toEqual({ test: "vitest run" });
    expect(stripped.version).toBe("9.9.9");
    expect(readFileSync(path.join(root, "package.json.prepack"), "utf8")).toBe(original);

    restoreManifest(root);
    expect(readFileSync(manifest, "utf8")).toBe(original);
  });
});

describe("cxo's version", () => {
  it("a torn package.json is named in the error, with what is wrong with it", () => {
    const torn = path.join(dir, "package.json");
    writeFileSync(torn, '{\n  "name": "cxone-outbound",\n  "vers');
    expect(() => packageVersion(torn)).toThrow(torn);
    expect(() => packageVersion(torn)).toThrow(/not JSON|Unexpected end of JSON input/);
    writeFileSync(torn, "");
    expect(() => packageVersion(torn)).toThrow(torn);
  });

  it("is the package's own when asked for no file", () => {
    const own = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    expect(packageVersion()).toBe(own.version);
  });
});
