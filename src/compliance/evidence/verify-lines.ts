import { canonicalJson } from "../../core/audit/canonical-json.ts";
import type { ComplianceEngine } from "../engine.ts";
import type { RuleRow } from "../rule-table.ts";
import { lineParts } from "./chain.ts";
import { replayRecord } from "./verify-replay.ts";
import type { EvidenceDifference } from "./verify-types.ts";

/**
 * `--verify`'s work on one line of an evidence file: the line read as a record or the manifest, and
 * a record checked alone (its digest, its verdict recomputed: verify-replay.ts). What the walk of
 * the chain needs of it (its id, instant, verdict, digest and link) comes back with its
 * differences; the chain itself is walked in file order (verify-chain.ts).
 */

/** A record (its text behind its digest and prev as the line holds it, its canonical text when that may differ), or the manifest. */
export type FileItem =
  | {
      kind: "record";
      text: string;
      canonical?: (() => string) | undefined;
      digest: unknown;
      prev: unknown;
      parsed: Record<string, unknown> | undefined;
    }
  | { kind: "manifest"; manifest: unknown };

/** A record checked: what the chain's walk reads, its differences (placed by the caller), the rows changed since its book. */
export interface CheckedRecord {
  kind: "record";
  /** id, at and allowed, as the record has them (undefined: the line is not a JSON object). */
  walked: { id: unknown; at: unknown; allowed: unknown } | undefined;
  digest: unknown;
  prev: unknown;
  /** The rule book's version the record names (undefined: not a JSON object, not replayed). */
  version: string | undefined;
  found: EvidenceDifference[];
  changed: string[];
}

export type CheckedItem = CheckedRecord | { kind: "manifest"; manifest: unknown };

export function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** An NDJSON line as a record or the manifest. */
export function lineItem(line: string): FileItem {
  const parsed = parseObject(line);
  if (!parsed) return { kind: "record", text: line, digest: undefined, prev: undefined, parsed: undefined };
  if ("manifest" in parsed && Object.keys(parsed).length === 1)
    return { kind: "manifest", manifest: parsed.manifest };
  const { digest, prev, ...rest } = parsed;
  // As written, the line is the record's canonical text behind its digest and prev: that text is
  // hashed as it stands, and canonicalised only when it does not give the digest (a line
  // re-serialised since, say, whose content is the same).
  const laid = lineParts(line);
  const canonical = () => canonicalJson(rest);
  return laid
    ? { kind: "record", text: laid.text, canonical, digest, prev, parsed: rest }
    : { kind: "record", text: canonical(), digest, prev, parsed: rest };
}

/** The rule book a record names (a record that is not an object names none). */
export const versionOf = (record: Record<string, unknown>): string =>
  typeof record.ruleBook === "string" ? record.ruleBook : "";

/** A rule book as the check takes it: its rows, or undefined when it is not kept here (verify-replay.ts). */
export type BookRows = readonly RuleRow[] | undefined;

/** One item checked, with the rows of the book its record names. */
export function checkItem(
  engine: ComplianceEngine,
  item: FileItem,
  bookOf: (version: string) => BookRows,
  current: { rows: readonly RuleRow[]; version: string },
): CheckedItem {
  if (item.kind === "manifest") return item;
  const { parsed, digest, prev } = item;
  if (parsed === undefined)
    return {
      kind: "record",
      walked: undefined,
      digest,
      prev,
      version: undefined,
      found: [{ record: 0, id: null, field: "record", note: "not a JSON object" }],
      changed: [],
    };
  const version = versionOf(parsed);
  const replayed = replayRecord(engine, parsed, item, digest, bookOf(version), current);
  return {
    kind: "record",
    walked: { id: parsed.id, at: parsed.at, allowed: parsed.allowed },
    digest,
    prev,
    version,
    ...replayed,
  };
}
