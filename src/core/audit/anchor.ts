import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { clockNowDate } from "../clock/now.ts";
import { InputError } from "../input-error.ts";
import { readBoundedFile } from "../input-file.ts";
import { checkWriteTarget, type FileKind, kindByJsonLines, writeFileSafely } from "../safe-write.ts";
import { canonicalJson } from "./canonical-json.ts";
import type { AuditRecord } from "./record.ts";
/**
 * Audit anchors, the way CloudTrail digest files anchor its logs: a hash chain alone cannot
 * see its own tail cut off (delete the last records, point the head at the new last one, and
 * every remaining link still verifies). An anchor is a signed statement "on <at>, the chain
 * head was record <seq> with hash <hash>", written OUTSIDE the store (a file, a webhook
 * destination) with a key that is not in the store either (`audit.anchorKey`,
 * CXO_AUDIT_ANCHOR_KEY). `cxo audit verify --anchor FILE` then checks, for every anchor, that
 * its signature is ours and that the log still holds record <seq> with exactly that hash:
 * truncation below an anchor, and any rewrite of anchored records, are caught.
 *
 * Signature: HMAC-SHA256 over the canonical JSON of the anchor without `signature`, keyed with
 * the anchor key; `keyId` (first 16 hex of the key's SHA-256) says which key signed, never the key.
 */
export interface AuditAnchor {
  kind: "cxo.audit.anchor";
  version: 1;
  /** Chain head when anchored: the last record's seq (0 for an empty log) and its hash. */
  seq: number;
  hash: string;
  at: string;
  /** The business unit whose chain it anchors (signed with the rest); absent for a store of none. */
  tenant?: string;
  keyId: string;
  signature: string;
}

export class AnchorFileError extends Error {
  override readonly name = "AnchorFileError";
  readonly code = "audit_anchor_invalid" as const;
}

export function anchorKeyId(key: string): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}

function mac(key: string, anchor: Omit<AuditAnchor, "signature">): string {
  return createHmac("sha256", key).update(canonicalJson(anchor)).digest("base64");
}

export function signAnchor(
  key: string,
  head: { seq: number; hash: string },
  at = clockNowDate(),
  tenant?: string,
): AuditAnchor {
  const unsigned = {
    kind: "cxo.audit.anchor" as const,
    version: 1 as const,
    seq: head.seq,
    hash: head.hash,
    at: at.toISOString(),
    ...(tenant === undefined ? {} : { tenant }),
    keyId: anchorKeyId(key),
  };
  return { ...unsigned, signature: mac(key, unsigned) };
}

