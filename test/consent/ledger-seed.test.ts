import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { createClient } from "../../src/index.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 62 §1 on the seed API: the consent ledger end to end. A revocation recorded by the CLI,
 * the SDK, a file, or a "Do not call" disposition cxo tags is honoured at once: `compliance
 * check` refuses the number (`consent_revoked`) within the revocation's scope and only there.
 * Bad input exits 2 with nothing written and nothing sent.
 */
let emu: RunningEmulator;
let env: Record<string, string>;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-consent-"));
const file = (name: string) => path.join(dir, name);
const cli = (args: string[]) => runCli(["--json", ...args], env);

const check = async (phone: string, campaign?: string) => {
  const result = await cli([
    "compliance",
    "check",
    "--phone",
    phone,
    "--consent",
    "yes",
    "--at",
    "2026-12-01T15:00:00-05:00",
    ...(campaign ? ["--campaign", campaign] : []),
  ]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { allowed: boolean; reasons: Array<{ code: string; message: string }> };
};

/** Writes CXone received (a token request is a login, not a write; a read to check a campaign is allowed). */
const writes = async () =>
  (
    (await (await fetch(`${emu.url}/_emulator/requests`)).json()) as {
      requests: Array<{ method: string; path: string }>;
    }
  ).requests.filter((r) => r.method !== "GET" && !r.path.includes("oauth/token")).length;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, calls: 20, metricsIntervalMs: 0 });
  const client = emu.fixtures.clients[0];
  if (!client) throw new Error("no fixtures");
  env = {
    CXONE_BASE_URL: emu.url,
    CXONE_CLIENT_ID: client.clientId,
    CXONE_CLIENT_SECRET: client.clientSecret,
    CXO_DATA_DIR: file(".cxo"),
    CXO_ACTOR: "test:compliance-lead",
  };
});

afterAll(async () => {
  await emu?.close();
});

