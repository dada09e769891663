import { parentPort, workerData } from "node:worker_threads";
import { ComplianceEngine } from "../engine.ts";
import { RULE_TABLE, type RuleRow } from "../rule-table.ts";
import { judgeChunk } from "./judge.ts";
import type { EvidenceInputs } from "./record.ts";

/**
 * An evidence run's judging thread (judges.ts): judges each chunk of kept inputs it is sent and
 * posts back the records' lines, verdicts and reason codes. The rule book is the current one, or
 * the one the run was given (`workerData.table`).
 */
const table: readonly RuleRow[] = (workerData as { table?: RuleRow[] } | undefined)?.table ?? RULE_TABLE;
/** The thread's own engine: a thread is a runtime of its own (its caches stay on it). */
const engine = new ComplianceEngine();

parentPort?.on("message", (message: { id: number; inputs: EvidenceInputs[] }) => {
  try {
    // The lines' bytes are handed over, not copied: the main thread writes them as they are.
    const judged = judgeChunk(engine, message.inputs, table);
    parentPort?.postMessage({ id: message.id, judged }, [judged.notAllowed.buffer, judged.allowed.buffer]);
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: (error as Error).stack ?? String(error) });
  }
});
