import type { Incident } from "../campaigns/watchdog/state.ts";
import { clockNowDate } from "../core/clock/now.ts";
import type { Logger } from "../core/logging/index.ts";
import { PeriodicTask } from "../core/periodic-task.ts";
import { localOperation, type Store } from "../core/store/index.ts";
import type { WatchdogSet } from "./watchdogs.ts";
/**
 * A fail back asked on an instance that does not run the watchdogs (a follower of several on one
 * PostgreSQL store): only the leader's watchdog may move the incident — it holds the incident's
 * state and rewrites it on every evaluation — so the follower records the request (journaled and
 * audited with who asked; key-value namespace `campaigns.failback-request`) and the leader
 * carries it out within a second or two, as the operator, through the same `failBack`.
 */
export const FAILBACK_REQUESTS = "campaigns.failback-request";

export interface FailBackRequest {
  incidentId: string;
  primary: string;
  backup: string;
  by: string;
  at: string;
  state: "pending" | "done" | "refused" | "failed";
  detail?: string;
}

export function requestFailBack(
  store: Pick<Store, "journal">,
  incident: Pick<Incident, "id" | "primary" | "backup">,
  by: string,
  idempotencyKey: string,
): Promise<null> {
  const request: FailBackRequest = {
    incidentId: incident.id,
    primary: incident.primary,
    backup: incident.backup,
    by,
    at: clockNowDate().toISOString(),
    state: "pending",
  };
  return store.journal.run(
    localOperation<FailBackRequest>("campaigns.failover.fail-back-requested", (r) => ({
      after: { incidentId: r.incidentId, requestedBy: r.by },
      checkpoints: [{ namespace: FAILBACK_REQUESTS, key: r.incidentId, value: r }],
    })),
    { target: incident.primary, payload: request, idempotencyKey },
  );
}

/** On the leader: carries out the pending requests with its running watchdogs. */
class FailBackRelay extends PeriodicTask {
  private readonly store: Store;
  private readonly watchdogs: WatchdogSet;
  private readonly logger: Logger;

  constructor(options: { store: Store; watchdogs: WatchdogSet; logger: Logger; intervalMs?: number }) {
    super(options.intervalMs ?? 1000, { keepAlive: false });
    this.store = options.store;
    this.watchdogs = options.watchdogs;
    this.logger = options.logger;
  }

  protected async runOnce(): Promise<void> {
    for (const row of await this.store.kv.list(FAILBACK_REQUESTS)) {
      const request = row.value as FailBackRequest;
      if (request.state !== "pending" || this.stopped) continue;
      const handle = this.watchdogs.watchdogs.find(
        (w) => w.config.primary === request.primary && w.config.backup === request.backup,
      )?.handle;
      let settled: FailBackRequest;
      try {
        const closed = handle ? await handle.failBack({ actor: request.by }) : null;
        settled = closed
          ? { ...request, state: "done" }
          : {
              ...request,
              state: "refused",
              detail: handle ? "the incident was no longer failed over" : "no watchdog for this pair here",
            };
      } catch (error) {
        settled = { ...request, state: "failed", detail: (error as Error).message };
        this.logger.warn({ incidentId: request.incidentId, err: error }, "requested fail back failed");
      }
      await this.store.kv.set(FAILBACK_REQUESTS, row.key, settled);
    }
  }
}

export function startFailBackRelay(options: { store: Store; watchdogs: WatchdogSet; logger: Logger }) {
  const relay = new FailBackRelay(options);
  relay.start();
  return { stop: () => relay.stop(), runNow: () => relay.runNow() };
}
