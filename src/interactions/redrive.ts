import { clockNowMs } from "../core/clock/now.ts";
import type { RedriveReport, Store } from "../core/store/index.ts";
import type { InteractionsPort } from "../platform/ports/interactions.ts";
import type { InteractionMetrics } from "./metrics.ts";
import { SET_DISPOSITION_KIND, setDispositionOperation } from "./operation.ts";
/**
 * Re-drives set-disposition rows left `pending` by a process that died — but only when every
 * such row is older than `minAgeMs`. The journal's row leases already keep a live process's
 * rows from being re-driven (core/store journal.ts); the age check stays as a cheap first filter
 * (a fresh row is most likely another process's PATCH in flight). Re-driving is safe anyway
 * (the loop re-reads and stops when our entry is there).
 */
export async function redriveStale(
  store: Store,
  port: InteractionsPort,
  metrics: InteractionMetrics,
  minAgeMs = 60_000,
  now = clockNowMs(),
): Promise<RedriveReport | null> {
  const mine = (await store.journal.pending()).filter((entry) => entry.kind === SET_DISPOSITION_KIND);
  if (mine.length === 0) return null;
  if (mine.some((entry) => now - Date.parse(entry.createdAt) < minAgeMs)) return null;
  // Only our kind is handed over: other capabilities' rows stay for their own re-drive.
  return store.journal.redrivePending([setDispositionOperation(port, metrics) as never]);
}
