import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Diagnosis } from "../../../src/campaigns/diagnose/facts.ts";
import type { CliResult } from "../../support/run-cli.ts";
import { runCliBatch } from "../../support/run-cli-batch.ts";
import { type CampaignHarness, campaignHarness } from "../lifecycle/harness.ts";

/**
 * Issue 65 on the seed API (its causes: a paused or stopped campaign, contacts without consent,
 * outside the campaign's window) through the SDK, and `cxo why` from the command line: the human
 * answer's first line, `--json`, bad input (exit 2, nothing sent) and CXone unreachable (exit 1,
 * cause cxone_unreachable with its own words).
 */
let h: CampaignHarness;
let cli: CliResult[] = [];
let sentByBadInput: unknown[] = [];
let active = "";

beforeAll(async () => {
  h = await campaignHarness(65);
  active = h.fixtures.campaigns.find((c) => c.status === "active")!.id;
  const env = h.env(h.dir());
  const unreachable = {
    ...env,
    CXONE_BASE_URL: "http://127.0.0.1:9",
    CXONE_TOKEN_URL: "http://127.0.0.1:9/oauth/token",
  };
  await h.admin$("DELETE", "/requests");
  const bad = await runCliBatch(
    [
      ["why", "--campaign", "no/such id"],
      ["why", "--campaign", active, "--at", "2026-11-26T10:00:00"],
      ["why", "--campaign", active, "--at", "2020-01-01T10:00:00Z"],
      ["why"],
    ].map((args) => ({ args, env, cwd: process.cwd() })),
    1,
  );
  sentByBadInput = ((await h.admin$("GET", "/requests")) as { requests: unknown[] }).requests;
  const good = await runCliBatch(
    [
      { args: ["why", "--campaign", active], env, cwd: process.cwd() },
      { args: ["why", "--campaign", active, "--json"], env, cwd: process.cwd() },
      { args: ["why", "--campaign", active, "--json"], env: unreachable, cwd: process.cwd() },
    ],
    1,
  );
  cli = [...bad, ...good];
}, 120_000);
afterAll(() => h?.close());

describe("cxo why on the seed API", () => {
  it("a paused campaign's skill is not running; a stopped one's is not active; each names its fix", async () => {
    const client = h.client();
    for (const [status, code] of [
      ["paused", "skill_not_running"],
      ["stopped", "skill_inactive"],
    ] as const) {
      const campaign = h.fixtures.campaigns.find((c) => c.status === status);
      if (!campaign) continue;
      const d = await client.campaigns.diagnose({ campaignId: campaign.id });
      expect(d.dialing).toBe(false);
      expect(d.causes[0]).toMatchObject({ code, share: 1 });
    }
  });

  it("an active campaign is judged by its contacts: without consent suppressed, outside the campaign's window held", async () => {
    const client = h.client();
    const d = await client.campaigns.diagnose({ campaignId: active });
    const held = d.causes.reduce((sum, c) => sum + (c.records ?? 0), 0);
    expect(d.dialableNow + held).toBeGreaterThan(0);
    if (!d.dialing) expect(d.causes.length).toBeGreaterThan(0);
    if (d.dialableNow === 0) expect(d.dialing).toBe(false);
    const codes = d.causes.map((c) => c.code);
    for (const code of codes)
      expect([
        "dnc_suppressed",
        "outside_calling_hours",
        "no_time_zone",
        "no_agents_logged_in",
        "agents_not_available",
      ]).toContain(code);
  });

  it("client.autopilot.why: the diagnosis as the autopilot that runs the campaign says it", async () => {
    // A data dir of its own: the autopilot's state saved below is this test's alone.
    const client = h.client(h.dir());
    const at = new Date(Date.now() - 60_000).toISOString(); // an instant both calls judge at
    const diagnosed = await client.campaigns.diagnose({ campaignId: active, at });
    // A campaign the autopilot never ran: the diagnosis itself.
    expect(await client.autopilot.why({ campaignId: active, at })).toEqual(diagnosed);
    const stopped = { at: "2026-12-07T09:00:00-05:00", code: "consent_group_unreadable", reason: "a 404" };
    const [{ saveState }, { applicationHostOf }] = await Promise.all([
      import("../../../src/autopilot/state.ts"),
      import("../../../src/sdk/application-host.ts"),
    ]);
    await saveState(await applicationHostOf(client).store(), {
      campaign: active,
      lastStep: { step: "push", at: "2026-12-07T07:05:00-05:00", ok: true, text: "" },
      stopped,
    });
    const why = await client.autopilot.why({ campaignId: active, at });
    expect(why.summary).toMatch(/^Not dialing: the autopilot stopped this campaign .*cxo autopilot resume/);
    await expect(client.autopilot.why({ campaignId: "" })).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("an unknown campaign is NotFoundError naming it", async () => {
    await expect(h.client().campaigns.diagnose({ campaignId: "cmp-does-not-exist" })).rejects.toMatchObject({
      name: "NotFoundError",
      message: expect.stringContaining("cmp-does-not-exist"),
    });
  });
});

describe("cxo why from the command line", () => {
  it("bad input exits 2 naming the flag and the rule, and sends nothing", () => {
    const [badId, naive, past, missing] = cli as [CliResult, CliResult, CliResult, CliResult];
    expect(badId.code).toBe(2);
    expect(badId.stderr).toContain("--campaign");
    expect(naive.code).toBe(2);
    expect(naive.stderr).toMatch(/--at.*offset/);
    expect(past.code).toBe(2);
    expect(past.stderr).toMatch(/--at.*24 hours in the past/);
    expect(missing.code).toBe(2);
    expect(sentByBadInput).toEqual([]);
  });

  it("prints one sentence first (what is wrong and what to do, or that it dials), then the table; --json is the contract", () => {
    const human = cli[4] as CliResult;
    const json = cli[5] as CliResult;
    expect(human.code, human.stderr).toBe(0);
    const first = human.stdout.split("\n")[0] as string;
    expect(first).toMatch(/^(Not dialing: .+ — .+\.|Dialing: \d+ record\(s\) dialable now.*\.)$/);
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as Diagnosis;
    expect(Object.keys(doc)).toEqual(
      expect.arrayContaining(["campaignId", "dialing", "dialableNow", "causes", "forecast"]),
    );
    expect(doc.campaignId).toBe(active);
    expect(doc.forecast.length).toBeGreaterThan(4);
    for (const slot of doc.forecast) expect(Date.parse(slot.to) - Date.parse(slot.from)).toBe(15 * 60_000);
  });

  it("CXone unreachable exits 1 with cause cxone_unreachable and its own words", () => {
    const down = cli[6] as CliResult;
    expect(down.code).toBe(1);
    const doc = JSON.parse(down.stdout) as Diagnosis;
    expect(doc.dialing).toBe(false);
    expect(doc.causes[0]?.code).toBe("cxone_unreachable");
    expect(doc.causes[0]?.evidence).toMatch(/ECONNREFUSED|connect|refused/i);
  });
});
