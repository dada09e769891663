/**
 * V8 heap settings for the commands that stream a whole contact list through one process,
 * given at process start (V8 reads them when the heap is set up; v8.setFlagsFromString later
 * does not resize it), by replacing the process image once with the same command plus the
 * flags (process.execve: same process id, stdio and environment).
 *
 * Why: `cxo campaigns contacts` on a 1M-contact list allocates ~1 KB per contact that dies at
 * once, and a little that lives (the verdict cache). V8 doubles the young generation whenever
 * the bytes that survived its collections add up to its size, so any steady survival takes it
 * to its maximum, 2 × 64 MB on Node 24: 134 MB of the scrub's peak RSS (VmHWM), measured with
 * v8.getHeapSpaceStatistics, for no speed gain: with 8 MB semi-spaces the scrub took the same
 * CPU time (scavenges are cheap when almost nothing survives) and its peak fell by ~100 MB.
 *
 * Nothing is changed when the flag is already given (command line or NODE_OPTIONS), or where
 * process.execve does not exist (Node before 22.15, Windows): the command then runs as it is.
 */
const SEMI_SPACE_FLAG = "--max-semi-space-size";
const SEMI_SPACE_MB = 8;

/** The commands that need the flag: `campaigns contacts` (wherever the global options sit). */
export function needsSmallYoungGeneration(args: readonly string[]): boolean {
  const group = args.indexOf("campaigns");
  return group !== -1 && args.indexOf("contacts", group + 1) !== -1;
}

/**
 * Re-executes this process with the heap flag when `args` (the command's arguments) name a
 * command that needs it; returns only when it does not (or cannot) re-execute.
 */
export function reexecWithHeapFlags(script: string, args: readonly string[]): void {
  if (!needsSmallYoungGeneration(args)) return;
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((arg) =>
    arg.includes(SEMI_SPACE_FLAG.slice(2)),
  );
  if (given || typeof process.execve !== "function") return;
  try {
    process.execve(
      process.execPath,
      [process.execPath, ...process.execArgv, `${SEMI_SPACE_FLAG}=${SEMI_SPACE_MB}`, script, ...args],
      process.env,
    );
  } catch {
    // Not available here after all (e.g. a platform without execve): run without the flag.
  }
}
