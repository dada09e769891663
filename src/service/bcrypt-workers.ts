import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * bcrypt off the event loop. bcryptjs is plain JavaScript (no native build: `npm ci` installs it
 * anywhere), and a check at cost 12 is a quarter of a second of CPU; run on the main thread, even
 * in its async form, a burst of sign-ins from 30 addresses held `/api/health` for 5-7 s (issue 63
 * N2). Here each hash or comparison runs on one of a few worker threads, so the service's own
 * thread only passes messages. How many run at once and how many may wait is PasswordChecks'
 * business (password-checks.ts); the pool has a worker per check allowed to run.
 *
 * The worker's code is inline (`eval`), requiring bcryptjs by its resolved path: the same code
 * runs from the TypeScript sources and from the compiled package, with no file of its own to
 * locate. Workers are started on first use and unref'd while idle, so they never keep a process
 * alive; a worker that dies fails its pending job and is replaced on the next one.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const bcrypt = require(workerData.bcryptjs);
parentPort.on("message", (job) => {
  try {
    const value = job.op === "compare" ? bcrypt.compareSync(job.password, job.hash) : bcrypt.hashSync(job.password, job.cost);
    parentPort.postMessage({ id: job.id, value });
  } catch (error) {
    parentPort.postMessage({ id: job.id, error: String((error && error.message) || error) });
  }
});
`;

type Job = { op: "compare"; password: string; hash: string } | { op: "hash"; password: string; cost: number };

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

class BcryptWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  dead = false;

  constructor(bcryptjs: string) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bcryptjs } });
    this.worker.unref();
    this.worker.on("message", (message: { id: number; value?: unknown; error?: string }) => {
      const job = this.pending.get(message.id);
      if (!job) return;
      this.pending.delete(message.id);
      if (this.pending.size === 0) this.worker.unref();
      if (message.error !== undefined) job.reject(new Error(`bcrypt: ${message.error}`));
      else job.resolve(message.value);
    });
    const fail = (error: Error) => {
      this.dead = true;
      for (const job of this.pending.values()) job.reject(error);
      this.pending.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`bcrypt worker exited (code ${code})`)));
  }

  get load(): number {
    return this.pending.size;
  }

  run(job: Job): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Held while it works for someone: an awaited check must not let the process exit under it.
      this.worker.ref();
      this.worker.postMessage({ id, ...job });
    });
  }
}

/**
 * The process's one pool: every service (and its PasswordChecks) of a process shares it, so a
 * process hosting several (tests, the demo) holds `size` threads, not two per service. How many
 * checks run at once per service stays PasswordChecks' rule.
 */
let shared: BcryptWorkers | undefined;
export function sharedBcryptWorkers(size = 2): BcryptWorkers {
  shared ??= new BcryptWorkers(size);
  return shared;
}

export class BcryptWorkers {
  private readonly size: number;
  private readonly workers: BcryptWorker[] = [];
  private readonly bcryptjs = createRequire(import.meta.url).resolve("bcryptjs");

  constructor(size: number) {
    this.size = Math.max(1, size);
  }

  compare(password: string, hash: string): Promise<boolean> {
    return this.run({ op: "compare", password, hash }) as Promise<boolean>;
  }

  hash(password: string, cost: number): Promise<string> {
    return this.run({ op: "hash", password, cost }) as Promise<string>;
  }

  private run(job: Job): Promise<unknown> {
    for (let i = this.workers.length - 1; i >= 0; i--) if (this.workers[i]!.dead) this.workers.splice(i, 1);
    let worker = this.workers.find((each) => each.load === 0);
    if (!worker && this.workers.length < this.size) {
      worker = new BcryptWorker(this.bcryptjs);
      this.workers.push(worker);
    }
    worker ??= this.workers.reduce((least, each) => (each.load < least.load ? each : least));
    return worker.run(job);
  }
}
