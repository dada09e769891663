import type { CallerIdHealthRow } from "../callerid/types.ts";
import type { InternalClient } from "../client.ts";
import { clockNowDate } from "../core/clock/now.ts";
import { InputError } from "../core/input-error.ts";
import type { Logger } from "../core/logging/index.ts";
import { PeriodicTask } from "../core/periodic-task.ts";
import type { Store } from "../core/store/index.ts";
import { localOperation } from "../core/store/local-operation.ts";
/**
 * `cxo serve`'s daily caller-ID health check (issue 66 §4), on the leader: every campaign's
 * numbers (client.callerId.health over the last 21 days), the latest rows kept in the store for
 * every instance's board and the Prometheus gauge, and a signed outbox event when a number turns
 * `suspect` (`callerid.suspect`) or comes back from it (`callerid.cleared`), each committed with
 * its audit record and the number's new status in one transaction (journal: nothing twice).
 */
export const CALLERID_HEALTH_NAMESPACE = "callerid.health";
const STATUS_NAMESPACE = "callerid.status";
export const CALLERID_DESTINATION = "campaigns";
const DAY_MS = 86_400_000;

/** What the store keeps per campaign: the rows of its last check. */
export interface StoredCallerIdHealth {
  campaignId: string;
  checkedAt: string;
  rows: CallerIdHealthRow[];
}

const keyOf = (row: CallerIdHealthRow) => `${row.campaignId}|${row.callerId}|${row.carrier ?? ""}`;

/** The rows' status changes against the stored ones: the events to send. */
export function statusChanges(
  rows: readonly CallerIdHealthRow[],
  previous: ReadonlyMap<string, string>,
): Array<{ key: string; row: CallerIdHealthRow; type: "callerid.suspect" | "callerid.cleared" }> {
  const changes: Array<{
    key: string;
    row: CallerIdHealthRow;
    type: "callerid.suspect" | "callerid.cleared";
  }> = [];
  for (const row of rows) {
    const key = keyOf(row);
    const before = previous.get(key);
    if (row.status === "suspect" && before !== "suspect")
      changes.push({ key, row, type: "callerid.suspect" });
    else if (row.status === "ok" && before === "suspect")
      changes.push({ key, row, type: "callerid.cleared" });
  }
  return changes;
}

export class CallerIdCheckTask extends PeriodicTask {
  private readonly client: InternalClient;
  private readonly store: Store;
  private readonly logger: Logger;
  private readonly campaigns: () => Promise<string[]>;
  private readonly actor: string;

  constructor(options: {
    client: InternalClient;
    store: Store;
    logger: Logger;
    campaigns: () => Promise<string[]>;
    intervalMs?: number;
    actor: string;
  }) {
    super(options.intervalMs ?? DAY_MS, { keepAlive: false });
    this.client = options.client;
    this.store = options.store;
    this.logger = options.logger;
    this.campaigns = options.campaigns;
    this.actor = options.actor;
  }

  protected override async runOnce(signal: AbortSignal): Promise<void> {
    for (const campaignId of await this.campaigns()) {
      if (this.stopped) return;
      let rows: CallerIdHealthRow[];
      try {
        rows = await this.client.callerId.health({ campaign: campaignId }, { signal });
      } catch (error) {
        // A campaign whose records carry no caller id (a seed-API server without the extension)
        // is said once per run and skipped; the others are still checked.
        if (error instanceof InputError) {
          this.logger.warn({ campaignId, err: error.message }, "caller-ID health: campaign skipped");
          continue;
        }
        throw error;
      }
      await this.record(campaignId, rows);
    }
  }

  private async record(campaignId: string, rows: CallerIdHealthRow[]): Promise<void> {
    const previous = new Map<string, string>();
    for (const row of await this.store.kv.list(STATUS_NAMESPACE))
      if (row.key.startsWith(`${campaignId}|`)) previous.set(row.key, String(row.value));
    for (const change of statusChanges(rows, previous)) {
      const { row } = change;
      await this.store.journal.run(
        localOperation<{ key: string; row: CallerIdHealthRow; type: string }>(change.type, (p) => ({
          after: { status: p.row.status, ratio: p.row.ratio },
          checkpoints: [{ namespace: STATUS_NAMESPACE, key: p.key, value: p.row.status }],
          events: [
            {
              type: p.type,
              destination: CALLERID_DESTINATION,
              orderKey: p.key,
              data: {
                callerId: p.row.callerId,
                campaignId: p.row.campaignId,
                ...(p.row.carrier !== undefined ? { carrier: p.row.carrier } : {}),
                status: p.row.status,
                ratio: p.row.ratio,
                answerRate: p.row.answerRate,
                expectedAnswerRate: p.row.expectedAnswerRate,
                ...(p.row.since !== undefined ? { since: p.row.since } : {}),
                ...(p.row.onset !== undefined ? { onset: p.row.onset } : {}),
                evidence: p.row.evidence.summary,
              },
            },
          ],
        })),
        {
          target: row.callerId,
          payload: change,
          // One event per crossing: a re-run of the same day's check finds the same key.
          idempotencyKey: `${change.type}:${change.key}:${row.since ?? row.evidence.lastCallAt}`,
          actor: this.actor,
        },
      );
    }
    const stored: StoredCallerIdHealth = { campaignId, checkedAt: clockNowDate().toISOString(), rows };
    await this.store.kv.set(CALLERID_HEALTH_NAMESPACE, campaignId, stored);
  }
}

/** The stored rows of every campaign (the board's panel, the gauge). */
export async function storedCallerIdHealth(store: Pick<Store, "kv">): Promise<StoredCallerIdHealth[]> {
  return (await store.kv.list(CALLERID_HEALTH_NAMESPACE)).map((row) => row.value as StoredCallerIdHealth);
}
