import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningCxoneEmulator } from "../../src/emulator/index.ts";
import { accessKeyEnv, cxoneApi } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { runCli } from "../support/run-cli.ts";
import {
  autopilotEmulator,
  clockAt,
  unpinClock,
  uploadedLists,
  writeAutopilotConfig,
  writeList,
  writeModel,
} from "./fixture.ts";

/**
 * Issue 101 §4 and §5: a DNC outage of 12 hours (CXone's DNC routes answering 503) left Tuesday
 * 57% dialled — every re-plan's push failed on `GET /dnc-groups`. While the local copy of the DNC
 * groups is within its freshness rule a re-plan is pushed on it; a revocation recorded during the
 * outage is taken out of the day's lists by cxo (CXone's group cannot be told); past the rule the
 * campaign plans and pushes nothing and says so at once (an attention item, exit 1).
 */
let emulator: RunningCxoneEmulator;
let skillId = "";
let consentGroup = 0;

beforeAll(async () => {
  ({ emulator, skillId } = await autopilotEmulator());
  const fixtures = (await adminCall(emulator.url, "GET", "/fixtures")) as {
    dncGroups: Array<{ dncGroupId: number; isActive: boolean; scrubbedSkillIds: number[] }>;
  };
  const group = fixtures.dncGroups.find((g) => g.isActive && g.scrubbedSkillIds.includes(Number(skillId)));
  consentGroup = group?.dncGroupId ?? 0;
}, 60_000);

afterAll(async () => {
  unpinClock();
  await emulator?.close();
});

const DEBT = "+12125557621";
const SIBLING = "+12125557622";
const REVOKED = "+12125557623";

function campaignDir(name: string, maxAgeMinutes: number, withConsentGroup = true) {
  const dir = mkdtempSync(path.join(tmpdir(), `cxo-autopilot-dnc-${name}-`));
  const file = (f: string) => path.join(dir, f);
  writeModel(file("model.json"), skillId, (hour) => Math.max(10, 400 - hour * 15));
  writeList(file("list.csv"), [
    ["o1", DEBT, "ACC-O"],
    ["o2", SIBLING, "ACC-O"],
    ["o3", REVOKED, "ACC-R"],
  ]);
  writeAutopilotConfig(file("cxo.config.yaml"), {
    skillId,
    list: file("list.csv"),
    model: file("model.json"),
    morning: "07:00",
    evening: "21:00",
    retryUnanswered: 0,
    // The outage's 503s are retried (at most twice a request, the last test's point): a retry's
    // wait of 20–200 ms instead of the default 200 ms–20 s, the same attempts.
    backoff: { baseMs: 20, capMs: 200 },
    ...(withConsentGroup ? { consent: { group: consentGroup, maxAgeMinutes } } : {}),
  });
  const cli = (at: string, args: string[]) =>
    runCli(
      ["--config", file("cxo.config.yaml"), "--json", ...args],
      { ...accessKeyEnv(emulator), CXO_DATA_DIR: file(".cxo"), ...clockAt(at) },
      { cwd: dir, timeoutMs: 90_000 },
    );
  const run = async (at: string) => {
    const result = await cli(at, ["autopilot", "run", "--once"]);
    const answer = JSON.parse(result.stdout) as {
      campaigns: Array<{
        steps: Array<{ step: string; ok: boolean; text: string }>;
        attention?: { code: string; text: string };
      }>;
    };
    return {
      code: result.code,
      stderr: result.stderr,
      steps: answer.campaigns[0]?.steps ?? [],
      attention: answer.campaigns[0]?.attention,
    };
  };
  return { cli, run };
}

const dncDown = () =>
  adminCall(emulator.url, "POST", "/faults", { group: "dnc", errorRate: 1, errorStatus: 503 });
const dncUp = () => adminCall(emulator.url, "DELETE", "/faults");
/** The numbers a list's dialer dialled by `until` (answering none). */
async function dials(listId: number, until: string): Promise<string[]> {
  await adminCall(emulator.url, "POST", `/lists/${listId}/dial`, { until, answer: "none" });
  const got = (await adminCall(emulator.url, "GET", `/lists/${listId}/dials`)) as {
    dials: Array<{ phone: string }>;
  };
  return got.dials.map((d) => d.phone);
}

