import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings } from "../../src/client.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { createClient } from "../../src/index.ts";
import { accessKeyEnv, accessKeySettings } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 100, part 2: a revocation is never refused for what cxo does not know yet. A letter for
 * an account no list, history, plan or touches file has named is recorded against the account
 * and said so; once the account gains a number (here: a touches file), every check refuses it and
 * the next `consent honour` puts it in CXone's DNC group. A phone cxo knows only for other
 * accounts is recorded too, the disagreement said loudly. Malformed values stay bad input (exit 2,
 * nothing recorded, nothing sent). On the production emulator, CLI and SDK.
 */
let cxone: RunningCxoneEmulator;
let clock: ReturnType<typeof pinClock>;
let groupId = 0;
const cwd = mkdtempSync(path.join(tmpdir(), "cxo-unseen-accounts-"));
const dataDir = path.join(cwd, "data");

beforeAll(async () => {
  clock = pinClock("2026-12-02T14:00:00Z");
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 100,
    contacts: 10,
    days: 1,
  })) as RunningCxoneEmulator;
  groupId = cxone.fixtures.dncGroups[0]!.dncGroupId;
  writeFileSync(path.join(cwd, "cxo.config.yaml"), `consent:\n  cxoneDncGroup: "${groupId}"\n`);
});
afterAll(async () => {
  clock?.restore();
  await cxone?.close();
});

const env = () => ({ CXO_DATA_DIR: dataDir, ...accessKeyEnv(cxone), ...cliClockEnv() });
const cxo = (args: string[]) => runCli(["--json", ...args], env(), { cwd });
const human = (args: string[]) => runCli(args, env(), { cwd });
const requests = async () =>
  ((await adminCall(cxone.url, "GET", "/requests")) as { requests: Array<{ method: string; path: string }> })
    .requests;
const groupPhones = async () =>
  (
    (await adminCall(cxone.url, "GET", `/dnc-groups/${groupId}`)) as { records: Array<{ phone: string }> }
  ).records.map((r) => `+1${r.phone.replace(/\D/g, "").slice(-10)}`);
const refused = async (phone: string) => {
  const check = await cxo(["compliance", "check", "--phone", phone, "--consent", "yes"]);
  expect(check.code, check.stderr).toBe(0);
  return (JSON.parse(check.stdout).reasons as Array<{ code: string }>).some(
    (r) => r.code === "consent_revoked",
  );
};
/** A touches file: how cxo learns (account, number) pairs in these tests. */
const touches = async (name: string, pairs: Array<[string, string]>) => {
  writeFileSync(
    path.join(cwd, name),
    `phone,at,channel,account\n${pairs.map(([account, phone]) => `${phone},2026-11-30T15:00:00Z,email,${account}`).join("\n")}\n`,
  );
  const imported = await cxo(["touches", "import", "--file", name]);
  expect(imported.code, imported.stderr).toBe(0);
};

