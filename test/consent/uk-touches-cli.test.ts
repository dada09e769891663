import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * `touches import` of UK numbers (+44), on a data dir without a CXone connection: a "STOP" text
 * from a UK number is a revocation (a check refuses the number, row gb-consent-revocation), a
 * UK call made elsewhere after it is a touch the consent report finds after the revocation
 * (breached, exit 1). Before, each UK row was refused (exit 2, "must be a NANP number").
 */
let clock: ReturnType<typeof pinClock>;
const cwd = mkdtempSync(path.join(tmpdir(), "cxo-uk-touches-"));
const cxo = (args: string[]) =>
  runCli(["--json", ...args], { CXO_DATA_DIR: path.join(cwd, "data"), ...cliClockEnv() }, { cwd });
const STOPPED = "+447700900501";
const CALLED = "+442079460502";

beforeAll(() => {
  clock = pinClock("2026-12-02T14:00:00Z");
  writeFileSync(
    path.join(cwd, "touches.csv"),
    [
      "phone,at,channel,message",
      `${STOPPED},2026-12-02T08:00:00+00:00,sms,"STOP"`,
      `${STOPPED},2026-12-02T10:00:00+00:00,call,`,
      `${CALLED},2026-12-02T09:00:00+00:00,call,`,
    ].join("\n"),
  );
});
afterAll(() => clock?.restore());

describe("touches import of UK numbers", () => {
  it("records a UK touch and a UK STOP; the report finds the call made after the STOP", async () => {
    const imported = await cxo(["touches", "import", "--file", "touches.csv"]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({
      rows: 3,
      added: 2,
      byChannel: { call: 2 },
      messages: { recorded: 1, review: 0, other: 0 },
    });
    const checked = await cxo(["compliance", "check", "--phone", STOPPED, "--at", "2026-12-02T15:00:00Z"]);
    const verdict = JSON.parse(checked.stdout) as { reasons: Array<{ code: string; ruleId: string }> };
    expect(verdict.reasons).toContainEqual(
      expect.objectContaining({ code: "consent_revoked", ruleId: "gb-consent-revocation" }),
    );
    const report = await cxo(["consent", "report", "--from", "2026-12-01T00:00:00Z"]);
    const parsed = JSON.parse(report.stdout) as {
      breached: number;
      entries: Array<{ phone: string; callsAfter: Array<{ at: string }> }>;
    };
    expect(parsed.entries.map((e) => e.phone)).toEqual([STOPPED]);
    expect(parsed.entries[0]?.callsAfter.map((c) => Date.parse(c.at))).toEqual([
      Date.parse("2026-12-02T10:00:00Z"),
    ]);
    expect(parsed.breached).toBe(1);
    expect(report.code).toBe(1);
  });
});
