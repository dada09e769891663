import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anchorSignatureValid, checkAnchors, signAnchor } from "../../src/core/audit/anchor.ts";
import { type AuditRecord, canonicalJson } from "../../src/core/audit/index.ts";
import { sealRecord } from "../../src/core/audit/record.ts";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { openStore, STORE_FILE } from "../../src/core/store/index.ts";
import { startService } from "../../src/service/index.ts";
import { waitUntil } from "../support/wait-until.ts";
import { runCxo } from "./fixtures/run-cxo.ts";
import { tempDataDir } from "./fixtures/temp-dir.ts";

/**
 * Issue 20, security 2: a hash chain cannot see its tail cut off. Signed anchors of the chain
 * head, kept outside the store, can: `cxo audit verify --anchor FILE`.
 */
const KEY = "anchor-key-kept-in-a-vault-0123456789";
let data: ReturnType<typeof tempDataDir>;
let env: Record<string, string>;
const cxo = (...args: string[]) => runCxo(args, env, data.dir);

async function seed(dataDir: string, n: number): Promise<void> {
  const store = await openStore(dataDir);
  await store.audit.appendBatch(
    Array.from({ length: n }, (_, i) => ({
      operation: "campaigns.pause",
      target: `c-${i + 1}`,
      outcome: "done",
    })),
  );
  await store.close();
}

beforeAll(() => {
  data = tempDataDir();
});
afterAll(() => data.remove());

describe("anchors (pure)", () => {
  it("are signed with the key: another key, an edited seq or hash, a forged signature all fail", () => {
    const anchor = signAnchor(KEY, { seq: 7, hash: "a".repeat(64) });
    expect(anchorSignatureValid(KEY, anchor)).toBe(true);
    expect(anchorSignatureValid(`${KEY}x`, anchor)).toBe(false);
    expect(anchorSignatureValid(KEY, { ...anchor, seq: 6 })).toBe(false);
    expect(anchorSignatureValid(KEY, { ...anchor, hash: "b".repeat(64) })).toBe(false);
    expect(anchorSignatureValid(KEY, { ...anchor, signature: "AAAA" })).toBe(false);
    expect(JSON.stringify(anchor)).not.toContain(KEY);
  });

  it("checkAnchors: cut tail, rewritten record, missing record", async () => {
    const record = { seq: 5, hash: "h5" } as AuditRecord;
    const at = async (seq: number) => (seq === 5 ? record : undefined);
    const a5 = signAnchor(KEY, { seq: 5, hash: "h5" });
    expect((await checkAnchors(KEY, [a5], { seq: 5 }, at)).ok).toBe(true);
    expect(await checkAnchors(KEY, [a5], { seq: 4 }, at)).toMatchObject({ ok: false, brokenAt: 5 });
    const other = signAnchor(KEY, { seq: 5, hash: "h5-rewritten" });
    expect((await checkAnchors(KEY, [other], { seq: 9 }, at)).reason).toMatch(/rewritten/);
    expect(
      (await checkAnchors(KEY, [signAnchor(KEY, { seq: 3, hash: "x" })], { seq: 9 }, at)).reason,
    ).toMatch(/missing/);
  });
});

