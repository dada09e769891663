import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * A child process's peak RSS (VmHWM, from /proc), polled every `everyMs` until it closes, with
 * its exit code: the benches that measure one `cxo` command's memory in its own process.
 */
export async function peakRssUntilClose(
  child: ChildProcess,
  everyMs = 10,
): Promise<{ code: number | null; peakMb: number }> {
  let peakKb = 0;
  const poll = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
    } catch {
      // exited between two polls
    }
  }, everyMs);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearInterval(poll);
  return { code, peakMb: peakKb / 1024 };
}
