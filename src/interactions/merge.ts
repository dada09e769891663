import type { InteractionDispositionEntry } from "../platform/types.ts";
import type { IntendedDisposition } from "./entry-rules.ts";

/**
 * The intended change, re-applied to whatever state CXone holds now. PATCH replaces the whole
 * array, so the body is always (current state) + (our change): this code added, or its entry
 * replaced, and every other entry kept exactly as it is. Applying it to the FRESH state after a
 * 409 is what keeps a concurrent edit. Pure.
 */
export const SOURCE = "api";

export function toEntry(intended: IntendedDisposition): InteractionDispositionEntry {
  return {
    code: intended.code,
    description: intended.description,
    agentId: intended.agentId,
    timestamp: intended.timestamp,
    source: SOURCE,
  };
}

/** Current dispositions with `intended` added (at the end) or replacing the entry of its code in place. */
export function mergeDisposition(
  current: readonly InteractionDispositionEntry[],
  intended: IntendedDisposition,
): InteractionDispositionEntry[] {
  const entry = toEntry(intended);
  let replaced = false;
  const merged: InteractionDispositionEntry[] = [];
  for (const existing of current) {
    if (existing.code !== intended.code) merged.push(existing);
    else if (!replaced) {
      merged.push(entry);
      replaced = true;
    }
    // A second entry with the same code (not something we create) collapses into ours.
  }
  if (!replaced) merged.push(entry);
  return merged;
}

/**
 * True when the current state already holds exactly our entry — our PATCH (or an earlier run
 * of the same request) was applied, so there is nothing left to do. Compared field by field,
 * timestamp as an instant (CXone may re-render it).
 */
export function isApplied(
  current: readonly InteractionDispositionEntry[],
  intended: IntendedDisposition,
): boolean {
  return current.some(
    (e) =>
      e.code === intended.code &&
      e.description === intended.description &&
      e.agentId === intended.agentId &&
      sameInstant(e.timestamp, intended.timestamp),
  );
}

function sameInstant(a: string, b: string): boolean {
  if (a === b) return true;
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  return !Number.isNaN(ta) && ta === tb;
}
