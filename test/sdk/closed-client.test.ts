import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { ClientClosedError, createClient } from "../../src/index.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { waitUntil } from "../support/wait-until.ts";

/**
 * Issue 43 §2, lifecycle: a call after `close()` is refused with ClientClosedError (the client
 * used to reopen its store silently), and `close()` aborts the calls in flight.
 */
let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = (await startEmulator({ port: 0, calls: 20, metricsIntervalMs: 0 })) as RunningEmulator;
});
afterAll(() => emulator.close());

function client() {
  const admin = emulator.fixtures.clients[0]!;
  return createClient({
    connection: { baseUrl: emulator.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
    dataDir: mkdtempSync(path.join(tmpdir(), "cxo-closed-")),
  });
}

describe("a closed client", () => {
  it("refuses every later call, reads and store work alike, with ClientClosedError", async () => {
    const c = client();
    const campaign = emulator.fixtures.campaigns[0]!.id;
    await c.campaigns.status(campaign);
    await c.close();
    await expect(c.campaigns.status(campaign)).rejects.toBeInstanceOf(ClientClosedError);
    await expect(c.dispositions.codes(campaign)).rejects.toBeInstanceOf(ClientClosedError);
    await expect(c.campaigns.list().toArray()).rejects.toBeInstanceOf(ClientClosedError);
  });

  it("close() aborts a call in flight: it ends with ClientClosedError, not a hang or a retry", async () => {
    const c = client();
    const campaign = emulator.fixtures.campaigns[0]!.id;
    await c.dispositions.codes(campaign); // logged in, matrix group warmed
    // One request held 30 s: the fault is spent (gone from the list) once the request is held.
    await adminCall(emulator.url, "POST", "/faults", { latencyMs: 30_000, count: 1 });
    try {
      const call = c.campaigns.status(campaign).then(
        () => undefined,
        (e: unknown) => e,
      );
      await waitUntil(
        async () =>
          ((await adminCall(emulator.url, "GET", "/faults")) as { faults: unknown[] }).faults.length === 0,
        { what: "the status request held by the emulator", timeoutMs: 60_000 },
      );
      await c.close();
      const error = await call;
      expect(error instanceof ClientClosedError || (error as Error)?.cause instanceof ClientClosedError).toBe(
        true,
      );
    } finally {
      await adminCall(emulator.url, "DELETE", "/faults");
    }
  });
});
