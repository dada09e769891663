import { describe, expect, it } from "vitest";
import { recordRevocations } from "../../src/consent/ledger.ts";
import { entriesForCxone, markCxone } from "../../src/consent/ledger-queue.ts";
import type { Revocation } from "../../src/consent/revocation.ts";
import { STORE_BACKENDS, useFreshStore, useStoreBackend } from "../store/fixtures/backends.ts";

/**
 * The queue `honourInCxone` sends to the CXone DNC group: `pending` and `removed` entries, then
 * `sending` ones a killed run left, oldest first (recorded_at, then id), `limit` at a time. Each
 * batch reads its rows by a partial index (migration 10): before, every batch of an import of
 * 100,000 scanned and sorted the whole ledger.
 */
const revocations = (count: number, offset: number): Revocation[] =>
  Array.from({ length: count }, (_, i) => ({
    phone: `+1410${String(5_000_000 + offset + i).padStart(7, "0")}`,
    receivedAt: new Date(Date.parse("2026-11-01T10:00:00Z") + (offset + i) * 60_000).toISOString(),
    channel: "sms",
    scope: { kind: "tenant" },
    source: "test",
  }));

describe.each(STORE_BACKENDS)("the consent ledger's CXone queue (%s)", (backendName) => {
  const fresh = useFreshStore(useStoreBackend(backendName));

  it("hands out pending and removed entries oldest first, then sending ones, limit at a time, by index", async () => {
    const { store } = fresh;
    // Three recordings: three recorded_at values (or ties, broken by id).
    for (const offset of [0, 400, 800])
      await recordRevocations(store, revocations(400, offset), {
        actor: "test",
        cxoneGroupId: "7",
        batchSize: 150,
      });
    const all = await store.db.all<{ id: string; recorded_at: string }>(
      "SELECT id, recorded_at FROM consent_ledger",
    );
    const ordered = all
      .sort((a, b) =>
        a.recorded_at < b.recorded_at ? -1 : a.recorded_at > b.recorded_at ? 1 : a.id < b.id ? -1 : 1,
      )
      .map((row) => row.id);
    // Some found gone from the group (removed), some caught mid-send (sending), some done.
    const removed = ordered.filter((_, i) => i % 7 === 3);
    const sending = ordered.filter((_, i) => i % 11 === 5 && i % 7 !== 3);
    const done = ordered.filter((_, i) => i % 13 === 0 && i % 7 !== 3 && i % 11 !== 5);
    await markCxone(store, removed, "removed");
    await markCxone(store, sending, "sending");
    await markCxone(store, done, "done");
    const queued = ordered.filter((id) => !sending.includes(id) && !done.includes(id));

    const sql: string[] = [];
    const all$ = store.db.all.bind(store.db);
    store.db.all = ((text: string, params?: unknown[]) => {
      sql.push(text);
      return all$(text, params as never);
    }) as typeof store.db.all;
    expect((await entriesForCxone(store, "pending", 500)).map((e) => e.id)).toEqual(queued.slice(0, 500));
    expect((await entriesForCxone(store, "sending", 500)).map((e) => e.id)).toEqual(sending);
    expect((await entriesForCxone(store, "sending", 10)).map((e) => e.id)).toEqual(sending.slice(0, 10));
    // The batch after the first one is sent: the next 500, removed entries in their place.
    await markCxone(store, queued.slice(0, 500), "done");
    const next = await entriesForCxone(store, "pending", 500);
    expect(next.map((e) => e.id)).toEqual(queued.slice(500, 1000));
    expect(next.filter((e) => e.cxone.status === "removed").length).toBe(
      removed.filter((id) => queued.slice(500, 1000).includes(id)).length,
    );
    store.db.all = all$;

    if (backendName === "sqlite") {
      // No batch reads the ledger whole: each state comes from its partial index, in order.
      const plans = await Promise.all(
        sql.map(async (text) =>
          (
            await store.db.all<{ detail: string }>(
              `EXPLAIN QUERY PLAN ${text}`,
              [500, 500, 500].slice(0, text.split("?").length - 1),
            )
          )
            .map((row) => row.detail)
            .join("\n"),
        ),
      );
      for (const plan of plans) expect(plan).not.toMatch(/^SCAN consent_ledger$/m);
      expect(plans.join("\n")).toContain("consent_ledger_queue_pending");
      expect(plans.join("\n")).toContain("consent_ledger_queue_removed");
      expect(plans.join("\n")).toContain("consent_ledger_queue_sending");
    }
  });
});
