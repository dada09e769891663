import { createHash } from "node:crypto";
import { createReadStream, statSync } from "node:fs";
import path from "node:path";
import { canonicalJson } from "../../core/audit/canonical-json.ts";
import type { Store } from "../../core/store/index.ts";
import type { DncRegistries } from "../registry/lookup.ts";
import {
  EVIDENCE_FILES,
  EVIDENCE_FORMAT,
  type EvidenceManifest,
  type EvidenceSourceName,
  sealManifest,
} from "./chain.ts";
import type { EvidenceFrom } from "./evidence-from.ts";
import type { ChainEnd } from "./output.ts";

/**
 * The manifest of an evidence run (chain.ts): what the chain came to, where the attempts came
 * from (an outcomes file by its name and SHA-256), and the inputs' versions and digests. Kept in
 * the store by run id once the file is written, so `--verify` in this data dir knows the manifest
 * it wrote.
 */
export interface ManifestFacts {
  run: string;
  from: EvidenceFrom;
  /** The outcomes file's SHA-256 (the file source), computed while it was read. */
  fileSha256: string | undefined;
  campaignOfList: string | undefined;
  ruleBook: string;
  registries: DncRegistries;
  cxoneDnc: Array<{ inForceAt: string; syncedAt: string }>;
  first: string | null;
  last: string | null;
  notAllowed: number;
  madeAtMs: number;
}

export function manifestOf(facts: ManifestFacts, end: ChainEnd): EvidenceManifest {
  const { from } = facts;
  const source: EvidenceSourceName =
    "file" in from
      ? {
          kind: "file",
          file: path.basename(from.file),
          sha256: facts.fileSha256 ?? "a directory (a Parquet dataset)",
        }
      : "campaignId" in from
        ? {
            kind: "campaign",
            campaign: from.campaignId,
            from: new Date(from.fromMs).toISOString(),
            to: new Date(from.toMs).toISOString(),
          }
        : { kind: "list", list: from.listId, campaign: facts.campaignOfList ?? null };
  return sealManifest({
    first: facts.first,
    format: EVIDENCE_FORMAT,
    inputs: {
      cxoneDnc: facts.cxoneDnc,
      registries: facts.registries.registries.map((r) => ({
        asOf: r.manifest.asOf,
        digest: `sha256:${createHash("sha256").update(canonicalJson(r.manifest)).digest("hex")}`,
        registry: r.manifest.registry,
      })),
      ruleBook: facts.ruleBook,
    },
    last: facts.last,
    lastRecord: end.lastRecord,
    lists: "listId" in from ? [from.listId] : [],
    madeAt: new Date(facts.madeAtMs).toISOString(),
    notAllowed: facts.notAllowed,
    records: end.records,
    root: end.root,
    run: facts.run,
    source,
  });
}

/** Keeps the manifest in the store, by run id (a file rewritten whole with another manifest is seen here). */
export async function keepManifest(store: Store, manifest: EvidenceManifest): Promise<void> {
  await store.kv.set(EVIDENCE_FILES, manifest.run, manifest);
}

/** The manifest this data dir kept for a run, if any. */
export async function keptManifest(store: Store, run: string): Promise<EvidenceManifest | undefined> {
  return store.kv.get<EvidenceManifest>(EVIDENCE_FILES, run);
}

/** `sha256:` and the SHA-256 of a file's bytes; undefined for a directory (a Parquet dataset). */
export async function fileSha256(file: string): Promise<string | undefined> {
  if (!statSync(file).isFile()) return undefined;
  const hash = createHash("sha256");
  for await (const block of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(block as Buffer);
  return `sha256:${hash.digest("hex")}`;
}
