import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import { InputError } from "../../src/core/input-error.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { accessKeyEnv, accessKeySettings, cxoneApi } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { GENEROUS_LIMITS } from "../support/generous-limits.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 77 §1's goal on the production emulator: three skills, a list pushed to each, then
 * revocations by several paths in every scope (tenant, campaign, all, account; a revoke, an
 * import, an agent's "Do Not Call" set in CXone with no service running), honoured without the
 * service (`consent honour`, or simply the next push): CXone's list dialer then dials no revoked
 * number on a skill in its scope — and still dials it on a skill outside it, and dials the
 * numbers nobody revoked. A consent group that stops scrubbing a skill cxo pushed to is found by
 * `consent.coverage()` and `doctor`, and a push to that skill is refused with nothing sent.
 */
const HOUR = 3_600_000;
const SALES = "201";
const RENEWALS = "202";
const COLLECTIONS = "203";
let cxone: RunningCxoneEmulator;
let client: InternalClient;
let consentGroup = "";
let dataDir = "";
// A Wednesday 09:00 New York: the records go out, and are dialled, the same day.
const base = Date.parse("2026-12-02T14:00:00Z");
let clock: ReturnType<typeof pinClock>;
const at = (hours: number) => new Date(base + hours * HOUR).toISOString().replace(".000Z", "Z");

const N = {
  tenant: "+13125552001",
  campaign: "+13125552002",
  all: "+13125552003",
  account1: "+13125552004",
  account2: "+13125552005",
  imported: "+13125552006",
  kept: "+13125552007",
};

function rowsFor(skill: string, numbers: Array<[string, string]>) {
  return numbers.map(([phone, accountId], i) => ({
    recordId: `${skill}-${i}`,
    phone,
    accountId,
    attemptAt: at(1 + i * 0.5),
    zone: "America/Chicago",
    slot: 10,
    attempt: 1,
    estimate: 0.125,
    interval: [0.1, 0.15],
    ruledOut: [],
    campaign: skill,
    staleMinutes: 59,
  }));
}

async function dialled(listId: string): Promise<string[]> {
  await adminCall(cxone.url, "POST", `/lists/${listId}/dial`, { until: at(10), timing: "random" });
  const { dials } = (await adminCall(cxone.url, "GET", `/lists/${listId}/dials`)) as {
    dials: Array<{ phone: string }>;
  };
  return [...new Set(dials.map((d) => d.phone))].sort();
}

beforeAll(async () => {
  clock = pinClock(new Date(base).toISOString());
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 31,
    contacts: 60,
    days: 1,
    uploadJobPolls: 2,
  })) as RunningCxoneEmulator;
  await adminCall(cxone.url, "POST", "/knobs", { warehouseLagS: 0 });
  await adminCall(cxone.url, "POST", `/skills/${RENEWALS}/live`, { isRunning: true });
  dataDir = mkdtempSync(path.join(tmpdir(), "cxo-stop-scopes-"));
  const options = {
    ...clientOptionsFromSettings(accessKeySettings(cxone)),
    rateLimits: GENEROUS_LIMITS,
    dataDir,
  };
  // The tenant's consent group, scrubbing the three skills (made as an administrator would).
  const setup = createInternalClient(options);
  const group = await setup.port.dncGroups!.create("Consent revocations", "cxo test", undefined);
  for (const skill of [SALES, RENEWALS, COLLECTIONS])
    await setup.port.dncGroups!.scrubSkill(group.groupId, skill);
  await setup.close();
  consentGroup = group.groupId;
  client = createInternalClient({ ...options, consent: { cxoneDncGroup: consentGroup } });
});
afterAll(async () => {
  clock?.restore();
  await client?.close();
  await cxone?.close();
});

