import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { ComplianceEngine } from "../engine.ts";
import { RULE_TABLE, type RuleRow } from "../rule-table.ts";
import { type JudgedChunk, judgeChunk } from "./judge.ts";
import type { EvidenceInputs } from "./record.ts";

/**
 * Where an evidence run's records are judged and written out (judge.ts's judgeChunk): inline, or on
 * a worker thread while the main thread gathers the next chunk from the store (a large run: the
 * judging and the record's text and digest are about half of an attempt's work, so the two halves
 * run side by side on two cores). The records come back in the order sent either way, and are the
 * same bytes (the same function makes them).
 */
export interface Judges {
  judge(inputs: EvidenceInputs[]): Promise<JudgedChunk>;
  close(): Promise<void>;
}

/** Attempts from which a run judges on a worker thread (a thread costs ~0.3 s of CPU to start). */
export const WORKER_FROM_ATTEMPTS = 20_000;

/** Judging on this thread, by the run's engine (its runtime's). */
export function inlineJudges(engine: ComplianceEngine, table: readonly RuleRow[]): Judges {
  return { judge: async (inputs) => judgeChunk(engine, inputs, table), close: async () => {} };
}

/**
 * Judging threads beside the main thread, which gathers (the judging, the records' text and digest
 * are more than half of an attempt's work): two, so that both cores stay busy while the main
 * thread waits on the store.
 */
export const JUDGING_THREADS = 2;

export function threadJudges(table: readonly RuleRow[], count = JUDGING_THREADS): Judges {
  const here = fileURLToPath(import.meta.url);
  const waiting = new Map<number, { done: (j: JudgedChunk) => void; fail: (e: Error) => void }>();
  let next = 0;
  let broken: Error | undefined;
  const failAll = (error: Error) => {
    broken ??= error;
    for (const w of waiting.values()) w.fail(error);
    waiting.clear();
  };
  const workers = Array.from({ length: Math.max(1, count) }, () => {
    const worker = new Worker(new URL(`./judge-worker${extname(here)}`, import.meta.url), {
      workerData: table === RULE_TABLE ? {} : { table },
      // A chunk's inputs and records are a few MB: a bounded heap is collected before it grows
      // (the default lets each thread's heap reach hundreds of MB of garbage).
      resourceLimits: { maxOldGenerationSizeMb: 192, maxYoungGenerationSizeMb: 32 },
    });
    worker.on("message", (message: { id: number; judged?: JudgedChunk; error?: string }) => {
      const w = waiting.get(message.id);
      waiting.delete(message.id);
      if (!w) return;
      if (message.judged) w.done(message.judged);
      else w.fail(new Error(`evidence: a judging thread failed: ${message.error}`));
    });
    worker.on("error", failAll);
    worker.on("exit", (code) => {
      if (waiting.size > 0) failAll(new Error(`evidence: a judging thread exited (${code})`));
    });
    return worker;
  });
  return {
    judge(inputs) {
      if (broken) return Promise.reject(broken);
      const id = next++;
      return new Promise((done, fail) => {
        waiting.set(id, { done, fail });
        // In turn: chunk k goes to thread k mod count.
        (workers[id % workers.length] as Worker).postMessage({ id, inputs });
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
