// A warm `cxo`: one Node process that runs CLI invocations one after another, each through the
// CLI's own entry point (`main(argv)` of src/cli/main.ts, what bin/cxo.js calls), with its own
// environment and working directory. Starting Node and loading the ~180 modules of a command
// costs ~0.8 s of CPU per spawned `cxo`; a test suite that runs a few hundred commands spends
// minutes on that alone. run-cli.ts sends each job here (one host per job in flight) instead.
//
// Output is not captured in-process: the job writes to this process's real stdout and stderr
// (the logger writes to fd 2 directly), and after each job an end marker is written to both
// through their streams, so the parent cuts the streams exactly where a spawned process would
// have ended. A command that calls process.exit() ends this host; the parent sees the exit code
// as it would of a spawned `cxo`, and starts a fresh host for the next job.
import { processLimiters } from "../../src/core/http/limiter-registry.ts";
import { processSecrets } from "../../src/core/logging/secrets.ts";
import { metricsRegistry } from "../../src/core/metrics/index.ts";

interface Job {
  id: number;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

// If the module also runs the CLI when imported, let that run be a harmless `--help`.
process.argv = [process.argv[0] as string, "cxo", "--help"];
const { main } = (await import("../../src/cli/main.ts")) as { main(argv: string[]): Promise<number> };

const PROCESS_EVENTS = ["SIGINT", "SIGTERM", "SIGHUP", "exit", "beforeExit", "uncaughtException"] as const;
type Listener = (...args: unknown[]) => void;
/** The process as the plain emitter it is (its typed overloads take one event kind at a time). */
const emitter = process as unknown as NodeJS.EventEmitter;

/** What a fresh process would have: the process's own listeners as they were before any job. */
function listenersNow(): Map<string, readonly Listener[]> {
  const map = new Map<string, readonly Listener[]>();
  for (const name of PROCESS_EVENTS) map.set(name, emitter.listeners(name) as Listener[]);
  map.set("stdout:error", process.stdout.listeners("error") as Listener[]);
  return map;
}

function restoreListeners(before: Map<string, readonly Listener[]>): void {
  for (const name of PROCESS_EVENTS)
    for (const listener of emitter.listeners(name) as Listener[])
      if (!before.get(name)?.includes(listener)) emitter.off(name, listener);
  for (const listener of process.stdout.listeners("error") as Listener[])
    if (!before.get("stdout:error")?.includes(listener)) process.stdout.off("error", listener);
}

async function run(job: Job): Promise<number | null> {
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, job.env);
  process.chdir(job.cwd);
  process.exitCode = undefined;
  // State a fresh process would not carry (the secret scrubber's values, metrics samples, the
  // rate limiters' spent budgets: three first reads of agents' dispositions, 35 pages each,
  // overran the seed's 100 a minute for outcomes and the third command waited 56 s).
  processSecrets.clear();
  metricsRegistry.resetMetrics();
  processLimiters.clear();
  const before = listenersNow();
  // A job's CXO_CLOCK is installed by main() for the command and undone when it ends.
  try {
    return await main(job.args);
  } catch (error) {
    process.stderr.write(`${String(error)}\n`);
    return 1;
  } finally {
    restoreListeners(before);
    process.exitCode = undefined;
  }
}

/** Timers, sockets and servers still open: a host that carries any into the next job retires. */
function leftovers(): string[] {
  return process.getActiveResourcesInfo().filter((kind) => kind !== "PipeWrap" && kind !== "TTYWrap");
}

const baseline = leftovers().length;

/**
 * What the command left open once its last file operations settle. A command often returns with
 * a file still closing (a read stream's close, an fs promise: `FSReqCallback`), which a spawned
 * `cxo` would wait for before exiting anyway; retiring the host for that cost a fresh host (the
 * CLI's modules loaded again, ~0.6 s of CPU) after 66 of 691 jobs. So wait for those, briefly:
 * anything still open after SETTLE_MS (a timer, a socket, a server) is a real leftover. A socket
 * is waited for too: a command on a PostgreSQL store returns with its pool's sockets ending
 * (`TCPSocketWrap`, closed a few ms later, as a spawned `cxo` waits for them), which retired the
 * host after 11 of 550 jobs of a run (issue 80).
 */
const SETTLE_MS = 200;
const CLOSING = ["FSReqCallback", "TCPSocketWrap"];
async function settledLeftovers(): Promise<string[]> {
  await new Promise((resolve) => setImmediate(resolve));
  const deadline = Date.now() + SETTLE_MS;
  let left = leftovers();
  while (left.length > baseline && left.some((kind) => CLOSING.includes(kind)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    left = leftovers();
  }
  return left;
}

let queue = Promise.resolve();
process.on("message", (message: Job) => {
  queue = queue.then(async () => {
    const cpuBefore = process.cpuUsage();
    const code = await run(message);
    const left = await settledLeftovers();
    const spent = process.cpuUsage(cpuBefore);
    // The job's CPU, for the suite's CPU log (cpu-log.ts): a host is not reaped by the worker.
    const cpuMs = Math.round((spent.user + spent.system) / 1000);
    const marker = `\n\u0000cxo-host-end:${message.id}\u0000\n`;
    // Through the streams, after whatever the command left queued in them: a large answer can
    // fill the pipe (EAGAIN), and a direct write would then fail or overtake the queued bytes.
    await Promise.all([
      new Promise((resolve) => process.stdout.write(marker, resolve)),
      new Promise((resolve) => process.stderr.write(marker, resolve)),
    ]);
    process.send?.({ id: message.id, code, reusable: left.length <= baseline, left, cpuMs });
  });
});
process.send?.({ ready: true });