describe("a DNC outage (CXone's DNC routes answering 503)", () => {
  it("within the copy's freshness rule: the re-plan is pushed, and a revocation made during it is taken out of the day's list", async () => {
    const c = campaignDir("fresh", 300);
    const morning = await c.run("2026-12-08T07:05:00-05:00");
    expect(morning.code, morning.stderr).toBe(0);
    const morningList = Number((await uploadedLists(emulator)).at(-1));
    try {
      await dncDown();
      const revoked = await c.cli("2026-12-08T07:20:00-05:00", [
        "consent",
        "revoke",
        "--phone",
        REVOKED,
        "--channel",
        "sms",
      ]);
      expect(revoked.code, revoked.stderr).toBe(0);
      // The next run (CXone's DNC group not answering) takes the revoked number out of the list.
      const next = await c.run("2026-12-08T07:35:00-05:00");
      expect(next.code, next.stderr).toBe(0);
      expect(next.steps.map((s) => s.text)).toContain(
        `1 record(s) of revoked numbers taken out of list ${morningList} (CXone's DNC group not answering)`,
      );
      // The first number's window (09:00, the skill's first hour) closes unanswered; the revoked
      // number is not dialled.
      const dialled = await dials(morningList, "2026-12-08T09:59:00-05:00");
      expect(dialled).toContain(DEBT);
      expect(dialled).not.toContain(REVOKED);
      const replan = await c.run("2026-12-08T10:05:00-05:00");
      // The honour step has failed since 07:35, past escalateAfterMinutes: an attention item (exit
      // 1), and the day goes on all the same.
      expect(replan.code, replan.stderr).toBe(1);
      expect(replan.attention?.code).toBe("server_error");
      expect(replan.steps.find((s) => s.step === "replan")?.text).toMatch(/1 held record\(s\) planned again/);
      expect(
        replan.steps
          .filter((s) => s.step === "push" && s.ok)
          .map((s) => s.text)
          .join("\n"),
      ).toMatch(/1 record\(s\) on list \d+/);
    } finally {
      await dncUp();
    }
  }, 180_000);

  it("past the copy's freshness rule, on a skill a DNC group scrubs: the re-plan is pushed; a number added to the group during the outage is not dialled by CXone; the item says why", async () => {
    const c = campaignDir("stale", 60);
    expect((await c.run("2026-12-09T07:05:00-05:00")).code).toBe(0);
    const morningList = Number((await uploadedLists(emulator)).at(-1));
    try {
      await dncDown();
      const revoked = await c.cli("2026-12-09T07:20:00-05:00", [
        "consent",
        "revoke",
        "--phone",
        REVOKED,
        "--channel",
        "sms",
      ]);
      expect(revoked.code, revoked.stderr).toBe(0);
      // An agent's Do Not Call reaches the consent group in CXone during the outage (CXone itself
      // answers the group's contributing skill; here another data dir writes it, so this cxo's
      // copy and ledger never hear of it).
      await dncUp();
      await cxoneApi(emulator, "POST", `/dnc-groups/${consentGroup}/records`, {
        dncGroupRecords: [{ phoneNumber: SIBLING.slice(2) }],
      });
      await dncDown();
      // 08:35: the copy (synced at 07:05) is past its 60 minutes; the revoked number leaves the list all the same.
      const stale = await c.run("2026-12-09T08:35:00-05:00");
      expect(stale.steps.map((s) => s.text)).toContain(
        `1 record(s) of revoked numbers taken out of list ${morningList} (CXone's DNC group not answering)`,
      );
      const dialled = await dials(morningList, "2026-12-09T09:59:00-05:00");
      expect(dialled).toContain(DEBT);
      expect(dialled).not.toContain(REVOKED);
      const before = (await uploadedLists(emulator)).length;
      // 10:05: the held sibling is planned again and pushed over the old copy (its skill is
      // scrubbed by the consent group, which CXone applies at dial time); the episode (since 08:35)
      // is past escalateAfterMinutes: the item says the copy is stale and why the push goes on.
      const goesOn = await c.run("2026-12-09T10:05:00-05:00");
      expect(goesOn.code, goesOn.stderr).toBe(1);
      expect(goesOn.attention?.code).toBe("cxone_dnc_copy_stale");
      expect(goesOn.attention?.text).toMatch(
        /past its freshness rule .*the push goes on: skill \d+ is scrubbed by the active DNC group/,
      );
      expect(goesOn.steps.find((s) => s.step === "replan")?.text).toMatch(/1 held record\(s\) planned again/);
      const lists = await uploadedLists(emulator);
      expect(lists.length).toBe(before + 1);
      const replanList = Number(lists.at(-1));
      // The re-plan's list holds the sibling (cxo's copy does not know the group has it).
      const fixtures = (await adminCall(emulator.url, "GET", "/fixtures")) as {
        callingLists: Array<{ listId: number; size: number }>;
      };
      expect(fixtures.callingLists.find((l) => l.listId === replanList)?.size).toBe(1);
      // CXone's dialer scrubs the number the agent put in the group: never dialled from the list.
      expect(await dials(replanList, "2026-12-09T20:59:00-05:00")).not.toContain(SIBLING);
    } finally {
      await dncUp();
      await cxoneApi(emulator, "DELETE", `/dnc-groups/${consentGroup}/records`, {
        dncGroupRecords: [{ phoneNumber: SIBLING.slice(2) }],
      }).catch(() => undefined);
    }
    // CXone answers again: the copy is synced, the item closes.
    const back = await c.run("2026-12-09T10:35:00-05:00");
    expect(back.code, back.stderr).toBe(0);
    expect(back.attention).toBeUndefined();
  }, 180_000);

  it("past the copy's freshness rule, on a skill no DNC group scrubs: nothing planned or pushed, an attention item at once, exit 1", async () => {
    const fixtures = (await adminCall(emulator.url, "GET", "/fixtures")) as {
      dncGroups: Array<{ dncGroupId: number; isActive: boolean; scrubbedSkillIds: number[] }>;
    };
    const scrubbing = fixtures.dncGroups.filter(
      (g) => g.isActive && g.scrubbedSkillIds.includes(Number(skillId)),
    );
    for (const g of scrubbing)
      await cxoneApi(emulator, "DELETE", `/dnc-groups/${g.dncGroupId}/scrubbed-skills/${skillId}`);
    try {
      // No consent group (none scrubs the skill): cxo's copy would be the skill's only DNC guard.
      const c = campaignDir("unscrubbed", 60, false);
      const morning = await c.run("2026-12-10T07:05:00-05:00");
      expect(morning.code, morning.stderr).toBe(0);
      try {
        await dncDown();
        await dials(Number((await uploadedLists(emulator)).at(-1)), "2026-12-10T09:59:00-05:00");
        const before = (await uploadedLists(emulator)).length;
        const blind = await c.run("2026-12-10T10:05:00-05:00");
        expect(blind.code).toBe(1);
        expect(blind.attention?.code).toBe("cxone_dnc_copy_stale");
        expect(blind.steps.map((s) => s.text).join("\n")).toMatch(
          /past its freshness rule.*scrubbed by no active DNC group in the last copy/,
        );
        expect((await uploadedLists(emulator)).length).toBe(before);
      } finally {
        await dncUp();
      }
    } finally {
      for (const g of scrubbing)
        await cxoneApi(emulator, "POST", `/dnc-groups/${g.dncGroupId}/scrubbed-skills/${skillId}`);
    }
  }, 180_000);

  it("a run during the outage tries each request at most twice (honour's writes, the push's DNC reads): the next run tries again, so no run waits out a request's retries (a few seconds each)", async () => {
    const c = campaignDir("attempts", 300);
    const morning = await c.run("2026-12-11T07:05:00-05:00");
    expect(morning.code, morning.stderr).toBe(0);
    const failedByRoute = async () => {
      const log = (await adminCall(emulator.url, "GET", "/requests")) as {
        requests: Array<{ method: string; path: string; status: number }>;
      };
      await adminCall(emulator.url, "DELETE", "/requests");
      const failed = new Map<string, number>();
      for (const r of log.requests.filter((r) => r.status === 503)) {
        const key = `${r.method} ${r.path.replace(/^.*\/v\d+\.\d+/, "")}`;
        failed.set(key, (failed.get(key) ?? 0) + 1);
      }
      return failed;
    };
    try {
      await dncDown();
      await c.cli("2026-12-11T07:20:00-05:00", ["consent", "revoke", "--phone", REVOKED, "--channel", "sms"]);
      await adminCall(emulator.url, "DELETE", "/requests");
      // Honour alone: one request a route (the revocation's search, the group's write), two attempts.
      const next = await c.run("2026-12-11T07:35:00-05:00");
      expect(next.code, next.stderr).toBe(0);
      const honour = await failedByRoute();
      expect(honour.size).toBeGreaterThan(0);
      expect(Math.max(...honour.values())).toBeLessThanOrEqual(2);
      // A run that plans again and pushes reads CXone's DNC groups for its three numbers: at most
      // two attempts each with honour's (six each before: 18 and more on the search alone).
      const replan = await c.run("2026-12-11T10:05:00-05:00");
      expect(replan.steps.some((s) => s.step === "push")).toBe(true);
      const push = await failedByRoute();
      expect(push.get("POST /dnc-groups/search")).toBeGreaterThan(0);
      expect(push.get("POST /dnc-groups/search")).toBeLessThanOrEqual(8);
    } finally {
      await dncUp();
    }
  }, 180_000);
});
