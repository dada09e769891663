import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CxoneClient, createClient } from "../../src/client.ts";
import { clockForChildren } from "../../src/core/clock/index.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";

/**
 * `createClient({ clock })`: a client's calls read the time on the clock it was handed, not on
 * the process's, so two clients in one program live on two clocks and nothing is patched. The
 * same check without an instant, a New York number: at 09:00 New York on one client's clock, at
 * 23:00 on the other's — only the second is outside the calling hours.
 */
let emulator: RunningEmulator;
const clients: CxoneClient[] = [];
const dir = mkdtempSync(path.join(tmpdir(), "cxo-client-clock-"));

function connectionOf() {
  const admin = emulator.fixtures.clients[0];
  if (!admin) throw new Error("the emulator has no client");
  return { baseUrl: emulator.url, clientId: admin.clientId, clientSecret: admin.clientSecret };
}

function clientAt(iso: string, name: string): CxoneClient {
  const startMs = Date.parse(iso);
  const realStart = performance.now();
  const client = createClient({
    connection: connectionOf(),
    dataDir: path.join(dir, name),
    clock: { now: () => startMs + (performance.now() - realStart) },
  });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  emulator = (await startEmulator({ port: 0, calls: 20, metricsIntervalMs: 0 })) as RunningEmulator;
});

afterAll(async () => {
  for (const c of clients) await c.close();
  await emulator?.close();
});

describe("a client on its own clock", () => {
  it("judges calling hours on its clock: two clients, two clocks, one process", async () => {
    const processClock = clockForChildren();
    const morning = clientAt("2026-11-25T09:00:00-05:00", "morning");
    const night = clientAt("2026-11-24T23:00:00-05:00", "night");
    const phone = "+12125557621";
    const [early, late] = await Promise.all([
      morning.compliance.check({ phone, consent: true }),
      night.compliance.check({ phone, consent: true }),
    ]);
    const codes = (c: { reasons: Array<{ code: string }> }) => c.reasons.map((r) => r.code);
    expect(codes(early).filter((c) => /hour/.test(c))).toEqual([]);
    expect(codes(late).some((c) => /hour/.test(c))).toBe(true);
    expect(late.allowed).toBe(false);
    // The process's own clock was not touched: the same setting before and after.
    expect(clockForChildren()).toBe(processClock);
  });

  it("refuses a clock that is not one, naming the option, before anything is sent", () => {
    const connection = connectionOf();
    for (const clock of [{}, { now: () => "soon" }, { now: () => Number.NaN }, 5])
      expect(() => createClient({ connection, clock: clock as never })).toThrow(
        /clock: must be an object whose now\(\)/,
      );
  });
});
