import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InternalClient } from "../../src/client.ts";
import { dialerAuditLogProblems, dialerMetricsProblems } from "../../src/dialer/metrics-query.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import * as sdk from "../../src/index.ts";
import { type CxoneHarness, cxoneHarness } from "../emulator/cxone/helpers.ts";
import { harnessClient } from "../support/cxone-harness-client.ts";
import { adminCall } from "../support/emulator-admin.ts";

/**
 * `client.dialer.metrics` and `auditLog` hold the rules the CLI held alone (review 8 gap 1): a
 * date without a zone, a date that is none, an unknown metric, a bad campaign id, group or
 * entity is an InputError naming the SDK's field, raised when the listing is first iterated, and nothing reaches
 * the platform (the emulator's request log), on both platforms. A good query still answers.
 */
let seed: RunningEmulator;
let h: CxoneHarness;
let seedClient: sdk.CxoneClient;
let cxoneClient: InternalClient;
let seedCampaign: string;
let skillId: string;

beforeAll(async () => {
  seed = (await startEmulator({ port: 0, calls: 100, metricsIntervalMs: 0 })) as RunningEmulator;
  const admin = seed.fixtures.clients[0]!;
  seedClient = sdk.createClient({
    connection: { baseUrl: seed.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
    dataDir: mkdtempSync(path.join(tmpdir(), "cxo-dialer-rules-")),
  });
  seedCampaign = seed.fixtures.campaigns[0]!.id;
  h = await cxoneHarness({ seed: 8, contacts: 20, days: 1 });
  cxoneClient = harnessClient(h, "cxo-dialer-rules-cxone-", true);
  skillId = String(h.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")!.skillId);
});
afterAll(async () => {
  await seedClient?.close();
  await cxoneClient?.close();
  await seed?.close();
  await h?.close();
});

type Query = Record<string, unknown>;

/** Each bad metrics query (over a good one), the field it names and the rule. */
const badMetrics: Array<[string, Query, string, RegExp]> = [
  [
    "a date without a zone",
    { from: "2026-11-01T00:00:00" },
    "from",
    /^has no time zone: add Z or an offset such as \+02:00$/,
  ],
  ["a date that is none", { from: "yesterday" }, "from", /is not an ISO 8601 date-time/],
  ["a day that does not exist", { to: "2026-02-30T00:00:00Z" }, "to", /is not a real date/],
  ["from not before to", { from: "2026-11-02T00:00:00Z", to: "2026-11-01T00:00:00Z" }, "from", /before `to`/],
  ["an unknown metric", { metrics: ["efficiency", "conversions"] }, "metrics", /\(unknown: conversions\)/],
  ["no metric", { metrics: [] }, "metrics", /must be a list of efficiency/],
  ["a bad campaign id", { campaignId: "no such/id" }, "campaignId", /must be an id/],
  ["no campaign", { campaignId: undefined }, "campaignId", /is required/],
  ["a bad group", { groupBy: "week" }, "groupBy", /hour or day/],
  ["a bad page size", { pageSize: 0 }, "pageSize", /whole number/],
];
const badAudit: Array<[string, Query, string, RegExp]> = [
  ["a bad entity", { entity: "settings" }, "entity", /expected one of "dialer"\|"campaign"/],
  ["a bad campaign id", { entity: "campaign", campaignId: "a b" }, "campaignId", /must be an id/],
  ["a bad page size", { entity: "campaign", pageSize: 2.5 }, "pageSize", /whole number/],
];

const platforms = () =>
  [
    {
      name: "seed",
      client: seedClient,
      campaign: seedCampaign,
      log: async () =>
        ((await adminCall(seed.url, "GET", "/requests")) as { requests: unknown[] }).requests.length,
    },
    {
      name: "cxone",
      client: cxoneClient,
      campaign: skillId,
      log: async () => ((await h.admin("GET", "/requests")).body as { requests: unknown[] }).requests.length,
    },
  ] as const;

describe.each(["seed", "cxone"] as const)("dialer.metrics and auditLog refuse bad input on %s", (name) => {
  const on = () => platforms().find((p) => p.name === name)!;

  it.each(badMetrics)(
    "metrics: %s is an InputError naming the field; nothing sent",
    async (_, bad, field, rule) => {
      const { client, campaign, log } = on();
      const before = await log();
      const query = { campaignId: campaign, metrics: ["efficiency"], ...bad } as sdk.DialerMetricsQuery;
      const error = await client.dialer
        .metrics(query)
        .toArray()
        .catch((e: unknown) => e);
      expectOneProblem(error, field, rule);
      expect(await log()).toBe(before);
    },
  );

  it.each(badAudit)(
    "auditLog: %s is an InputError naming the field; nothing sent",
    async (_, bad, field, rule) => {
      const { client, log } = on();
      const before = await log();
      const error = await client.dialer
        .auditLog(bad as sdk.DialerAuditQuery)
        .toArray()
        .catch((e: unknown) => e);
      expectOneProblem(error, field, rule);
      expect(await log()).toBe(before);
    },
  );

  it("a good query with zoned dates answers its rows, each metric asked for", async () => {
    const { client, campaign } = on();
    const rows = await client.dialer
      .metrics({
        campaignId: campaign,
        metrics: ["answerRate"],
        from: "2026-11-01T00:00:00+01:00",
        to: "2026-11-01T06:00:00Z",
        groupBy: "hour",
      })
      .toArray(100);
    for (const row of rows) expect(Object.keys(row.values).every((k) => k === "answerRate")).toBe(true);
  });
});

/** `error` is an InputError with one problem: `field`, its rule matching `rule`. */
function expectOneProblem(error: unknown, field: string, rule: RegExp | string): void {
  expect(error).toBeInstanceOf(sdk.InputError);
  const problems = (error as sdk.InputError).problems;
  expect(problems.map((p) => p.field)).toEqual([field]);
  expect(problems[0]!.rule).toMatch(rule);
}

describe("the rules, by themselves", () => {
  it("every problem at once, in the order the CLI reports them; a flag's words for the metrics", () => {
    const problems = dialerMetricsProblems(
      {
        campaignId: "x y",
        metrics: ["foo"],
        from: "2026-01-01",
        to: "2026-01-01T00:00:00+25:00",
        groupBy: "x",
      },
      "comma list",
    );
    expect(problems.map((p) => p.field)).toEqual(["metrics", "campaignId", "from", "to", "groupBy"]);
    expect(problems[0]!.rule).toMatch(/^must be a comma list of efficiency, .* \(unknown: foo\)$/);
    expect(dialerMetricsProblems({ campaignId: "c1", metrics: ["efficiency"] })).toEqual([]);
    expect(dialerAuditLogProblems({})).toEqual([]);
    expect(dialerAuditLogProblems({ entity: "campaign", campaignId: "101", pageSize: 50 })).toEqual([]);
  });
});
