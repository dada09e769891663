import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { accessKeyEnv, accessKeySettings, cxoneApi } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { GENEROUS_LIMITS } from "../support/generous-limits.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * The group cxo keeps for one skill's campaign-scoped revocations loses its link to the skill
 * behind cxo's back (someone removes the skill from its "Scrubbed" tab): the next honour run links
 * it again (journaled and audited), so a campaign-scoped revocation recorded after the unlinking is
 * not dialled by CXone; while the link cannot be made again, the group's revocations are not
 * reported honoured in CXone.
 */
const HOUR = 3_600_000;
const SKILL = "201";
const base = Date.parse("2026-12-02T14:00:00Z");
const at = (hours: number) => new Date(base + hours * HOUR).toISOString().replace(".000Z", "Z");
let cxone: RunningCxoneEmulator;
let client: InternalClient;
let clock: ReturnType<typeof pinClock>;
let dataDir = "";
let cwd = "";

const FIRST = "+13125553001";
const AFTER = "+13125553002";
const KEPT = "+13125553003";

function rows(numbers: string[]) {
  return numbers.map((phone, i) => ({
    recordId: `r-${i}-${phone.slice(-4)}`,
    phone,
    accountId: `ACC-${phone.slice(-4)}`,
    attemptAt: at(1 + i * 0.5),
    zone: "America/Chicago",
    slot: 10,
    attempt: 1,
    estimate: 0.125,
    interval: [0.1, 0.15],
    ruledOut: [],
    campaign: SKILL,
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

const honourCli = () =>
  runCli(["consent", "honour"], { ...accessKeyEnv(cxone), ...cliClockEnv(), CXO_DATA_DIR: dataDir }, { cwd });

async function skillGroup(): Promise<{ groupId: string; scrubbedSkillIds: string[] }> {
  const groups = await client.port.dncGroups!.list();
  return groups.find((g) => g.name === `cxo consent - skill ${SKILL}`)!;
}

beforeAll(async () => {
  clock = pinClock(new Date(base).toISOString());
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 31,
    contacts: 30,
    days: 1,
    uploadJobPolls: 2,
  })) as RunningCxoneEmulator;
  await adminCall(cxone.url, "POST", "/knobs", { warehouseLagS: 0 });
  dataDir = mkdtempSync(path.join(tmpdir(), "cxo-relink-"));
  const options = {
    ...clientOptionsFromSettings(accessKeySettings(cxone)),
    rateLimits: GENEROUS_LIMITS,
    dataDir,
  };
  const setup = createInternalClient(options);
  const group = await setup.port.dncGroups!.create("Consent revocations", "cxo test", undefined);
  await setup.port.dncGroups!.scrubSkill(group.groupId, SKILL);
  await setup.close();
  client = createInternalClient({ ...options, consent: { cxoneDncGroup: group.groupId } });
  cwd = mkdtempSync(path.join(tmpdir(), "cxo-relink-cli-"));
  writeFileSync(path.join(cwd, "cxo.config.yaml"), `consent:\n  cxoneDncGroup: ${group.groupId}\n`);
});
afterAll(async () => {
  clock?.restore();
  await client?.close();
  await cxone?.close();
});

describe("a skill's own consent group that lost its skill", () => {
  it("is linked again by one honour run, and the campaign-scoped number is not dialled", async () => {
    const pushed = await client.strategy.push(rows([FIRST, AFTER, KEPT]), {
      campaign: SKILL,
      listName: "relink",
    });
    const earlier = new Date(base - 60_000).toISOString();
    await client.consent.revoke({ phone: FIRST, channel: "sms", scope: `campaign:${SKILL}`, at: earlier });
    const made = await skillGroup();
    expect(made.scrubbedSkillIds).toEqual([SKILL]);

    // Behind cxo's back: the skill is taken off the group's Scrubbed tab.
    await cxoneApi(cxone, "DELETE", `/dnc-groups/${made.groupId}/scrubbed-skills/${SKILL}`);
    await client.consent.revoke({ phone: AFTER, channel: "sms", scope: `campaign:${SKILL}`, at: earlier });

    const honour = await honourCli();
    expect(honour.stderr).toBe("");
    expect(honour.code).toBe(0);
    expect(honour.stdout).not.toContain("COVERAGE GAP");
    expect((await skillGroup()).scrubbedSkillIds).toEqual([SKILL]);
    expect(await dialled(pushed.listId)).toEqual([KEPT]);

    // The link made again is in the audit chain, with who made it.
    const audit = await runCli(["audit", "tail", "--json"], { CXO_DATA_DIR: dataDir, ...cliClockEnv() });
    expect(audit.stdout).toContain("consent.skill-group.relink");
    const report = await client.consent.report();
    for (const entry of report.entries) expect(entry.honouredAt).not.toBeNull();
  });

  it("while CXone refuses the link, the group's revocations are not honoured in CXone (report, exit 1)", async () => {
    const made = await skillGroup();
    await cxoneApi(cxone, "DELETE", `/dnc-groups/${made.groupId}/scrubbed-skills/${SKILL}`);
    await adminCall(cxone.url, "POST", "/faults", {
      group: "dnc",
      route: "POST /dnc-groups/:groupId/scrubbed-skills/:skillId",
      errorRate: 1,
      errorStatus: 503,
      count: 1000,
    });
    const refused = await honourCli();
    expect(refused.code).toBe(1);
    const report = await client.consent.report();
    const scoped = report.entries.filter((e) => e.scope === `campaign:${SKILL}`);
    expect(scoped).toHaveLength(2);
    for (const entry of scoped) {
      expect(entry.honouredAt).toBeNull();
      expect(entry.cxone.status).toBe("unlinked");
    }

    await adminCall(cxone.url, "DELETE", "/faults");
    const relinked = await honourCli();
    expect(relinked.code).toBe(0);
    const after = await client.consent.report();
    for (const entry of after.entries) expect(entry.honouredAt).not.toBeNull();
  });
});
