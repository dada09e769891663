import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDataDir } from "../store/fixtures/temp-dir.ts";

/**
 * A service manager stops `cxo serve` by signalling the pid it launched (systemd's main pid).
 * However bin/cxo.js starts the server — in-process, or re-run with the type-stripping flag on a
 * Node that lacks it (replacing the process, or as a child it forwards signals to) — SIGTERM to
 * that pid must stop the server: nothing may keep listening after the launched pid is gone.
 */
const CXO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/cxo.js");
// Node without process.execve (before 22.15): the re-run must be a child that gets our signals.
const NO_EXECVE = "data:text/javascript,delete process.execve";

const launches: Record<string, string[]> = {
  "in-process (types stripped by default)": [CXO],
  "re-run with the flag (execve: the same pid)": ["--no-experimental-strip-types", CXO],
  "re-run with the flag as a child (no execve)": [
    "--no-experimental-strip-types",
    "--import",
    NO_EXECVE,
    CXO,
  ],
};

function started(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const url = /dashboard at (http:\/\/\S+?)\/?\s/.exec(out)?.[1];
      if (url) resolve(url);
    });
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`cxo serve exited (${code}) before listening: ${err}`)));
  });
}

const answers = (url: string) =>
  fetch(`${url}/api/health`, { signal: AbortSignal.timeout(3000) }).then(
    (r) => r.json() as Promise<{ instance: { name: string } }>,
    () => null,
  );

describe("SIGTERM to the pid that launched `cxo serve` stops the server", () => {
  it.each(Object.entries(launches))(
    "%s",
    async (_how, args) => {
      const data = tempDataDir();
      const child = spawn(process.execPath, [...args, "serve", "--port", "0"], {
        env: {
          PATH: process.env.PATH ?? "",
          HOME: data.dir,
          CXO_DATA_DIR: data.dir,
          CXONE_BASE_URL: "http://127.0.0.1:9",
          CXONE_CLIENT_ID: "id",
          CXONE_CLIENT_SECRET: "secret",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let serverPid: number | undefined;
      try {
        const url = await started(child);
        const health = await answers(url);
        serverPid = Number(health?.instance.name.split(":").at(-1));
        const exited = new Promise((resolve) =>
          child.once("exit", (code, signal) => resolve({ code, signal })),
        );
        child.kill("SIGTERM");
        await exited;
        // The launched pid is gone; the server must be too (not left running as an orphan).
        expect(await answers(url)).toBeNull();
      } finally {
        child.kill("SIGKILL");
        if (serverPid && serverPid !== child.pid)
          try {
            process.kill(serverPid, "SIGKILL");
          } catch {
            // already gone
          }
        data.remove();
      }
    },
    60_000,
  );
});
