#!/usr/bin/env node
// The installed package's `cxo` (dist/cli/bin.js). Plain enough for any Node to parse, so an
// old Node gets one line saying what is needed instead of a syntax or module error.
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(
    `cxo needs Node.js 22.13 or newer (this is ${process.version}); install a current Node.js LTS.\n`,
  );
  process.exit(2);
}
// `campaigns contacts` re-executes itself once with a bounded young generation (see heap-flags.ts).
const { reexecWithHeapFlags } = await import("./heap-flags.ts");
reexecWithHeapFlags(process.argv[1] ?? "", process.argv.slice(2));
const { main } = await import("./main.ts");
// Let pending writes (stdout pipes) flush, then exit with the contract's code.
process.exitCode = await main(process.argv.slice(2));
