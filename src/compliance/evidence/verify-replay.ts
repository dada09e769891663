import { hash } from "node:crypto";
import { canonicalJson } from "../../core/audit/canonical-json.ts";
import type { Store } from "../../core/store/index.ts";
import type { ComplianceEngine } from "../engine.ts";
import type { RuleRow } from "../rule-table.ts";
import { judgeInputs } from "./judge.ts";
import { DERIVED_FIELDS, type EvidenceInputs, type EvidenceRecord } from "./record.ts";
import { rowDigest, rowsById, ruleBookOf } from "./rule-book.ts";
import type { EvidenceDifference, EvidenceVerification, RuleBookUse } from "./verify-types.ts";

/**
 * One record of `--verify` checked alone (verify.ts): its digest against its content, and its
 * derived fields recomputed from its kept inputs with the rule book of its own version — kept in
 * this data dir, today's, or today's rows where every row that applied is unchanged; a record
 * whose rows changed and whose book is not kept is reported, not re-judged. RecordReplay finds
 * each book (in the store) and counts its records; replayRecord checks a record given its book
 * (verify-lines.ts).
 */
export class RecordReplay {
  private readonly books = new Map<string, { use: RuleBookUse; table: readonly RuleRow[] | undefined }>();
  private readonly store: Store;
  private readonly current: readonly RuleRow[];
  private readonly result: EvidenceVerification;

  constructor(store: Store, current: readonly RuleRow[], result: EvidenceVerification) {
    this.store = store;
    this.current = current;
    this.result = result;
  }

  /** The book of a version, found once (its rows, or undefined when not kept here and not today's). */
  async prepare(version: string): Promise<readonly RuleRow[] | undefined> {
    if (!this.books.has(version)) this.found(version, await ruleBookOf(this.store, version, this.current));
    return this.rowsOf(version);
  }

  private found(version: string, table: readonly RuleRow[] | undefined) {
    let book = this.books.get(version);
    if (!book) {
      book = {
        table,
        use: {
          version,
          records: 0,
          replayedWith: table === this.current ? "current" : table ? "kept" : "current-rows-unchanged",
          changedRows: [],
        },
      };
      this.books.set(version, book);
      this.result.ruleBooks.push(book.use);
    }
    return book;
  }

  /** The rows of a version already prepared. */
  rowsOf(version: string): readonly RuleRow[] | undefined {
    return this.books.get(version)?.table;
  }

  /** A record of `version` checked (prepared first), with the rows of its book changed since. */
  account(version: string, changed: readonly string[]): void {
    const book = this.books.get(version);
    if (!book) throw new Error(`evidence: rule book ${version} was not prepared`);
    book.use.records += 1;
    for (const row of changed) if (!book.use.changedRows.includes(row)) book.use.changedRows.push(row);
    if (changed.length > 0) book.use.replayedWith = "not-replayed";
  }
}

/**
 * A record's differences (`record` 0: the caller places them), and the rows that applied to it
 * that today's book has changed when its own book is not kept (`table` undefined).
 */
export function replayRecord(
  engine: ComplianceEngine,
  record: Record<string, unknown>,
  text: { text: string; canonical?: (() => string) | undefined },
  digest: unknown,
  table: readonly RuleRow[] | undefined,
  current: { rows: readonly RuleRow[]; version: string },
): { found: EvidenceDifference[]; changed: string[] } {
  const id = typeof record.id === "string" ? record.id : null;
  const found: EvidenceDifference[] = [];
  let own = `sha256:${hash("sha256", text.text)}`;
  if (digest !== own && text.canonical) own = `sha256:${hash("sha256", text.canonical())}`;
  if (digest !== own)
    found.push({
      record: 0,
      id,
      field: "digest",
      recorded: digest ?? null,
      recomputed: own,
      note: "the record does not hash to its digest: it was changed after it was written",
    });
  let rows = table;
  if (!rows) {
    const changed = changedRows(record, current.rows);
    if (changed.length > 0) {
      const version = typeof record.ruleBook === "string" ? record.ruleBook : "";
      found.push({
        record: 0,
        id,
        field: "ruleBook",
        recorded: version,
        recomputed: current.version,
        note: `made under rule book ${version}, which this data dir does not keep; rows that applied have changed since (${changed.join(", ")}): not re-judged by today's rows`,
      });
      return { found, changed };
    }
    rows = current.rows;
  }
  let derived: Record<string, unknown>;
  try {
    derived = judgeInputs(engine, record as unknown as EvidenceInputs, rows) as unknown as Record<
      string,
      unknown
    >;
  } catch (error) {
    found.push({
      record: 0,
      id,
      field: "record",
      note: `its inputs cannot be judged: ${(error as Error).message}`,
    });
    return { found, changed: [] };
  }
  for (const name of DERIVED_FIELDS) {
    // The same text as written (the derived fields' keys are made in canonical order) is the same
    // value; any other is compared canonically.
    if (JSON.stringify(record[name] ?? null) === JSON.stringify(derived[name] ?? null)) continue;
    const recorded = canonicalJson(record[name] ?? null);
    const recomputed = canonicalJson(derived[name] ?? null);
    if (recorded !== recomputed)
      found.push({ record: 0, id, field: name, recorded: record[name] ?? null, recomputed: derived[name] });
  }
  return { found, changed: [] };
}

/** The rows a record says applied that today's book has changed (another digest) or no longer has. */
function changedRows(record: Record<string, unknown>, current: readonly RuleRow[]): string[] {
  const byId = rowsById(current);
  const rules = Array.isArray(record.rules) ? (record.rules as EvidenceRecord["rules"]) : [];
  return rules
    .filter((r) => {
      const row = byId.get(r.id);
      return !row || rowDigest(row) !== r.digest;
    })
    .map((r) => r.id);
}