describe("cxo audit anchor / verify --anchor", () => {
  it("delete the tail and rewrite the head: plain verify passes, verify with the anchor fails", async () => {
    const dataDir = path.join(data.dir, "truncate");
    env = { CXO_DATA_DIR: dataDir, CXO_AUDIT_ANCHOR_KEY: KEY };
    await seed(dataDir, 10);
    const anchors = path.join(data.dir, "anchors.jsonl");
    const anchored = await cxo("--json", "audit", "anchor", "--out", anchors);
    expect(anchored.code).toBe(0);
    expect(JSON.parse(anchored.stdout).anchor).toMatchObject({ seq: 10, kind: "cxo.audit.anchor" });
    expect(readFileSync(anchors, "utf8")).not.toContain(KEY);
    expect((await cxo("audit", "verify", "--anchor", anchors)).code).toBe(0);

    // The attack: cut records 8..10, point the head at record 7.
    const db = new DatabaseSync(path.join(dataDir, STORE_FILE));
    db.exec("DELETE FROM audit_log WHERE seq > 7");
    db.exec("UPDATE audit_head SET seq = 7, hash = (SELECT hash FROM audit_log WHERE seq = 7) WHERE id = 1");
    db.close();

    const [plain, checked, human] = await Promise.all([
      cxo("--json", "audit", "verify"),
      cxo("--json", "audit", "verify", "--anchor", anchors),
      cxo("audit", "verify", "--anchor", anchors),
    ]);
    expect(plain.code).toBe(0); // the hole a chain alone cannot see
    expect(checked.code).toBe(1);
    expect(JSON.parse(checked.stdout)).toMatchObject({
      ok: false,
      firstBrokenAt: 8,
      reason: expect.stringMatching(/ends at record 7.*held record 10.*cut from the end/),
    });
    expect(human.stdout).toMatch(/BROKEN at record 8: .*cut from the end/);
  });

  it("a rewritten, re-hashed chain (head moved too) fails against the anchor", async () => {
    const dataDir = path.join(data.dir, "rewrite");
    env = { CXO_DATA_DIR: dataDir, CXO_AUDIT_ANCHOR_KEY: KEY };
    await seed(dataDir, 4);
    const anchors = path.join(data.dir, "rewrite.jsonl");
    expect((await cxo("audit", "anchor", "--out", anchors)).code).toBe(0);
    // Rewrite record 4 consistently: new content, its hash recomputed, the head moved to it.
    const db = new DatabaseSync(path.join(dataDir, STORE_FILE));
    const prev = db.prepare("SELECT hash FROM audit_log WHERE seq = 3").get() as { hash: string };
    const forged = sealRecord(
      { operation: "campaigns.resume", target: "c-4", outcome: "done" },
      4,
      prev.hash,
      new Date(),
    );
    db.prepare("UPDATE audit_log SET operation = ?, recorded_at = ?, hash = ? WHERE seq = 4").run(
      forged.operation,
      forged.time,
      forged.hash,
    );
    db.prepare("UPDATE audit_head SET hash = ? WHERE id = 1").run(forged.hash);
    db.close();
    const [plain, checked] = await Promise.all([
      cxo("audit", "verify"),
      cxo("--json", "audit", "verify", "--anchor", anchors),
    ]);
    expect(plain.code).toBe(0);
    expect(checked.code).toBe(1);
    expect(JSON.parse(checked.stdout).reason).toMatch(/record 4 is not the one anchored.*rewritten/);
    // A forged anchor file (anchor edited to match) is refused by its signature.
    const edited = JSON.parse(readFileSync(anchors, "utf8").trim());
    writeFileSync(anchors, `${canonicalJson({ ...edited, hash: forged.hash })}\n`);
    const forgedAnchor = await cxo("--json", "audit", "verify", "--anchor", anchors);
    expect(forgedAnchor.code).toBe(1);
    expect(JSON.parse(forgedAnchor.stdout).reason).toMatch(/not signed with this anchor key/);
  });

  it("cxo serve anchors the head periodically to the anchor file and to a destination", async () => {
    const dataDir = path.join(data.dir, "serve");
    await seed(dataDir, 3);
    const file = path.join(data.dir, "serve-anchors.jsonl");
    const settings = settingsSchema.parse({
      dataDir,
      service: { port: 0, dispatcher: false },
      destinations: { bi: { url: "http://127.0.0.1:9/bi" } },
      audit: { anchorKey: KEY, anchorFile: file, anchorDestination: "bi", anchorEveryMinutes: 0.01 },
    });
    const svc = await startService({ settings, port: 0 });
    try {
      const store = await openStore(dataDir);
      const lines = () => readFileSync(file, "utf8").trim().split("\n");
      await waitUntil(
        () => {
          try {
            return lines().length >= 1;
          } catch {
            return false; // not written yet
          }
        },
        { what: "the anchor file's first line", timeoutMs: 5000, intervalMs: 50 },
      );
      expect(JSON.parse(lines()[0] as string)).toMatchObject({ seq: 3 });
      await store.audit.append({ operation: "campaigns.pause", target: "c-4", outcome: "done" });
      await waitUntil(() => lines().length >= 2, {
        what: "the anchor file's second line",
        timeoutMs: 5000,
        intervalMs: 50,
      });
      expect(JSON.parse(lines()[1] as string)).toMatchObject({ seq: 4 });
      const events = await store.outbox.list({ destination: "bi" });
      expect(events.map((e) => e.type)).toContain("audit.anchor");
      await store.close();
    } finally {
      await svc.close();
    }
  });
});
