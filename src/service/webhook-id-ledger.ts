import { clockNowMs } from "../core/clock/now.ts";
import type { Logger } from "../core/logging/index.ts";
import type { SeenIds } from "../core/store/index.ts";
import { RecentIds } from "./recent-ids.ts";

/**
 * Replay protection for the webhook receiver: was this webhook id already applied? Memory
 * answers repeats at once; the store (`webhook_ids`) is the authority, so a redelivery after a
 * restart is still recognised. Ids arriving together are claimed in one transaction (group
 * commit), so the receiver keeps its throughput. Ids older than `retentionMs` are pruned.
 */
const PRUNE_EVERY_MS = 3_600_000;

/** How long webhook ids are remembered: longer than any sender's retries. */
export const WEBHOOK_ID_RETENTION_MS = 7 * 86_400_000;

interface Waiter {
  id: string;
  resolve(fresh: boolean): void;
  reject(error: unknown): void;
}

export class WebhookIdLedger {
  private readonly memory = new RecentIds();
  private readonly store: SeenIds;
  private readonly scope: string;
  private pending: Waiter[] = [];
  private flushing: Promise<void> | undefined;
  private readonly pruneTimer: NodeJS.Timeout;

  constructor(store: SeenIds, options: { scope: string; retentionMs: number; logger: Logger }) {
    this.store = store;
    this.scope = options.scope;
    const prune = () =>
      store.prune(clockNowMs() - options.retentionMs).catch((error: unknown) => {
        options.logger.warn({ error: String(error) }, "pruning old webhook ids failed");
        return 0;
      });
    void prune();
    this.pruneTimer = setInterval(prune, PRUNE_EVERY_MS).unref();
  }

  /** True the first time `id` is seen (now recorded durably); false for a repeat. */
  async firstSeen(id: string): Promise<boolean> {
    if (!this.memory.firstSeen(id)) return false;
    try {
      return await new Promise<boolean>((resolve, reject) => {
        this.pending.push({ id, resolve, reject });
        this.schedule();
      });
    } catch (error) {
      // Not recorded: the sender will retry, and that retry must not look like a repeat.
      this.memory.forget(id);
      throw error;
    }
  }

  close(): void {
    clearInterval(this.pruneTimer);
  }

  private schedule(): void {
    if (this.flushing) return;
    this.flushing = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0);
        try {
          const fresh = await this.store.claim(
            this.scope,
            batch.map((w) => w.id),
          );
          batch.forEach((waiter, index) => {
            waiter.resolve(fresh[index] === true);
          });
        } catch (error) {
          for (const waiter of batch) waiter.reject(error);
        }
      }
      this.flushing = undefined;
    });
  }
}
