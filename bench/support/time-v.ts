import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** What `/usr/bin/time -v` says about a child: wall time, CPU time (user + system), peak RSS. */
export interface TimeV {
  wallS: number;
  cpuS: number;
  rssMb: number;
}

export function parseTimeV(text: string): TimeV {
  const field = (name: string) => {
    const match = new RegExp(`${name}: (.+)`).exec(text);
    if (!match) throw new Error(`/usr/bin/time -v printed no "${name}"`);
    return match[1] as string;
  };
  const wall = field("Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)")
    .split(":")
    .reduce((acc, part) => acc * 60 + Number(part), 0);
  return {
    wallS: wall,
    cpuS: Number(field("User time \\(seconds\\)")) + Number(field("System time \\(seconds\\)")),
    rssMb: Number(field("Maximum resident set size \\(kbytes\\)")) / 1024,
  };
}

const CXO = fileURLToPath(new URL("../../bin/cxo.js", import.meta.url));

/**
 * Runs `cxo ARGS` under `/usr/bin/time -v` (its own process, as a user runs it): its stdout and
 * what time says of it. A failed command throws with the end of its stderr.
 */
export function timedCxo(args: readonly string[]): { time: TimeV; stdout: string } {
  const child = spawnSync("/usr/bin/time", ["-v", process.execPath, CXO, ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  if (child.status !== 0)
    throw new Error(`cxo ${args.slice(0, 2).join(" ")} exited ${child.status}: ${child.stderr.slice(-2000)}`);
  return { time: parseTimeV(child.stderr), stdout: child.stdout };
}
