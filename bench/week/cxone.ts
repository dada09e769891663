import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { RunningCxoneEmulator } from "../../src/emulator/index.ts";

/**
 * The week bench's hands on the emulator and on `cxo`: the production API as a supervisor uses it
 * (an access key's token), the emulator's admin routes (its dialer, knobs, faults) and the real
 * `cxo` command started as cron starts it, with the one clock pinned through CXO_CLOCK.
 */
const CXO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/cxo.js");

/**
 * `CXO_BENCH_CPU_PROF=DIR`: every `cxo` the bench starts writes a V8 CPU profile into DIR
 * (`node --cpu-prof`), to find where a slow run or a busy serve spends its time.
 */
function cxoArgs(args: string[]): string[] {
  const dir = process.env.CXO_BENCH_CPU_PROF;
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${dir}`, CXO, ...args] : [CXO, ...args];
}

export function accessKeyEnv(emulator: RunningCxoneEmulator): Record<string, string> {
  const key = emulator.fixtures.accessKeys.find((k) => !k.readOnly);
  if (!key) throw new Error("the emulator holds no writable access key");
  return {
    CXONE_PLATFORM: "cxone",
    CXONE_ISSUER: emulator.url,
    CXONE_ACCESS_KEY_URL: `${emulator.url}/authentication/v1/token/access-key`,
    CXONE_ACCESS_KEY_ID: key.accessKeyId,
    CXONE_ACCESS_KEY_SECRET: key.accessKeySecret,
  };
}

export async function cxoneApi(
  emulator: RunningCxoneEmulator,
  method: string,
  route: string,
  body?: unknown,
): Promise<unknown> {
  const key = emulator.fixtures.accessKeys.find((k) => !k.readOnly);
  const login = await fetch(`${emulator.url}/authentication/v1/token/access-key`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ accessKeyId: key?.accessKeyId, accessKeySecret: key?.accessKeySecret }),
  });
  const { access_token: token } = (await login.json()) as { access_token: string };
  const answer = await fetch(`${emulator.url}/inContactAPI/services/v33.0${route}`, {
    method,
    headers: {
      accept: "application/json",
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!answer.ok) throw new Error(`${method} ${route}: ${answer.status} ${await answer.text()}`);
  const text = await answer.text();
  return text === "" ? undefined : JSON.parse(text);
}

export async function admin(
  baseUrl: string,
  method: string,
  route: string,
  body?: unknown,
): Promise<unknown> {
  const answer = await fetch(`${baseUrl}/_emulator${route}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await answer.text();
  if (!answer.ok) throw new Error(`${method} /_emulator${route}: ${answer.status} ${text}`);
  return text === "" ? undefined : JSON.parse(text);
}

export interface CxoResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs one `cxo` command to its end some other way than a process of its own. */
export type CxoRunner = (
  args: string[],
  env: Record<string, string>,
  cwd: string,
  timeoutMs: number,
) => Promise<{ code: number | null; stdout: string; stderr: string }>;

let runner: CxoRunner | undefined;

/**
 * The test suite's warm `cxo` hosts (test/support/cli-host.ts) for the commands that run to their
 * end (the clock still pinned per command through CXO_CLOCK); a run to be killed and `cxo serve`
 * stay processes of their own. Unset (the bench): every command a process, as cron starts it.
 */
export function useCxoRunner(next: CxoRunner | undefined): void {
  runner = next;
}

/**
 * Starts `cxo` with the clock pinned at `at` (CXO_CLOCK: a fixed instant, running on in real time
 * from there). `killWhen`, polled every 20 ms while it runs, SIGKILLs it when true.
 */
export function runCxo(
  args: string[],
  env: Record<string, string>,
  at: string,
  options: { cwd: string; killWhen?: () => Promise<boolean>; timeoutMs?: number },
): Promise<CxoResult & { killed: boolean }> {
  if (runner && !options.killWhen) {
    const env_ = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env, CXO_CLOCK: at };
    return runner(args, env_, options.cwd, options.timeoutMs ?? 120_000).then((r) => ({
      ...r,
      signal: null,
      killed: false,
    }));
  }
  const child: ChildProcess = spawn(process.execPath, cxoArgs(args), {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env, CXO_CLOCK: at },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let killed = false;
  let done = false;
  child.stdout?.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
  const watch = async () => {
    while (!done && options.killWhen) {
      if (await options.killWhen().catch(() => false)) {
        killed = child.kill("SIGKILL");
        return;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  void watch();
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      done = true;
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, killed });
    });
  });
}

export interface CxoProcess {
  /** Lines the process wrote on stderr so far (`cxo serve --json`: its step lines as JSON). */
  stderrLines: string[];
  /** Ends the process (SIGTERM: serve closes its leases; SIGKILL: a host lost) and waits for it. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
  /** Its first answer on stdout (`cxo serve`: its address, once it serves), or its end. */
  up: Promise<void>;
}

/** Starts a long-running `cxo` (`serve`) on the clock `clock` (CXO_CLOCK: the bench's anchored value). */
export function startCxo(
  args: string[],
  env: Record<string, string>,
  clock: string,
  cwd: string,
): CxoProcess {
  const child: ChildProcess = spawn(process.execPath, cxoArgs(args), {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env, CXO_CLOCK: clock },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const up = new Promise<void>((resolve) => {
    child.stdout?.once("data", () => resolve());
    child.once("close", () => resolve());
  });
  child.stdout?.resume();
  const stderrLines: string[] = [];
  let rest = "";
  child.stderr?.on("data", (c: Buffer) => {
    const parts = (rest + c.toString()).split("\n");
    rest = parts.pop() ?? "";
    stderrLines.push(...parts);
  });
  const closed = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return {
    stderrLines,
    up,
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      const code = await closed;
      clearTimeout(timer);
      return code;
    },
  };
}
