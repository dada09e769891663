#!/usr/bin/env node
// The `cxo` command inside a clone of the repository (the installed package runs dist/cli/bin.js).
// The source is TypeScript run by Node's own type stripping (Node >= 22.18
// strips types by default; 22.13–22.17 need the flag, so we re-exec once with it).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  // Older Node cannot run TypeScript source at all: say so instead of failing on a flag.
  process.stderr.write(
    `cxo needs Node.js >= 22.13 (this is ${process.version} at ${process.execPath}).\n` +
      "In a clone of the repository, run it through npm (npm start, npx cxo …), which uses the pinned Node 24.\n",
  );
  process.exit(2);
} else if (!process.features.typescript) {
  const self = fileURLToPath(import.meta.url);
  const result = spawnSync(
    process.execPath,
    ["--experimental-strip-types", "--no-warnings=ExperimentalWarning", self, ...process.argv.slice(2)],
    { stdio: "inherit" },
  );
  process.exit(result.status ?? 1);
} else {
  // `campaigns contacts` re-executes itself once with a bounded young generation (see heap-flags.ts).
  const { reexecWithHeapFlags } = await import("../src/cli/heap-flags.ts");
  reexecWithHeapFlags(fileURLToPath(import.meta.url), process.argv.slice(2));
  const { main } = await import("../src/cli/main.ts");
  process.exitCode = await main(process.argv.slice(2));
}
