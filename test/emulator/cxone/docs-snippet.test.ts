import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Issue 39 §3: the access-key login is triable offline from the docs. The first shell block of
 * docs/emulator-cxone.md's "Point `cxo` at it" runs as written, `npx cxo` being this checkout's
 * `cxo` (what npx runs in a clone) and the port any free one.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

function snippet(): string {
  const doc = readFileSync(path.join(ROOT, "docs/emulator-cxone.md"), "utf8");
  const section = doc.slice(doc.indexOf("### Point `cxo` at it"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error("no shell block under 'Point `cxo` at it'");
  return block;
}

describe("docs/emulator-cxone.md: point cxo at the production emulator", () => {
  it("the access-key snippet runs as written: login access-key, the campaign's status, exit 0", () => {
    const cxo = `"${process.execPath}" "${path.join(ROOT, "bin/cxo.js")}"`;
    const script = snippet().replaceAll("npx cxo", cxo).replace("--port 8787", "--port 0");
    const cwd = mkdtempSync(path.join(tmpdir(), "cxo-docs-snippet-"));
    const run = spawnSync(
      "bash",
      ["-e", "-c", `trap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n${script}`],
      {
        cwd,
        encoding: "utf8",
        timeout: 60_000,
        env: { PATH: process.env.PATH ?? "", HOME: cwd, CXO_DATA_DIR: path.join(cwd, ".cxo") },
      },
    );
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const check = JSON.parse(run.stdout.slice(run.stdout.indexOf("{"), run.stdout.indexOf("}\n") + 1));
    expect(check).toMatchObject({ platform: "cxone", login: "access-key" });
    expect(run.stdout).toMatch(/701 "PC Sales": active/);
    // The variables file holds the emulator's (fake) secrets: the owner's alone.
    expect(readFileSync(path.join(cwd, "cxone-emulator.env"), "utf8")).toContain("CXONE_ACCESS_KEY_URL=");
  });
});
