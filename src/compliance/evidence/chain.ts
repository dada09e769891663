import { createHash, type Hash, hash } from "node:crypto";
import { canonicalJson } from "../../core/audit/canonical-json.ts";

/**
 * An evidence file as a chain (issue 102 §2): each record's line carries, after its own `digest`,
 * `prev` — the digest of the record before it in the file (`GENESIS` for the first) — and the
 * file ends in a manifest: how many records, how many not allowed, the first and last instants,
 * the digest of the last record, the ROOT (the SHA-256 of every record's digest, each followed
 * by a line feed, in file order: `jq -r .digest` over the records piped to `sha256sum` gives it),
 * the source and the lists, and the inputs' versions and digests. `--verify` walks the chain: a
 * record removed, added, duplicated or moved breaks the `prev` of the record after it (named),
 * a record changed and re-digested breaks the next `prev`, and any of them changes the root and
 * the count the manifest holds. The manifest carries its own digest, and the data dir that wrote
 * the file keeps it (`compliance.evidenceFiles`, by run id), so a file rewritten whole with a new
 * manifest is seen where the file was made.
 *
 * `prev` is outside the record's own digest (which covers its content alone, as before): the
 * records are digested on the judging threads before their place in the file is known (the
 * attempts not allowed come first). Each link is checked against the digest before it, and the
 * root binds the whole sequence.
 */
export const GENESIS_DIGEST = `sha256:${"0".repeat(64)}`;

/** The format a manifest names (files with no manifest are older, and unverifiable). */
export const EVIDENCE_FORMAT = "cxo-evidence/2";

/** Where a kept manifest lives in the store (kv), by run id. */
export const EVIDENCE_FILES = "compliance.evidenceFiles";

// A record's line: `{"digest":"sha256:<64 hex>","prev":"sha256:<64 hex>",…`: fixed offsets.
const DIGEST_LENGTH = GENESIS_DIGEST.length;
const DIGEST_AT = '{"digest":"'.length;
/** Where `prev`'s value starts in a record's line (ASCII: bytes and characters agree). */
export const PREV_AT = DIGEST_AT + DIGEST_LENGTH + '","prev":"'.length;
const TEXT_AT = PREV_AT + DIGEST_LENGTH + '",'.length;

/**
 * Record lines being written into one block of UTF-8 bytes (a judged chunk's group): each record's
 * canonical text is encoded once, its digest taken over those bytes, and its line laid out around
 * them (`{"digest":"…","prev":"…",` then the text less its `{`, then a line feed).
 */
export class LineBlock {
  private buffer = Buffer.allocUnsafeSlow(1 << 20);
  private length = 0;

  /** Adds a record's line; its digest. `prev`: the digest of the record before it. */
  addRecord(text: string, prev: string): string {
    // The text's `{` goes where the head's closing `,` will be: the head is written over it.
    const textAt = this.length + TEXT_AT - 1;
    this.room(TEXT_AT + text.length * 3 + 1);
    const end = textAt + this.buffer.write(text, textAt, "utf8");
    const digest = `sha256:${hash("sha256", this.buffer.subarray(textAt, end))}`;
    this.buffer.write(`{"digest":"${digest}","prev":"${prev}",`, this.length, "latin1");
    this.buffer[end] = 0x0a;
    this.length = end + 1;
    return digest;
  }

  /** The lines written, over the block's own memory (a thread hands it over without a copy); the block is done. */
  bytes(): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(this.buffer.buffer as ArrayBuffer, this.buffer.byteOffset, this.length);
    this.buffer = Buffer.alloc(0);
    this.length = 0;
    return out;
  }

  private room(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}

/** A record line's parts (its digest, prev, and the digested text), or undefined when it is not laid out so. */
export function lineParts(line: string): { digest: string; prev: string; text: string } | undefined {
  if (!line.startsWith('{"digest":"sha256:') || line.slice(PREV_AT - 10, PREV_AT) !== '","prev":"')
    return undefined;
  return {
    digest: line.slice(DIGEST_AT, DIGEST_AT + DIGEST_LENGTH),
    prev: line.slice(PREV_AT, PREV_AT + DIGEST_LENGTH),
    text: `{${line.slice(TEXT_AT)}`,
  };
}

/** Where the attempts came from, as the manifest names it. */
export type EvidenceSourceName =
  | { kind: "file"; file: string; sha256: string }
  | { kind: "campaign"; campaign: string; from: string; to: string }
  | { kind: "list"; list: string; campaign: string | null };

export interface EvidenceManifest {
  /** `sha256:` and the SHA-256 of the manifest's canonical JSON without `digest`. */
  digest: string;
  first: string | null;
  format: typeof EVIDENCE_FORMAT;
  /** What the verdicts read besides each record's kept inputs: their versions and digests. */
  inputs: {
    /** The syncs of the CXone DNC copy the records were judged by (in force at some attempt). */
    cxoneDnc: Array<{ inForceAt: string; syncedAt: string }>;
    registries: Array<{ asOf: string; digest: string; registry: string }>;
    ruleBook: string;
  };
  last: string | null;
  lastRecord: string;
  /** The calling lists the attempts were dialled from. */
  lists: string[];
  madeAt: string;
  notAllowed: number;
  records: number;
  root: string;
  /** The run's id (the data dir keeps the manifest under it). */
  run: string;
  source: EvidenceSourceName;
}

/** The manifest with its digest (keys in canonical order). */
export function sealManifest(manifest: Omit<EvidenceManifest, "digest">): EvidenceManifest {
  return JSON.parse(canonicalJson({ ...manifest, digest: manifestDigest(manifest) })) as EvidenceManifest;
}

export function manifestDigest(manifest: Omit<EvidenceManifest, "digest"> | Record<string, unknown>): string {
  const { digest: _own, ...rest } = manifest as Record<string, unknown>;
  return `sha256:${createHash("sha256").update(canonicalJson(rest)).digest("hex")}`;
}

/** The manifest's line, the last of an NDJSON evidence file. */
export const manifestLine = (manifest: EvidenceManifest): string =>
  `{"manifest":${canonicalJson(manifest)}}\n`;

/** Whether a line is an evidence file's manifest (an empty run's file holds only it). */
export const isManifestLine = (line: string): boolean => line.startsWith('{"manifest":{"digest":"sha256:');

/** The root being computed: every record's digest, in file order. */
export class ChainRoot {
  private readonly hash: Hash = createHash("sha256");
  count = 0;

  add(digest: string): void {
    this.hash.update(`${digest}\n`);
    this.count += 1;
  }

  /** A block of `digest\n` lines, as spooled. */
  addLines(block: Buffer | string, lines: number): void {
    this.hash.update(block);
    this.count += lines;
  }

  private done: string | undefined;

  /** The root (once asked, no more digests are taken). */
  get root(): string {
    this.done ??= `sha256:${this.hash.digest("hex")}`;
    return this.done;
  }
}
