import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireOffset } from "../../src/cli/commands/strategy-flags.ts";
import { parseClockSetting } from "../../src/core/clock/setting.ts";
import { InputError } from "../../src/core/input-error.ts";
import { INVALID_DATE_RULE, zonedInstantProblem } from "../../src/core/instant-input.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import * as sdk from "../../src/index.ts";
import { parseConsentEvent } from "../../src/service/routes/consent-webhook.ts";
import { listRowSchema } from "../../src/strategy/list-format.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";
import { DATE_ENTRY_NAMES, FIELDS_OF_ENTRY } from "../support/zoned-instant-fields.ts";

/**
 * ONE rule for a date-time with a zone (src/core/instant-input.ts), asked of every public entry
 * that takes one: the same strings are accepted and refused everywhere, and each refusal names
 * the entry's own field or flag followed by the same words (zonedInstantProblem's). SDK calls
 * (on a client with no connection where the call would go on to CXone), the rule functions
 * behind files and the service, and CLI flags through the real CLI. An entry whose field takes a
 * Date is asked a valid one and `new Date(NaN)` too (INVALID_DATE_RULE, not a RangeError).
 * `2026-03-01T09:00Z` was once refused by `client.dialer.metrics` and taken by `--updated-since`.
 * The public fields each entry asks are listed in test/support/zoned-instant-fields.ts, and
 * test/core/zoned-instant-fields.test.ts finds any the package's types declare that none asks.
 */
const TABLE: Array<[string, boolean]> = [
  ["2026-03-01T09:00Z", true],
  ["2026-03-01T09:00:00Z", true],
  ["2026-03-01T09:00:00.123+01:00", true],
  ["2026-03-01T09:00:00-0400", true],
  ["2026-03-01T09:00:00", false], // no zone
  ["2026-03-01", false], // a day, where a date-time is required
  ["2026-02-30T09:00Z", false], // no such day
  ["garbage", false],
];

/**
 * A Date, where an entry's field takes one: a valid one taken, one that holds no instant refused
 * by every such entry with the same words (INVALID_DATE_RULE), not a RangeError from toISOString.
 */
const DATE_TABLE: Array<[string, Date, boolean]> = [
  ["a valid Date", new Date("2026-03-01T09:00:00Z"), true],
  ["new Date(NaN)", new Date(Number.NaN), false],
];

/** The rule an entry gave for a value: undefined when it took it. */
type Answer = Promise<string | undefined> | string | undefined;
type Entry = (value: string) => Answer;

const LATER = "2026-03-02T12:00:00Z";
const PHONE = "+12125550100";
/** The entries' "now": after every value of the table (a grant, a revocation, a touch are in the past). */
const NOW_MS = Date.parse("2026-03-03T00:00:00Z");

/** The rule of the InputError `run` throws for `field`, or undefined when it throws none for it. */
async function ruleOf(field: string, run: () => unknown): Promise<string | undefined> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const problem = error.problems.find((p) => p.field === field);
    if (problem) return problem.rule;
  }
  return undefined;
}

/**
 * The rule of the InputError a public call throws for `field` on a client with no connection,
 * or undefined when it throws none for it (a value taken, the call then stopped for want of
 * CXone): a refusal here came before anything could be sent.
 */
async function ruleOffline(field: string, run: () => unknown): Promise<string | undefined> {
  try {
    await run();
  } catch (error) {
    if (error instanceof InputError) return error.problems.find((p) => p.field === field)?.rule;
  }
  return undefined;
}

let emu: RunningEmulator;
let client: sdk.CxoneClient;
/** Clients with no connection, on a clock after every value of the table, and on one before. */
let offline: sdk.CxoneClient;
let offlineBefore: sdk.CxoneClient;
/** One whose "now" is within a day after every value (`campaigns.diagnose` refuses an older `at` on its own). */
let offlineDiagnose: sdk.CxoneClient;
let campaign: string;
let model: Awaited<ReturnType<sdk.CxoneClient["strategy"]["learn"]>>;
let env: (dir: string) => Record<string, string>;

