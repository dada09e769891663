import { statSync } from "node:fs";

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
/**
 * Issue 88 L13: `strategy push` of a large plan holds it compactly (strategy/push-plan.ts), but V8
 * let the heap grow to two or three times what is live while it was read, judged and sent — a
 * million-record push peaked near 1 GB with some 130 MB live. `--optimize-for-size` (collect
 * sooner, keep the heap near its live size) halves the peak for about a third more CPU time. Only
 * for a plan file this large (about 40,000 rows of `cxo strategy plan`): small pushes keep V8's
 * defaults.
 */
const SIZE_FLAG = "--optimize-for-size";
const LARGE_PLAN_BYTES = 16 * 1024 * 1024;

/** The commands that need the flag: `campaigns contacts` (wherever the global options sit). */
export function needsSmallYoungGeneration(args: readonly string[]): boolean {
  const group = args.indexOf("campaigns");
  return group !== -1 && args.indexOf("contacts", group + 1) !== -1;
}

/** `strategy push --plan FILE` (or `--plan=FILE`) of a plan file over 16 MB. */
export function pushesLargePlan(args: readonly string[], sizeOf = fileSize): boolean {
  const group = args.indexOf("strategy");
  if (group === -1 || args.indexOf("push", group + 1) === -1) return false;
  const at = args.indexOf("--plan");
  const file = at !== -1 ? args[at + 1] : args.find((a) => a.startsWith("--plan="))?.slice("--plan=".length);
  return file !== undefined && file !== "-" && sizeOf(file) > LARGE_PLAN_BYTES;
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // the command names a missing file itself
  }
}

/** The V8 flags `args`' command is started with, each unless already given. */
function heapFlagsFor(args: readonly string[]): string[] {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ""];
  const has = (flag: string) => given.some((arg) => arg.includes(flag.slice(2)));
  const flags: string[] = [];
  if (needsSmallYoungGeneration(args) && !has(SEMI_SPACE_FLAG))
    flags.push(`${SEMI_SPACE_FLAG}=${SEMI_SPACE_MB}`);
  if (pushesLargePlan(args) && !has(SIZE_FLAG)) flags.push(SIZE_FLAG);
  return flags;
}

/**
 * Re-executes this process with the heap flags when `args` (the command's arguments) name a
 * command that needs them; returns only when it does not (or cannot) re-execute.
 */
export function reexecWithHeapFlags(script: string, args: readonly string[]): void {
  const flags = heapFlagsFor(args);
  if (flags.length === 0 || typeof process.execve !== "function") return;
  try {
    process.execve(
      process.execPath,
      [process.execPath, ...process.execArgv, ...flags, script, ...args],
      process.env,
    );
  } catch {
    // Not available here after all (e.g. a platform without execve): run without the flags.
  }
}
