import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "../../src/service/index.ts";
import { type ServiceHarness, serviceHarness, until } from "./harness.ts";

/**
 * Issue 51 §7: one client cannot take every connection. With the cap at 20 and 5 per address,
 * a client at 127.0.0.2 opening 20 idle sockets keeps 5; a health probe from 127.0.0.1 is
 * answered (before: the 20 idle sockets held the whole cap and the probe was cut off).
 */
describe("connections per client address", () => {
  let h: ServiceHarness;
  let svc: RunningService;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    h = await serviceHarness();
    svc = await h.start({
      service: { http: { maxConnections: 20, maxConnectionsPerAddress: 5, headersTimeoutMs: 10_000 } },
    });
  }, 60_000);
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await h?.close();
  });

  it("keeps 5 of 20 idle sockets from one address and still answers another", async () => {
    const closed = new Set<Socket>();
    await Promise.all(
      Array.from(
        { length: 20 },
        () =>
          new Promise<void>((resolve) => {
            const socket = connect({ port: svc.port, host: "127.0.0.1", localAddress: "127.0.0.2" });
            sockets.push(socket);
            socket.on("error", () => undefined);
            socket.on("close", () => closed.add(socket));
            socket.on("connect", () => resolve());
            socket.on("close", () => resolve());
          }),
      ),
    );
    // Closed by the cap, not the 10 s header timeout: that one would close all 20 (below: 15).
    await until(() => closed.size >= 15, undefined, "the sockets past 5 from 127.0.0.2 closed");
    const probes = await Promise.all(
      Array.from({ length: 5 }, () => fetch(`${svc.url}/api/health`).then((r) => r.status)),
    );
    expect(probes).toEqual([200, 200, 200, 200, 200]);
    expect(closed.size).toBe(15);
  });
});
