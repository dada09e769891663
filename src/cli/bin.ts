#!/usr/bin/env node
// The installed package's `cxo` (dist/cli/bin.js). Plain enough for any Node to parse, so an
// old Node gets one line saying what is needed instead of a syntax or module error (the same
// check as the SDK's, src/core/node-support.ts).
import { unsupportedNode } from "../core/node-support.ts";

const unsupported = unsupportedNode("cxo");
if (unsupported) {
  process.stderr.write(`${unsupported}\n`);
  process.exit(2);
}
// `npx cxo` in a clone installs the clone first, and npm's `prepare` rebuilds dist/ (~5 s)
// with its output hidden: say once, on stderr, why that first run took so long.
{
  const { existsSync, rmSync } = await import("node:fs");
  const marker = new URL("../.built-by-prepare", import.meta.url);
  if (existsSync(marker)) {
    rmSync(marker, { force: true });
    process.stderr.write(
      "cxo: dist/ was just rebuilt from src/ by npm's prepare script (npm ci, or npx cxo in a clone): that took a while once. In a clone, `npm run cxo -- …` runs the sources without a build.\n",
    );
  }
}
// A command loads ~180 modules (a dialing script runs `cxo compliance check` once per number):
// Node's compile cache keeps their compiled code on disk (in the OS temp dir; code only, no data),
// so later runs skip compiling them. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
const { enableCompileCache } = await import("node:module");
enableCompileCache?.();
// `campaigns contacts` re-executes itself once with a bounded young generation (see heap-flags.ts).
const { reexecWithHeapFlags } = await import("./heap-flags.ts");
reexecWithHeapFlags(process.argv[1] ?? "", process.argv.slice(2));
const { main } = await import("./main.ts");
// Let pending writes (stdout pipes) flush, then exit with the contract's code.
process.exitCode = await main(process.argv.slice(2));
