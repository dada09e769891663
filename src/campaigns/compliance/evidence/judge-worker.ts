import { parentPort, workerData } from "node:worker_threads";
import { ComplianceEngine } from "../engine.ts";
import { RULE_TABLE, type RuleRow } from "../rule-table.ts";
import { judgeChunk } from "./judge.ts";
import type { ThreadTask } from "./judges.ts";
import { verifyChunk } from "./verify-threads.ts";

/**
 * An evidence run's judging thread (judges.ts): judges each chunk of kept inputs it is sent and
 * posts back the records' lines, verdicts and reason codes; or, for `--verify`, checks each chunk
 * of an evidence file's lines (verify-threads.ts). The rule book is the current one, or the one
 * the run was given (`workerData.table`).
 */
const table: readonly RuleRow[] = (workerData as { table?: RuleRow[] } | undefined)?.table ?? RULE_TABLE;
/** The thread's own engine: a thread is a runtime of its own (its caches stay on it). */
const engine = new ComplianceEngine();

parentPort?.on("message", (message: { id: number } & ThreadTask) => {
  try {
    if ("verify" in message) {
      parentPort?.postMessage({ id: message.id, answer: verifyChunk(engine, table, message.verify) });
      return;
    }
    // The lines' bytes are handed over, not copied: the main thread writes them as they are.
    const judged = judgeChunk(engine, message.inputs, table);
    parentPort?.postMessage({ id: message.id, answer: judged }, [
      judged.notAllowed.buffer,
      judged.allowed.buffer,
    ]);
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: (error as Error).stack ?? String(error) });
  }
});