describe("a revocation for an account cxo has not read yet (CLI)", () => {
  it("is recorded and said; a number the account gains later is refused and reaches CXone's group with the next honour", async () => {
    const letter = await cxo(["consent", "revoke", "--account", "K-5113", "--channel", "mail"]);
    expect(letter.code, letter.stderr).toBe(0);
    const answer = JSON.parse(letter.stdout);
    expect(answer).toMatchObject({ added: true, entry: { account: "K-5113", phone: "" } });
    expect(answer.accountNotices).toMatchObject([{ account: "K-5113", kind: "unseen", numbers: 0 }]);
    expect(answer.accountNotices[0].message).toMatch(/every number the account gains later/);
    const words = await human([
      "consent",
      "revoke",
      "--account",
      "K-5113",
      "--channel",
      "mail",
      "--at",
      answer.entry.receivedAt,
    ]);
    expect(words.code, words.stderr).toBe(0);
    expect(words.stdout).toMatch(/NOTE \(account not seen yet\): account K-5113 is not in any list/);

    // Mid-week the account is first listed (here: its touches are imported with the account).
    await touches("k5113.csv", [
      ["K-5113", "+12125551131"],
      ["K-9999", "+12125551132"],
    ]);
    expect(await refused("+12125551131")).toBe(true);
    expect(await refused("+12125551132")).toBe(false);
    expect(await groupPhones()).not.toContain("+12125551131");
    const honour = await cxo(["consent", "honour"]);
    expect(honour.code, honour.stderr).toBe(0);
    expect(JSON.parse(honour.stdout)).toMatchObject({ accountNumbers: 1, sent: 1 });
    expect(await groupPhones()).toContain("+12125551131");
    expect(await groupPhones()).not.toContain("+12125551132");
  });

  it("with --phone: the number is refused at once, the account's later numbers too", async () => {
    const letter = await cxo([
      "consent",
      "revoke",
      "--account",
      "K-7001",
      "--phone",
      "+12125557001",
      "--channel",
      "mail",
    ]);
    expect(letter.code, letter.stderr).toBe(0);
    expect(JSON.parse(letter.stdout).accountNotices).toMatchObject([{ kind: "unseen" }]);
    expect(await refused("+12125557001")).toBe(true);
    await touches("k7001.csv", [["K-7001", "+12125557002"]]);
    expect(await refused("+12125557002")).toBe(true);
  });

  it("a phone cxo knows for another account: recorded for the phone and the account, the disagreement said", async () => {
    await touches("pairs.csv", [
      ["J-1", "+12125558101"],
      ["J-1", "+12125558102"],
      ["K-8", "+12125558201"],
    ]);
    const letter = await cxo([
      "consent",
      "revoke",
      "--account",
      "K-8",
      "--phone",
      "+12125558101",
      "--channel",
      "mail",
    ]);
    expect(letter.code, letter.stderr).toBe(0);
    expect(JSON.parse(letter.stdout).accountNotices).toMatchObject([
      { account: "K-8", kind: "phone-of-others", numbers: 1, otherAccounts: ["J-1"] },
    ]);
    const words = await human([
      "consent",
      "revoke",
      "--account",
      "K-8",
      "--phone",
      "+12125558101",
      "--channel",
      "mail",
      "--at",
      JSON.parse(letter.stdout).entry.receivedAt,
    ]);
    expect(words.stdout).toMatch(
      /WARNING \(account and phone disagree\): \+12125558101 is a number cxo knows for account J-1, not K-8/,
    );
    // The number asked about and the account's own numbers are refused; J-1's other number is not.
    expect(await refused("+12125558101")).toBe(true);
    expect(await refused("+12125558201")).toBe(true);
    expect(await refused("+12125558102")).toBe(false);
  });

  it("malformed values are still bad input: exit 2 naming the field, nothing recorded, nothing sent", async () => {
    const count = async () =>
      JSON.parse((await cxo(["consent", "report", "--from", "2026-11-01T00:00:00Z"])).stdout)
        .revocations as number;
    const held = await count();
    const before = (await requests()).length;
    for (const [args, field] of [
      [["--account", "K 1"], "--account"],
      [["--account", "K".repeat(65)], "--account"],
      [["--account", "K-1", "--phone", "555-0100"], "--phone"],
      [["--account", "K\u001b[2J-1"], "--account"],
      [["--account", ""], "--account"],
      [["--account", " ", "--phone", "+12125557099"], "--account"],
    ] as const) {
      const bad = await cxo(["consent", "revoke", ...args, "--channel", "mail"]);
      expect(bad.code, `${args.join(" ")}: ${bad.stderr}`).toBe(2);
      expect(bad.stderr).toContain(field);
    }
    const sent = (await requests()).slice(before).filter((r) => !/token|discovery|openid/.test(r.path));
    expect(sent).toEqual([]);
    expect(await count()).toBe(held);
  });
});

describe("the SDK", () => {
  it("revoke and import record unseen accounts and say so", async () => {
    await using client = createClient({
      ...clientOptionsFromSettings(accessKeySettings(cxone)),
      dataDir: path.join(cwd, "sdk"),
      consent: { cxoneDncGroup: String(groupId) },
    });
    const one = await client.consent.revoke({ account: "SDK-1", channel: "email" });
    expect(one.accountNotices).toMatchObject([{ account: "SDK-1", kind: "unseen" }]);
    writeFileSync(
      path.join(cwd, "letters.csv"),
      "account,phone,at,channel\nSDK-2,,2026-12-01T10:00:00-05:00,mail\nSDK-3,+12125559003,2026-12-01T10:00:00-05:00,mail\n",
    );
    const file = await client.consent.import({ file: path.join(cwd, "letters.csv") });
    expect(file).toMatchObject({ rows: 2, added: 2, accountNotices: { unseen: 2, phoneOfOthers: 0 } });
    expect(file.accountNotices?.first.map((n) => [n.row, n.account])).toEqual([
      [2, "SDK-2"],
      [3, "SDK-3"],
    ]);
    const check = await client.compliance.check({ phone: "+12125559003", consent: true });
    expect(check.reasons.map((r) => r.code)).toContain("consent_revoked");
  });
});

describe("consent review prints a message's control characters escaped (issue 100, Low)", () => {
  it("a line break in a message cannot forge a line of the review", async () => {
    const forged = "don't stop\nALLOWED: cleared by compliance\u001b[2J";
    writeFileSync(
      path.join(cwd, "messages.ndjson"),
      `${JSON.stringify({ phone: "+12125559101", at: "2026-12-01T10:00:00-05:00", channel: "sms", message: forged })}\n`,
    );
    const imported = await cxo(["consent", "import", "--file", "messages.ndjson"]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout).messages).toMatchObject({ review: 1 });
    const review = await human(["consent", "review"]);
    const lines = review.stdout.trimEnd().split("\n");
    expect(lines.filter((line) => line.includes("+12125559101"))).toHaveLength(1);
    expect(lines.some((line) => line.startsWith("ALLOWED"))).toBe(false);
    expect(review.stdout).toContain(String.raw`don't stop\nALLOWED: cleared by compliance\x1b[2J`);
    // --json keeps the words as they were (JSON escapes them itself).
    const json = JSON.parse((await cxo(["consent", "review"])).stdout);
    expect(json.messages.find((m: { phone: string }) => m.phone === "+12125559101").message).toBe(forged);
  });
});
