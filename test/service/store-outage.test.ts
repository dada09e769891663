import { connect, createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openStore } from "../../src/core/store/index.ts";
import { type Receiver, startReceiver } from "../store/fixtures/receiver.ts";
import { createTestDatabase } from "../support/postgres-server.ts";
import { type ServiceHarness, serviceHarness, until } from "./harness.ts";

/**
 * A PostgreSQL outage (docs/deploy.md): the instance stops taking work and says so (/api/ready
 * 503 with the reason, the leader steps down), nothing is lost, and it all resumes when the
 * database answers again. The outage is a TCP proxy in front of the server that we cut.
 */
function tcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(target.port, target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on("close", () => sockets.delete(s));
          s.on("error", () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, "127.0.0.1", () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  return {
    listen,
    get port() {
      return port;
    },
    async cut() {
      const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

describe("cxo serve when PostgreSQL goes away and comes back", () => {
  let h: ServiceHarness;
  let receiver: Receiver;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    [h, receiver, database] = await Promise.all([
      serviceHarness(),
      startReceiver(),
      createTestDatabase(inject("pgUrl"), "cxo_outage"),
    ]);
  });
  afterAll(async () => {
    await h.close();
    await receiver.close();
    await database.drop();
  });

  it("goes unready and stops leading during the outage; resumes after; no event lost", async () => {
    const real = new URL(database.url);
    const proxy = tcpProxy({ host: real.hostname, port: Number(real.port || 5432) });
    await proxy.listen();
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    const settings = h.settings(
      { leaderLeaseSeconds: 1 },
      {
        store: { url: viaProxy.toString() },
        destinations: { bi: { url: receiver.url("/bi") } },
      },
    );
    const svc = await h.start({ settings });
    const ready = async () => {
      const answer = await fetch(`${svc.url}/api/ready`);
      return {
        status: answer.status,
        body: (await answer.json()) as { ready: boolean; reason: string | null },
      };
    };
    expect((await ready()).status).toBe(200);
    expect(svc.leadership.state().leader).toBe(true);

    await proxy.cut();
    const down = await until(
      async () => {
        const answer = await ready();
        return answer.status === 503 ? answer : undefined;
      },
      10_000,
      "a 503 from /api/ready",
    );
    expect(down.body).toMatchObject({ ready: false, reason: expect.stringMatching(/store does not answer/) });
    await until(() => !svc.leadership.state().leader, 10_000, "the leader stepping down");
    const health = (await (await fetch(`${svc.url}/api/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ store: { ok: false, backend: "postgres" }, leader: { self: false } });

    // Events written by another process during the outage land once the database is back.
    await proxy.listen();
    await until(async () => (await ready()).status === 200, 15_000, "ready again");
    await until(() => svc.leadership.state().leader, 15_000, "leading again");
    const other = await openStore({ dataDir: h.dataDir, store: { url: database.url } });
    try {
      const [event] = await other.outbox.enqueue([{ type: "after.outage", destination: "bi", data: {} }]);
      await until(() => receiver.deliveredIds().has(event!.id), 15_000, "the event delivered");
      expect((await other.audit.verify()).ok).toBe(true);
    } finally {
      await other.close();
    }
  }, 120_000);
});
