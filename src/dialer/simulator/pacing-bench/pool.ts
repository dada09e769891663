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
 * last ones do not leave a core idle.
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
}

export function defaultWorkers(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

interface Queued {
  job: Job;
  priority: number;
  done: (result: DaysResult) => void;
  fail: (error: Error) => void;
}

interface Slot {
  thread: Worker;
  busy: Queued | null;
}

const queue: Queued[] = [];
/** CPU seconds the threads spent per scenario and controller ("scenario · controller"): where a bench's time goes. */
const cpuSpent = new Map<string, number>();

/** CPU seconds spent by the pool's threads so far, per "scenario · controller". */
export function poolCpuSeconds(): ReadonlyMap<string, number> {
  return cpuSpent;
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
    const slot: Slot = { thread: new Worker(workerFile()), busy: null };
    slot.thread.unref();
    slot.thread.on("message", (message: { result: DaysResult; cpuSeconds?: number }) => {
      const task = slot.busy;
      if (task && message.cpuSeconds !== undefined) {
        const key = `${task.job.scenario.name} · ${task.job.controller}`;
        cpuSpent.set(key, (cpuSpent.get(key) ?? 0) + message.cpuSeconds);
      }
      slot.busy = null;
      task?.done(message.result);
      dispatch();
    });
    const lost = (error: Error) => {
      const index = slots.indexOf(slot);
      if (index >= 0) slots.splice(index, 1);
      const task = slot.busy;
      slot.busy = null;
      task?.fail(error);
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

function dispatch(): void {
  for (const slot of slots) {
    if (slot.busy) continue;
    const task = queue.shift();
    if (!task) break;
    slot.busy = task;
    // A thread with work keeps the process alive; an idle one does not.
    slot.thread.ref();
    slot.thread.postMessage({ job: task.job });
  }
  for (const slot of slots) if (!slot.busy) slot.thread.unref();
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
  if (workers <= 0) {
    jobs.forEach((job, i) => {
      results[i] = runJob(job);
      options.onProgress?.(i + 1, jobs.length);
    });
    return results;
  }
  grow(workers);
  let done = 0;
  const order = jobs.map((_, i) => i).sort((a, b) => costOf(jobs[b] as Job) - costOf(jobs[a] as Job));
  const pending = order.map(
    (id) =>
      new Promise<void>((resolve, reject) => {
        enqueue({
          job: jobs[id] as Job,
          priority: options.priority ?? 0,
          done: (result) => {
            results[id] = result;
            options.onProgress?.(++done, jobs.length);
            resolve();
          },
          fail: reject,
        });
      }),
  );
  dispatch();
  await Promise.all(pending).finally(() => {
    // A failed batch leaves nothing of its own in the queue.
    for (let i = queue.length - 1; i >= 0; i--)
      if (jobs.includes((queue[i] as Queued).job)) queue.splice(i, 1);
  });
  return results;
}
