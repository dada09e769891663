import { inputLines } from "../../../core/input-rows.ts";
import type { ComplianceEngine } from "../engine.ts";
import type { RuleRow } from "../rule-table.ts";
import { isManifestLine } from "./chain.ts";
import { JUDGING_THREADS, judgingThreads } from "./judges.ts";
import { ruleBookVersion } from "./rule-book.ts";
import {
  type CheckedItem,
  checkItem,
  type FileItem,
  lineItem,
  versionInLine,
  versionOf,
} from "./verify-lines.ts";
import type { RecordReplay } from "./verify-replay.ts";

/**
 * `--verify` of a large NDJSON file on the judging threads (judges.ts): the main thread reads the
 * lines, gets ready the rule book each names (from the store), and sends them in chunks, in turn,
 * to the threads, which parse each line, hash it and judge its record again (verify-lines.ts); the
 * answers come back in file order for the chain's walk, which stays on the main thread (it is
 * sequential, and cheap: a digest a line). Inline, the same check runs on the main thread.
 */

/** Files from which `--verify` checks on the threads (~20,000 records: a thread costs ~0.3 s of CPU to start). */
export const VERIFY_THREADS_FROM_BYTES = 48 << 20;
const CHUNK = 2_000;

/** A chunk of lines for a thread, with the rows of each book its records name (`current`: the thread's own). */
export interface VerifyTask {
  lines: string[];
  books: Record<string, readonly RuleRow[] | "current" | null>;
}

/** A record whose book the main thread did not get ready (the line's text misled the scan): checked there. */
type Answer = CheckedItem | { kind: "unprepared"; line: string };

/** On a thread: each line checked, with the books the task carries. */
export function verifyChunk(engine: ComplianceEngine, table: readonly RuleRow[], task: VerifyTask): Answer[] {
  const current = { rows: table, version: ruleBookVersion(table) };
  return task.lines.map((line) => {
    const item = lineItem(line);
    if (item.kind === "record" && item.parsed && !(versionOf(item.parsed) in task.books))
      return { kind: "unprepared", line };
    return checkItem(
      engine,
      item,
      (version) => {
        const rows = task.books[version];
        return rows === "current" ? table : (rows ?? undefined);
      },
      current,
    );
  });
}

/** The items checked on the main thread, in order. */
export async function* inlineChecks(
  engine: ComplianceEngine,
  items: AsyncIterable<FileItem>,
  replay: RecordReplay,
  current: readonly RuleRow[],
): AsyncGenerator<CheckedItem> {
  const book = { rows: current, version: ruleBookVersion(current) };
  for await (const item of items) {
    if (item.kind === "record" && item.parsed) await replay.prepare(versionOf(item.parsed));
    yield checkItem(engine, item, (version) => replay.rowsOf(version), book);
  }
}

/** The lines of an NDJSON file checked on `threads` judging threads, in file order. */
export async function* threadChecks(
  engine: ComplianceEngine,
  file: string,
  replay: RecordReplay,
  current: readonly RuleRow[],
  threads = JUDGING_THREADS,
): AsyncGenerator<CheckedItem> {
  const pool = judgingThreads(current, threads);
  const book = { rows: current, version: ruleBookVersion(current) };
  const inFlight: Array<Promise<Answer[]>> = [];
  const send = async (lines: string[]) => {
    const books: VerifyTask["books"] = {};
    for (const line of lines) {
      // A line that names none (or the manifest) is left to the thread: it answers `unprepared` if it is a record.
      const version = isManifestLine(line) ? undefined : versionInLine(line);
      if (version === undefined || version in books) continue;
      const rows = await replay.prepare(version);
      books[version] = rows === current ? "current" : (rows ?? null);
    }
    const answer = pool.ask({ verify: { lines, books } }) as Promise<Answer[]>;
    // Observed at once: a failure while the next chunk is read is not an unhandled rejection.
    answer.catch(() => {});
    inFlight.push(answer);
  };
  async function* answered(answers: Answer[]): AsyncGenerator<CheckedItem> {
    for (const a of answers) {
      if (a.kind !== "unprepared") {
        yield a;
        continue;
      }
      const item = lineItem(a.line);
      if (item.kind === "record" && item.parsed) await replay.prepare(versionOf(item.parsed));
      yield checkItem(engine, item, (version) => replay.rowsOf(version), book);
    }
  }
  try {
    let lines: string[] = [];
    for await (const { text } of inputLines(file)) {
      lines.push(text);
      if (lines.length < CHUNK) continue;
      await send(lines);
      lines = [];
      if (inFlight.length > threads) yield* answered(await (inFlight.shift() as Promise<Answer[]>));
    }
    if (lines.length > 0) await send(lines);
    while (inFlight.length > 0) yield* answered(await (inFlight.shift() as Promise<Answer[]>));
  } finally {
    await pool.close();
  }
}
