import { type ChildProcess, fork } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CliResult } from "./run-cli.ts";

// The warm `cxo` hosts of this test worker (cli-host-runner.ts), kept from one test file to the
// next. One job runs in a host at a time; commands in flight together run in separate hosts, so
// two `cxo` racing each other (locks, leases) are still two processes.
const RUNNER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "cli-host-runner.ts");
/** Where `enableCompileCache()` keeps Node's compile cache: the run's setting, else its default. */
const COMPILE_CACHE = process.env.NODE_COMPILE_CACHE ?? path.join(tmpdir(), "node-compile-cache");

/** What Node reads once, at start: a job that sets one of these gets a process of its own. */
const START_ONLY = /^(LANG|LANGUAGE|LC_[A-Z]+|TZ|NODE_OPTIONS|NODE_[A-Z_]+|UV_THREADPOOL_SIZE)$/;

export function canHost(env: Record<string, string>): boolean {
  if (process.env.CXO_TEST_SPAWN_CLI === "1") return false;
  // A job's clock (CXO_CLOCK) is read per command by the CLI itself (src/cli/process-clock.ts).
  return !Object.keys(env).some((key) => START_ONLY.test(key));
}

interface Host {
  child: ChildProcess;
  ready: Promise<void>;
  /** Ended, or being ended (killed at a job's timeout): never handed out again. */
  exited: boolean;
}

const idle: Host[] = [];
/** The CPU the hosts' jobs spent, for the suite's CPU log (cpu-log.ts reads it per file). */
const shared = globalThis as { __cxoHostCpu?: { ms: number; jobs: number } };
shared.__cxoHostCpu ??= { ms: 0, jobs: 0 };
export const hostCpu = shared.__cxoHostCpu;
const all = new Set<Host>();
let nextId = 1;

function startHost(): Host {
  const child = fork(RUNNER, [], {
    // The workers' larger young generation (vitest.config.ts): the commands allocate fast (a
    // caller-ID check's null simulation, exports, the emulator's pages) and scavenge less often
    // this way — 10% less of the hosts' CPU on six host-heavy files (2026-11-28, two runs each,
    // load 7-12; 64 MB saved less). Only a collector's setting: a command's output, exit code and
    // streams are its own either way, and the tests that measure a `cxo`'s memory spawn it.
    execArgv: ["--max-semi-space-size=32"],
    // Node's compile cache from the start, as a spawned `cxo` enables it (bin/cxo.js), in the
    // same place: a host without it compiled every module a command loads afresh (a full load
    // of the sources: ~0.8 s of CPU without, ~0.4 s with). The job's own environment replaces
    // this one before each command runs.
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      NODE_COMPILE_CACHE: COMPILE_CACHE,
    },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const host: Host = { child, exited: false, ready: Promise.resolve() };
  // A write to a host that has just ended (EPIPE) is that job's end, seen by its exit handler.
  child.on("error", () => {
    host.exited = true;
  });
  host.ready = new Promise<void>((resolve, reject) => {
    const onMessage = (message: { ready?: boolean }) => {
      if (!message.ready) return;
      child.off("message", onMessage);
      resolve();
    };
    child.on("message", onMessage);
    child.once("exit", (code) => reject(new Error(`the cxo host exited while starting (${code})`)));
  });
  child.once("exit", () => {
    host.exited = true;
    all.delete(host);
    const at = idle.indexOf(host);
    if (at >= 0) idle.splice(at, 1);
  });
  all.add(host);
  return host;
}

/** An idle host does not keep the test worker alive. */
function setRef(host: Host, ref: boolean): void {
  const handles = [host.child, host.child.channel, host.child.stdout, host.child.stderr] as Array<
    { ref(): void; unref(): void } | null | undefined
  >;
  for (const handle of handles) {
    if (ref) handle?.ref();
    else handle?.unref();
  }
}

process.once("exit", () => {
  for (const host of all) host.child.kill("SIGKILL");
});

export async function runHosted(
  args: string[],
  env: Record<string, string>,
  cwd: string,
  timeoutMs: number,
): Promise<CliResult> {
  const host = idle.pop() ?? startHost();
  setRef(host, true);
  await host.ready;
  const id = nextId++;
  const marker = `\n\u0000cxo-host-end:${id}\u0000\n`;
  const { child } = host;
  let stdout = "";
  let stderr = "";
  const result = await new Promise<CliResult>((resolve) => {
    let code: number | null | undefined;
    const finish = () => {
      if (code === undefined || !stdout.endsWith(marker) || !stderr.endsWith(marker)) return;
      cleanup();
      resolve({ code, stdout: stdout.slice(0, -marker.length), stderr: stderr.slice(0, -marker.length) });
    };
    const onOut = (chunk: Buffer) => {
      stdout += chunk.toString();
      finish();
    };
    const onErr = (chunk: Buffer) => {
      stderr += chunk.toString();
      finish();
    };
    const onMessage = (message: {
      id?: number;
      code?: number | null;
      reusable?: boolean;
      left?: string[];
      cpuMs?: number;
    }) => {
      if (message.id !== id) return;
      code = message.code ?? null;
      hostCpu.ms += message.cpuMs ?? 0;
      hostCpu.jobs += 1;
      if (process.env.CXO_TEST_HOST_DEBUG) console.error("cxo host", args.join(" "), message.left);
      if (!message.reusable) host.exited = true;
      finish();
    };
    // The command ended the process (process.exit, a crash): as a spawned `cxo` would end.
    const onExit = (exitCode: number | null) => {
      clearTimeout(timer);
      // What the pipes still hold arrives before 'close'.
      child.once("close", () => {
        cleanup();
        resolve({ code: exitCode, stdout, stderr });
      });
    };
    const timer = setTimeout(() => {
      cleanup();
      host.exited = true;
      child.kill("SIGKILL");
      // Said in the output a test prints on failure: a kill is not a command's own empty answer.
      resolve({ code: null, stdout, stderr: `${stderr}[test harness: killed after ${timeoutMs} ms]\n` });
    }, timeoutMs);
    function cleanup() {
      clearTimeout(timer);
      child.stdout?.off("data", onOut);
      child.stderr?.off("data", onErr);
      child.off("message", onMessage);
      child.off("exit", onExit);
    }
    child.stdout?.on("data", onOut);
    child.stderr?.on("data", onErr);
    child.on("message", onMessage);
    child.once("exit", onExit);
    child.send({ id, args, env, cwd }, (error) => {
      if (error) host.exited = true;
    });
  });
  if (!host.exited && child.connected && child.exitCode === null && child.signalCode === null) {
    setRef(host, false);
    idle.push(host);
  } else if (child.exitCode === null && child.signalCode === null) {
    child.kill("SIGKILL");
  }
  return result;
}
