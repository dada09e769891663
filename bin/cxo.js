#!/usr/bin/env node
// The `cxo` command inside a clone of the repository (the installed package runs dist/cli/bin.js).
// The source is TypeScript run by Node's own type stripping (Node >= 22.18
// strips types by default; 22.13–22.17 need the flag, so we re-exec once with it).
import { spawn } from "node:child_process";
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
  // Run again with the flag, as the SAME process where Node can (process.execve, Node >= 22.15):
  // a service manager's SIGTERM then reaches `cxo serve` itself. Where it cannot, the child gets
  // every stop signal we get, and we leave the way it left (its code, or its signal).
  const self = fileURLToPath(import.meta.url);
  const argv = [
    "--experimental-strip-types",
    "--no-warnings=ExperimentalWarning",
    self,
    ...process.argv.slice(2),
  ];
  try {
    process.execve?.(process.execPath, [process.execPath, ...argv], process.env);
  } catch {
    // Not possible here after all: run it as a child.
  }
  const child = spawn(process.execPath, argv, { stdio: "inherit" });
  // Ctrl-C at a terminal reaches the child too (one process group): forwarding it as well would
  // be a second Ctrl-C ("quit now"). A SIGINT sent to us alone (no terminal) is forwarded.
  const forwarded = process.stdin.isTTY ? ["SIGTERM", "SIGHUP"] : ["SIGTERM", "SIGHUP", "SIGINT"];
  const forward = (signal) => child.kill(signal);
  const wait = () => undefined;
  for (const signal of forwarded) process.on(signal, forward);
  if (process.stdin.isTTY) process.on("SIGINT", wait);
  child.on("exit", (code, signal) => {
    for (const s of forwarded) process.off(s, forward);
    process.off("SIGINT", wait);
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
} else {
  // As in the installed package (src/cli/bin.ts): Node's compile cache keeps the compiled code of
  // the ~180 modules a command loads (here also their stripped types) on disk, in the OS temp dir,
  // so later runs skip that work (about 40% of a short command's CPU time). Code only, no data;
  // NODE_DISABLE_COMPILE_CACHE=1 turns it off.
  const { enableCompileCache } = await import("node:module");
  enableCompileCache?.();
  // `campaigns contacts` re-executes itself once with a bounded young generation (see heap-flags.ts).
  const { reexecWithHeapFlags } = await import("../src/cli/heap-flags.ts");
  reexecWithHeapFlags(fileURLToPath(import.meta.url), process.argv.slice(2));
  const { main } = await import("../src/cli/main.ts");
  process.exitCode = await main(process.argv.slice(2));
}
