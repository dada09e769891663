import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { createLogger } from "../../src/core/logging/logger.ts";
import { ConnectionMissingError } from "../../src/index.ts";
import { startTenantRuntime, type TenantRuntime } from "../../src/service/tenant-runtime.ts";
import { pinClock } from "../support/pinned-clock.ts";

/**
 * `cxo serve` without a connection holds the local client, one shape with a connected one: its
 * consent ledger and compliance checks work through it; what needs CXone refuses with
 * ConnectionMissingError, and the service starts as it did with no client (no CXone work started,
 * one warning that says so, nothing else logged).
 */
const PHONE = "+12124000007";
let clock: ReturnType<typeof pinClock>;
let runtime: TenantRuntime;
const lines: string[] = [];

beforeAll(async () => {
  clock = pinClock("2026-12-02T15:00:00Z");
  const settings = settingsSchema.parse({
    dataDir: mkdtempSync(path.join(tmpdir(), "cxo-local-runtime-")),
    service: { port: 0, watchdogs: [{ primary: "101", backup: "102" }] },
  });
  const logger = createLogger({
    level: "info",
    destination: { write: (line: string) => void lines.push(line) },
  });
  runtime = await startTenantRuntime({ settings, logger });
});
afterAll(async () => {
  await runtime?.close();
  clock?.restore();
});

describe("a service runtime without a connection", () => {
  it("holds the local client: its consent and compliance calls work, its CXone calls refuse", async () => {
    const { client } = runtime;
    expect(client.connection).toEqual({ platform: "none", missing: "cxone.baseUrl" });
    const revoked = await client.consent.revoke({ phone: PHONE, channel: "sms" });
    expect(revoked.added).toBe(true);
    const verdict = await client.compliance.check({ phone: PHONE, consent: true });
    expect(verdict.reasons.map((r) => r.code)).toContain("consent_revoked");
    expect(verdict.dispositions).toBeNull();
    expect(await client.consent.report()).toMatchObject({ revocations: 1 });
    await expect(client.campaigns.get("101")).rejects.toBeInstanceOf(ConnectionMissingError);
  });

  it("starts no CXone work and logs what it logged with no client", () => {
    expect(runtime.cxone.snapshot().configured).toBe(false);
    expect(runtime.poller).toBeUndefined();
    expect(runtime.watchdogs.watchdogs).toEqual([]);
    const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    // As with no client: the two that say what is off, the lease, audit anchoring's advice.
    expect(messages).toEqual([
      "no CXone credentials: campaign polling and watchdogs are off",
      "this instance leads (watchdogs, poller, exports)",
      "failover watchdogs need CXone credentials: not started",
      expect.stringMatching(/^audit anchoring is off/),
    ]);
  });
});