beforeAll(async () => {
  emu = (await startEmulator({ port: 0, calls: 50, metricsIntervalMs: 0 })) as RunningEmulator;
  const admin = emu.fixtures.clients[0]!;
  campaign = emu.fixtures.campaigns[0]!.id;
  client = sdk.createClient({
    connection: { baseUrl: emu.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
    dataDir: mkdtempSync(path.join(tmpdir(), "cxo-zoned-table-")),
  });
  model = await client.strategy.learn([], { campaign });
  const offlineAt = (nowMs: number) =>
    sdk.createClient({
      dataDir: mkdtempSync(path.join(tmpdir(), "cxo-zoned-offline-")),
      clock: { now: () => nowMs },
    });
  offline = offlineAt(NOW_MS);
  offlineBefore = offlineAt(Date.parse("2026-02-28T00:00:00Z"));
  offlineDiagnose = offlineAt(Date.parse("2026-03-01T12:00:00Z"));
  env = (dir) => ({
    CXONE_BASE_URL: emu.url,
    CXONE_CLIENT_ID: admin.clientId,
    CXONE_CLIENT_SECRET: admin.clientSecret,
    CXO_DATA_DIR: path.join(dir, ".cxo"),
  });
});
afterAll(async () => {
  await client?.close();
  await offline?.close();
  await offlineBefore?.close();
  await offlineDiagnose?.close();
  await emu?.close();
});

/** A file each export entry writes (none is: every call stops before, at a refusal or for want of CXone). */
const out = (name: string) => path.join(tmpdir(), `cxo-zoned-table-${process.pid}-${name}`);

/** The entries whose field takes a Date as well as text: each is asked DATE_TABLE too. */
const DATE_ENTRIES: Record<string, (value: string | Date) => Answer> = {
  "client.compliance.check at": (v) => ruleOf("at", () => client.compliance.check({ phone: PHONE, at: v })),
  "client.compliance.check lastTransactionAt": (v) =>
    ruleOf("lastTransactionAt", () =>
      client.compliance.check({ phone: PHONE, at: LATER, lastTransactionAt: v }),
    ),
  "client.callerId.health from": (v) =>
    ruleOf("from", () =>
      client.callerId.health({ history: path.join(tmpdir(), "cxo-no-such-history.ndjson"), from: v }),
    ),
  "client.consent.report from": (v) => ruleOf("from", () => client.consent.report({ from: v, to: LATER })),
  "client.compliance.evidence from": (v) =>
    ruleOffline("from", () =>
      offline.compliance.evidence({ campaignId: campaign, from: v, to: LATER, out: out("evidence.ndjson") }),
    ),
  "client.outcomes.list from": (v) =>
    ruleOffline("from", () =>
      offline.outcomes.list({ campaignId: campaign, from: v, to: LATER }).toArray({ limit: 1 }),
    ),
  "client.outcomes.export from": (v) =>
    ruleOffline("from", () =>
      offline.outcomes.export({ campaignId: campaign, from: v, to: LATER }, { out: out("export.ndjson") }),
    ),
  "client.outcomes.exportChanges updatedSince": (v) =>
    ruleOffline("updatedSince", () =>
      offline.outcomes.exportChanges(
        { campaignId: campaign, updatedSince: v },
        { out: out("changes.ndjson") },
      ),
    ),
  "client.strategy.learn source from": (v) =>
    ruleOffline("from", () =>
      offline.strategy.learn({ campaignId: campaign, from: v, to: LATER }, { campaign }),
    ),
  "client.consent.revoke at": (v) =>
    ruleOffline("at", () => offline.consent.revoke({ phone: PHONE, at: v, channel: "sms" })),
  "client.dialer.metrics from": (v) =>
    ruleOf("from", () =>
      client.dialer.metrics({ campaignId: campaign, metrics: ["efficiency"], from: v, to: LATER }).toArray(5),
    ),
  "client.strategy.plan until": (v) =>
    ruleOf("until", () =>
      client.strategy.plan([], model, { from: "2026-02-28T00:00:00Z", days: 31, until: v }),
    ),
  "client.strategy.plan from": (v) =>
    ruleOf("from", () => client.strategy.plan([], model, { from: v, days: 1 })),
  "client.strategy.learn from": (v) =>
    ruleOf("from", () => client.strategy.learn([], { campaign, from: v, to: LATER })),
  "client.consent.grant at": (v) =>
    ruleOffline("at", () =>
      offline.consent.grant({ phone: PHONE, purpose: "telemarketing", written: true, at: v }),
    ),
  // On a clock before every value (a callback is in the future).
  "client.callbacks.schedule at": (v) =>
    ruleOffline("at", () =>
      offlineBefore.callbacks.schedule({ phone: "+12125550123", at: v, campaign: "123" }),
    ),
  "client.interactions.setDisposition timestamp": (v) =>
    ruleOffline("timestamp", () =>
      offline.interactions.setDisposition("123456", {
        code: "1",
        description: "Sale",
        agentId: "1001",
        timestamp: v,
      }),
    ),
  // A value taken: refused next for a campaign this data dir did not create (another field).
  "client.dialer.abandonment at": (v) =>
    ruleOffline("at", () => offline.dialer.abandonment({ campaignId: campaign, at: v })),
  "client.campaigns.diagnose at": (v) =>
    ruleOffline("at", () => offlineDiagnose.campaigns.diagnose({ campaignId: campaign, at: v })),
};

const ENTRIES: Record<string, Entry> = {
  // SDK calls.
  ...DATE_ENTRIES,
  // A list row given in code (its column is text: ListRow.lastTransactionAt).
  "client.strategy.plan list row lastTransactionAt": (v) =>
    ruleOffline("lastTransactionAt", () =>
      offline.strategy.plan([{ recordId: "r1", phone: PHONE, lastTransactionAt: v }], model, {
        from: "2026-03-04T00:00:00Z",
        days: 1,
      }),
    ),
  // The rules behind files and flags: a list file's row (`cxo strategy plan --list`).
  "strategy list file row lastTransactionAt (listRowSchema)": (v) => {
    const parsed = listRowSchema.safeParse({ recordId: "r1", phone: PHONE, lastTransactionAt: v });
    return parsed.success
      ? undefined
      : parsed.error.issues.find((i) => i.path[0] === "lastTransactionAt")?.message;
  },
  "cxo strategy learn --from (requireOffset)": (v) => ruleOf("--from", () => requireOffset(v, "--from")),
  CXO_CLOCK: (v) =>
    ruleOf("CXO_CLOCK", () => parseClockSetting(v))?.then((r) => r?.replace(/^the instant /, "")),
  "consent webhook occurredAt": (v) => {
    const event = { id: "e1", type: "consent.revoked", occurredAt: v, data: {} };
    try {
      parseConsentEvent(Buffer.from(JSON.stringify(event)));
      return undefined;
    } catch (error) {
      const message = (error as Error).message;
      return message.startsWith("occurredAt: ") ? message.slice("occurredAt: ".length) : undefined;
    }
  },
};

/** An entry with a zone of its own to offer: the export reads a time without one in `tz` when given. */
const OPTIONS: Record<string, Parameters<typeof zonedInstantProblem>[1]> = {
  "client.outcomes.list from": { naiveHint: "or give `tz`" },
  "client.outcomes.export from": { naiveHint: "or give `tz`" },
};

describe("one rule for a date-time with a zone, every public entry", () => {
  it("each entry lists the public fields it asks (test/support/zoned-instant-fields.ts), and only entries are listed", () => {
    expect(Object.keys(FIELDS_OF_ENTRY).sort()).toEqual(Object.keys(ENTRIES).sort());
  });

  it("the entries asked a Date are the ones listed as taking one (DATE_ENTRY_NAMES)", () => {
    expect(Object.keys(DATE_ENTRIES).sort()).toEqual([...DATE_ENTRY_NAMES].sort());
  });

  it.each(TABLE)("%s: accepted %s by every entry, refused with the same words", async (value, accepted) => {
    const expected = (name: string) => (accepted ? undefined : zonedInstantProblem(value, OPTIONS[name]));
    if (!accepted) expect(expected("")).toBeDefined();
    const answers: Record<string, string | undefined> = {};
    for (const [name, entry] of Object.entries(ENTRIES)) answers[name] = await entry(value);
    expect(answers).toEqual(Object.fromEntries(Object.keys(ENTRIES).map((name) => [name, expected(name)])));
  });

  it.each(DATE_TABLE)(
    "%s: taken by every entry that takes a Date, else refused with the same words",
    async (_, value, accepted) => {
      const answers: Record<string, string | undefined> = {};
      for (const [name, entry] of Object.entries(DATE_ENTRIES)) answers[name] = await entry(value);
      const expected = accepted ? undefined : INVALID_DATE_RULE;
      expect(answers).toEqual(Object.fromEntries(Object.keys(DATE_ENTRIES).map((name) => [name, expected])));
    },
  );

  it("a refusal on a connected client sends nothing to CXone (the emulator's request log stays empty)", async () => {
    await adminCall(emu.url, "DELETE", "/requests");
    const bad = "2026-03-01T09:00:00";
    const nan = new Date(Number.NaN);
    const refusals: Array<[string, () => unknown]> = [
      [
        "from",
        () => client.outcomes.list({ campaignId: campaign, from: nan, to: LATER }).toArray({ limit: 1 }),
      ],
      [
        "from",
        () => client.outcomes.export({ campaignId: campaign, from: bad, to: LATER }, { out: out("e") }),
      ],
      [
        "updatedSince",
        () => client.outcomes.exportChanges({ campaignId: campaign, updatedSince: nan }, { out: out("c") }),
      ],
      [
        "from",
        () => client.compliance.evidence({ campaignId: campaign, from: nan, to: LATER, out: out("v") }),
      ],
      ["from", () => client.strategy.learn({ campaignId: campaign, from: nan, to: LATER }, { campaign })],
      ["at", () => client.consent.revoke({ phone: PHONE, at: nan, channel: "sms" })],
      ["at", () => client.consent.grant({ phone: PHONE, purpose: "telemarketing", written: true, at: bad })],
      ["at", () => client.callbacks.schedule({ phone: "+12125550123", at: bad, campaign: "123" })],
      ["at", () => client.callbacks.schedule({ phone: "+12125550123", at: nan, campaign: "123" })],
      [
        "from",
        () =>
          client.dialer
            .metrics({ campaignId: campaign, metrics: ["efficiency"], from: nan, to: LATER })
            .toArray(5),
      ],
      [
        "timestamp",
        () =>
          client.interactions.setDisposition("123456", {
            code: "1",
            description: "Sale",
            agentId: "1001",
            timestamp: nan,
          }),
      ],
      [
        "timestamp",
        () =>
          client.interactions.setDisposition("123456", {
            code: "1",
            description: "Sale",
            agentId: "1001",
            timestamp: bad,
          }),
      ],
      ["from", () => client.consent.report({ from: nan })],
      ["from", () => client.callerId.health({ campaign, from: nan })],
    ];
    for (const [field, run] of refusals) expect(await ruleOf(field, run), String(run)).toBeDefined();
    const log = (await adminCall(emu.url, "GET", "/requests")) as { requests: unknown[] };
    expect(log.requests).toEqual([]);
  });

  it("the CLI's flags: the same strings taken (a metrics query answered), the rest exit 2 naming the flag with the same words", async () => {
    await adminCall(emu.url, "DELETE", "/requests");
    const flags: Array<[string, (v: string) => string[]]> = [
      ["--from", (v) => ["dialer", "metrics", "--campaign", campaign, "--from", v, "--to", LATER]],
      ["--at", (v) => ["compliance", "check", "--phone", PHONE, "--at", v]],
      [
        "--at",
        (v) => [
          "consent",
          "grant",
          "--phone",
          PHONE,
          "--purpose",
          "telemarketing",
          "--written",
          "yes",
          "--at",
          v,
        ],
      ],
    ];
    const jobs = flags.flatMap(([, args]) =>
      TABLE.map(([value]) => {
        const dir = mkdtempSync(path.join(tmpdir(), "cxo-zoned-cli-"));
        return { args: args(value), env: env(dir), cwd: dir };
      }),
    );
    const results = await runCliBatch(jobs);
    for (const [f, [flag]] of flags.entries())
      for (const [i, [value, accepted]] of TABLE.entries()) {
        const result = results[f * TABLE.length + i]!;
        const where = `cxo ${jobs[f * TABLE.length + i]!.args.slice(0, 2).join(" ")} ${flag} ${value}: ${result.stderr}`;
        if (accepted) {
          expect(result.code, where).toBe(0);
          expect(result.stderr, where).not.toContain(`${flag}:`);
        } else {
          expect(result.code, where).toBe(2);
          expect(result.stderr, where).toBe(`error: ${flag}: ${zonedInstantProblem(value)}\n`);
        }
      }
    // The metrics queries taken went out as RFC 3339 and the platform answered each.
    const log = (await adminCall(emu.url, "GET", "/requests")) as {
      requests: Array<{ path: string; status: number }>;
    };
    const metrics = log.requests.filter((r) => /metrics/.test(r.path));
    expect(metrics.length).toBeGreaterThanOrEqual(TABLE.filter(([, ok]) => ok).length);
    expect(metrics.filter((r) => r.status >= 400)).toEqual([]);
  }, 120_000);
});
