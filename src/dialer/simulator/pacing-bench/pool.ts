import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { DaysResult } from "../day/engine.ts";
import { type Job, runJob } from "./job.ts";

/**
 * Runs bench jobs on worker threads (one per core by default, 2 on the project's machine), in
 * any order, results returned in the jobs' order. `workers: 0` runs them inline (tests, and
 * hosts where threads cannot load the sources).
 *
 * The threads are kept for the life of the process and shared by every call, concurrent ones
 * included: a bench makes a dozen or more batches (tuning stages, replications, variants), and a
 * fresh thread costs ~0.7–1 s of CPU to load the sources and warm up its JIT. Idle threads do
 * not keep the process alive. Jobs wait in one queue, costliest first within a batch, so the
 * last ones do not leave a core idle. While more jobs wait than there are threads, each thread
 * is sent its next job before it finishes the current one, so it does not wait for the main
 * thread (busy with a bench's figures or the twin rows) to hand it one.
 *
 * Work is not done twice (issue 53 §3): a job whose run another job's run already is — VICIdial's
 * modes at the same settings on the same days, up to a drop override that sets the level
 * differently (`sameRunAs`) — waits for that one and takes its result, a copy of the same
 * numbers; if the runs parted, it is queued then.
 */
export interface PoolOptions {
  workers?: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * Jobs of a higher priority go ahead of every queued job of a lower one (default 0). A bench
   * whose stages run one after the other (tuning, then replications) is the critical path: run
   * first, its next stage does not wait behind batches queued meanwhile by runs beside it.
   */
  priority?: number;
  /**
   * Stops the batch: inline, no job starts after its abort (the event loop is given a turn
   * between jobs so that it can fire); on threads, the batch's queued jobs are dropped (those
   * running finish, unread). The batch rejects with the signal's reason.
   */
  signal?: AbortSignal;
}

