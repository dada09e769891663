import { createHash, type Hash } from "node:crypto";

/**
 * The compliance hash of an export: SHA-256 over the canonical records in the order received,
 * each as its canonical JSON followed by "\n" (exactly the bytes of the NDJSON export). It is
 * computed while streaming, recorded in the audit log with the query, and recomputed from an
 * NDJSON or CSV export file by `cxo outcomes verify`.
 */
export class ComplianceHash {
  private readonly hash: Hash = createHash("sha256");

  add(canonicalLine: string): void {
    this.hash.update(canonicalLine);
    this.hash.update("\n");
  }

  /**
   * Adds records already in NDJSON form: each canonical line followed by "\n" (a whole page at
   * once — one update instead of two per record; the digest is the same).
   */
  addLines(ndjson: string | Buffer): void {
    this.hash.update(ndjson);
  }

  /** The digest so far, without ending the running hash (stored with each checkpoint). */
  peek(): string {
    return this.hash.copy().digest("hex");
  }
}
