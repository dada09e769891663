import { createHash } from "node:crypto";
import { afterEach, describe, expect, inject, it } from "vitest";
import { dncListFor } from "../../src/compliance/blocked-numbers.ts";
import { ledgerEntries, recordRevocations } from "../../src/consent/ledger.ts";
import { reopenUnsentEntries, scopesInLedger } from "../../src/consent/ledger-queue.ts";
import type { Revocation } from "../../src/consent/revocation.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { createTestDatabase } from "../support/postgres-server.ts";
import { oldPostgresStore, oldSqliteStore } from "./fixtures/old-store.ts";
import { tempDataDir } from "./fixtures/temp-dir.ts";

/**
 * Migration 16: the consent ledger's scope, one text (`tenant`, `all`, `campaign:<id>`) until
 * then, becomes two columns, its kind and its campaign. A store made before it keeps every entry
 * with the scope it had (a campaign id with dots and colons included), under the same id (an
 * import run again adds nothing), and every reader of the scope answers as before.
 */
const AT = "2026-06-01T12:00:00.000Z";
const OLD_ROWS: Array<{ phone: string; scope: string; status: string; group: string | null }> = [
  { phone: "+13125551601", scope: "tenant", status: "none", group: null },
  { phone: "+13125551602", scope: "all", status: "done", group: "7" },
  { phone: "+13125551603", scope: "campaign:101", status: "none", group: null },
  { phone: "+13125551604", scope: "campaign:a.b:c-1", status: "pending", group: "skill:a.b:c-1" },
];

/** The id the ledger gave an entry before migration 16 (its scope as text in the digest). */
const oldIdOf = (phone: string, scope: string) =>
  `rev_${createHash("sha256")
    .update(`${phone}\u0000${Date.parse(AT)}\u0000sms\u0000${scope}`)
    .digest("hex")
    .slice(0, 32)}`;

const OLD_INSERT = `INSERT INTO consent_ledger (id, phone, received_at, received_ms, channel, source, scope,
  recorded_by, recorded_at, honoured_at, cxone_status, cxone_group_id, cxone_at, account_id)
  VALUES (?, ?, ?, ?, 'sms', 'old', ?, 'test', ?, ?, ?, ?, NULL, NULL)`;
const oldParams = (row: (typeof OLD_ROWS)[number]) => [
  oldIdOf(row.phone, row.scope),
  row.phone,
  AT,
  Date.parse(AT),
  row.scope,
  AT,
  AT,
  row.status,
  row.group,
];

const SCOPES: Revocation["scope"][] = [
  { kind: "tenant" },
  { kind: "all" },
  { kind: "campaign", campaignId: "101" },
  { kind: "campaign", campaignId: "a.b:c-1" },
];
const revocations: Revocation[] = OLD_ROWS.map((row, i) => ({
  phone: row.phone,
  receivedAt: AT,
  channel: "sms",
  scope: SCOPES[i] as Revocation["scope"],
  source: "old",
}));

describe.each(["sqlite", "postgres"] as const)(
  "consent ledger scope columns (migration 16) on %s",
  (kind) => {
    const cleanups: Array<() => Promise<void> | void> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    /** A version-15 store holding OLD_ROWS, opened (and so upgraded) by this build. */
    async function upgradedStore(): Promise<Store> {
      const dir = tempDataDir();
      cleanups.push(dir.remove);
      if (kind === "sqlite") {
        const raw = oldSqliteStore(dir.dir, 15);
        for (const row of OLD_ROWS) raw.prepare(OLD_INSERT).run(...oldParams(row));
        raw.close();
        const store = await openStore(dir.dir);
        cleanups.push(() => store.close());
        return store;
      }
      const db = await createTestDatabase(inject("pgUrl"), "cxo_scope16");
      cleanups.push(db.drop);
      const positional = (() => {
        let n = 0;
        return OLD_INSERT.replace(/\?/g, () => `$${++n}`);
      })();
      await oldPostgresStore(db.url, 15, async (client) => {
        for (const row of OLD_ROWS) await client.query(positional, oldParams(row));
      });
      const store = await openStore({ dataDir: dir.dir, store: { url: db.url } });
      cleanups.push(() => store.close());
      return store;
    }

    it("converts every entry's scope into its kind and campaign, and drops the text column", async () => {
      const store = await upgradedStore();
      const rows = await store.db.all<{ phone: string; scope_kind: string; scope_campaign: string | null }>(
        "SELECT phone, scope_kind, scope_campaign FROM consent_ledger ORDER BY phone",
      );
      expect(rows).toEqual([
        { phone: "+13125551601", scope_kind: "tenant", scope_campaign: null },
        { phone: "+13125551602", scope_kind: "all", scope_campaign: null },
        { phone: "+13125551603", scope_kind: "campaign", scope_campaign: "101" },
        { phone: "+13125551604", scope_kind: "campaign", scope_campaign: "a.b:c-1" },
      ]);
      await expect(store.db.all("SELECT scope FROM consent_ledger")).rejects.toThrow();
      const entries = await ledgerEntries(store, 0, Date.parse(AT) + 1);
      expect(new Map(entries.map((e) => [e.phone, e.scope]))).toEqual(
        new Map(OLD_ROWS.map((row, i) => [row.phone, SCOPES[i]])),
      );
    });

    it("keeps each entry's id: the same revocations recorded again add nothing", async () => {
      const store = await upgradedStore();
      const again = await recordRevocations(store, revocations, { actor: "test" });
      expect(again).toMatchObject({ added: 0, known: 4 });
    });

    it("reads the scopes as before: the queue's targets, the scopes in use, a check's refusal", async () => {
      const store = await upgradedStore();
      expect(await scopesInLedger(store)).toEqual({ campaigns: ["101", "a.b:c-1"], tenantWide: true });
      // Entries recorded before a group was named: tenant-wide ones to the group, a campaign's to its skill's.
      expect(await reopenUnsentEntries(store, "G1")).toBe(2);
      const targets = await store.db.all<{ phone: string; cxone_group_id: string }>(
        "SELECT phone, cxone_group_id FROM consent_ledger WHERE cxone_status = 'pending' ORDER BY phone",
      );
      expect(targets).toEqual([
        { phone: "+13125551601", cxone_group_id: "G1" },
        { phone: "+13125551603", cxone_group_id: "skill:101" },
        { phone: "+13125551604", cxone_group_id: "skill:a.b:c-1" },
      ]);
      const lookup = await dncListFor(store, ["+13125551603", "+13125551604"]);
      const refused = lookup.suppressions?.("+13125551603", "101");
      expect(refused?.map((s) => s.code)).toEqual(["consent_revoked"]);
      expect(refused?.[0]?.message).toContain("scope campaign:101");
      expect(lookup.suppressions?.("+13125551603", "202")).toEqual([]);
      expect(lookup.suppressions?.("+13125551604", "a.b:c-1")?.map((s) => s.code)).toEqual([
        "consent_revoked",
      ]);
    });
  },
);
