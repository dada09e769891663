import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { createClient } from "../../src/index.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 77 on the seed API: §4 the report tells the truth (every campaign of the tenant by
 * default, says what it checked, `--campaign` narrows and says so); §2 a revocation may name an
 * account, covering every number cxo reads for it, now and later; §3 an agent's "Do Not Call"
 * set in CXone is honoured by the commands without the service.
 */
let emu: RunningEmulator;
let env: Record<string, string>;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-stop-"));
const file = (name: string) => path.join(dir, name);
const cli = (args: string[], dataDir: string) =>
  runCli(["--json", ...args], { ...env, CXO_DATA_DIR: file(dataDir) });

const requests = async () =>
  (
    (await (await fetch(`${emu.url}/_emulator/requests`)).json()) as {
      requests: Array<{ method: string; path: string }>;
    }
  ).requests;

// The seeded calls follow the clock: one fixed weekday, inside every zone's calling hours, for
// every run (on the wall clock the numbers a test picks changed from day to day).
let unpin: () => void = () => {};

beforeAll(async () => {
  unpin = pinClock("2026-12-02T18:00:00Z").restore;
  emu = await startEmulator({ port: 0, calls: 400, metricsIntervalMs: 0 });
  const client = emu.fixtures.clients[0];
  if (!client) throw new Error("no fixtures");
  env = {
    CXONE_BASE_URL: emu.url,
    CXONE_CLIENT_ID: client.clientId,
    CXONE_CLIENT_SECRET: client.clientSecret,
    CXO_ACTOR: "test:compliance-lead",
    ...cliClockEnv(),
  };
});

afterAll(async () => {
  await emu?.close();
  unpin();
});

const clientFor = (dataDir: string) =>
  createClient({
    connection: {
      baseUrl: emu.url,
      clientId: env.CXONE_CLIENT_ID as string,
      clientSecret: env.CXONE_CLIENT_SECRET as string,
    },
    dataDir: file(dataDir),
  });

/** A call of the last 30 days on the second campaign (one this data dir never created or named). */
async function aCallOnAnotherCampaign(dataDir: string) {
  const campaign = emu.fixtures.campaigns[1]?.id as string;
  await using client = clientFor(dataDir);
  const now = Date.now();
  const calls = await client.outcomes
    .list({
      campaignId: campaign,
      from: new Date(now - 30 * 86_400_000).toISOString(),
      to: new Date(now).toISOString(),
    })
    .toArray({ limit: 5 });
  const call = calls.find((c) => typeof c.raw.phoneNumber === "string");
  if (!call) throw new Error("no call");
  return { campaign, call, phone: String(call.raw.phoneNumber) };
}

describe("§4 the report tells the truth", () => {
  it("with no flags it checks every campaign of the tenant, finds the call after, says so, exit 1; --campaign narrows and says so", async () => {
    const { campaign, call, phone } = await aCallOnAnotherCampaign(".cxo-report");
    const before = new Date(Date.parse(call.startTime) - 3_600_000).toISOString();
    const revoked = await cli(
      ["consent", "revoke", "--phone", phone, "--channel", "mail", "--at", before],
      ".cxo-report",
    );
    expect(revoked.code, revoked.stderr).toBe(0);
    const from = new Date(Date.parse(before) - 86_400_000).toISOString();

    const json = await cli(["consent", "report", "--from", from], ".cxo-report");
    expect(json.code, json.stderr).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.checked).toMatchObject({ scope: "tenant", listing: "tenant-wide" });
    expect(report.callsChecked).toContain(campaign);
    const entry = report.entries.find((e: { phone: string }) => e.phone === phone);
    expect(entry.callsAfter).toContainEqual({ callId: call.id, campaignId: campaign, at: call.startTime });

    const human = await runCli(["consent", "report", "--from", from], {
      ...env,
      CXO_DATA_DIR: file(".cxo-report"),
    });
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(
      /checked every campaign of the tenant \(one tenant-wide listing of calls; campaigns seen: [^)]*\b/,
    );
    expect(human.stdout).toContain(campaign);
    expect(human.stdout).toContain(`CALLED AFTER: ${call.startTime} call ${call.id} (campaign ${campaign})`);

    // Narrowed to another campaign: the call is not found, and the output says what was left out.
    const other = emu.fixtures.campaigns[0]?.id as string;
    const narrowed = await runCli(["consent", "report", "--from", from, "--campaign", other], {
      ...env,
      CXO_DATA_DIR: file(".cxo-report"),
    });
    expect(narrowed.stdout).toContain(`checked ONLY campaign(s) ${other} (--campaign)`);
    expect(narrowed.stdout).not.toContain(`call ${call.id}`);
  });
});

