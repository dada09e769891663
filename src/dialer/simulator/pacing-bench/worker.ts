import { parentPort } from "node:worker_threads";
import { type Job, runJob } from "./job.ts";

/** A bench worker thread: runs the jobs it is sent, one at a time, and posts each result back. */
parentPort?.on("message", (message: { id: number; job: Job }) => {
  const result = runJob(message.job);
  parentPort?.postMessage({ id: message.id, result });
});
