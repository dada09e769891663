import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { canHost, runHosted } from "./cli-host.ts";

const CXO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/cxo.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `cxo` command (as a user would), with a clean environment plus `env`, so tests
 * see exit codes and output exactly as a shell does. By default the command runs in a warm
 * `cxo` host process (cli-host.ts: the same entry point, environment, working directory and
 * output streams, without paying Node's start and the module loading for every command);
 * `spawn: true`, an environment that changes what Node reads only at start (locale, time zone,
 * NODE_OPTIONS), or CXO_TEST_SPAWN_CLI=1 start a fresh process as before.
 */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  options: { cwd?: string; timeoutMs?: number; spawn?: boolean } = {},
): Promise<CliResult> {
  const fullEnv = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env };
  const cwd = options.cwd ?? process.cwd();
  // By default only a hang's bound: a command of a second alone took over 20 s at load 20
  // (2026-11-28). A test that bounds a wait on purpose (warm-host-budget.test.ts) says so.
  const timeoutMs = options.timeoutMs ?? 60_000;
  if (!options.spawn && canHost(env)) return runHosted(args, fullEnv, cwd, timeoutMs);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CXO, ...args], {
      cwd,
      env: fullEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout,
        stderr: killed ? `${stderr}[test harness: killed after ${timeoutMs} ms]\n` : stderr,
      });
    });
  });
}

/**
 * Commands one after another, their results in order (a tuple's types kept): for commands that
 * are independent of each other. In a Promise.all each command in flight took a warm host of
 * its own, and a host loads the CLI's modules on its first commands (~0.6 s of CPU apiece), for
 * a wall time the two cores did not give back. Commands that must race (locks, leases,
 * optimistic locking) stay in a Promise.all: there each is its own process, as a user's are.
 */
export async function inTurn<const T extends ReadonlyArray<() => Promise<unknown>>>(
  runs: T,
): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  const results: unknown[] = [];
  for (const run of runs) results.push(await run());
  return results as { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
}

export interface RunningCli {
  child: ReturnType<typeof spawn>;
  /** Attached at spawn: a process refusing its flags may exit before anyone awaits it. */
  exit: Promise<[number | null, NodeJS.Signals | null]>;
  out(): string;
  err(): string;
}

/** Starts `cxo` and leaves it running (a server, the emulator): read its output as it comes. */
export function spawnCli(args: string[], env?: Record<string, string>): RunningCli {
  const child = spawn(process.execPath, [CXO, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    ...(env ? { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env } } : {}),
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on("exit", (code, signal) => resolve([code, signal])),
  );
  return { child, exit, out: () => stdout, err: () => stderr };
}
