import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  type LedgerRevocation,
  revocationsOfAccounts,
  revocationsOfPhones,
  revocationsOfPhonesAndAccounts,
} from "../../src/consent/ledger-lookups.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { createTestDatabase } from "../support/postgres-server.ts";

/**
 * Issue 79's check speed: a check's number and account revocations in one statement
 * (revocationsOfPhonesAndAccounts) answer what the two lookups answer, over more numbers and
 * accounts than one statement takes (500 of each); and `values` returns a statement's rows as
 * arrays in its column order, on both stores.
 */
const RECEIVED = Date.parse("2026-06-01T00:00:00Z");
const phoneOf = (i: number) => `+1312555${String(1000 + i)}`;
const accountOf = (i: number) => `ACC${i}`;

/** Revocations: every third number; every fifth by account only (no number); some of both. */
async function fill(store: Store): Promise<void> {
  const rows: Array<[string, string, string | null, number]> = [];
  for (let i = 0; i < 1200; i++) {
    if (i % 3 === 0) rows.push([`p${i}`, phoneOf(i), null, i]);
    if (i % 5 === 0) rows.push([`a${i}`, "", accountOf(i), i]);
    if (i % 7 === 0) rows.push([`b${i}`, phoneOf(i), accountOf(i), i]);
    if (i % 11 === 0) rows.push([`c${i}`, phoneOf(i), accountOf(i + 1), i]);
  }
  await store.db.transaction(async (tx) => {
    for (const [id, phone, account, n] of rows) {
      const at = new Date(RECEIVED + n * 60_000).toISOString();
      await tx.run(
        `INSERT INTO consent_ledger (id, phone, received_at, received_ms, channel, source, scope_kind, recorded_by,
           recorded_at, honoured_at, cxone_status, cxone_group_id, cxone_at, account_id)
         VALUES (?, ?, ?, ?, 'sms', NULL, 'tenant', 'test', ?, ?, 'none', NULL, NULL, ?)`,
        [id, phone, at, RECEIVED + n * 60_000, at, at, account],
      );
    }
  });
}

/** A map's lists in a fixed order (PostgreSQL returns an index's rows in no promised order). */
const sorted = (found: Map<string, LedgerRevocation[]>) =>
  new Map(
    [...found].map(([key, list]) => [
      key,
      [...list].sort((a, b) => a.receivedMs - b.receivedMs || a.phone.localeCompare(b.phone)),
    ]),
  );

describe.each(["sqlite", "postgres"] as const)(
  "revocations of numbers and accounts at once, on %s",
  (kind) => {
    let store: Store;
    let drop: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-ledger-both-"));
      if (kind === "postgres") {
        const db = await createTestDatabase(inject("pgUrl"), "cxo_ledger_both");
        drop = db.drop;
        store = await openStore({ dataDir, store: { url: db.url } });
      } else store = await openStore(dataDir);
      await fill(store);
    });
    afterAll(async () => {
      await store?.close();
      await drop?.();
    });

    it.each([
      ["one number, its account", [7], [7]],
      ["one number, no account", [21], []],
      ["accounts only", [], [5, 10, 11]],
      ["more numbers than one statement takes, fewer accounts", range(0, 1100), range(0, 40)],
      ["more accounts than one statement takes, fewer numbers", range(0, 30), range(0, 1150)],
      ["neither", [], []],
    ])("%s: what the two lookups answer", async (_, numbers, accounts) => {
      const phones = [...numbers.map(phoneOf), phoneOf(numbers[0] ?? 0)];
      const names = [...accounts.map(accountOf), "", accountOf(accounts[0] ?? 0)];
      const both = await revocationsOfPhonesAndAccounts(store.db, phones, names);
      const byPhone = await revocationsOfPhones(store.db, phones);
      const byAccount = await revocationsOfAccounts(store.db, names);
      expect(sorted(both.byPhone)).toEqual(sorted(byPhone));
      expect(sorted(both.byAccount)).toEqual(sorted(byAccount));
      if (kind === "sqlite") {
        expect(both.byPhone).toEqual(byPhone);
        expect(both.byAccount).toEqual(byAccount);
      }
      if (numbers.length + accounts.length > 0)
        expect(both.byPhone.size + both.byAccount.size).toBeGreaterThan(0);
    });

    it("values: rows as arrays in the statement's column order", async () => {
      const rows = await store.db.values<[string, number, string | null]>(
        "SELECT phone, received_ms, account_id FROM consent_ledger WHERE id IN (?, ?) ORDER BY id",
        ["b7", "p3"],
      );
      expect(rows).toEqual([
        [phoneOf(7), RECEIVED + 7 * 60_000, accountOf(7)],
        [phoneOf(3), RECEIVED + 3 * 60_000, null],
      ]);
      await store.db.transaction(async (tx) => {
        expect(await tx.values("SELECT 1 AS one, 'x' AS two")).toEqual([[1, "x"]]);
      });
    });
  },
);

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