/** True when `anchor` was signed with `key` and not altered since. */
export function anchorSignatureValid(key: string, anchor: AuditAnchor): boolean {
  const { signature, ...unsigned } = anchor;
  const expected = Buffer.from(mac(key, unsigned), "base64");
  const given = Buffer.from(String(signature), "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** An anchor file: JSON lines, each a signed anchor (the first names its kind). */
export const ANCHOR_FILE: FileKind = kindByJsonLines("audit anchor file written by cxo", (line) =>
  line.includes('"kind":"cxo.audit.anchor"'),
);

/**
 * Appends one anchor as a JSON line (the file is created if needed), through the safe-write
 * helper: the old lines and the new one go to a temporary file renamed over the file, never
 * through a link, and never onto a file that is not an anchor file. An existing file keeps its
 * mode (anchors are not secret; whoever checks them may need to read them).
 */
export function appendAnchorFile(file: string, anchor: AuditAnchor, field = "audit.anchorFile"): void {
  const options = { field, kind: ANCHOR_FILE };
  const path = checkWriteTarget(file, options);
  const existing = statSync(path, { throwIfNoEntry: false });
  const before = existing ? readFileSync(path, "utf8") : "";
  const separator = before === "" || before.endsWith("\n") ? "" : "\n";
  writeFileSafely(path, `${before}${separator}${JSON.stringify(anchor)}\n`, {
    ...options,
    ...(existing ? { mode: existing.mode & 0o777 } : {}),
  });
}

/**
 * The most an anchor file is read: an anchor a minute for ten years is ~1 GB less than this
 * allows per line, an hourly one ~20 MB. A device (/dev/zero) or a FIFO is refused before it is
 * read (issue 78 §6: `audit verify --anchor /dev/zero` read 2 GB).
 */
const MAX_ANCHOR_FILE_BYTES = 64 * 1024 * 1024;

/** Every anchor of a JSON-lines file (or a single JSON anchor), in file order. */
export function readAnchorFile(file: string): AuditAnchor[] {
  let text: string;
  try {
    text = readBoundedFile(
      file,
      MAX_ANCHOR_FILE_BYTES,
      `"${file}"`,
      (rule) => new AnchorFileError(rule),
    ).toString("utf8");
  } catch (error) {
    if (error instanceof AnchorFileError) throw error;
    throw new AnchorFileError(`cannot read "${file}" (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  const anchors: AuditAnchor[] = [];
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new AnchorFileError(`"${file}" line ${index + 1} is not JSON`);
    }
    const a = value as Partial<AuditAnchor>;
    if (
      a?.kind !== "cxo.audit.anchor" ||
      !Number.isSafeInteger(a.seq) ||
      typeof a.hash !== "string" ||
      typeof a.signature !== "string" ||
      typeof a.at !== "string"
    )
      throw new AnchorFileError(`"${file}" line ${index + 1} is not a cxo audit anchor`);
    anchors.push(a as AuditAnchor);
  });
  if (anchors.length === 0) throw new AnchorFileError(`"${file}" holds no anchor`);
  return anchors;
}

export interface AnchorCheck {
  ok: boolean;
  anchors: number;
  /** The latest anchor checked (highest seq). */
  latest: { seq: number; at: string } | null;
  /** Why the log disagrees with an anchor, or null. */
  reason: string | null;
  /** The anchored seq the log fails at, or null. */
  brokenAt: number | null;
}

/**
 * Checks the log against anchors. `recordAt(seq)` reads one record (undefined when absent);
 * `head` is the log's current head. Anchors are checked oldest seq first, so the first
 * disagreement reported is the earliest one.
 */
export async function checkAnchors(
  key: string,
  anchors: readonly AuditAnchor[],
  head: { seq: number },
  recordAt: (seq: number) => Promise<AuditRecord | undefined>,
  /** The business unit whose log this is: an anchor of another is refused. */
  tenant?: string,
): Promise<AnchorCheck> {
  const sorted = [...anchors].sort((a, b) => a.seq - b.seq);
  const latest = sorted.at(-1);
  const result = (ok: boolean, reason: string | null, brokenAt: number | null): AnchorCheck => ({
    ok,
    anchors: anchors.length,
    latest: latest ? { seq: latest.seq, at: latest.at } : null,
    reason,
    brokenAt,
  });
  for (const anchor of sorted) {
    if (!anchorSignatureValid(key, anchor))
      return result(
        false,
        `the anchor of ${anchor.at} (record ${anchor.seq}) is not signed with this anchor key (forged, altered, or another key: ${anchor.keyId} vs ${anchorKeyId(key)})`,
        anchor.seq,
      );
    // Signed with the rest: an anchor of another business unit's chain says nothing of this one.
    if (anchor.tenant !== undefined && anchor.tenant !== tenant)
      return result(
        false,
        `the anchor of ${anchor.at} (record ${anchor.seq}) is business unit ${anchor.tenant}'s, not ${tenant ?? "this store"}'s`,
        anchor.seq,
      );
    if (anchor.seq === 0) continue;
    if (head.seq < anchor.seq)
      return result(
        false,
        `the log ends at record ${head.seq}, but it held record ${anchor.seq} on ${anchor.at}: records were cut from the end`,
        head.seq + 1,
      );
    const record = await recordAt(anchor.seq);
    if (!record)
      return result(false, `record ${anchor.seq}, anchored on ${anchor.at}, is missing`, anchor.seq);
    if (record.hash !== anchor.hash)
      return result(
        false,
        `record ${anchor.seq} is not the one anchored on ${anchor.at} (hash differs): the log was rewritten`,
        anchor.seq,
      );
  }
  return result(true, null, null);
}

/** `readAnchorFile`, a bad file being bad input (an InputError naming `field`, the setting or param it came from). */
export function readAnchorsNamed(file: string, field: string): AuditAnchor[] {
  try {
    return readAnchorFile(file);
  } catch (error) {
    if (error instanceof AnchorFileError) throw new InputError({ field, rule: error.message });
    throw error;
  }
}
