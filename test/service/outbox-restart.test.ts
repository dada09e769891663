import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyWebhook } from "../../src/core/outbox/index.ts";
import { openStore } from "../../src/core/store/index.ts";
import { type ServiceHarness, serviceHarness, until } from "./harness.ts";

const SECRET = "whsec_b3V0Ym94LXJlc3RhcnQtdGVzdC1zZWNyZXQ=";

/** A receiver that records deliveries and whether each one's signature verified. */
async function receiver() {
  const got: Array<{ id: string; verified: boolean; body: { id: string; data: unknown } }> = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const raw = Buffer.concat(chunks);
      let verified = true;
      try {
        verifyWebhook(SECRET, request.headers, raw);
      } catch {
        verified = false;
      }
      got.push({ id: String(request.headers["webhook-id"]), verified, body: JSON.parse(raw.toString()) });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    got,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/bi`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("cxo serve: events left in the outbox are delivered when the service starts", () => {
  let h: ServiceHarness;
  beforeAll(async () => {
    h = await serviceHarness();
  });
  afterAll(() => h.close());

  it("events enqueued while the receiver was down reach it, signed, once the service runs", async () => {
    // First run: the receiver's port is closed, so nothing can be delivered; the process ends.
    const store = await openStore(h.dataDir);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const [event] = await store.outbox.enqueue([
        { type: "outbound.call.tagged", destination: "bi", data: { callId: `call-${i}`, n: i } },
      ]);
      ids.push(event?.id as string);
    }
    await store.close();

    const sink = await receiver();
    try {
      const svc = await h.start({
        settings: h.settings({}, { destinations: { bi: { url: sink.url, secret: SECRET } } }),
      });
      await until(() => sink.got.length >= 5, 10_000, "5 deliveries");
      expect(sink.got.map((d) => d.id).sort()).toEqual([...ids].sort());
      expect(sink.got.every((d) => d.verified)).toBe(true);
      expect(
        sink.got.map((d) => d.body.data).sort((a, b) => (a as { n: number }).n - (b as { n: number }).n),
      ).toEqual([0, 1, 2, 3, 4].map((n) => ({ callId: `call-${n}`, n })));
      type OutboxDoc = { destinations: Array<{ destination: string; delivered: number }> };
      const outbox = async () => (await (await fetch(`${svc.url}/api/outbox`)).json()) as OutboxDoc;
      await until(async () => (await outbox()).destinations[0]?.delivered === 5, 5000, "recorded deliveries");
      expect((await outbox()).destinations.map((d) => d.destination)).toEqual(["bi"]);
      await svc.close();
    } finally {
      await sink.close();
    }
    const after = await openStore(h.dataDir);
    try {
      expect((await after.outbox.status())[0]).toMatchObject({
        destination: "bi",
        pending: 0,
        delivered: 5,
        dead: 0,
      });
    } finally {
      await after.close();
    }
  });
});