export function defaultWorkers(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

interface Queued {
  job: Job;
  priority: number;
  done: (result: DaysResult, sameRunAs: readonly string[]) => void;
  fail: (error: Error) => void;
}

/** What a job's run is known to be, for the jobs that may be the same run. */
interface Known {
  controller: string;
  /** Null once known not to stand for any other controller (nothing kept). */
  result: DaysResult | null;
  sameRunAs: readonly string[];
}

/**
 * By a job's description with its controller's family in place of its name: the first such
 * job's run (pending, then known). Only VICIdial's modes may share a run today.
 */
const runs = new Map<string, Promise<Known>>();
const familyOf = (controller: string) => (controller.startsWith("vicidial-") ? "vicidial" : controller);
const shareKey = (job: Job) => JSON.stringify({ ...job, controller: familyOf(job.controller) });
/** Jobs answered by another job's run (not run again), and their days. */
const shared = { jobs: 0, days: 0 };
export function poolShared(): { jobs: number; days: number } {
  return shared;
}

interface Slot {
  thread: Worker;
  /** Jobs sent to the thread, in order (it runs them one at a time): the first is running. */
  busy: Queued[];
  /** When it last went idle (ms; NaN before its first job). */
  idleFrom: number;
  /** When its running job started (performance.now(), ms): posted to an idle thread, or the previous result's arrival. */
  since: number;
}

/** Threads are sent a second job while at least this many jobs per thread wait in the queue. */
const PREFETCH_WHEN_QUEUED = 1;

const queue: Queued[] = [];
/** CPU seconds the threads spent per scenario and controller ("scenario · controller"): where a bench's time goes. */
const cpuSpent = new Map<string, number>();

/** CPU seconds spent by the pool's threads so far, per "scenario · controller". */
export function poolCpuSeconds(): ReadonlyMap<string, number> {
  return cpuSpent;
}

/**
 * How busy the pool kept its threads: from the first job posted to the last result, the
 * thread-seconds a job was out (posted to result back, wall) against threads × that span. The
 * rest is a thread waiting for work (a stage waiting on its previous one, the main thread busy).
 */
const usage = { first: Number.POSITIVE_INFINITY, last: 0, busyMs: 0, jobs: 0 };
/** Idle spells of a thread (ms from, ms to) between its first job and the pool's last result. */
const idleSpells: [number, number][] = [];
export function poolIdleSpells(): readonly [number, number][] {
  return idleSpells;
}
/**
 * With CXO_BENCH_HASHES=1, a hash of every job's result by a hash of the job (its whole
 * description): two runs of the bench that did the same work print the same lines (proof that a
 * change to the scheduling or a speed-up left every day result as it was).
 */
const resultHashes = new Map<string, string>();
export function poolResultHashes(): ReadonlyMap<string, string> {
  return resultHashes;
}
function hashResult(job: Job, result: DaysResult): void {
  const key = createHash("sha256").update(JSON.stringify(job)).digest("hex").slice(0, 16);
  const h = createHash("sha256");
  for (const [name, value] of Object.entries(result).sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    h.update(name);
    if (ArrayBuffer.isView(value)) h.update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    else h.update(JSON.stringify(value));
  }
  resultHashes.set(key, h.digest("hex").slice(0, 32));
}
/** Jobs seen, by their whole description (a repeat would be work done twice). */
const seen = new Map<string, number>();
export function poolRepeats(): { repeats: number; repeatedDays: number } {
  let repeats = 0;
  let repeatedDays = 0;
  for (const [key, n] of seen)
    if (n > 1) {
      repeats += n - 1;
      repeatedDays += (n - 1) * (JSON.parse(key) as Job).days;
    }
  return { repeats, repeatedDays };
}
export function poolUsage(): {
  spanSeconds: number;
  busyThreadSeconds: number;
  threads: number;
  jobs: number;
} {
  const span = usage.jobs > 0 ? (usage.last - usage.first) / 1000 : 0;
  return {
    spanSeconds: span,
    busyThreadSeconds: usage.busyMs / 1000,
    threads: slots.length,
    jobs: usage.jobs,
  };
}
const slots: Slot[] = [];

/** Relative cost of a controller's simulated day (measured: cxo ~4×, the optimiser ~3×). */
const COST: Record<string, number> = { cxo: 4, "simulation-optimiser": 3, issabel: 2.5, webitel: 2 };
const costOf = (job: Job) =>
  job.days * (job.scenario.endSecond - job.scenario.startSecond) * (COST[job.controller] ?? 1);

function workerFile(): URL {
  const here = fileURLToPath(import.meta.url);
  return new URL(`./worker${extname(here)}`, import.meta.url);
}

function grow(size: number): void {
  while (slots.length < size) {
    const slot: Slot = { thread: new Worker(workerFile()), busy: [], since: 0, idleFrom: Number.NaN };
    slot.thread.unref();
    slot.thread.on(
      "message",
      (message: { result: DaysResult; sameRunAs?: readonly string[]; cpuSeconds?: number }) => {
        const task = slot.busy.shift();
        if (task && message.cpuSeconds !== undefined) {
          const key = `${task.job.scenario.name} · ${task.job.controller}`;
          cpuSpent.set(key, (cpuSpent.get(key) ?? 0) + message.cpuSeconds);
        }
        const now = performance.now();
        usage.busyMs += now - slot.since;
        usage.last = now;
        usage.jobs++;
        slot.since = now;
        if (slot.busy.length === 0) slot.idleFrom = now;
        if (task && process.env.CXO_BENCH_HASHES === "1") hashResult(task.job, message.result);
        task?.done(message.result, message.sameRunAs ?? []);
        dispatch();
      },
    );
    const lost = (error: Error) => {
      const index = slots.indexOf(slot);
      if (index >= 0) slots.splice(index, 1);
      const tasks = slot.busy;
      slot.busy = [];
      for (const task of tasks) task.fail(error);
      void slot.thread.terminate();
      dispatch();
    };
    slot.thread.on("error", lost);
    slot.thread.on("exit", (code) => {
      if (slots.includes(slot)) lost(new Error(`bench worker exited with code ${code}`));
    });
    slots.push(slot);
  }
}

function post(slot: Slot, task: Queued): void {
  if (slot.busy.length === 0) {
    slot.since = performance.now();
    if (!Number.isNaN(slot.idleFrom) && slot.since - slot.idleFrom > 50)
      idleSpells.push([slot.idleFrom, slot.since]);
    usage.first = Math.min(usage.first, slot.since);
  }
  slot.busy.push(task);
  // A thread with work keeps the process alive; an idle one does not.
  slot.thread.ref();
  slot.thread.postMessage({ job: task.job });
}

function dispatch(): void {
  for (const slot of slots) {
    if (slot.busy.length > 0) continue;
    const task = queue.shift();
    if (!task) break;
    post(slot, task);
  }
  for (const slot of slots) {
    if (slot.busy.length !== 1 || queue.length < PREFETCH_WHEN_QUEUED * slots.length) continue;
    post(slot, queue.shift() as Queued);
  }
  for (const slot of slots) if (slot.busy.length === 0) slot.thread.unref();
}

/** Behind every queued job of the same or a higher priority, ahead of the lower ones. */
function enqueue(task: Queued): void {
  let at = queue.length;
  while (at > 0 && (queue[at - 1] as Queued).priority < task.priority) at--;
  queue.splice(at, 0, task);
}

export async function runJobs(jobs: Job[], options: PoolOptions = {}): Promise<DaysResult[]> {
  const workers = Math.min(options.workers ?? defaultWorkers(), jobs.length);
  const results: DaysResult[] = new Array(jobs.length);
  const signal = options.signal;
  signal?.throwIfAborted();
  if (workers <= 0) {
    for (const [i, job] of jobs.entries()) {
      if (signal) {
        await new Promise((resolve) => setImmediate(resolve));
        signal.throwIfAborted();
      }
      results[i] = runJob(job);
      options.onProgress?.(i + 1, jobs.length);
    }
    return results;
  }
  grow(workers);
  if (process.env.CXO_BENCH_REPEATS === "1")
    for (const job of jobs) {
      const key = JSON.stringify(job);
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  let done = 0;
  const order = jobs.map((_, i) => i).sort((a, b) => costOf(jobs[b] as Job) - costOf(jobs[a] as Job));
  const priority = options.priority ?? 0;
  const queued = (job: Job) =>
    new Promise<Known>((resolve, reject) => {
      enqueue({
        job,
        priority,
        done: (result, sameRunAs) => resolve({ controller: job.controller, result, sameRunAs }),
        fail: reject,
      });
    });
  /** The job's result: another job's run when it is this one, else its own. */
  const submit = (job: Job): Promise<DaysResult> => {
    const key = shareKey(job);
    const first = runs.get(key);
    if (!first) {
      const own = queued(job);
      // Kept only when it stands for others (their jobs may come later: another stage, a chain).
      runs.set(
        key,
        own.then(
          (known) => (known.sameRunAs.length > 0 ? known : { ...known, result: null }),
          () => ({ controller: job.controller, result: null, sameRunAs: [] }),
        ),
      );
      return own.then((known) => known.result as DaysResult);
    }
    return first.then((known) => {
      if (known.result && known.controller !== job.controller && known.sameRunAs.includes(job.controller)) {
        shared.jobs++;
        shared.days += job.days;
        const copy = structuredClone(known.result);
        if (process.env.CXO_BENCH_HASHES === "1") hashResult(job, copy);
        return copy;
      }
      const own = queued(job);
      dispatch();
      return own.then((k) => k.result as DaysResult);
    });
  };
  const pending = order.map((id) =>
    submit(jobs[id] as Job).then((result) => {
      results[id] = result;
      options.onProgress?.(++done, jobs.length);
    }),
  );
  dispatch();
  let onAbort: (() => void) | undefined;
  const stopped = signal
    ? new Promise<never>((_, reject) => {
        onAbort = () => reject(signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
      })
    : undefined;
  // The jobs' own promises are settled all the same (none rejects unhandled after an abort).
  if (stopped) for (const one of pending) one.catch(() => undefined);
  await (stopped ? Promise.race([Promise.all(pending), stopped]) : Promise.all(pending)).finally(() => {
    if (onAbort) signal?.removeEventListener("abort", onAbort);
    // A failed batch leaves nothing of its own in the queue.
    for (let i = queue.length - 1; i >= 0; i--)
      if (jobs.includes((queue[i] as Queued).job)) queue.splice(i, 1);
  });
  return results;
}
