import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { MIGRATIONS, openStore, SCHEMA_VERSION, StoreSchemaTooNewError } from "../../src/core/store/index.ts";
import { openPostgresDb } from "../../src/core/store/postgres-db.ts";
import type { SqlDb } from "../../src/core/store/sql.ts";
import { openSqliteDb } from "../../src/core/store/sqlite-db.ts";
import { type Fixtures, startEmulator } from "../../src/emulator/index.ts";
import { startService } from "../../src/service/index.ts";
import { readiness } from "../../src/service/readiness.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { runCli } from "../support/run-cli.ts";
import { STORE_BACKENDS, type TempStoreLocation, useStoreBackend } from "./fixtures/backends.ts";

/**
 * A rolling upgrade (issue 32 §2): a newer build migrated the store (here: one migration ahead,
 * adding a NOT NULL column, as the two-instance run did). This build must refuse the
 * store — at open (every command and `cxo serve` exit 2, one line naming both versions and what
 * to do, nothing written or sent) and, when already running, by reporting itself not ready.
 */
const NEXT = SCHEMA_VERSION + 1;

/** What a newer build's next migration does: a column every insert must fill. */
async function migrateAhead(db: SqlDb): Promise<void> {
  const statements =
    db.dialect === "postgres"
      ? [
          "ALTER TABLE journal ADD COLUMN shard TEXT NOT NULL DEFAULT 'a'",
          "ALTER TABLE journal ALTER COLUMN shard DROP DEFAULT",
        ]
      : // SQLite cannot drop a column default in place; the refusal depends on the version alone.
        ["ALTER TABLE journal ADD COLUMN shard TEXT NOT NULL DEFAULT ''"];
  await db.transaction(async (tx) => {
    for (const statement of statements) await tx.run(statement);
    await tx.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [
      NEXT,
      "a newer build's migration: journal.shard NOT NULL",
      new Date().toISOString(),
    ]);
  });
}

const TABLES = ["journal", "audit_log", "outbox", "kv", "leases", "rate_shares", "schema_migrations"];

/** Row counts and the audit head: what "nothing written" is checked against. */
async function snapshot(db: SqlDb): Promise<Record<string, unknown>> {
  const counts: Record<string, unknown> = {};
  for (const table of TABLES)
    counts[table] = Number((await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n);
  counts.head = await db.get("SELECT seq, hash FROM audit_head");
  counts.leaseTokens = await db.all("SELECT name, token, expires_ms FROM leases ORDER BY name");
  return counts;
}

/** The database itself, as the newer build would open it (no migration, no guard). */
function rawDb(data: TempStoreLocation): SqlDb {
  const url = data.target.store?.url;
  return url ? openPostgresDb(url, { max: 2 }) : openSqliteDb(path.join(data.target.dataDir, "cxo.sqlite"));
}

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let admin: Fixtures["clients"][number];
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, calls: 10 });
  admin = emulator.fixtures.clients[0]!;
});
afterAll(async () => {
  await emulator.close();
});

describe.each(STORE_BACKENDS)("a store migrated by a newer build (%s)", (backendName) => {
  const backend = useStoreBackend(backendName);
  let data: TempStoreLocation;
  let before: Record<string, unknown>;

  beforeEach(async () => {
    data = await backend.fresh();
    const store = await openStore(data.target);
    try {
      // A store in use: a finished operation, a lease; then the newer build migrates it.
      await store.journal.run(
        { kind: "t.op", effect: async () => 1, finish: () => ({ outcome: "done" }) },
        { target: "t", payload: {} },
      );
      await store.leases.acquire("service.leader", 1);
    } finally {
      await store.close();
    }
    const db = rawDb(data);
    try {
      await migrateAhead(db);
      before = await snapshot(db);
    } finally {
      await db.close();
    }
    return () => data.remove();
  });

  /** What the store holds now, read directly, for checking that nothing changed. */
  async function current(): Promise<Record<string, unknown>> {
    const db = rawDb(data);
    try {
      return await snapshot(db);
    } finally {
      await db.close();
    }
  }

  it("openStore refuses it with a typed error naming both versions; nothing is written", async () => {
    const error = await openStore(data.target).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreSchemaTooNewError);
    expect(error).toMatchObject({
      code: "store_schema_too_new",
      storeVersion: NEXT,
      buildVersion: SCHEMA_VERSION,
    });
    expect((error as Error).message).toMatch(
      new RegExp(
        `schema version ${NEXT}, newer than this cxo build knows \\(${SCHEMA_VERSION}\\).*upgrade this cxo`,
      ),
    );
    expect(await current()).toEqual(before);
  });

  it("every command and `cxo serve` exit 2 with one line; nothing is written or sent to CXone", async () => {
    const env: Record<string, string> = {
      CXO_DATA_DIR: data.target.dataDir,
      CXONE_BASE_URL: emulator.url,
      CXONE_CLIENT_ID: admin.clientId,
      CXONE_CLIENT_SECRET: admin.clientSecret,
      ...(data.target.store?.url ? { CXO_DATABASE_URL: data.target.store.url } : {}),
    };
    const campaign = emulator.fixtures.campaigns[0]!.id;
    await adminCall(emulator.url, "DELETE", "/requests");
    const commands = [
      ["campaigns", "pause", campaign],
      ["outbox", "status"],
      ["serve", "--port", "0"],
    ];
    const runs = await Promise.all(commands.map((args) => runCli(args, env, { timeoutMs: 60_000 })));
    for (const [i, run] of runs.entries()) {
      const what = `cxo ${commands[i]!.join(" ")}: ${run.stderr}`;
      expect(run.stderr.trim().split("\n"), what).toHaveLength(1);
      expect(run.stderr, what).toMatch(
        new RegExp(
          `schema version ${NEXT}, newer than this cxo build knows \\(${SCHEMA_VERSION}\\).*upgrade this cxo binary`,
        ),
      );
      expect(run.code, what).toBe(2);
    }
    expect(await current()).toEqual(before);
    const log = (await adminCall(emulator.url, "GET", "/requests")) as { requests: unknown[] };
    expect(log.requests).toEqual([]);
  }, 120_000);
});

