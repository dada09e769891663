import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logging/index.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { STORE_FILE } from "../../src/core/store/open-store.ts";
import { CampaignBoard } from "../../src/service/campaign-board.ts";
import { startPacing } from "../../src/service/pacing.ts";
import { pacingHostOnPort } from "../support/pacing-host.ts";

/**
 * Issue 44 §5: a leader killed (kill -9) during the budget guard's snapshot or PUT leaves those
 * journal rows `pending`; the next leader finishes them before its first pacing round — the
 * snapshot read again, the PUT never re-sent (its outcome read and recorded) — so `pending`
 * always means "will be finished".
 */
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

const SETTINGS = {
  concurrency: {},
  algorithm: { type: "predictive", abandonmentTarget: 0.03, dialRatio: 2.5 },
};

/** Rows as a killed leader leaves them: pending, their lease run out. */
function leavePending(dataDir: string): void {
  const db = new DatabaseSync(path.join(dataDir, STORE_FILE));
  const insert = db.prepare(
    `INSERT INTO journal (id, kind, target, actor, idempotency_key, caller_key, payload, payload_digest, status,
       attempts, created_at, updated_at, lease_owner, lease_until_ms)
     VALUES (?, ?, ?, 'cxo serve', ?, '', ?, 'x', 'pending', 1, ?, ?, 'dead-leader', 0)`,
  );
  const at = new Date(Date.now() - 60_000).toISOString();
  const scope = { campaignId: "701" };
  insert.run(
    "row-snapshot",
    "dialer.settings.snapshot",
    "701",
    "k-snapshot",
    JSON.stringify({ reason: "budget guard", scope }),
    at,
    at,
  );
  insert.run(
    "row-put",
    "dialer.settings.put",
    "701",
    "k-put",
    JSON.stringify({ purpose: "apply", settings: SETTINGS, ifMatch: "v1", scope }),
    at,
    at,
  );
  db.close();
}

describe("settings steps a killed leader left pending", () => {
  it("are finished before the first pacing round: the snapshot read again, the PUT never re-sent", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-pacing-journal-"));
    store = await openStore(dataDir);
    await store.close();
    leavePending(dataDir);
    store = await openStore(dataDir);
    let puts = 0;
    let reads = 0;
    const port = {
      support: { name: "cxone", unsupported: () => undefined },
      dialer: {
        getSettings: async () => {
          reads += 1;
          return { settings: SETTINGS, versionTag: "v2", pendingOperationId: null, updatedAt: null };
        },
        putSettings: async () => {
          puts += 1;
          throw new Error("a re-drive must never re-send a PUT");
        },
        getOperation: async () => {
          throw new Error("not used");
        },
      },
    };
    const loop = startPacing({
      store,
      host: pacingHostOnPort(port, store),
      board: new CampaignBoard({ historyPoints: 10 }),
      logger: silentLogger,
      timer: false,
    });
    try {
      await loop.tick();
    } finally {
      await loop.stop();
    }
    const rows = await store.journal.pending();
    expect(rows.filter((r) => r.kind.startsWith("dialer.settings."))).toEqual([]);
    expect(puts).toBe(0);
    expect(reads).toBe(2); // the snapshot's read, and the PUT's read of what CXone holds now
    const audit = await store.audit.tail(10);
    expect(audit.map((r) => [r.operation, r.outcome])).toEqual(
      expect.arrayContaining([
        ["dialer.settings.snapshot", "done"],
        ["dialer.settings.put", "failed"],
      ]),
    );
  });
});
