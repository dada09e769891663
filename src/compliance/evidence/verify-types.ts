import type { EvidenceManifest } from "./chain.ts";
import type { EvidenceFormat } from "./output.ts";

// What `--verify` answers (verify.ts), in a module of its own: the walk of the chain, the check
// of the lines and the replay of the records (verify-chain.ts, verify-lines.ts, verify-replay.ts)
// name these shapes without importing verify.ts, which imports them.

/**
 * One difference `compliance evidence --verify` found: the record (its place in the file and its
 * id) and the field, with what the record says and what its kept inputs give again (or a note).
 */
export interface EvidenceDifference {
  /** The record's place in the file (1 = first). */
  record: number;
  id: string | null;
  field: string;
  recorded?: unknown;
  recomputed?: unknown;
  note?: string;
}

export interface RuleBookUse {
  version: string;
  records: number;
  /**
   * How its records were replayed: `current` (today's book is that version), `kept` (the book
   * kept in this data dir when the file was made), `current-rows-unchanged` (not kept here, but
   * every row that applied is unchanged today), or `not-replayed` (rows changed and the book is
   * not kept here: those records are differences).
   */
  replayedWith: "current" | "kept" | "current-rows-unchanged" | "not-replayed";
  /** Rows that applied to some record of this version and differ in today's book (changed or gone). */
  changedRows: string[];
}

/** The chain and the manifest, as `--verify` found them (chain.ts). */
export interface ChainVerification {
  /** The file ends in a manifest (none: `unverifiable`, whatever its records say). */
  manifest: EvidenceManifest | null;
  /** The root recomputed from the records' digests, in file order. */
  root: string;
  /** Whether this data dir kept the manifest when it wrote the file: `same`, `different`, or `not-kept` (made elsewhere). */
  kept: "same" | "different" | "not-kept" | null;
}

export interface EvidenceVerification {
  file: string;
  format: EvidenceFormat;
  ok: boolean;
  /** The file carries no manifest: nothing shows that no record was removed (exit 1). */
  unverifiable: boolean;
  chain: ChainVerification;
  records: number;
  /** Records with no difference. */
  verified: number;
  /** Every difference found (the first 1,000; `differenceCount` counts them all). */
  differences: EvidenceDifference[];
  differenceCount: number;
  /** The current rule book's version, and the books the records name. */
  currentRuleBook: string;
  ruleBooks: RuleBookUse[];
}
