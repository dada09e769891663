import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openStore, type StoreTarget } from "../src/core/store/index.ts";
import { createTestDatabase, startTestPostgres } from "../test/support/postgres-server.ts";
import type { BenchRow } from "./types.ts";

/**
 * Several instances on PostgreSQL (issue 18): outbox delivery by 1 and 3 dispatcher processes
 * on one PostgreSQL store beside 1 on SQLite (the embedded default, the baseline), to a local
 * receiver; and journaled operations per second on both backends, one at a time and (PostgreSQL)
 * 16 at once. PostgreSQL: the machine's server, else an embedded one (test/support).
 */
const EVENTS = 6_000;
const OPERATIONS = 1_500;
const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "support", "dispatch-worker.ts");

async function withReceiver<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(204).end());
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    return await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function fill(target: StoreTarget): Promise<void> {
  const store = await openStore(target);
  try {
    for (let i = 0; i < EVENTS; i += 500)
      await store.outbox.enqueue(
        Array.from({ length: 500 }, (_, j) => ({
          type: "call.tagged",
          destination: "bi",
          data: { callId: `call-${i + j}`, disposition: "CONVERTED", campaignId: "camp-1" },
        })),
      );
  } finally {
    await store.close();
  }
}

/** Events/s for `instances` dispatcher processes draining the store (start-up excluded). */
async function delivery(target: StoreTarget, instances: number, receiver: string): Promise<number> {
  await fill(target);
  const workers = Array.from({ length: instances }, () => {
    const child = spawn(process.execPath, [WORKER, target.dataDir, target.store?.url ?? "-", receiver], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    let out = "";
    const ready = new Promise<void>((resolve) =>
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("ready")) resolve();
      }),
    );
    const done = new Promise<number>((resolve, reject) =>
      child.on("exit", (code) =>
        code === 0
          ? resolve(JSON.parse(out.split("\n").filter(Boolean).at(-1)!).delivered)
          : reject(new Error(`worker exit ${code}`)),
      ),
    );
    return { child, ready, done };
  });
  await Promise.all(workers.map((w) => w.ready));
  const started = performance.now();
  for (const w of workers) w.child.stdin!.write("go\n");
  const delivered = (await Promise.all(workers.map((w) => w.done))).reduce((a, b) => a + b, 0);
  const seconds = (performance.now() - started) / 1000;
  if (delivered < EVENTS) throw new Error(`delivered ${delivered} of ${EVENTS}`);
  return EVENTS / seconds;
}

async function journaled(target: StoreTarget, inFlight: number): Promise<number> {
  const store = await openStore(target, { actor: "client-bench" });
  try {
    const op = {
      kind: "dispositions.tag",
      effect: async (payload: { i: number }) => ({ etag: `"${payload.i}"` }),
      finish: () => ({
        outcome: "done" as const,
        status: 200,
        events: [{ type: "call.tagged", destination: "bi", data: { ok: true } }],
      }),
    };
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < OPERATIONS) {
          const i = next++;
          await store.journal.run(op, { target: `call-${i}`, payload: { i } });
        }
      }),
    );
    return OPERATIONS / ((performance.now() - started) / 1000);
  } finally {
    await store.close();
  }
}

export default async function instancesBench(): Promise<BenchRow[]> {
  const server = await startTestPostgres();
  const dirs: string[] = [];
  const databases: Array<{ drop: () => Promise<void> }> = [];
  const sqlite = (): StoreTarget => {
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-bench-inst-"));
    dirs.push(dir);
    return { dataDir: dir };
  };
  const postgres = async (): Promise<StoreTarget> => {
    const db = await createTestDatabase(server.url, "cxo_bench");
    databases.push(db);
    return { dataDir: sqlite().dataDir, store: { url: db.url } };
  };
  try {
    const [sqliteOne, pgOne, pgThree] = await withReceiver(async (receiver) => [
      await delivery(sqlite(), 1, receiver),
      await delivery(await postgres(), 1, receiver),
      await delivery(await postgres(), 3, receiver),
    ]);
    const opsSqlite = await journaled(sqlite(), 1);
    const opsPg = await journaled(await postgres(), 1);
    const opsPg16 = await journaled(await postgres(), 16);
    const where = server.embedded ? "embedded PostgreSQL" : "PostgreSQL server";
    return [
      {
        suite: "instances",
        metric: `outbox delivery, 1 instance on ${where}`,
        unit: "events/s",
        ours: pgOne,
        baseline: sqliteOne,
        baselineLabel: "1 instance on SQLite",
      },
      {
        suite: "instances",
        metric: `outbox delivery, 3 instances on ${where} (SKIP LOCKED claims)`,
        unit: "events/s",
        ours: pgThree,
        baseline: sqliteOne,
        baselineLabel: "1 instance on SQLite",
      },
      {
        suite: "instances",
        metric: `journaled operations, one at a time, ${where}`,
        unit: "ops/s",
        ours: opsPg,
        baseline: opsSqlite,
        baselineLabel: "SQLite, one at a time",
      },
      {
        suite: "instances",
        metric: `journaled operations, 16 at once, ${where}`,
        unit: "ops/s",
        ours: opsPg16,
        baseline: opsSqlite,
        baselineLabel: "SQLite, one at a time",
      },
    ];
  } finally {
    for (const db of databases) await db.drop().catch(() => undefined);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await server.stop();
  }
}
