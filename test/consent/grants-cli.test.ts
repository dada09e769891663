import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 92 §2: `consent grant` records a grant (purposes, written or not, AI disclosed) and a
 * check of an AI-voiced call reads the newest one for its purpose: none → no consent; a grant not
 * written → telemarketing refused for want of written consent; a written one → allowed; a
 * revocation after it still refuses. A grant with no purpose, or `--written` not yes/no: exit 2,
 * nothing recorded. On a data dir without a CXone connection.
 */
let clock: ReturnType<typeof pinClock>;
const cwd = mkdtempSync(path.join(tmpdir(), "cxo-grants-"));
const cxo = (args: string[]) =>
  runCli(["--json", ...args], { CXO_DATA_DIR: path.join(cwd, "data"), ...cliClockEnv() }, { cwd });
const PHONE = "+12125557801";
const codes = async () => {
  const check = await cxo([
    "compliance",
    "check",
    "--phone",
    PHONE,
    "--at",
    "2026-12-02T11:00:00-05:00",
    "--voice",
    "ai",
  ]);
  return JSON.parse(check.stdout).reasons.map((r: { code: string }) => r.code) as string[];
};

beforeAll(() => {
  clock = pinClock("2026-12-02T14:00:00Z");
});
afterAll(() => clock?.restore());

describe("consent grant and an AI-voiced call", () => {
  it("no grant, a grant not written, a written one, then a revocation", async () => {
    expect(await codes()).toEqual(["no_consent", "artificial_voice_no_consent"]);
    const bad = await cxo(["consent", "grant", "--phone", PHONE, "--written", "yes"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--purpose/);
    expect(await codes()).toEqual(["no_consent", "artificial_voice_no_consent"]);

    const plain = await cxo([
      "consent",
      "grant",
      "--phone",
      PHONE,
      "--purpose",
      "telemarketing",
      "--written",
      "no",
      "--at",
      "2026-11-01T10:00:00-05:00",
    ]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(await codes()).toEqual(["artificial_voice_no_written_consent"]);

    const written = await cxo([
      "consent",
      "grant",
      "--phone",
      PHONE,
      "--purpose",
      "telemarketing,informational",
      "--written",
      "yes",
      "--ai-disclosed",
      "yes",
      "--at",
      "2026-11-02T10:00:00-05:00",
    ]);
    expect(written.code, written.stderr).toBe(0);
    expect(JSON.parse(written.stdout)).toMatchObject({
      purposes: ["telemarketing", "informational"],
      written: true,
      aiDisclosed: true,
    });
    expect(await codes()).toEqual([]);

    const revoked = await cxo([
      "consent",
      "revoke",
      "--phone",
      PHONE,
      "--channel",
      "sms",
      "--at",
      "2026-12-01T09:00:00-05:00",
    ]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(await codes()).toContain("consent_revoked");
  });

  it("--written not yes or no: exit 2 naming it", async () => {
    const bad = await cxo([
      "consent",
      "grant",
      "--phone",
      PHONE,
      "--purpose",
      "collections",
      "--written",
      "maybe",
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--written: must be yes or no/);
  });
});
