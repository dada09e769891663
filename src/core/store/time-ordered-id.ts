import { randomBytes } from "node:crypto";

import { clockNowMs } from "../clock/now.ts";
/**
 * A unique id that sorts by creation time (like UUIDv7): 12 hex digits of epoch milliseconds,
 * then 20 random hex digits. Rows keyed by it are appended at the right edge of their index,
 * so the rows of one group commit share index pages; random ids put every row on a page of its
 * own and made each commit write several 4 KB pages per row.
 */
export function timeOrderedId(prefix: string): string {
  return `${prefix}${clockNowMs().toString(16).padStart(12, "0")}${randomBytes(10).toString("hex")}`;
}
