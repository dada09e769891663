import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * `cxo --json emulator start --port 0 …args` in its own process (so the emulator has a core to
 * itself, as a real server would); resolves with its URL once it listens, within `startMs`.
 */
export async function startEmulatorProcess(
  args: string[],
  startMs = 30_000,
): Promise<{ url: string; child: ChildProcess }> {
  const cxo = fileURLToPath(new URL("../../bin/cxo.js", import.meta.url));
  const child = spawn(process.execPath, [cxo, "--json", "emulator", "start", "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  const deadline = Date.now() + startMs;
  while (Date.now() < deadline) {
    const match = /"url":\s*"([^"]+)"/.exec(out);
    if (match) return { url: match[1] as string, child };
    // A child that died (its error is on our stderr) is not waited for until the deadline.
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`emulator exited before listening (${child.exitCode ?? child.signalCode})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill("SIGTERM");
  throw new Error("emulator did not start");
}
