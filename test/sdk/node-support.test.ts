import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MINIMUM_NODE, unsupportedNode } from "../../src/core/node-support.ts";

/**
 * Issue 43 §2: importing the SDK on a Node older than 22.13 says which Node it needs (it used to
 * fail with ERR_UNKNOWN_BUILTIN_MODULE: node:sqlite), with the CLI's check. Checked by
 * behaviour (issue 52 §6, not by reading the import lines): a child process runs the entry
 * points as an old Node would see them — `process.versions.node` says 20.20.2 and node:sqlite
 * does not exist — and must end with the one sentence, not a missing built-in module.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SRC = path.join(ROOT, "src");

/** A preload making this Node look like Node 20: its version, and no node:sqlite. */
const OLD_NODE = `data:text/javascript,${encodeURIComponent(`
  import { registerHooks } from "node:module";
  Object.defineProperty(process, "versions", { value: { ...process.versions, node: "20.20.2" }, configurable: true });
  registerHooks({
    resolve(specifier, context, next) {
      if (specifier === "node:sqlite" || specifier === "sqlite")
        throw Object.assign(new Error("No such built-in module: node:sqlite"), { code: "ERR_UNKNOWN_BUILTIN_MODULE" });
      return next(specifier, context);
    },
  });
`)}`;

/** Runs `args` on this Node made to look like Node 20 (see OLD_NODE). */
const onOldNode = (args: string[]) =>
  spawnSync(process.execPath, ["--import", OLD_NODE, ...args], { encoding: "utf8", cwd: ROOT });

describe("the Node the package needs", () => {
  it("one sentence names it, for the CLI and the SDK alike", () => {
    expect(MINIMUM_NODE).toBe("22.13");
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(pkg.engines.node).toBe(`>=${MINIMUM_NODE}`);
    expect(unsupportedNode("cxone-outbound", "20.20.2")).toBe(
      "cxone-outbound needs Node.js 22.13 or newer (this is v20.20.2); install a current Node.js LTS.",
    );
    expect(unsupportedNode("cxo", "22.12.0")).toMatch(/^cxo needs Node\.js 22\.13 or newer/);
    for (const fine of ["22.13.0", "22.18.1", "23.0.0", "24.21.0", "30.1.0"])
      expect(unsupportedNode("cxo", fine), fine).toBeUndefined();
  });

  it("cxo on an old Node prints the sentence and exits 2", () => {
    const run = onOldNode([path.join(SRC, "cli", "bin.ts"), "--version"]);
    expect(run.stderr.trim()).toBe(
      "cxo needs Node.js 22.13 or newer (this is v20.20.2); install a current Node.js LTS.",
    );
    expect(run.status).toBe(2);
  });

  it.each(["index.ts", "internal.ts"])(
    "importing %s on an old Node fails with the sentence (ERR_CXO_UNSUPPORTED_NODE), before any node:sqlite",
    (entry) => {
      const script = `import(${JSON.stringify(path.join(SRC, entry))}).then(
        () => console.log("imported"),
        (e) => console.log(JSON.stringify({ code: e.code, message: e.message })),
      );`;
      const run = onOldNode(["--input-type=module", "-e", script]);
      expect(run.status, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual({
        code: "ERR_CXO_UNSUPPORTED_NODE",
        message:
          "cxone-outbound needs Node.js 22.13 or newer (this is v20.20.2); install a current Node.js LTS.",
      });
    },
  );
});
