import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 92 §3 through `touches import`, on a data dir without a CXone connection: a row's
 * `message` is the consumer's inbound text, read by consent import's classifier — a revocation
 * recorded at its instant (`compliance check` refuses the number), unclear words queued for
 * `cxo consent review`, other words counted — and never a touch. A row marked `purpose:
 * revocation-confirmation` is the one text confirming a revocation by text: `compliance check
 * --purpose revocation-confirmation` allows one within 5 minutes (4:59 yes, 5:01 no), refuses a
 * second one and a call. Bad input (a message over 10 kB, a voice or purpose not in the list, a
 * voice on a text): exit 2 naming the row and field, nothing recorded.
 */
let clock: ReturnType<typeof pinClock>;
const cwd = mkdtempSync(path.join(tmpdir(), "cxo-touch-messages-"));
const cxo = (args: string[]) =>
  runCli(["--json", ...args], { CXO_DATA_DIR: path.join(cwd, "data"), ...cliClockEnv() }, { cwd });
const STOPPED = "+12124300001";
const UNCLEAR = "+12124300002";
const THANKS = "+12124300003";
const CONFIRMED = "+12124300004";
const CALLED = "+12124300005";
const REVOKED_AT = "2026-12-02T08:00:00-05:00";

beforeAll(() => {
  clock = pinClock("2026-12-02T14:00:00Z");
  writeFileSync(
    path.join(cwd, "touches.csv"),
    [
      "phone,at,channel,voice,purpose,message",
      `${STOPPED},${REVOKED_AT},sms,,,"Stop!"`,
      `${UNCLEAR},${REVOKED_AT},sms,,,"how do I stop these?"`,
      `${THANKS},${REVOKED_AT},email,,,"thanks, paid today"`,
      `${CONFIRMED},${REVOKED_AT},sms,,,"unsubscribe"`,
      `${CONFIRMED},2026-12-02T08:01:00-05:00,sms,,revocation-confirmation,`,
      `${CALLED},2026-12-01T10:00:00-05:00,call,prerecorded,,`,
    ].join("\n"),
  );
  const bad = (name: string, row: string) =>
    writeFileSync(path.join(cwd, name), `phone,at,channel,voice,purpose,message\n${row}\n`);
  bad("big.csv", `${CALLED},${REVOKED_AT},sms,,,"${"x".repeat(10_300)}"`);
  bad("voice.csv", `${CALLED},${REVOKED_AT},call,robot,,`);
  bad("text-voice.csv", `${CALLED},${REVOKED_AT},sms,ai,,`);
  bad("purpose.csv", `${CALLED},${REVOKED_AT},sms,,marketing,`);
});
afterAll(() => clock?.restore());

const check = async (phone: string, at: string, extra: string[] = []) =>
  JSON.parse(
    (await cxo(["compliance", "check", "--phone", phone, "--at", at, "--consent", "yes", ...extra])).stdout,
  ) as {
    allowed: boolean;
    reasons: Array<{ code: string }>;
  };
const codes = (verdict: { reasons: Array<{ code: string }> }) => verdict.reasons.map((r) => r.code);
const confirm = ["--channel", "sms", "--purpose", "revocation-confirmation"];

describe("touches import with inbound messages and a confirmation text", () => {
  it("refuses bad rows (exit 2, naming row and field), nothing recorded", async () => {
    for (const [name, field] of [
      ["big.csv", "message"],
      ["voice.csv", "voice"],
      ["text-voice.csv", "voice"],
      ["purpose.csv", "purpose"],
    ] as const) {
      const bad = await cxo(["touches", "import", "--file", name]);
      expect(bad.code, `${name}: ${bad.stderr}`).toBe(2);
      expect(bad.stderr).toMatch(
        new RegExp(`${field}.*row 2|row 2.*${field}|line 2.*${field}|${field}.*line 2`),
      );
    }
    expect((await check(CALLED, "2026-12-02T11:00:00-05:00")).allowed).toBe(true);
    const review = await cxo(["consent", "review"]);
    expect(JSON.parse(review.stdout).messages).toEqual([]);
  });

  it("records the revoking words, queues the unclear, counts the rest; messages are not touches", async () => {
    const imported = await cxo(["touches", "import", "--file", "touches.csv"]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({
      rows: 6,
      added: 2,
      alreadyRecorded: 0,
      byChannel: { sms: 1, call: 1 },
      messages: { recorded: 2, review: 1, other: 1 },
    });
    expect(codes(await check(STOPPED, "2026-12-02T11:00:00-05:00"))).toContain("consent_revoked");
    expect(codes(await check(THANKS, "2026-12-02T11:00:00-05:00"))).not.toContain("consent_revoked");
    const review = JSON.parse((await cxo(["consent", "review"])).stdout).messages as Array<{
      phone: string;
      basis: string;
    }>;
    expect(review.map((m) => [m.phone, m.basis])).toEqual([[UNCLEAR, "question"]]);
    // Again: nothing new (the touches', the ledger's and the queue's ids).
    const again = await cxo(["touches", "import", "--file", "touches.csv"]);
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, alreadyRecorded: 2 });
    expect(JSON.parse((await cxo(["consent", "review"])).stdout).messages).toHaveLength(1);
  });

  it("allows one confirmation text within 5 minutes of a revocation by text", async () => {
    expect((await check(STOPPED, "2026-12-02T08:04:59-05:00", confirm)).allowed).toBe(true);
    const late = await check(STOPPED, "2026-12-02T08:05:01-05:00", confirm);
    expect(late.allowed).toBe(false);
    expect(codes(late)).toContain("revocation_confirmation_refused");
    // CONFIRMED's confirmation was imported at 08:01: a second one is refused.
    const second = await check(CONFIRMED, "2026-12-02T08:02:00-05:00", confirm);
    expect(codes(second)).toEqual(["consent_revoked", "revocation_confirmation_refused"]);
    const call = await check(STOPPED, "2026-12-02T08:01:00-05:00", ["--purpose", "revocation-confirmation"]);
    expect(codes(call)).toEqual(["consent_revoked", "revocation_confirmation_refused"]);
    // Any other text after the revocation: refused by it.
    expect(codes(await check(STOPPED, "2026-12-02T08:01:00-05:00", ["--channel", "sms"]))).toEqual([
      "consent_revoked",
    ]);
    const bad = await cxo(["compliance", "check", "--phone", STOPPED, "--purpose", "reminder"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--purpose/);
  });
});
