import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Starts a bench/support server script in a child process; resolves with its URL. */
export async function startChildServer(script: string): Promise<{ url: string; stop: () => void }> {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), script);
  const child: ChildProcess = spawn(process.execPath, [file], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once("error", reject);
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill("SIGTERM") };
}
