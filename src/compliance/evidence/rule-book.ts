import { createHash } from "node:crypto";
import { canonicalJson } from "../../core/audit/canonical-json.ts";
import type { Store } from "../../core/store/index.ts";
import { RULE_TABLE, type RuleRow } from "../rule-table.ts";

/**
 * The rule book's version (issue 92 §1): a digest of the whole rule table (every row, every field,
 * canonical JSON), so that any change to a row — a window, a date, a citation — is a new version.
 * Each evidence record names the version it was judged by, and lists the rows that applied with a
 * digest of each.
 *
 * A later rule book never re-judges an old record: the rule book an evidence file was made under
 * is kept in the store (kv namespace `compliance.ruleBooks`, keyed by its version) when the file
 * is written, and `--verify` replays each record with the book of its own version. Where that book
 * is not kept (the file verified against another data dir), the record is replayed with today's
 * book only when every row that applied to it is unchanged (same id, same digest) and today's book
 * applies the same rows; otherwise verify reports the rule book change, naming the rows, and does
 * not re-judge (exit 1: the record cannot be shown to hold).
 */
export const RULE_BOOKS = "compliance.ruleBooks";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const versions = new WeakMap<readonly RuleRow[], string>();

/** `rules-` and the first 16 hex digits of the SHA-256 of the table's canonical JSON. */
export function ruleBookVersion(table: readonly RuleRow[] = RULE_TABLE): string {
  let version = versions.get(table);
  if (version === undefined) {
    version = `rules-${sha256(canonicalJson(table)).slice(0, 16)}`;
    versions.set(table, version);
  }
  return version;
}

const rowDigests = new WeakMap<RuleRow, string>();

/** A row's own digest (12 hex digits of the SHA-256 of its canonical JSON): a changed row is seen. */
export function rowDigest(row: RuleRow): string {
  let digest = rowDigests.get(row);
  if (digest === undefined) {
    digest = sha256(canonicalJson(row)).slice(0, 12);
    rowDigests.set(row, digest);
  }
  return digest;
}

/** The table's rows by id (remembered per table). */
const byIds = new WeakMap<readonly RuleRow[], Map<string, RuleRow>>();
export function rowsById(table: readonly RuleRow[]): Map<string, RuleRow> {
  let rows = byIds.get(table);
  if (!rows) {
    rows = new Map(table.map((row) => [row.id, row]));
    byIds.set(table, rows);
  }
  return rows;
}

interface KeptBook {
  version: string;
  keptAt: string;
  rows: readonly RuleRow[];
}

/** Keeps `table` in the store under its version (once: a version's rows never change). */
export async function keepRuleBook(store: Store, table: readonly RuleRow[], nowMs: number): Promise<string> {
  const version = ruleBookVersion(table);
  if ((await store.kv.get(RULE_BOOKS, version)) === undefined)
    await store.kv.set(RULE_BOOKS, version, {
      version,
      keptAt: new Date(nowMs).toISOString(),
      rows: table,
    } satisfies KeptBook);
  return version;
}

/**
 * The rule book of `version`: `current` when it is that version, else the one kept in the store
 * (its digest checked: a kept book that does not hash to its version is not used), else undefined.
 */
export async function ruleBookOf(
  store: Store,
  version: string,
  current: readonly RuleRow[],
): Promise<readonly RuleRow[] | undefined> {
  if (ruleBookVersion(current) === version) return current;
  const kept = await store.kv.get<KeptBook>(RULE_BOOKS, version);
  if (!kept || !Array.isArray(kept.rows)) return undefined;
  return ruleBookVersion(kept.rows) === version ? kept.rows : undefined;
}
