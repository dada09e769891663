import type { Store } from "../../core/store/index.ts";
import {
  ChainRoot,
  EVIDENCE_FORMAT,
  type EvidenceManifest,
  GENESIS_DIGEST,
  manifestDigest,
} from "./chain.ts";
import { keptManifest } from "./manifest-of.ts";
import type { EvidenceDifference, EvidenceVerification } from "./verify-types.ts";

/**
 * `--verify`'s walk of an evidence file's chain (chain.ts): each record's `prev` against the
 * digest of the record before it (a record removed, added, duplicated or moved, or the one before
 * changed and re-digested, breaks it — named at the record whose link broke), and the manifest
 * against what the records come to (count, not allowed, first and last instants, last digest,
 * root), its own digest, and the one this data dir kept when it wrote the file.
 */
export class ChainWalk {
  private readonly chain = new ChainRoot();
  private before = GENESIS_DIGEST;
  private beforeId: string | null = null;
  private unchained = false;
  records = 0;
  notAllowed = 0;
  first: string | null = null;
  last: string | null = null;

  /** The link of record `place` (1 = first): a difference when it does not hold. */
  next(
    place: number,
    record: Record<string, unknown> | undefined,
    digest: unknown,
    prev: unknown,
  ): EvidenceDifference | undefined {
    const id = typeof record?.id === "string" ? record.id : null;
    const own = typeof digest === "string" ? digest : "";
    this.records += 1;
    this.chain.add(own);
    if (record?.allowed === false) this.notAllowed += 1;
    const at = typeof record?.at === "string" ? record.at : undefined;
    if (at !== undefined) {
      if (this.first === null || at < this.first) this.first = at;
      if (this.last === null || at > this.last) this.last = at;
    }
    const expected = this.before;
    const previousId = this.beforeId;
    this.before = own;
    this.beforeId = id;
    if (prev === expected) return undefined;
    if (prev === undefined) {
      // A file made before evidence files were chained: said once, not of every record.
      if (this.unchained) return undefined;
      this.unchained = true;
      return {
        record: place,
        id,
        field: "prev",
        note: "the record carries no link to the one before it: the file was made before evidence files were chained",
      };
    }
    return {
      record: place,
      id,
      field: "prev",
      recorded: prev,
      recomputed: expected,
      note:
        place === 1
          ? "the first record of the file does not open the chain: records were removed before it"
          : `the record before it in the file (${previousId === null ? `record ${place - 1}` : `id ${previousId}`}) is not the one written before it: a record was removed, added, duplicated or moved here, or the one before was changed and re-digested`,
    };
  }

  get root(): string {
    return this.chain.root;
  }
}

const isManifest = (value: unknown): value is EvidenceManifest =>
  typeof value === "object" && value !== null && (value as { format?: unknown }).format === EVIDENCE_FORMAT;

/** The manifest checked against the walk, its own digest and the copy kept in the store. */
export async function checkManifest(
  store: Store,
  value: unknown,
  walk: ChainWalk,
  place: number,
): Promise<{
  manifest: EvidenceManifest | null;
  kept: "same" | "different" | "not-kept" | null;
  differences: EvidenceDifference[];
}> {
  const differences: EvidenceDifference[] = [];
  const differ = (field: string, recorded: unknown, recomputed: unknown, note: string) =>
    differences.push({ record: place, id: null, field: `manifest.${field}`, recorded, recomputed, note });
  if (!isManifest(value)) {
    differences.push({
      record: place,
      id: null,
      field: "manifest",
      note: `the manifest is not one this cxo reads (format ${EVIDENCE_FORMAT}): unverifiable`,
    });
    return { manifest: null, kept: null, differences };
  }
  const manifest = value;
  const own = manifestDigest(manifest);
  if (manifest.digest !== own)
    differ("digest", manifest.digest, own, "the manifest was changed after it was written");
  const root = walk.root;
  const facts: Array<[keyof EvidenceManifest, unknown, string]> = [
    ["records", walk.records, "records were removed from the file or added to it"],
    ["notAllowed", walk.notAllowed, "records not allowed were removed, added or changed"],
    ["root", root, "the records' digests, in file order, are not the ones written"],
    ["first", walk.first, "the first instant differs: records were removed, added or changed"],
    ["last", walk.last, "the last instant differs: records were removed, added or changed"],
  ];
  for (const [field, recomputed, note] of facts)
    if (manifest[field] !== recomputed) differ(field, manifest[field], recomputed, note);
  const kept = typeof manifest.run === "string" ? await keptManifest(store, manifest.run) : undefined;
  let status: "same" | "different" | "not-kept" = "not-kept";
  if (kept !== undefined) {
    status = kept.digest === manifest.digest ? "same" : "different";
    if (status === "different")
      differ(
        "run",
        manifest.digest,
        kept.digest,
        `this data dir wrote run ${manifest.run} with another manifest (${kept.records} records, root ${kept.root}): the file was rewritten`,
      );
  }
  return { manifest, kept: status, differences };
}

/** After the last record: the root, and the manifest checked (none: the file is unverifiable). */
export async function concludeChain(
  store: Store,
  file: string,
  result: EvidenceVerification,
  walk: ChainWalk,
  found: { value: unknown; place: number } | undefined,
  note: (differences: readonly EvidenceDifference[]) => void,
): Promise<void> {
  let manifest = found;
  result.chain.root = walk.root;
  if (result.format === "parquet" && manifest === undefined) {
    const { evidenceParquetManifest } = await import("./parquet.ts");
    const kept = await evidenceParquetManifest(file);
    if (kept !== undefined) manifest = { value: kept, place: result.records + 1 };
  }
  if (manifest === undefined) {
    result.unverifiable = true;
    note([
      {
        record: result.records + 1,
        id: null,
        field: "manifest",
        note: "the file has no manifest: nothing shows that no record was removed from it (unverifiable)",
      },
    ]);
    return;
  }
  const checked = await checkManifest(store, manifest.value, walk, manifest.place);
  result.chain.manifest = checked.manifest;
  result.chain.kept = checked.kept;
  note(checked.differences);
}
