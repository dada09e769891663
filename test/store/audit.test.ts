import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/core/audit/index.ts";
import { processSecrets, registerSecret } from "../../src/core/logging/index.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { STORE_BACKENDS, type TempStoreLocation, useStoreBackend } from "./fixtures/backends.ts";
import { tempDataDir } from "./fixtures/temp-dir.ts";

describe.each(STORE_BACKENDS)("audit log (%s)", (backendName) => {
  const backend = useStoreBackend(backendName);
  let data: TempStoreLocation;
  let store: Store;

  beforeEach(async () => {
    data = await backend.fresh();
    store = await openStore(data.target, { actor: "client-a" });
    await store.audit.appendBatch(
      Array.from({ length: 10 }, (_, i) => ({
        operation: "dispositions.tag",
        target: `call-${i + 1}`,
        outcome: "done",
        status: 200,
        latencyMs: 12.4,
        idempotencyKey: `k-${i + 1}`,
        before: { etag: `"v${i}"` },
        after: { etag: `"v${i + 1}"` },
        details: { row: i + 1 },
      })),
    );
  });

  afterEach(async () => {
    await store.close();
    data.remove();
    processSecrets.clear();
  });

  /** Tampers with the tables directly, as someone with database access would. */
  async function tamper(sql: string[]): Promise<void> {
    await store.db.exec(sql.join(";\n"));
    await store.close();
    store = await openStore(data.target);
  }

  it("chains records: seq from 1, each carrying the previous hash; verify passes", async () => {
    const records = await store.audit.tail(10);
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(records[0]!.prevHash).toBe("0".repeat(64));
    for (let i = 1; i < records.length; i++) expect(records[i]!.prevHash).toBe(records[i - 1]!.hash);
    expect(records[0]).toMatchObject({
      operation: "dispositions.tag",
      target: "call-1",
      status: 200,
      latencyMs: 12,
    });
    expect(await store.audit.verify()).toMatchObject({ ok: true, records: 10, firstBrokenAt: null });
  });

  it("canonical JSON sorts keys at every depth", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });

  it("detects an edited record and names it", async () => {
    await tamper(["UPDATE audit_log SET outcome = 'failed' WHERE seq = 4"]);
    expect(await store.audit.verify()).toMatchObject({ ok: false, firstBrokenAt: 4, records: 3 });
  });

  it("detects an edit inside a JSON field (after.etag)", async () => {
    await tamper([`UPDATE audit_log SET after_json = '{"etag":"\\"forged\\""}' WHERE seq = 7`]);
    const result = await store.audit.verify();
    expect(result).toMatchObject({ ok: false, firstBrokenAt: 7 });
    expect(result.reason).toMatch(/altered/);
  });

  it("detects a deleted record (the gap) and names the missing seq", async () => {
    await tamper(["DELETE FROM audit_log WHERE seq = 5"]);
    const result = await store.audit.verify();
    expect(result).toMatchObject({ ok: false, firstBrokenAt: 5 });
    expect(result.reason).toMatch(/missing/);
  });

  it("detects a deleted record renumbered to hide the gap", async () => {
    await tamper(["DELETE FROM audit_log WHERE seq = 5", "UPDATE audit_log SET seq = seq - 1 WHERE seq > 5"]);
    expect(await store.audit.verify()).toMatchObject({ ok: false, firstBrokenAt: 5 });
  });

  it("detects records cut from the end", async () => {
    await tamper(["DELETE FROM audit_log WHERE seq >= 9"]);
    expect(await store.audit.verify()).toMatchObject({ ok: false, firstBrokenAt: 9, records: 8 });
  });

  it("detects two swapped records and names the first", async () => {
    const columns =
      "recorded_at, actor, operation, target, outcome, status_code, latency_ms, idempotency_key, before_json, after_json, details_json, prev_hash, hash";
    await tamper([
      `CREATE TEMP TABLE a AS SELECT ${columns} FROM audit_log WHERE seq = 3`,
      `CREATE TEMP TABLE b AS SELECT ${columns} FROM audit_log WHERE seq = 6`,
      "DELETE FROM audit_log WHERE seq IN (3, 6)",
      `INSERT INTO audit_log (seq, ${columns}) SELECT 3, ${columns} FROM b`,
      `INSERT INTO audit_log (seq, ${columns}) SELECT 6, ${columns} FROM a`,
    ]);
    const result = await store.audit.verify();
    expect(result).toMatchObject({ ok: false, firstBrokenAt: 3 });
  });

  it("never stores a secret: sensitive keys are masked and registered secret values scrubbed", async () => {
    registerSecret("s3cr3t-client-secret-value");
    const record = await store.audit.append({
      operation: "auth.check",
      outcome: "done",
      details: { token: "eyJhbGciOi.abc.def", note: "sent s3cr3t-client-secret-value by mistake" },
      after: { authorization: "Bearer xyz" },
    });
    const text = JSON.stringify(await store.audit.tail(1));
    expect(text).not.toContain("s3cr3t-client-secret-value");
    expect(text).not.toContain("eyJhbGciOi");
    expect(text).not.toContain("Bearer xyz");
    expect(record.details).toEqual({ token: "[REDACTED]", note: "sent [REDACTED] by mistake" });
    expect((await store.audit.verify()).ok).toBe(true);
  });

  it("keeps one chain across processes' appends (reopened store continues the chain)", async () => {
    await store.close();
    store = await openStore(data.target);
    const next = await store.audit.append({ operation: "x", outcome: "done" });
    expect(next.seq).toBe(11);
    expect(await store.audit.verify()).toMatchObject({ ok: true, records: 11 });
  });

  // PostgreSQL only: three SQLite connections in ONE thread would wait on each other's write lock
  // synchronously (node:sqlite); separate processes on SQLite are covered by crash-safety.test.ts.
  it.runIf(backendName === "postgres")("stays one chain when three instances append at once", async () => {
    const others = [await openStore(data.target), await openStore(data.target)];
    try {
      await Promise.all(
        [store, ...others].flatMap((instance, i) =>
          Array.from({ length: 20 }, (_, n) =>
            n % 4 === 0
              ? instance.audit.appendBatch([
                  { operation: "bulk", outcome: "done", target: `i${i}-${n}a` },
                  { operation: "bulk", outcome: "done", target: `i${i}-${n}b` },
                ])
              : instance.audit.append({ operation: "one", outcome: "done", target: `i${i}-${n}` }),
          ),
        ),
      );
      expect(await store.audit.verify()).toMatchObject({ ok: true, records: 10 + 3 * 25 });
    } finally {
      for (const other of others) await other.close();
    }
  });

  // 1,000 records (issue 80, CPU): appendBatch writes them one INSERT each in one transaction,
  // the same path at any size; its speed at scale is the bench's (5,000 took 2.7 s on PostgreSQL).
  it("appends a batch of 1,000 in one transaction and the chain stays whole (speed: npm run bench -- store)", async () => {
    const records = await store.audit.appendBatch(
      Array.from({ length: 1000 }, (_, i) => ({ operation: "bulk", outcome: "done", target: `t${i}` })),
    );
    expect(records.at(-1)!.seq).toBe(1010);
    expect(await store.audit.verify()).toMatchObject({ ok: true, records: 1010 });
  });
});

describe("audit redaction depth", () => {
  it("scrubs a registered secret nested deeper than the key-based redaction reaches", async () => {
    const dir = tempDataDir();
    const deepStore = await openStore(dir.dir);
    try {
      registerSecret("deep-secret-value-123456");
      let nested: Record<string, unknown> = { leaf: "has deep-secret-value-123456 inside" };
      for (let i = 0; i < 12; i++) nested = { level: nested };
      await deepStore.audit.append({ operation: "x", outcome: "done", details: nested });
      expect(JSON.stringify(await deepStore.audit.tail(1))).not.toContain("deep-secret-value-123456");
      expect((await deepStore.audit.verify()).ok).toBe(true);
    } finally {
      await deepStore.close();
      dir.remove();
    }
  });
});
