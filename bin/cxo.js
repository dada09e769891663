#!/usr/bin/env node
// The `cxo` command. The source is TypeScript run by Node's own type stripping (Node >= 22.18
// strips types by default; 22.13–22.17 need the flag, so we re-exec once with it).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

if (!process.features.typescript) {
  const self = fileURLToPath(import.meta.url);
  const result = spawnSync(
    process.execPath,
    ["--experimental-strip-types", "--no-warnings=ExperimentalWarning", self, ...process.argv.slice(2)],
    { stdio: "inherit" },
  );
  process.exit(result.status ?? 1);
} else {
  await import("../src/cli/main.ts");
}