describe("§2 every number of the debtor", () => {
  it("revoke --account refuses every number the account has, including one read later; a malformed account is exit 2 with nothing recorded or sent (an unseen one is recorded: issue 100)", async () => {
    const dataDir = ".cxo-account";
    await using client = clientFor(dataDir);
    const campaign = emu.fixtures.campaigns[0]?.id as string;
    // cxo reads the account's numbers from the account column of the plan it pushes / the list it plans.
    const { rememberAccountNumbers } = await import("../../src/consent/accounts.ts");
    const { openStore } = await import("../../src/core/store/index.ts");
    {
      const store = await openStore(file(dataDir));
      await rememberAccountNumbers(
        store.db,
        [
          { account: "ACC-1", phone: "+12125550101" },
          { account: "ACC-1", phone: "+12125550102" },
          { account: "ACC-2", phone: "+12125550201" },
        ],
        "test list",
      );
      await store.close();
    }
    const before = (await requests()).length;
    const badId = await cli(["consent", "revoke", "--account", "ACC 1\n", "--channel", "mail"], dataDir);
    expect(badId.code).toBe(2);
    // Nothing sent for the refusals, nothing recorded.
    expect((await requests()).slice(before).filter((r) => !r.path.includes("oauth"))).toEqual([]);
    expect((await client.consent.report({ campaigns: [] })).revocations).toBe(0);

    const at = new Date(Date.now() - 60_000).toISOString();
    const revoked = await cli(
      ["consent", "revoke", "--account", "ACC-1", "--channel", "mail", "--at", at],
      dataDir,
    );
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(JSON.parse(revoked.stdout).entry).toMatchObject({ account: "ACC-1", phone: "" });

    const verdict = async (phone: string) =>
      client.compliance.check({ phone, consent: true, campaignId: campaign, at: new Date().toISOString() });
    expect((await verdict("+12125550101")).reasons.map((r) => r.code)).toContain("consent_revoked");
    expect((await verdict("+12125550102")).reasons.map((r) => r.code)).toContain("consent_revoked");
    expect((await verdict("+12125550201")).reasons.map((r) => r.code)).not.toContain("consent_revoked");

    // A number the account gains later, in a list cxo reads (here: the plan/list reader's tap).
    const rows = [
      { recordId: "r1", phone: "+12125550103", accountId: "ACC-1" },
      { recordId: "r2", phone: "+12125550202", accountId: "ACC-2" },
    ];
    // The check of the new number, once cxo has read it for the account, refuses it too.
    const {
      rememberingAccounts,
      accountPairOf,
      rememberAccountNumbers: remember,
    } = await import("../../src/consent/accounts.ts");
    {
      const store = await openStore(file(dataDir));
      for await (const _ of rememberingAccounts(rows, accountPairOf, (pairs) =>
        remember(store.db, pairs, "t"),
      ));
    }
    expect((await verdict("+12125550103")).reasons.map((r) => r.code)).toContain("consent_revoked");
    expect((await verdict("+12125550202")).reasons.map((r) => r.code)).not.toContain("consent_revoked");
  });

  it("consent import takes an account column; a row naming an account not seen yet is recorded and counted (issue 100)", async () => {
    const dataDir = ".cxo-account-import";
    const { rememberAccountNumbers } = await import("../../src/consent/accounts.ts");
    const { openStore } = await import("../../src/core/store/index.ts");
    {
      const store = await openStore(file(dataDir));
      await rememberAccountNumbers(store.db, [{ account: "ACC-7", phone: "+13125550707" }], "test list");
      await store.close();
    }
    const at = new Date(Date.now() - 60_000).toISOString();
    const bad = file("bad.csv");
    writeFileSync(bad, `account,at,channel\nACC-7,${at},sms\nACC-8,${at},sms\n`);
    const imported = await cli(["consent", "import", "--file", bad], dataDir);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({
      added: 2,
      accountNotices: { unseen: 1, phoneOfOthers: 0, first: [{ row: 3, account: "ACC-8", kind: "unseen" }] },
    });
    await using client = clientFor(dataDir);
    expect((await client.consent.report({ campaigns: [] })).revocations).toBe(2);
    const verdict = await client.compliance.check({ phone: "+13125550707", consent: true });
    expect(verdict.reasons.map((r) => r.code)).toContain("consent_revoked");
  });
});