describe("the audit's person is kept (issue 77 §5)", () => {
  it("--actor adds a role beside the OS user, never replaces it; a role with control characters is exit 2, nothing recorded", async () => {
    const { hostname, userInfo } = await import("node:os");
    const person = `cli:${userInfo().username}@${hostname()}`;
    const revoked = await cli([
      "--actor",
      "someone-else",
      "consent",
      "revoke",
      "--phone",
      "+12125550391",
      "--channel",
      "sms",
    ]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(JSON.parse(revoked.stdout).entry.recordedBy).toMatch(
      new RegExp(`^${person.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} as someone-else \\(api `),
    );
    const before = await writes();
    const forged = await cli([
      "--actor",
      "ops\n#99 forged line",
      "consent",
      "revoke",
      "--phone",
      "+12125550392",
      "--channel",
      "sms",
    ]);
    expect(forged.code).toBe(2);
    expect(forged.stderr).toContain("--actor");
    expect(await writes()).toBe(before);
    expect((await check("+12125550392")).allowed).toBe(true);
  });
});

describe("cxo consent revoke", () => {
  it("refuses the number at once, in its scope only, and names who recorded it", async () => {
    const campaign = emu.fixtures.campaigns[0]?.id as string;
    const other = emu.fixtures.campaigns[1]?.id as string;
    expect((await check("+12125550301")).allowed).toBe(true);
    const revoked = await cli([
      "consent",
      "revoke",
      "--phone",
      "+12125550301",
      "--channel",
      "sms",
      "--source",
      "twilio",
    ]);
    expect(revoked.code, revoked.stderr).toBe(0);
    const doc = JSON.parse(revoked.stdout);
    expect(doc.added).toBe(true);
    expect(doc.entry).toMatchObject({
      phone: "+12125550301",
      channel: "sms",
      scope: "tenant",
      source: "twilio",
      rule: "us-revocation-10-business-days",
      overdue: false,
      callsAfter: [],
    });
    expect(doc.entry.recordedBy).toMatch(/^cli:\S+@\S+ as test:compliance-lead \(api /);
    const verdict = await check("+12125550301", campaign);
    expect(verdict.allowed).toBe(false);
    expect(verdict.reasons.map((r) => r.code)).toContain("consent_revoked");

    // A campaign-scoped revocation refuses that campaign, not another.
    const scoped = await cli([
      "consent",
      "revoke",
      "--phone",
      "+12125550302",
      "--scope",
      `campaign:${campaign}`,
    ]);
    expect(scoped.code, scoped.stderr).toBe(0);
    expect((await check("+12125550302", campaign)).allowed).toBe(false);
    expect((await check("+12125550302", other)).allowed).toBe(true);
  });

  it("the same revocation twice is one entry", async () => {
    const args = [
      "consent",
      "revoke",
      "--phone",
      "+12125550303",
      "--at",
      "2026-11-20T10:00:00-05:00",
      "--channel",
      "email",
    ];
    expect(JSON.parse((await cli(args)).stdout).added).toBe(true);
    expect(JSON.parse((await cli(args)).stdout).added).toBe(false);
  });

  it.each([
    [["--phone", "2125550300"], "--phone"],
    [["--phone", "+12125550300", "--at", "2099-01-01T00:00:00Z"], "--at"],
    [["--phone", "+12125550300", "--at", "2026-01-01T00:00:00"], "--at"],
    [["--phone", "+12125550300", "--channel", "pigeon"], "--channel"],
    [["--phone", "+12125550300", "--scope", "campaign:no-such-campaign"], "--scope"],
    [["--phone", "+12125550300", "--scope", "everyone"], "--scope"],
  ])("bad input %j: exit 2 naming %s, nothing written or sent", async (flags, field) => {
    const before = await writes();
    const result = await cli(["consent", "revoke", ...flags]);
    expect(result.code, result.stdout).toBe(2);
    expect(result.stderr).toContain(field);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await writes()).toBe(before);
    expect((await check("+12125550300")).allowed).toBe(true);
  });
});

describe("cxo consent import", () => {
  it("takes a BOM and semicolons; a re-import adds nothing", async () => {
    writeFileSync(
      file("revocations.csv"),
      `\uFEFFphone;at;channel;source\n+12125550310;2026-11-21T09:00:00-05:00;sms;crm\n+12125550311;2026-11-21T09:05:00-05:00;web;form\n`,
    );
    const first = await cli(["consent", "import", "--file", file("revocations.csv")]);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ rows: 2, added: 2, known: 0 });
    const again = await cli(["consent", "import", "--file", file("revocations.csv")]);
    expect(JSON.parse(again.stdout)).toMatchObject({ rows: 2, added: 0, known: 2 });
    expect((await check("+12125550311")).reasons.map((r) => r.code)).toContain("consent_revoked");
  });

  it("a file without a phone column, or with one bad row, is refused whole (exit 2, nothing recorded)", async () => {
    writeFileSync(file("no-phone.csv"), "number,at,channel\n+12125550320,2026-11-21T09:00:00Z,sms\n");
    const missing = await cli(["consent", "import", "--file", file("no-phone.csv")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/phone/);
    writeFileSync(
      file("one-bad.ndjson"),
      `{"phone":"+12125550321","at":"2026-11-21T09:00:00Z","channel":"sms"}\n{"phone":"+1212","at":"2026-11-21T09:00:00Z","channel":"sms"}\n`,
    );
    const bad = await cli(["consent", "import", "--file", file("one-bad.ndjson")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/row 2.*phone/);
    expect((await check("+12125550321")).allowed).toBe(true);
  });
});

describe("a do-not-call disposition is a revocation", () => {
  it("cxo tag with a 'Do not call again' reason records the call's number at the call's time, channel agent", async () => {
    const campaign = emu.fixtures.campaigns.find((c) =>
      c.dispositionCodes.some((d) => d.reasonCodes.some((r) => /do not call/i.test(r.name))),
    );
    if (!campaign) throw new Error("no campaign with a do-not-call reason");
    const code = campaign.dispositionCodes.find((d) =>
      d.reasonCodes.some((r) => /do not call/i.test(r.name)),
    );
    const reason = code?.reasonCodes.find((r) => /do not call/i.test(r.name));
    const call = emu.fixtures.calls.find((c) => c.campaignId === campaign.id);
    if (!code || !reason || !call) throw new Error("no call to tag");
    await using client = createClient({
      connection: {
        baseUrl: emu.url,
        clientId: env.CXONE_CLIENT_ID as string,
        clientSecret: env.CXONE_CLIENT_SECRET as string,
      },
      dataDir: file(".cxo"),
      actor: "sdk:agent-desk",
    });
    const state = await client.dispositions.tag(campaign.id, {
      callId: call.id,
      dispositionCodeId: code.id,
      reasonCodeId: reason.id,
    });
    expect(state.status).toBeLessThan(300);
    const report = await client.consent.report({ from: "2025-01-01T00:00:00Z" });
    const entry = report.entries.find((e) => e.source?.includes(call.id));
    expect(entry).toMatchObject({ channel: "agent", scope: "tenant" });
    expect(entry?.recordedBy).toMatch(/^sdk:agent-desk \(api /);
    const verdict = await client.compliance.check({
      phone: entry?.phone as string,
      at: "2026-12-01T15:00:00-05:00",
      consent: true,
    });
    expect(verdict.reasons.map((r) => r.code)).toContain("consent_revoked");
  });

  it("interactions set-disposition with 'Do Not Call Requested' records the contact's number (read from its list)", async () => {
    await using client = createClient({
      connection: {
        baseUrl: emu.url,
        clientId: env.CXONE_CLIENT_ID as string,
        clientSecret: env.CXONE_CLIENT_SECRET as string,
      },
      dataDir: file(".cxo-read"),
    });
    let interaction: { id: string } | undefined;
    for (const candidate of emu.fixtures.interactions) {
      const { interaction: read } = await client.interactions.get(candidate.id);
      if (read.dispositions.every((d) => d.code.startsWith("1"))) {
        interaction = candidate;
        break;
      }
    }
    if (!interaction) throw new Error("no interaction without a secondary code");
    const result = await cli([
      "interactions",
      "set-disposition",
      interaction.id,
      "--code",
      "106",
      "--description",
      "Do Not Call Requested",
      "--agent",
      "agent-007",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse((await cli(["consent", "report", "--from", "2025-01-01T00:00:00Z"])).stdout);
    const entry = report.entries.find((e: { source: string }) => e.source.includes(interaction.id));
    expect(entry).toMatchObject({ channel: "agent", scope: "tenant" });
    expect(entry.phone).toMatch(/^\+1\d{10}$/);
    expect(entry.recordedBy).toMatch(/^cli:\S+@\S+ as test:compliance-lead \(api /);
  });

  it("the report lists every call made after a revocation (a breach) and exits 1", async () => {
    const campaign = emu.fixtures.campaigns[0]?.id as string;
    await using client = createClient({
      connection: {
        baseUrl: emu.url,
        clientId: env.CXONE_CLIENT_ID as string,
        clientSecret: env.CXONE_CLIENT_SECRET as string,
      },
      dataDir: file(".cxo-breach"),
    });
    const now = Date.now();
    const [call] = await client.outcomes
      .list({
        campaignId: campaign,
        from: new Date(now - 30 * 86_400_000).toISOString(),
        to: new Date(now).toISOString(),
      })
      .toArray({ limit: 1 });
    if (!call) throw new Error("no call");
    const phone = String(call.raw.phoneNumber);
    const before = new Date(Date.parse(call.startTime) - 3_600_000).toISOString();
    await client.consent.revoke({ phone, at: before, channel: "mail" });
    const report = await client.consent.report({
      from: new Date(now - 40 * 86_400_000).toISOString(),
      campaigns: [campaign],
    });
    const entry = report.entries.find((e) => e.phone === phone);
    expect(entry?.callsAfter).toContainEqual({ callId: call.id, campaignId: campaign, at: call.startTime });
    expect(report.breached).toBeGreaterThanOrEqual(1);
    const cliReport = await runCli(
      [
        "--json",
        "consent",
        "report",
        "--from",
        new Date(now - 40 * 86_400_000).toISOString(),
        "--campaign",
        campaign,
      ],
      { ...env, CXO_DATA_DIR: file(".cxo-breach") },
    );
    expect(cliReport.code).toBe(1);
  });
});
