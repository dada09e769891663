import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { MIGRATIONS, openStore, type Store } from "../../src/core/store/index.ts";
import { createTestDatabase } from "../support/postgres-server.ts";
import { waitUntil } from "../support/wait-until.ts";
import { tempDataDir } from "./fixtures/temp-dir.ts";

/**
 * Issue 88 L11: instances started together on a fresh PostgreSQL database (two `cxo serve`, a
 * deploy of several replicas) each create the store's schema and migrate it. Before the fix the
 * schema was made with a bare `CREATE SCHEMA IF NOT EXISTS`, which is not safe against a
 * concurrent one: about one open in five of a racing pair failed on `pg_namespace`'s unique
 * index and that `cxo serve` exited. Every open must succeed, on one schema, migrated once.
 *
 * The race is a few microseconds wide, so besides openers racing freely, the first test makes
 * it certain: another session is creating the schema (not yet committed) when the stores open,
 * as the first instance of a deploy is at that moment. On the old code each open then waited on
 * the other's uncommitted `pg_namespace` row and failed the instant it committed.
 */
const ROUNDS = 8;
const OPENERS = 4;

describe("stores opened together on a fresh PostgreSQL database", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let admin: pg.Client;
  const data = tempDataDir();

  beforeAll(async () => {
    database = await createTestDatabase(inject("pgUrl"), "cxo_open_race");
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await database?.drop();
    data.remove();
  });

  /** Opens `OPENERS` stores at once (each its own pool, so its own sessions); none may fail. */
  async function openTogether(schema: string | undefined): Promise<Store[]> {
    const target = { dataDir: data.dir, store: { url: database.url, ...(schema ? { schema } : {}) } };
    const opened = await Promise.allSettled(Array.from({ length: OPENERS }, () => openStore(target)));
    const stores = opened.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
    const failures = opened.flatMap((result) =>
      result.status === "rejected" ? [(result.reason as Error).message] : [],
    );
    expect(failures).toEqual([]);
    return stores;
  }

  async function expectMigratedOnce(schema: string): Promise<void> {
    const { rows } = await admin.query<{ version: number }>(
      `SELECT version FROM ${schema}.schema_migrations ORDER BY version`,
    );
    expect(rows.map((row) => Number(row.version))).toEqual(MIGRATIONS.map((m) => m.version));
    // Migration 1 seeds the audit chain's head: applied twice, there would be two rows (or a failure).
    const head = await admin.query(`SELECT count(*)::int AS n FROM ${schema}.audit_head`);
    expect(head.rows[0].n).toBe(1);
  }

  it.each([
    ["an instance of this build (under the migration lock)", true],
    ["an instance of an older build (no lock)", false],
  ])(
    "a schema another session is creating at that moment, by %s: every open waits for it and succeeds",
    async (_, locked) => {
      const schema = locked ? "cxo_peer_locked" : "cxo_peer_unlocked";
      const peer = new pg.Client({ connectionString: database.url, application_name: "cxo-open-race-peer" });
      await peer.connect();
      let opening: Promise<Store[]> | undefined;
      try {
        await peer.query("BEGIN");
        if (locked) await peer.query("SELECT pg_advisory_xact_lock(7411803)");
        await peer.query(`CREATE SCHEMA ${schema}`);
        opening = openTogether(schema);
        opening.catch(() => undefined); // awaited below; a failure must not surface before then
        // Every opener is blocked behind the peer (on its lock, or on its uncommitted schema row).
        await waitUntil(
          async () => {
            const { rows } = await admin.query<{ n: number }>(
              "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'cxone-outbound' AND wait_event_type = 'Lock'",
            );
            return rows[0]!.n === OPENERS;
          },
          { what: `${OPENERS} opens waiting on the peer's schema` },
        );
        await peer.query("COMMIT");
      } finally {
        await peer.query("ROLLBACK").catch(() => undefined);
        await peer.end();
      }
      const stores = await opening;
      await Promise.all(stores.map((store) => store.close()));
      await expectMigratedOnce(schema);
    },
  );

  it("a tenant's schema: every open succeeds, one schema, each migration applied once, every store usable", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const schema = `cxo_race_${round}`;
      const stores = await openTogether(schema);
      try {
        const schemas = await admin.query("SELECT nspname FROM pg_namespace WHERE nspname = $1", [schema]);
        expect(schemas.rowCount).toBe(1);
        await expectMigratedOnce(schema);
        // Each instance writes through its own store: one chain, every record in it.
        await Promise.all(
          stores.map((store, i) =>
            store.audit.append({ operation: "boot", outcome: "done", target: `i${i}` }),
          ),
        );
        expect((await stores[0]!.audit.verify()).ok).toBe(true);
        const records = await admin.query(`SELECT count(*)::int AS n FROM ${schema}.audit_log`);
        expect(records.rows[0].n).toBe(OPENERS);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    }
  });

  it("the database's own schema (no tenant schema): every open succeeds, migrated once", async () => {
    const stores = await openTogether(undefined);
    await Promise.all(stores.map((store) => store.close()));
    await expectMigratedOnce("public");
  });
});
