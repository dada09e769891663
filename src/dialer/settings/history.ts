import { randomUUID } from "node:crypto";
import type { Checkpoint, KeyValueStore } from "../../core/store/index.ts";
import type { DialerSettings } from "../../platform/ports/dialer.ts";

/**
 * Local version history of the tenant's dialer settings: one row per version we saw (snapshot)
 * or asked for (applied, rollback), kept in the store's key/value table. Rows are written as
 * checkpoints of journaled steps, so a row commits in the same transaction as the step's audit
 * record and events — never one without the other.
 */
export const HISTORY_NAMESPACE = "dialer.settings.history";

export type HistorySource = "snapshot" | "applied" | "rollback";

export type HistoryOutcome =
  /** A version read from CXone (it was current at `at`). */
  | "seen"
  /** The operation completed and the settings were read back equal to what was asked. */
  | "verified"
  | "failed"
  | "timeout"
  | "cancelled"
  /** The operation completed but the settings read back differ from what was asked. */
  | "mismatch";

export interface HistoryRow {
  versionTag: string;
  settings: DialerSettings;
  source: HistorySource;
  at: string;
  operationId: string | null;
  outcome: HistoryOutcome;
  /** For applied/rollback rows: the version tag sent in If-Match. */
  ifMatch?: string | null;
  detail?: string | null;
  /** The campaign (skill) the settings belong to; absent for the tenant-wide settings. */
  campaignId?: string;
}

/** A checkpoint that adds `row` to the history (keys sort by time, then by a random tiebreak). */
export function historyCheckpoint(row: HistoryRow): Checkpoint {
  return { namespace: HISTORY_NAMESPACE, key: `${row.at}#${randomUUID().slice(0, 8)}`, value: row };
}

/** Every row of the tenant's settings (or of one campaign's, when given), oldest first. */
export async function readHistory(kv: KeyValueStore, campaignId?: string): Promise<HistoryRow[]> {
  return (await kv.list(HISTORY_NAMESPACE))
    .map((entry) => entry.value as HistoryRow)
    .filter((row) => row.campaignId === campaignId);
}

/** The newest row carrying this version tag whose settings really were (or are) on CXone. */
export function findVersion(rows: readonly HistoryRow[], versionTag: string): HistoryRow | undefined {
  const real = rows.filter(
    (r) => r.versionTag === versionTag && (r.outcome === "seen" || r.outcome === "verified"),
  );
  return real.at(-1) ?? rows.filter((r) => r.versionTag === versionTag).at(-1);
}

/**
 * The version before `currentTag`: the newest real version (seen or verified) with another tag
 * and other settings than the current ones — what `cxo dialer rollback` goes back to by default.
 */
export function previousVersion(
  rows: readonly HistoryRow[],
  currentTag: string,
  same: (a: DialerSettings) => boolean,
): HistoryRow | undefined {
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i] as HistoryRow;
    if (row.versionTag === currentTag) continue;
    if (row.outcome !== "seen" && row.outcome !== "verified") continue;
    if (same(row.settings)) continue;
    return row;
  }
  return undefined;
}
