import { parentPort } from "node:worker_threads";
import { type Job, runJobSharing } from "./job.ts";

/** A bench worker thread: runs the jobs it is sent, one at a time, and posts each result back. */
parentPort?.on("message", (message: { id: number; job: Job }) => {
  // This thread's CPU (process.cpuUsage would count every thread of the process).
  const cpu = process.threadCpuUsage();
  const { result, sameRunAs } = runJobSharing(message.job);
  const used = process.threadCpuUsage(cpu);
  parentPort?.postMessage({ id: message.id, result, sameRunAs, cpuSeconds: (used.user + used.system) / 1e6 });
});
