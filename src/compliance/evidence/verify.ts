import { statSync } from "node:fs";
import { canonicalJson } from "../../core/audit/canonical-json.ts";
import { InputError } from "../../core/input-error.ts";
import { inputLines } from "../../core/input-rows.ts";
import type { Store } from "../../core/store/index.ts";
import type { ComplianceEngine } from "../engine.ts";
import type { RuleRow } from "../rule-table.ts";
import { type EvidenceFormat, formatOf } from "./output.ts";
import { ruleBookVersion } from "./rule-book.ts";
import { ChainWalk, concludeChain } from "./verify-chain.ts";
import {
  type CheckedItem,
  checkItem,
  type FileItem,
  lineItem,
  parseObject,
  versionOf,
} from "./verify-lines.ts";
import { RecordReplay } from "./verify-replay.ts";
import type { EvidenceDifference, EvidenceVerification } from "./verify-types.ts";

/**
 * `cxo compliance evidence --verify FILE` / `compliance.verifyEvidence`: every
 * record of an evidence file checked twice — its digest against its content (a record changed
 * after it was written), and its derived fields (the verdict, its reasons, zones, rules and
 * counters) recomputed from its kept inputs by the engine, with the rule book of the record's own
 * version (rule-book.ts) — each difference named by record (its place in the file and its id)
 * and field. A record whose rule book is not kept here and whose rows changed since is reported
 * (`ruleBook`), not re-judged by today's rows. The chain and the manifest are checked too
 * (verify-chain.ts): a record removed, added, duplicated, moved, or changed and re-digested is
 * named, and a file with no manifest is unverifiable.
 */
export type {
  ChainVerification,
  EvidenceDifference,
  EvidenceVerification,
  RuleBookUse,
} from "./verify-types.ts";

const MAX_LISTED = 1_000;

export async function verifyEvidence(
  engine: ComplianceEngine,
  store: Store,
  file: string,
  options: {
    ruleTable?: readonly RuleRow[];
    signal?: AbortSignal;
  } = {},
): Promise<EvidenceVerification> {
  let isFile = false;
  try {
    isFile = statSync(file).isFile();
  } catch {}
  if (!isFile) throw new InputError({ field: "file", rule: `${file} is not a readable evidence file` });
  const current = options.ruleTable ?? engine.ruleTable;
  const result: EvidenceVerification = {
    file,
    format: formatOf(file),
    ok: true,
    unverifiable: false,
    chain: { manifest: null, root: "", kept: null },
    records: 0,
    verified: 0,
    differences: [],
    differenceCount: 0,
    currentRuleBook: ruleBookVersion(current),
    ruleBooks: [],
  };
  const replay = new RecordReplay(store, current, result);
  const walk = new ChainWalk();
  const note = (found: readonly EvidenceDifference[]) => {
    result.differenceCount += found.length;
    for (const d of found) if (result.differences.length < MAX_LISTED) result.differences.push(d);
  };
  const checked = checksOf(engine, recordsOf(file, result.format), replay, current);
  let manifest: { value: unknown; place: number } | undefined;
  for await (const item of checked) {
    if ((result.records & 0x3fff) === 0) options.signal?.throwIfAborted();
    if (item.kind === "manifest") {
      if (manifest !== undefined)
        note([
          {
            record: manifest.place,
            id: null,
            field: "manifest",
            note: "a second manifest: the file is two files joined",
          },
        ]);
      manifest = { value: item.manifest, place: result.records + 1 };
      continue;
    }
    result.records += 1;
    const found: EvidenceDifference[] = [];
    if (manifest !== undefined)
      found.push({
        record: result.records,
        id: null,
        field: "manifest",
        note: "a record after the manifest: added after the file was written",
      });
    const link = walk.next(result.records, item.walked, item.digest, item.prev);
    if (link) found.push(link);
    for (const d of item.found) found.push({ ...d, record: result.records });
    if (item.version !== undefined) replay.account(item.version, item.changed);
    if (found.length === 0) result.verified += 1;
    note(found);
  }
  await concludeChain(store, file, result, walk, manifest, note);
  result.ok = result.differenceCount === 0;
  return result;
}

/**
 * Each item checked, in file order, on this thread. (Two judging threads, as \`evidence\` has, were
 * measured slower here: a million records took 44 s of CPU inline and 67–73 s on the threads, whose
 * per-record cost was half as much again; docs/benchmarks.md.)
 */
async function* checksOf(
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

async function* recordsOf(file: string, format: EvidenceFormat): AsyncGenerator<FileItem> {
  if (format === "parquet") {
    const { evidenceParquetRows } = await import("./parquet.ts");
    try {
      for await (const { text, digest, prev } of evidenceParquetRows(file)) {
        const parsed = parseObject(text);
        // The `record` column holds the canonical text: hashed as it stands, canonicalised only when it differs.
        yield {
          kind: "record",
          text,
          canonical: parsed && (() => canonicalJson(parsed)),
          digest,
          prev,
          parsed,
        };
      }
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError({
        field: "file",
        rule: `${file} is not a readable Parquet evidence file (${(error as Error).message})`,
      });
    }
    return;
  }
  for await (const { text: line } of inputLines(file)) yield lineItem(line);
}
