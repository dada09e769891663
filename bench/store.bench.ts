import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Agent, request } from "undici";
import { createDispatcher } from "../src/core/outbox/index.ts";
import { openStore } from "../src/core/store/index.ts";
import type { BenchRow } from "./types.ts";

/**
 * The durable store: audit append rate (hash-chained, fsynced commits batched per transaction)
 * against a plain INSERT of the same rows in the same batches; outbox delivery rate (claim,
 * sign, POST, record) to a local receiver against raw undici POSTs at the same concurrency;
 * and journaled operations per second (two fsynced commits each) for capacity planning.
 */

const AUDIT_RECORDS = 50_000;
const BATCH = 500;
const SINGLE_RECORDS = 2_000;
const EVENTS = 5_000;
const CONCURRENCY = 16;
const OPERATIONS = 2_000;

const entry = (i: number) => ({
  operation: "dispositions.tag",
  target: `call-${i}`,
  outcome: "done",
  status: 200,
  latencyMs: 42,
  actor: "client-bench",
  idempotencyKey: `idk_${i}`,
  before: { etag: `"${i}"` },
  after: { etag: `"${i + 1}"` },
  details: { campaignId: "camp-1", disposition: "CONVERTED", reason: "R1" },
});

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), "cxo-bench-store-"));
}

async function auditBatched(): Promise<number> {
  const dir = tempDir();
  const store = await openStore(dir);
  try {
    const started = performance.now();
    for (let i = 0; i < AUDIT_RECORDS; i += BATCH)
      await store.audit.appendBatch(Array.from({ length: BATCH }, (_, j) => entry(i + j)));
    return AUDIT_RECORDS / ((performance.now() - started) / 1000);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function auditSingle(): Promise<number> {
  const dir = tempDir();
  const store = await openStore(dir);
  try {
    const started = performance.now();
    for (let i = 0; i < SINGLE_RECORDS; i++) await store.audit.append(entry(i));
    return SINGLE_RECORDS / ((performance.now() - started) / 1000);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Baseline: the same rows as JSON text, INSERTed with no hashing, no redaction, same pragmas. */
function plainInsert(records: number, batch: number): number {
  const dir = tempDir();
  const db = new DatabaseSync(path.join(dir, "plain.sqlite"));
  try {
    db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL");
    db.exec("CREATE TABLE log (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)");
    const insert = db.prepare("INSERT INTO log (body) VALUES (?)");
    const started = performance.now();
    for (let i = 0; i < records; i += batch) {
      db.exec("BEGIN");
      for (let j = 0; j < batch; j++) insert.run(JSON.stringify(entry(i + j)));
      db.exec("COMMIT");
    }
    return records / ((performance.now() - started) / 1000);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function withReceiver<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.end("ok"));
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

async function outboxDelivery(url: string): Promise<number> {
  const dir = tempDir();
  const store = await openStore(dir);
  try {
    for (let i = 0; i < EVENTS; i += BATCH)
      await store.outbox.enqueue(
        Array.from({ length: BATCH }, (_, j) => ({
          type: "call.tagged",
          destination: "bi",
          data: entry(i + j),
        })),
      );
    const secret = `whsec_${Buffer.from("bench-secret-32-bytes-long-!!!!!").toString("base64")}`;
    const dispatcher = createDispatcher(store.outbox, {
      destinations: { bi: { url, secret, headers: {}, maxAttempts: 12 } },
      concurrency: CONCURRENCY,
    });
    const started = performance.now();
    const report = await dispatcher.drain({ timeoutMs: 120_000 });
    const seconds = (performance.now() - started) / 1000;
    await dispatcher.stop();
    if (report.delivered !== EVENTS) throw new Error(`delivered ${report.delivered} of ${EVENTS}`);
    return EVENTS / seconds;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Baseline: the same bodies POSTed with undici at the same concurrency; no store, no signing. */
async function rawPosts(url: string): Promise<number> {
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: CONCURRENCY });
  const bodies = Array.from({ length: EVENTS }, (_, i) =>
    JSON.stringify({ id: `evt_${i}`, type: "call.tagged", data: entry(i) }),
  );
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < EVENTS) {
        const body = bodies[next++]!;
        const response = await request(url, {
          method: "POST",
          body,
          headers: { "content-type": "application/json" },
          dispatcher: agent,
        });
        await response.body.dump();
      }
    }),
  );
  const rate = EVENTS / ((performance.now() - started) / 1000);
  await agent.close();
  return rate;
}

async function journalOperations(): Promise<number> {
  const dir = tempDir();
  const store = await openStore(dir, { actor: "client-bench" });
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
    const started = performance.now();
    for (let i = 0; i < OPERATIONS; i++) await store.journal.run(op, { target: `call-${i}`, payload: { i } });
    return OPERATIONS / ((performance.now() - started) / 1000);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function storeBench(): Promise<BenchRow[]> {
  const batched = await auditBatched();
  const plainBatched = plainInsert(AUDIT_RECORDS, BATCH);
  const single = await auditSingle();
  const plainSingle = plainInsert(SINGLE_RECORDS, 1);
  const [delivery, raw] = await withReceiver(async (url) => {
    await rawPosts(url); // warm-up: connections, JIT
    return [await outboxDelivery(url), await rawPosts(url)];
  });
  const operations = await journalOperations();
  return [
    {
      suite: "store",
      metric: `audit append, ${BATCH} records per fsynced commit`,
      unit: "records/s",
      ours: batched,
      baseline: plainBatched,
      baselineLabel: "plain INSERT, no hash, same batches",
      target: ">= 5000",
      met: batched >= 5000,
    },
    {
      suite: "store",
      metric: "audit append, one fsynced commit per record",
      unit: "records/s",
      ours: single,
      baseline: plainSingle,
      baselineLabel: "plain INSERT, one commit each",
    },
    {
      suite: "store",
      metric: `outbox delivery to a local receiver, ${CONCURRENCY} in flight`,
      unit: "events/s",
      ours: delivery,
      baseline: raw,
      baselineLabel: "raw undici POSTs, no store, unsigned",
      target: ">= 1000",
      met: delivery >= 1000,
    },
    {
      suite: "store",
      metric: "journaled operations (pending + finish commits, audit, 1 event)",
      unit: "ops/s",
      ours: operations,
    },
  ];
}