describe("§3 without the service", () => {
  it("compliance check reads agents' do-not-call dispositions set in CXone first (then not again within the freshness window)", async () => {
    const dataDir = ".cxo-dispositions";
    await using client = clientFor(dataDir);
    const campaign = emu.fixtures.campaigns.find((c) =>
      c.dispositionCodes.some((d) => d.reasonCodes.some((r) => /do not call/i.test(r.name))),
    );
    if (!campaign) throw new Error("no campaign with a do-not-call reason");
    const code = campaign.dispositionCodes.find((d) =>
      d.reasonCodes.some((r) => /do not call/i.test(r.name)),
    );
    const reason = code?.reasonCodes.find((r) => /do not call/i.test(r.name));
    const now = Date.now();
    const calls = await client.outcomes
      .list({
        campaignId: campaign.id,
        from: new Date(now - 20 * 86_400_000).toISOString(),
        to: new Date(now).toISOString(),
      })
      .toArray({ limit: 50 });
    // The first check reads the agents' dispositions (the freshness window then starts); the
    // number taken is the first whose calls no agent has marked "Do Not Call" yet (the seeded
    // day already holds a few such dispositions).
    let first: Awaited<ReturnType<typeof client.compliance.check>> | undefined;
    let call: (typeof calls)[number] | undefined;
    for (const candidate of calls.filter((c) => typeof c.raw.phoneNumber === "string")) {
      const verdict = await client.compliance.check({
        phone: String(candidate.raw.phoneNumber),
        consent: true,
      });
      first ??= verdict;
      if (!verdict.reasons.some((r) => r.code === "consent_revoked")) {
        call = candidate;
        break;
      }
    }
    if (!call || !code || !reason) throw new Error("no call to disposition");
    const phone = String(call.raw.phoneNumber);
    expect(first?.dispositions?.source).toBe("read");
    // An agent's "Do Not Call" in CXone (the platform's own endpoint, not cxo's tagging).
    const { createInternalClient } = await import("../../src/client.ts");
    await using internal = createInternalClient({
      connection: {
        baseUrl: emu.url,
        clientId: env.CXONE_CLIENT_ID as string,
        clientSecret: env.CXONE_CLIENT_SECRET as string,
      },
      dataDir: file(".cxo-agent-desktop"),
    });
    await internal.port.dispositions.setCallDisposition(call.id, {
      dispositionCodeId: code.id,
      reasonCodeId: reason.id,
      tags: [],
    });
    // Within the window: the copy is fresh, nothing read.
    const fresh = await client.compliance.check({ phone, consent: true });
    expect(fresh.dispositions?.source).toBe("copy");
    // A new data dir (no read yet): read first, the number refused.
    const cold = await cli(
      ["compliance", "check", "--phone", phone, "--consent", "yes"],
      ".cxo-dispositions-2",
    );
    expect(cold.code, cold.stderr).toBe(0);
    const verdict = JSON.parse(cold.stdout);
    expect(verdict.dispositions.source).toBe("read");
    expect(verdict.reasons.map((r: { code: string }) => r.code)).toContain("consent_revoked");
  });

  it("CXone unreachable when the read is due: compliance check exits 1 (never an unchecked allowed)", async () => {
    const broken = await runCli(
      ["--json", "compliance", "check", "--phone", "+12125550999", "--consent", "yes"],
      {
        ...env,
        CXONE_BASE_URL: "http://127.0.0.1:9",
        CXO_DATA_DIR: file(".cxo-unreachable"),
      },
    );
    expect(broken.code).toBe(1);
    expect(broken.stdout).not.toMatch(/"allowed"/);
  });
});
