import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/core/store/index.ts";
import { ClientClosedError, type CxoneClient, createClient, InputError } from "../../src/index.ts";
import { type Receiver, startReceiver } from "../store/fixtures/receiver.ts";

/**
 * `client.outbox`: the webhook outbox through the SDK, on a client without a connection (what
 * `cxo outbox status | replay | deliver` run), delivering to a real local receiver.
 */
const SECRET = `whsec_${Buffer.from("outbox-group-secret-32-bytes!!!!").toString("base64")}`;
let dir: string;
let dataDir: string;
let receiver: Receiver;
let cxo: CxoneClient;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "cxo-outbox-group-"));
  dataDir = path.join(dir, "data");
  receiver = await startReceiver({ secret: SECRET });
  const store = await openStore(dataDir);
  try {
    await store.outbox.enqueue([
      { type: "campaign.paused", destination: "bi", data: { n: 1 } },
      { type: "campaign.paused", destination: "bi", data: { n: 2 } },
      { type: "call.tagged", destination: "wfm", data: {} },
    ]);
  } finally {
    await store.close();
  }
  cxo = createClient({
    dataDir,
    actor: "test:outbox",
    destinations: { bi: { url: receiver.url("/bi"), secret: SECRET, headers: {}, maxAttempts: 1 } },
  });
});

afterEach(async () => {
  await cxo.close();
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("client.outbox", () => {
  it("status counts per destination; deliver delivers, signed; a dead event is replayed and delivered", async () => {
    const before = await cxo.outbox.status();
    expect(before.totals).toEqual({ pending: 3, delivered: 0, dead: 0 });
    expect(before.destinations).toEqual([
      expect.objectContaining({ destination: "bi", pending: 2, configured: true, note: null }),
      expect.objectContaining({ destination: "wfm", pending: 1, configured: false }),
    ]);
    expect(before.destinations[1]?.note).toContain('destination "wfm" is not configured');

    // The receiver refuses the first: with one attempt allowed, it is dead-lettered.
    receiver.respond = (_request, index) => ({ status: index === 0 ? 500 : 200 });
    const report = await cxo.outbox.deliver({ untilEmpty: true, timeoutMs: 20_000 });
    expect(report).toMatchObject({ delivered: 1, dead: 1, pending: 0, drained: true });
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    const dead = String(receiver.received[0]?.headers["webhook-id"]);
    expect((await cxo.outbox.status()).totals).toEqual({ pending: 1, delivered: 1, dead: 1 });

    expect(await cxo.outbox.replay({ id: "no-such-event" })).toEqual({ replayed: 0 });
    expect(await cxo.outbox.replay({ dead: true, destination: "wfm" })).toEqual({ replayed: 0 });
    expect(await cxo.outbox.replay({ dead: true, destination: "bi" })).toEqual({ replayed: 1 });
    expect((await cxo.outbox.status()).destinations[0]).toMatchObject({ pending: 1, dead: 0, delivered: 1 });

    const again = await cxo.outbox.deliver();
    expect(again).toMatchObject({ delivered: 1, dead: 0, pending: 0 });
    expect(receiver.deliveredIds().has(dead)).toBe(true);
    // A delivered event asked for again (a receiver that lost it) by id.
    expect(await cxo.outbox.replay({ id: dead })).toEqual({ replayed: 1 });
    expect((await cxo.outbox.status()).totals).toEqual({ pending: 2, delivered: 1, dead: 0 });
  });

  it("bad params are InputErrors naming the field, nothing changed", async () => {
    const fieldOf = async (call: Promise<unknown>) =>
      ((await call.catch((e: unknown) => e)) as InputError).problems?.[0]?.field;
    expect(await fieldOf(cxo.outbox.replay({} as never))).toBe("id");
    expect(await fieldOf(cxo.outbox.replay({ id: "x", dead: true } as never))).toBe("id");
    expect(await fieldOf(cxo.outbox.replay({ id: "x", destination: "bi" } as never))).toBe("destination");
    expect(await fieldOf(cxo.outbox.replay({ dead: "yes" } as never))).toBe("dead");
    expect(await fieldOf(cxo.outbox.replay(undefined as never))).toBe("params");
    expect(await fieldOf(cxo.outbox.deliver({ timeoutMs: 0 }))).toBe("timeoutMs");
    expect(await fieldOf(cxo.outbox.deliver({ concurrency: 1.5 }))).toBe("concurrency");
    expect(await fieldOf(cxo.outbox.deliver({ untilEmpty: "yes" as never }))).toBe("untilEmpty");
    expect(receiver.received).toEqual([]);
    expect((await cxo.outbox.status()).totals).toEqual({ pending: 3, delivered: 0, dead: 0 });
  });

  it("deliver without a destination is an InputError naming destinations", async () => {
    const bare = createClient({ dataDir, actor: "test:outbox" });
    try {
      const error = await bare.outbox.deliver().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).problems[0]?.field).toBe("destinations");
    } finally {
      await bare.close();
    }
  });

  it("an aborted signal ends deliver before anything is sent", async () => {
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await expect(cxo.outbox.deliver({}, { signal: controller.signal })).rejects.toThrow("stop");
    expect(receiver.received).toEqual([]);
  });

  it("every method is refused after close()", async () => {
    await cxo.close();
    await expect(cxo.outbox.status()).rejects.toBeInstanceOf(ClientClosedError);
    await expect(cxo.outbox.replay({ dead: true })).rejects.toBeInstanceOf(ClientClosedError);
    await expect(cxo.outbox.deliver()).rejects.toBeInstanceOf(ClientClosedError);
  });
});
