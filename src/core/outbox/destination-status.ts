import type { DestinationCounts, Outbox } from "./queue.ts";

/**
 * The outbox per destination as people see it (`cxo outbox status`, the dashboard): every
 * destination with events or configuration, whether it is configured, and — for one that is
 * not — why its events are waiting and how to fix it. Events are queued for a destination by
 * name; without a URL for that name nothing delivers them, and they would wait forever silently.
 */
export interface DestinationStatus extends DestinationCounts {
  configured: boolean;
  /** Set when events wait with nowhere to go. */
  note: string | null;
}

export function unconfiguredNote(destination: string, pending: number): string {
  return `${pending} event(s) wait: destination "${destination}" is not configured (set destinations.${destination}.url or CXO_DEST_${destination.toUpperCase().replace(/-/g, "_")}_URL); they are delivered once it is`;
}

export async function destinationStatus(
  outbox: Pick<Outbox, "status">,
  configured: readonly string[],
): Promise<DestinationStatus[]> {
  const rows: DestinationStatus[] = (await outbox.status()).map((row) => {
    const isConfigured = configured.includes(row.destination);
    return {
      ...row,
      configured: isConfigured,
      note: !isConfigured && row.pending > 0 ? unconfiguredNote(row.destination, row.pending) : null,
    };
  });
  // Configured destinations with nothing queued yet still get a row (all zero).
  for (const name of configured)
    if (!rows.some((row) => row.destination === name))
      rows.push({
        destination: name,
        pending: 0,
        delivered: 0,
        dead: 0,
        oldestPendingAgeMs: null,
        configured: true,
        note: null,
      });
  return rows.sort((a, b) => a.destination.localeCompare(b.destination));
}