describe.each(STORE_BACKENDS)("a store an older build migrated (%s)", (backendName) => {
  const backend = useStoreBackend(backendName);

  it("a newer build migrates it as before (on PostgreSQL two at once, under the advisory lock)", async () => {
    const data = await backend.fresh();
    try {
      const db = rawDb(data);
      const types =
        db.dialect === "postgres"
          ? { autoId: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", bigint: "BIGINT", withoutRowid: "" }
          : { autoId: "INTEGER PRIMARY KEY", bigint: "INTEGER", withoutRowid: " WITHOUT ROWID" };
      await db.transaction(async (tx) => {
        await tx.run(
          "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
        );
        for (const migration of MIGRATIONS.filter((m) => m.version <= 3)) {
          for (const statement of migration.statements(types)) await tx.run(statement);
          await tx.run("INSERT INTO schema_migrations VALUES (?, ?, 't')", [
            migration.version,
            migration.name,
          ]);
        }
      });
      await db.close();
      const opened =
        backendName === "postgres"
          ? await Promise.all([openStore(data.target), openStore(data.target)])
          : [await openStore(data.target)];
      try {
        const versions = await opened[0]!.db.all<{ version: number }>(
          "SELECT version FROM schema_migrations ORDER BY version",
        );
        expect(versions.map((row) => Number(row.version))).toEqual(MIGRATIONS.map((m) => m.version));
        for (const store of opened) expect(await store.schemaTooNew()).toBeNull();
      } finally {
        for (const store of opened) await store.close();
      }
    } finally {
      data.remove();
    }
  });
});

describe("a running instance whose store a newer build migrates", () => {
  const backend = useStoreBackend("sqlite");

  it("reports itself not ready (/api/ready 503, /api/health ready false) with the reason", async () => {
    const data = await backend.fresh();
    const settings = settingsSchema.parse({
      cxone: { baseUrl: emulator.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
      dataDir: data.target.dataDir,
      service: { port: 0, pollIntervalSeconds: 60 },
    });
    const svc = await startService({ settings, port: 0 });
    try {
      expect((await fetch(`${svc.url}/api/ready`)).status).toBe(200);
      const newer = rawDb(data);
      await migrateAhead(newer);
      await newer.close();
      const ready = await fetch(`${svc.url}/api/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        ready: false,
        reason: expect.stringMatching(`schema version ${NEXT}`),
      });
      const health = (await (await fetch(`${svc.url}/api/health`)).json()) as { ready: unknown };
      expect(health.ready).toMatchObject({ ready: false });
    } finally {
      await svc.close();
      data.remove();
    }
  }, 120_000);

  it("readiness: a schema refusal is not ready, with its message", () => {
    const state = { leader: false, token: null, leaderId: null, lastContactAt: null, lastError: null };
    expect(readiness(true, state, new Error("schema version 9"))).toEqual({
      ready: false,
      reason: "schema version 9",
    });
    expect(readiness(true, state, null)).toEqual({ ready: true, reason: null });
  });
});
