import { clockNowMs } from "../clock/now.ts";
import type { SqlDb } from "./sql.ts";
/**
 * Ids of received webhooks, kept in the store so replay protection survives a restart (and is
 * shared by every instance on one database). `claim` records a batch in ONE transaction and says,
 * per id, whether it was new: the insert itself decides (portable `ON CONFLICT DO NOTHING`), so
 * two receivers racing on one id cannot both win.
 */
export class SeenIds {
  private readonly db: SqlDb;

  constructor(db: SqlDb) {
    this.db = db;
  }

  /** For each id, true when it was not seen before in `scope` (and it is now recorded). */
  claim(scope: string, ids: readonly string[], nowMs = clockNowMs()): Promise<boolean[]> {
    // Relaxed: a power cut could forget the last ids, letting one replay through; the receiver's
    // signature timestamp window (300 s) still bounds that, and a crash never loses them.
    return this.db.transaction(
      async (tx) => {
        const fresh: boolean[] = [];
        for (const id of ids) {
          const result = await tx.run(
            "INSERT INTO webhook_ids (scope, id, seen_ms) VALUES (?, ?, ?) ON CONFLICT (scope, id) DO NOTHING",
            [scope, id, nowMs],
          );
          fresh.push(result.changes > 0);
        }
        return fresh;
      },
      { durability: "relaxed" },
    );
  }

  /** Forgets ids seen before `beforeMs`; returns how many. */
  async prune(beforeMs: number): Promise<number> {
    return (await this.db.run("DELETE FROM webhook_ids WHERE seen_ms < ?", [beforeMs])).changes;
  }
}
