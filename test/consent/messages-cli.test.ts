import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 92 §3 from the command line, on a data dir without a CXone connection: `consent import`
 * of inbound messages records those whose words revoke (`{recorded, review, other}` in --json),
 * queues the unclear ones for `cxo consent review` — overdue once past the deadline a revocation
 * received then would have (exit 1) — and a person's decision records the revocation at the
 * message's instant (`compliance check` refuses the number) or closes it. A message over 10 kB
 * is bad input (exit 2, naming the row and field), nothing recorded.
 */
let clock: ReturnType<typeof pinClock>;
const cwd = mkdtempSync(path.join(tmpdir(), "cxo-messages-"));
const env = () => ({ CXO_DATA_DIR: path.join(cwd, "data"), ...cliClockEnv() });
const cxo = (args: string[]) => runCli(["--json", ...args], env(), { cwd });

beforeAll(() => {
  clock = pinClock("2026-12-02T14:00:00Z");
  writeFileSync(
    path.join(cwd, "inbound.csv"),
    [
      "phone,at,channel,message",
      '+12124100001,2026-12-01T08:30:00-05:00,sms,"STOP"',
      '+12124100002,2026-12-01T08:31:00-05:00,email,"Please remove me from your list, thank you"',
      '+12124100003,2026-12-01T08:32:00-05:00,sms,"Don\'t stop sending me the coupons"',
      '+12124100004,2026-12-01T08:33:00-05:00,sms,"Arrêtez de m\'appeler"',
      '+12124100005,2026-12-01T08:34:00-05:00,sms,"I will pay on Friday"',
    ].join("\n"),
  );
  writeFileSync(
    path.join(cwd, "big.csv"),
    `phone,at,channel,message\n+12124100006,2026-12-01T08:35:00-05:00,sms,"${"y".repeat(10_300)}"\n`,
  );
});
afterAll(() => clock?.restore());

const refused = async (phone: string) =>
  JSON.parse(
    (await cxo(["compliance", "check", "--phone", phone, "--at", "2026-12-02T11:00:00-05:00"])).stdout,
  )
    .reasons.map((r: { code: string }) => r.code)
    .includes("consent_revoked");

describe("inbound messages through consent import and review", () => {
  it("records the revoking words, queues the unclear, leaves the rest; a decision records the revocation", async () => {
    const imported = await cxo(["consent", "import", "--file", "inbound.csv"]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({
      added: 2,
      messages: { recorded: 2, review: 2, other: 1 },
    });
    expect(await refused("+12124100001")).toBe(true);
    expect(await refused("+12124100002")).toBe(true);
    expect(await refused("+12124100003")).toBe(false);
    expect(await refused("+12124100005")).toBe(false);

    // Each unclear message has the deadline a revocation received then would have (the rule table).
    const review = await cxo(["consent", "review"]);
    const items = JSON.parse(review.stdout).messages as Array<{
      id: string;
      phone: string;
      basis: string;
      deadline: string;
      overdue: boolean;
    }>;
    expect(items.map((i) => [i.phone, i.basis])).toEqual([
      ["+12124100003", "negated"],
      ["+12124100004", "language"],
    ]);
    for (const item of items)
      expect(Date.parse(item.deadline)).toBeGreaterThan(Date.parse("2026-12-01T13:33:00Z"));
    expect(review.code).toBe(items.some((i) => i.overdue) ? 1 : 0);

    const french = items[1]!;
    const decided = await cxo(["consent", "review", "--decide", french.id, "--as", "revocation"]);
    expect(decided.code, decided.stderr).toBe(0);
    expect(JSON.parse(decided.stdout).item.decided).toMatchObject({ as: "revocation" });
    expect(await refused("+12124100004")).toBe(true);
    const closed = await cxo(["consent", "review", "--decide", items[0]!.id, "--as", "not-revocation"]);
    expect(closed.code, closed.stderr).toBe(0);
    expect(await refused("+12124100003")).toBe(false);
    expect(JSON.parse((await cxo(["consent", "review"])).stdout).messages).toEqual([]);
    expect(JSON.parse((await cxo(["consent", "review", "--all"])).stdout).messages).toHaveLength(2);

    const again = await cxo(["consent", "review", "--decide", french.id, "--as", "revocation"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--decide.*decided already/);
    const badAs = await cxo(["consent", "review", "--decide", french.id, "--as", "maybe"]);
    expect(badAs.code).toBe(2);
    expect(badAs.stderr).toMatch(/--as/);
  });

  it("a message over 10 kB: exit 2 naming the row and the field, nothing recorded", async () => {
    const big = await cxo(["consent", "import", "--file", "big.csv"]);
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(/message/);
    expect(big.stderr).toMatch(/10 kB/);
    expect(await refused("+12124100006")).toBe(false);
  });
});
