import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { createClient } from "../../src/index.ts";

/**
 * Issue 92 §3 through the SDK on the seed emulator: a "STOP" text imported with `touches.import`
 * is a revocation; the consent report then reads the touches imported after it — the one text
 * confirming it within 5 minutes is allowed (`confirmation`), a second text is a touch after the
 * revocation (`callsAfter`, with its channel; the entry counts as breached); and the SDK's check
 * of a confirmation text sees the imported one.
 */
let emu: RunningEmulator;
let stopMs = 0;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-touch-report-"));
const PHONE = "+12124400001";

beforeAll(async () => {
  emu = await startEmulator({ port: 0, calls: 10, metricsIntervalMs: 0 });
  stopMs = Math.floor((Date.now() - 3_600_000) / 1000) * 1000;
  const at = (minutes: number) => new Date(stopMs + minutes * 60_000).toISOString();
  writeFileSync(
    path.join(dir, "touches.ndjson"),
    [
      { phone: PHONE, at: at(0), channel: "sms", message: "STOP" },
      { phone: PHONE, at: at(1), channel: "sms", purpose: "revocation-confirmation" },
      { phone: PHONE, at: at(20), channel: "sms" },
    ]
      .map((row) => JSON.stringify(row))
      .join("\n"),
  );
});
afterAll(async () => {
  await emu?.close();
});

describe("consent report and imported touches", () => {
  it("the confirmation is allowed, the later text is a touch after the revocation", async () => {
    const fixtures = emu.fixtures.clients[0];
    if (!fixtures) throw new Error("no fixtures");
    await using client = createClient({
      connection: { baseUrl: emu.url, clientId: fixtures.clientId, clientSecret: fixtures.clientSecret },
      dataDir: path.join(dir, ".cxo"),
    });
    const imported = await client.touches.import({ file: path.join(dir, "touches.ndjson") });
    expect(imported).toMatchObject({ added: 2, messages: { recorded: 1, review: 0, other: 0 } });
    const report = await client.consent.report({ from: new Date(Date.now() - 86_400_000).toISOString() });
    const entry = report.entries.find((e) => e.phone === PHONE);
    expect(entry?.channel).toBe("sms");
    expect(entry?.confirmation).toMatchObject({ channel: "sms", purpose: "revocation-confirmation" });
    expect(entry?.callsAfter.map((c) => c.channel)).toEqual(["sms"]);
    expect(report.breached).toBe(1);
    expect(report.checked.touches).toBe(2);
    // The SDK's check of a confirmation: before the imported one, allowed; after it, a second.
    const confirm = (minutes: number) =>
      client.compliance.check({
        phone: PHONE,
        at: new Date(stopMs + minutes * 60_000).toISOString(),
        channel: "sms",
        purpose: "revocation-confirmation",
      });
    expect((await confirm(0.5)).allowed).toBe(true);
    expect((await confirm(2)).reasons.map((r) => r.code)).toContain("revocation_confirmation_refused");
  });
});