describe("a revocation after the push stops CXone's dialer, in its scope, by every path", () => {
  it("0 dials to a revoked number on a skill in its scope; dialled outside it; the others dialled", async () => {
    const f = cxone.fixtures;
    // An agent's "Do Not Call" in CXone, on a live call of the collections skill (no service running).
    const dnc = f.dispositions.find((d) => d.dispositionName === "Do Not Call")!;
    const { contacts } = (await adminCall(cxone.url, "POST", `/skills/${COLLECTIONS}/contacts`, {
      count: 1,
    })) as {
      contacts: Array<{ contactId: number }>;
    };
    const contactId = String(contacts[0]!.contactId);
    const agentSaid = (await client.port.dispositions.getCall(contactId)).phone as string;

    const lists: Record<string, string> = {};
    const plan: Record<string, Array<[string, string]>> = {
      [SALES]: [
        [N.tenant, "ACC-T"],
        [N.all, "ACC-L"],
        [N.account1, "ACC-1"],
        [N.imported, "ACC-I"],
        [N.kept, "ACC-K"],
      ],
      [RENEWALS]: [
        [N.campaign, "ACC-C"],
        [N.kept, "ACC-K"],
      ],
      [COLLECTIONS]: [
        [N.tenant, "ACC-T"],
        [N.campaign, "ACC-C"],
        [N.account2, "ACC-1"],
        [agentSaid, "ACC-D"],
        [N.kept, "ACC-K"],
      ],
    };
    for (const [skill, numbers] of Object.entries(plan)) {
      const pushed = await client.strategy.push(rowsFor(skill, numbers), {
        campaign: skill,
        listName: `list ${skill}`,
      });
      expect(pushed.records).toBe(numbers.length);
      lists[skill] = pushed.listId;
    }

    // After the push, by every path and scope.
    const earlier = new Date(base - 60_000).toISOString();
    await client.consent.revoke({ phone: N.tenant, channel: "sms", at: earlier });
    await client.consent.revoke({
      phone: N.campaign,
      channel: "email",
      scope: `campaign:${RENEWALS}`,
      at: earlier,
    });
    await client.consent.revoke({ phone: N.all, channel: "web", scope: "all", at: earlier });
    // The account alone: every number cxo read for it (pushed to two skills).
    await client.consent.revoke({ account: "ACC-1", channel: "mail", at: earlier });
    const file = path.join(mkdtempSync(path.join(tmpdir(), "cxo-import-")), "stops.csv");
    writeFileSync(file, `phone,at,channel\n${N.imported},${earlier},sms\n`);
    await client.consent.import({ file });
    await client.port.dispositions.setCallDisposition(contactId, {
      dispositionCodeId: String(dnc.dispositionId),
      tags: [],
    });
    await adminCall(cxone.url, "POST", `/contacts/${contactId}/end`);

    // No service: `consent honour` (as a cron job runs it) reads the agents' dispositions first.
    // Six minutes on: past the dispositions' freshness (consent.dispositionsMaxAgeMinutes, 5).
    clock.restore();
    clock = pinClock(new Date(base + 6 * 60_000).toISOString());
    // (Each revoke and import honoured what it recorded at once; this run adds the agent's.)
    const honoured = await client.consent.honour();
    expect(honoured).toMatchObject({ sent: 1 });
    const coverage = await client.consent.coverage();
    expect(coverage).toMatchObject({ platform: true, skills: [SALES, RENEWALS, COLLECTIONS], gaps: [] });

    expect(await dialled(lists[SALES]!)).toEqual([N.kept]);
    // The campaign scope stops renewals only.
    expect(await dialled(lists[RENEWALS]!)).toEqual([N.kept]);
    expect(await dialled(lists[COLLECTIONS]!)).toEqual([N.campaign, N.kept].sort());

    // The group cxo keeps for renewals scrubs renewals alone; the consent group never got the
    // campaign-scoped number.
    const groups = await client.port.dncGroups!.list();
    expect(groups.filter((g) => g.name.startsWith("cxo consent"))).toEqual([
      expect.objectContaining({
        name: `cxo consent - skill ${RENEWALS}`,
        scrubbedSkillIds: [RENEWALS],
      }),
    ]);
    const consentRecords = (await adminCall(cxone.url, "GET", `/dnc-groups/${consentGroup}`)) as {
      records: Array<{ phone: string; sent: number }>;
    };
    const phones = consentRecords.records.map((r) => r.phone);
    expect(phones).toEqual(
      expect.arrayContaining([N.tenant, N.all, N.account1, N.account2, N.imported, agentSaid]),
    );
    expect(phones).not.toContain(N.campaign);
    for (const r of consentRecords.records) expect(r.sent).toBe(1);

    // Again: nothing sent twice, no second group made.
    const again = await client.consent.honour();
    expect(again).toMatchObject({ sent: 0 });
    expect(
      (await client.port.dncGroups!.list()).filter((g) => g.name.startsWith("cxo consent")),
    ).toHaveLength(1);
  });

  it("the next push to any skill carries a revocation to the lists already pushed", async () => {
    const late = "+13125552101";
    // A number and debt of their own: N.kept's debt was called earlier in this file, and every
    // call of a debt now counts (Regulation F), whichever list it was on.
    const kept = "+13125552103";
    const first = await client.strategy.push(
      rowsFor(SALES, [
        [late, "ACC-X"],
        [kept, "ACC-Z"],
      ]),
      {
        campaign: SALES,
        listName: "late sales",
      },
    );
    // CXone refuses the group write when the revocation comes (a 503): recorded, pending.
    await adminCall(cxone.url, "POST", "/faults", {
      group: "dnc",
      route: "POST /dnc-groups/:groupId/records",
      errorRate: 1,
      errorStatus: 503,
      count: 10,
    });
    const revoked = await client.consent.revoke({
      phone: late,
      channel: "sms",
      at: new Date(base - 30_000).toISOString(),
    });
    expect(revoked.cxoneDelayed).toBeDefined();
    await adminCall(cxone.url, "DELETE", "/faults");
    // No honour run, no service: the next push, to another skill, sends it first.
    await client.strategy.push(rowsFor(COLLECTIONS, [["+13125552102", "ACC-Y"]]), {
      campaign: COLLECTIONS,
      listName: "late collections",
    });
    expect(await dialled(first.listId)).toEqual([kept]);
  });

  it("a skill the consent group stops scrubbing: coverage and doctor name it, a push to it is refused, nothing sent", async () => {
    // Someone takes collections off the consent group in CXone.
    await cxoneApi(cxone, "DELETE", `/dnc-groups/${consentGroup}/scrubbed-skills/${COLLECTIONS}`);
    const coverage = await client.consent.coverage();
    expect(coverage.gaps).toEqual([
      expect.objectContaining({
        skill: COLLECTIONS,
        scope: "tenant",
        reason: expect.stringContaining("does not scrub skill 203"),
      }),
    ]);
    const report = await client.doctor.run();
    expect(report.matches).toBe(false);
    expect(report.facts.find((f) => f.id === "consentCoverage")).toMatchObject({ matches: false });

    // The CLI a cron job runs says it, and exits 1.
    const cwd = mkdtempSync(path.join(tmpdir(), "cxo-coverage-cli-"));
    writeFileSync(path.join(cwd, "cxo.config.yaml"), `consent:\n  cxoneDncGroup: ${consentGroup}\n`);
    const honour = await runCli(
      ["consent", "honour"],
      { ...accessKeyEnv(cxone), ...cliClockEnv(), CXO_DATA_DIR: dataDir },
      { cwd },
    );
    expect(honour.code).toBe(1);
    expect(honour.stdout).toContain(`COVERAGE GAP: skill ${COLLECTIONS}:`);

    await adminCall(cxone.url, "DELETE", "/requests");
    const refused = await client.strategy
      .push(rowsFor(COLLECTIONS, [["+13125552201", "ACC-Z"]]), { campaign: COLLECTIONS, listName: "refused" })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InputError);
    expect(String((refused as Error).message)).toMatch(/does not scrub skill 203/);
    const log = (await adminCall(cxone.url, "GET", "/requests")) as {
      requests: Array<{ method: string; path: string }>;
    };
    expect(log.requests.filter((r) => r.method !== "GET" && /call-lists/.test(r.path))).toEqual([]);
  });
});
