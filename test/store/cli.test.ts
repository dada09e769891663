import { readFileSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, STORE_FILE } from "../../src/core/store/index.ts";
import { type Receiver, startReceiver } from "./fixtures/receiver.ts";
import { runCxo } from "./fixtures/run-cxo.ts";
import { tempDataDir } from "./fixtures/temp-dir.ts";

/** `cxo audit …` and `cxo outbox …` as a user runs them: real process, exit codes, --json documents. */

const SECRET = `whsec_${Buffer.from("cli-test-secret-32-bytes-long!!!").toString("base64")}`;
let data: ReturnType<typeof tempDataDir>;
let receiver: Receiver;
let env: Record<string, string>;

beforeAll(async () => {
  data = tempDataDir();
  receiver = await startReceiver({ secret: SECRET });
  env = {
    CXO_DATA_DIR: path.join(data.dir, "cxo"),
    CXO_DEST_BI_URL: receiver.url("/bi"),
    CXO_DEST_BI_SECRET: SECRET,
  };
  const store = await openStore(env.CXO_DATA_DIR!);
  await store.audit.appendBatch(
    Array.from({ length: 5 }, (_, i) => ({
      operation: "campaigns.pause",
      target: `camp-${i + 1}`,
      outcome: "done",
      status: 200,
      actor: "client-a",
      details: { note: `row, with "quotes" ${i + 1}` },
    })),
  );
  await store.outbox.enqueue([
    { type: "campaign.paused", destination: "bi", data: { n: 1 } },
    { type: "campaign.paused", destination: "bi", data: { n: 2 } },
  ]);
  await store.close();
});

afterAll(async () => {
  await receiver.close();
  data.remove();
});

const cxo = (...args: string[]) => runCxo(args, env, data.dir);

describe("cxo audit", () => {
  it("verify --json prints {ok, records, firstBrokenAt}, exit 0", async () => {
    const { code, stdout } = await cxo("--json", "audit", "verify");
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, records: 5, firstBrokenAt: null });
  });

  it("tail -n 2 prints the last two records; --json as one document", async () => {
    const human = await cxo("audit", "tail", "-n", "2");
    expect(human.code).toBe(0);
    expect(human.stdout.trim().split("\n")).toHaveLength(2);
    expect(human.stdout).toContain("#5 ");
    const json = await cxo("--json", "audit", "tail", "-n", "2");
    expect(JSON.parse(json.stdout).records.map((r: { seq: number }) => r.seq)).toEqual([4, 5]);
  });

  it("export --format jsonl|csv writes every record; a bad format is exit 2", async () => {
    const jsonl = await cxo("audit", "export", "--format", "jsonl");
    expect(
      jsonl.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).seq),
    ).toEqual([1, 2, 3, 4, 5]);
    const out = path.join(data.dir, "audit.csv");
    const csv = await cxo("--json", "audit", "export", "--format", "csv", "--out", out);
    expect(JSON.parse(csv.stdout)).toMatchObject({ records: 5, format: "csv" });
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines[0]).toMatch(/^seq,time,actor,operation,target,outcome,status/);
    expect(lines).toHaveLength(6);
    expect(lines[1]).toContain('"{""note"":""row, with \\""quotes\\"" 1""}"');
    expect((await cxo("audit", "export", "--format", "xml")).code).toBe(2);
    expect((await cxo("audit", "tail", "-n", "zero")).code).toBe(2);
  });
});

describe("cxo outbox", () => {
  it("status, deliver --until-empty, replay; bad flags are exit 2", async () => {
    const before = JSON.parse((await cxo("--json", "outbox", "status")).stdout);
    expect(before.destinations).toEqual([
      expect.objectContaining({ destination: "bi", pending: 2, configured: true }),
    ]);
    expect(before.destinations[0].oldestPendingAgeMs).toBeGreaterThanOrEqual(0);

    const delivered = await cxo("--json", "outbox", "deliver", "--until-empty", "--timeout-s", "20");
    expect(delivered.code).toBe(0);
    expect(JSON.parse(delivered.stdout)).toMatchObject({ delivered: 2, pending: 0, drained: true });
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    expect(receiver.deliveredIds().size).toBe(2);

    const id = String(receiver.received[0]!.headers["webhook-id"]);
    const replay = await cxo("--json", "outbox", "replay", "--id", id);
    expect(JSON.parse(replay.stdout)).toEqual({ replayed: 1 });
    await cxo("outbox", "deliver");
    expect(receiver.received.filter((r) => r.headers["webhook-id"] === id)).toHaveLength(2);

    const after = JSON.parse((await cxo("--json", "outbox", "status")).stdout);
    expect(after.totals).toEqual({ pending: 0, delivered: 2, dead: 0 });
    expect((await cxo("outbox", "replay")).code).toBe(2);
    expect((await cxo("outbox", "replay", "--dead", "--id", id)).code).toBe(2);
  });

  it("status says why events for a destination nobody configured are waiting (issue 20, item 15)", async () => {
    const store = await openStore(env.CXO_DATA_DIR!);
    await store.outbox.enqueue([{ type: "call.tagged", destination: "wfm", data: {} }]);
    await store.close();
    const human = await cxo("outbox", "status");
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/wfm \(not configured\)/);
    expect(human.stdout).toMatch(
      /! 1 event\(s\) wait: destination "wfm" is not configured .*CXO_DEST_WFM_URL/,
    );
  });
});

describe("cxo audit verify on a tampered log", () => {
  it("exits 1 and names the broken record", async () => {
    const db = new DatabaseSync(path.join(env.CXO_DATA_DIR!, STORE_FILE));
    db.exec("UPDATE audit_log SET target = 'camp-999' WHERE seq = 3");
    db.close();
    const { code, stdout } = await cxo("--json", "audit", "verify");
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, firstBrokenAt: 3, records: 2 });
    const human = await cxo("audit", "verify");
    expect(human.code).toBe(1);
    expect(human.stdout).toContain("BROKEN at record 3");
  });
});
