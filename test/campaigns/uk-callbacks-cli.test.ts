import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { accessKeyEnv } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Scheduled callbacks to UK numbers (+44) on the production emulator, from the CLI: scheduled (sent
 * as 44 and its digits), listed as +44; once the number revokes consent, `consent report` names
 * the pending callback (exit 1), `consent honour` deletes it, and a new one to it is refused (exit
 * 2, nothing sent). Before, a UK number was refused as "not an E.164 North American number".
 */
let cxone: RunningCxoneEmulator;
let clock: ReturnType<typeof pinClock>;
let skillId = "";
let env: Record<string, string> = {};
let cwd = "";
const UK = "+447700900601";

const cxo = (...args: string[]) => runCli(["--json", ...args], env, { cwd, timeoutMs: 60_000 });

beforeAll(async () => {
  clock = pinClock();
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 106,
    contacts: 20,
    days: 1,
  })) as RunningCxoneEmulator;
  skillId = String(
    cxone.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isRunning)!.skillId,
  );
  cwd = mkdtempSync(path.join(tmpdir(), "cxo-uk-callbacks-"));
  env = { ...accessKeyEnv(cxone), CXO_DATA_DIR: path.join(cwd, ".cxo"), ...cliClockEnv() };
});
afterAll(async () => {
  await cxone?.close();
  clock?.restore();
});

describe("scheduled callbacks to a UK number", () => {
  it("scheduled and listed; after a revocation reported, deleted by honour, and refused anew", async () => {
    const made = await cxo(
      "callbacks",
      "schedule",
      "--phone",
      UK,
      "--campaign",
      skillId,
      "--at",
      "2026-12-02T17:30:00Z",
    );
    expect(made.code, made.stderr).toBe(0);
    const { callbackId } = JSON.parse(made.stdout) as { callbackId: string };
    const listed = JSON.parse((await cxo("callbacks", "list", "--campaign", skillId)).stdout).callbacks;
    expect(listed).toEqual([expect.objectContaining({ callbackId, phone: UK, skillId })]);
    const held = (await adminCall(cxone.url, "GET", "/scheduled-callbacks")) as {
      callbacks: Array<{ callbackId: number; phone: string; status: string }>;
    };
    expect(held.callbacks).toEqual([expect.objectContaining({ phone: UK, status: "pending" })]);

    const revoked = await cxo("consent", "revoke", "--phone", UK, "--channel", "call");
    expect(revoked.code, revoked.stderr).toBe(0);
    const report = await cxo("consent", "report");
    expect(report.code).toBe(1);
    const toRevoked = JSON.parse(report.stdout).scheduledCallbacks.toRevoked as Array<{
      callbackId: string;
      phone: string;
    }>;
    expect(toRevoked).toEqual([expect.objectContaining({ callbackId, phone: UK })]);
    const honoured = await cxo("consent", "honour");
    expect(honoured.stderr).not.toMatch(/error/i);
    expect(JSON.parse((await cxo("callbacks", "list")).stdout).callbacks).toEqual([]);

    const again = await runCli(
      ["callbacks", "schedule", "--campaign", skillId, "--phone", UK, "--at", "2026-12-02T18:00:00Z"],
      env,
      { cwd, timeoutMs: 60_000 },
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--phone: refused, nothing sent: .*revoked consent/);
  });
});

describe("a UK callback CXone dials after the number revoked", () => {
  it("consent report finds the call (the completed contact's 44… number read as +44)", async () => {
    const phone = "+442079460602";
    await adminCall(cxone.url, "POST", "/knobs", { warehouseLagS: 0 });
    const made = await cxo(
      "callbacks",
      "schedule",
      "--phone",
      phone,
      "--campaign",
      skillId,
      "--at",
      "2026-12-02T16:00:00Z",
    );
    expect(made.code, made.stderr).toBe(0);
    // Revoked, and no honour run: CXone still holds the callback and dials it.
    const revoked = await cxo("consent", "revoke", "--phone", phone, "--channel", "sms");
    expect(revoked.code, revoked.stderr).toBe(0);
    const dialled = (await adminCall(cxone.url, "POST", "/scheduled-callbacks/dial", {
      until: "2026-12-02T16:30:00Z",
    })) as { dials: Array<{ phone: string }> };
    expect(dialled.dials).toEqual([expect.objectContaining({ phone })]);
    clock.restore();
    clock = pinClock("2026-12-02T17:00:00Z");
    const later = { ...env, ...cliClockEnv() };
    const report = await runCli(["--json", "consent", "report", "--campaign", skillId], later, {
      cwd,
      timeoutMs: 60_000,
    });
    const entry = (
      JSON.parse(report.stdout) as { entries: Array<{ phone: string; callsAfter: Array<{ at: string }> }> }
    ).entries.find((e) => e.phone === phone);
    expect(entry?.callsAfter.map((c) => Date.parse(c.at))).toEqual([Date.parse("2026-12-02T16:00:00Z")]);
    expect(report.code).toBe(1);
  });
});
