import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CxoneClient, createClient } from "../../src/client.ts";
import { clockForChildren } from "../../src/core/clock/index.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { adminCall } from "../support/emulator-admin.ts";

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
    // A schedule is both halves or neither.
    const now = () => Date.parse("2026-11-25T09:00:00-05:00");
    expect(() => createClient({ connection, clock: { now, setTimeout: () => 1 } })).toThrow(
      /clock\.clearTimeout: must be a function/,
    );
    expect(() => createClient({ connection, clock: { now, clearTimeout: () => {} } })).toThrow(
      /clock\.setTimeout: must be a function/,
    );
  });

  it("waits its backoff on the clock's schedule: two 503s, three attempts, no real wait", async () => {
    // Backoff of up to ten minutes a retry: on the process's timers this call would outlast the test.
    const delays: number[] = [];
    const startMs = Date.parse("2026-11-25T09:00:00-05:00");
    const client = createClient({
      connection: connectionOf(),
      dataDir: path.join(dir, "schedule"),
      http: { backoffBaseMs: 600_000, backoffCapMs: 600_000, deadlineMs: 3_600_000 },
      clock: {
        now: () => startMs + delays.reduce((sum, ms) => sum + ms, 0),
        // Fires at once (the next turn of the event loop), whatever it is asked.
        setTimeout: (fn, ms) => {
          delays.push(ms);
          return setImmediate(fn);
        },
        clearTimeout: (handle) => clearImmediate(handle as NodeJS.Immediate),
      },
    });
    clients.push(client);
    const campaignId = emulator.fixtures.campaigns[0]!.id;
    const requests = async () =>
      (
        (await adminCall(emulator.url, "GET", "/requests")) as {
          requests: Array<{ path: string; status: number }>;
        }
      ).requests
        .filter((r) => r.path.includes(campaignId))
        .map((r) => r.status);
    const before = (await requests()).length;
    await adminCall(emulator.url, "POST", "/faults", {
      group: "campaigns",
      errorRate: 1,
      errorStatus: 503,
      count: 2,
    });
    try {
      const status = await client.campaigns.status(campaignId);
      expect(status).toBeDefined();
    } finally {
      await adminCall(emulator.url, "DELETE", "/faults");
    }
    // The first request answered 503 twice, then 200 (the status reads more after it).
    const seen = (await requests()).slice(before);
    expect(seen.slice(0, 3)).toEqual([503, 503, 200]);
    expect(seen.filter((status) => status === 503)).toHaveLength(2);
    // The schedule saw the two backoffs (full jitter: up to the cap, never below zero).
    expect(delays).toHaveLength(2);
    expect(delays.every((ms) => ms >= 0 && ms <= 600_000)).toBe(true);
  });
});
