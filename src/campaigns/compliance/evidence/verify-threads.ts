import { open } from "node:fs/promises";
import type { ComplianceEngine } from "../engine.ts";
import type { RuleRow } from "../rule-table.ts";
import { JUDGING_THREADS, judgingThreads } from "./judges.ts";
import { ruleBookVersion } from "./rule-book.ts";
import { type CheckedItem, checkItem, type FileItem, lineItem, versionOf } from "./verify-lines.ts";
import type { RecordReplay } from "./verify-replay.ts";

/**
 * `--verify` of a large NDJSON file on the judging threads (judges.ts): the main thread reads the
 * file in blocks of whole lines and hands each, in turn, to a thread (bytes, not copied), which
 * splits it into lines, parses, hashes and judges each record again (verify-lines.ts) by the book
 * it names — today's, or one the main thread found in the store when a thread first met it (that
 * record is checked on the main thread). The answers come back in file order for the chain's
 * walk, which stays on the main thread (it is sequential, and cheap: a digest a line). Inline, the
 * same check runs on the main thread.
 */

/** Files from which `--verify` checks on the threads (~20,000 records: a thread costs ~0.3 s of CPU to start). */
export const VERIFY_THREADS_FROM_BYTES = 48 << 20;

/**
 * A block of the file's lines for a thread (whole lines, UTF-8, handed over without a copy), with
 * the rows of each book the main thread has found so far (`current`: the thread's own).
 */
export interface VerifyTask {
  bytes: Uint8Array;
  /** The file's first block (a byte-order mark is not part of its first line). */
  first: boolean;
  books: Record<string, readonly RuleRow[] | "current" | null>;
}

/** A record whose book the main thread had not found yet: checked there, once it has. */
type Answer = CheckedItem | { kind: "unprepared"; line: string };

/** Line ends as a text line reader takes them (core/input-rows.ts): LF, CRLF or a lone CR. */
const LINE_END = /\r?\n|\r(?!\n)/;

/** On a thread: each non-blank line of the block checked, with the books the task carries. */
export function verifyChunk(engine: ComplianceEngine, table: readonly RuleRow[], task: VerifyTask): Answer[] {
  const current = { rows: table, version: ruleBookVersion(table) };
  const books = { ...task.books, [current.version]: "current" as const };
  let text = new TextDecoder().decode(task.bytes);
  if (task.first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const answers: Answer[] = [];
  for (const line of text.split(LINE_END)) {
    if (line.trim() === "") continue;
    const item = lineItem(line);
    if (item.kind === "record" && item.parsed && !(versionOf(item.parsed) in books)) {
      answers.push({ kind: "unprepared", line });
      continue;
    }
    const rowsOf = (version: string) => {
      const rows = books[version];
      return rows === "current" ? table : (rows ?? undefined);
    };
    answers.push(checkItem(engine, item, rowsOf, current));
  }
  return answers;
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

const BLOCK = 4 << 20;

/** The file's whole lines in blocks of about 4 MiB, each its own memory (handed to a thread). */
async function* blocksOf(file: string): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  const handle = await open(file, "r");
  try {
    let carry = Buffer.alloc(0);
    for (;;) {
      const block = Buffer.allocUnsafeSlow(carry.length + BLOCK);
      carry.copy(block, 0);
      const { bytesRead } = await handle.read(block, carry.length, BLOCK, null);
      const filled = carry.length + bytesRead;
      if (bytesRead === 0) {
        if (filled > 0) yield new Uint8Array(block.buffer as ArrayBuffer, 0, filled);
        return;
      }
      const cut = block.lastIndexOf(0x0a, filled - 1);
      if (cut < 0) {
        carry = block.subarray(0, filled); // a line longer than a block: read on
        continue;
      }
      carry = Buffer.from(block.subarray(cut + 1, filled));
      yield new Uint8Array(block.buffer as ArrayBuffer, 0, cut + 1);
    }
  } finally {
    await handle.close();
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
  // The books found so far (on an unprepared answer), sent with every block.
  const books: VerifyTask["books"] = {};
  const inFlight: Array<Promise<Answer[]>> = [];
  async function* answered(answers: Answer[]): AsyncGenerator<CheckedItem> {
    for (const a of answers) {
      if (a.kind !== "unprepared") {
        yield a;
        continue;
      }
      const item = lineItem(a.line);
      if (item.kind === "record" && item.parsed) {
        const version = versionOf(item.parsed);
        const rows = await replay.prepare(version);
        books[version] = rows === current ? "current" : (rows ?? null);
      }
      yield checkItem(engine, item, (version) => replay.rowsOf(version), book);
    }
  }
  try {
    let first = true;
    for await (const bytes of blocksOf(file)) {
      const answer = pool.ask({ verify: { bytes, first, books: { ...books } } }, [bytes.buffer]) as Promise<
        Answer[]
      >;
      first = false;
      // Observed at once: a failure while the next block is read is not an unhandled rejection.
      answer.catch(() => {});
      inFlight.push(answer);
      if (inFlight.length > threads) yield* answered(await (inFlight.shift() as Promise<Answer[]>));
    }
    while (inFlight.length > 0) yield* answered(await (inFlight.shift() as Promise<Answer[]>));
  } finally {
    await pool.close();
  }
}
