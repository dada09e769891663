import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient } from "../../src/client.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { accessKeyEnv, accessKeySettings, cxoneApiGet } from "../support/cxone-access-key.ts";
import { GENEROUS_LIMITS } from "../support/generous-limits.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import type { CliResult } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";

/**
 * A UK person's revocation, from the CLI on the production emulator: `consent revoke --phone
 * +44…`, a file's row (`consent import`) and the SDK's `consent.revoke` are recorded like a US
 * number's, written to the tenant's CXone DNC group (as 44 and the national digits), left out of
 * a push (`consent_revoked`) and listed by `consent report`. Before, each was refused as "not an
 * E.164 North American number" (exit 2), and nothing stopped a push from sending the number.
 */
const START = "2026-12-02T10:00:00Z"; // a Wednesday: 10:00 in London
const SAID = "+447700900201";
const FILED = "+442079460202";
const BY_SDK = "+447700900203";
const CLEAN = "+442079460204";
const OF_ACCOUNT = "+447700900205";
const ACCOUNT = "UK-ACC-9";
const US = "+13125557402";
let emulator: RunningCxoneEmulator;
let skillId = "";
let groupId = 0;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-uk-revoke-"));
const file = (name: string) => path.join(dir, name);
let clock: ReturnType<typeof pinClock>;
let env: Record<string, string> = {};

const cxo = async (...args: string[]) =>
  ((await runCliBatch([{ args, env, cwd: dir }], 1)) as [CliResult])[0];

const planRow = (recordId: string, phone: string, accountId?: string) => ({
  ...(accountId === undefined ? {} : { accountId }),
  recordId,
  phone,
  attemptAt: phone.startsWith("+44") ? "2026-12-02T14:00:00+00:00" : "2026-12-02T14:00:00-06:00",
  zone: phone.startsWith("+44") ? "Europe/London" : "America/Chicago",
  slot: 62,
  attempt: 1,
  estimate: 0.1,
  interval: [0.05, 0.15],
  ruledOut: [],
  campaign: skillId,
  staleMinutes: 59,
  kind: "collections",
});

beforeAll(async () => {
  clock = pinClock(START);
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 104,
    contacts: 10,
    days: 1,
    uploadJobPolls: 1,
  })) as RunningCxoneEmulator;
  skillId = String(
    emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")?.skillId,
  );
  groupId = emulator.fixtures.dncGroups.find((g) => g.isActive)!.dncGroupId;
  writeFileSync(
    file("cxo.config.yaml"),
    `http:\n  rateLimitScale: 100\nconsent:\n  cxoneDncGroup: "${groupId}"\n`,
  );
  writeFileSync(file("revocations.csv"), `phone,at,channel\n${FILED},2026-12-01T16:30:00+00:00,email\n`);
  env = { ...accessKeyEnv(emulator), CXO_DATA_DIR: file(".cxo"), ...cliClockEnv() };
}, 60_000);

afterAll(async () => {
  clock?.restore();
  await emulator?.close();
});

describe("a UK number's revocation", () => {
  it("consent revoke --phone +44…: recorded and written to the CXone DNC group as 44 and its digits", async () => {
    const revoked = await cxo("--json", "consent", "revoke", "--phone", SAID, "--channel", "call");
    expect(revoked.code, revoked.stderr).toBe(0);
    const entry = (JSON.parse(revoked.stdout) as { entry: { phone: string; cxone: { status: string } } })
      .entry;
    expect(entry.phone).toBe(SAID);
    expect(entry.cxone.status).toBe("done");
    const records = (await cxoneApiGet(emulator, `/dnc-groups/${groupId}/records?top=1000`)) as {
      resultSet: {
        dncRecords?: Array<{ phoneNumber: unknown }>;
        dncGroupRecords?: Array<{ phoneNumber: unknown }>;
      };
    };
    const held = (records.resultSet.dncRecords ?? records.resultSet.dncGroupRecords ?? []).map((r) =>
      String(r.phoneNumber),
    );
    expect(held).toContain("447700900201");
  });

  it("consent import of a file's UK row, and the SDK's consent.revoke, are recorded too", async () => {
    const imported = await cxo("--json", "consent", "import", "--file", file("revocations.csv"));
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ rows: 1, added: 1 });
    const client = createInternalClient({
      ...clientOptionsFromSettings(accessKeySettings(emulator)),
      rateLimits: GENEROUS_LIMITS,
      dataDir: file(".cxo"),
      consent: { cxoneDncGroup: String(groupId) },
    });
    try {
      const result = await client.consent.revoke({ phone: BY_SDK, channel: "sms" });
      expect(result.entry.phone).toBe(BY_SDK);
    } finally {
      await client.close();
    }
  });

  it("a push leaves the revoked UK numbers out (consent_revoked), an account's too, and sends the others", async () => {
    // The debtor revoked for the account; its UK number is first read in the plan pushed.
    const revoked = await cxo("--json", "consent", "revoke", "--account", ACCOUNT, "--channel", "mail");
    expect(revoked.code, revoked.stderr).toBe(0);
    writeFileSync(
      file("plan.ndjson"),
      `${[
        planRow("said", SAID),
        planRow("filed", FILED),
        planRow("sdk", BY_SDK),
        planRow("clean", CLEAN),
        planRow("account", OF_ACCOUNT, ACCOUNT),
        planRow("us", US),
      ]
        .map((r) => JSON.stringify(r))
        .join("\n")}\n`,
    );
    const pushed = await cxo(
      "--json",
      "strategy",
      "push",
      "--plan",
      file("plan.ndjson"),
      "--campaign",
      skillId,
      "--fit-skill",
    );
    expect(pushed.code, pushed.stderr).toBe(0);
    const summary = JSON.parse(pushed.stdout) as {
      records: number;
      blocked?: Record<string, number>;
      blockedRecords?: Array<{ recordId: string; phone: string; codes: string[] }>;
    };
    // The group's copy holds them too (cxone_dnc), as it does a US number honoured there.
    expect(summary.blocked).toMatchObject({ consent_revoked: 4 });
    expect(summary.blockedRecords?.map((r) => r.recordId).sort()).toEqual([
      "account",
      "filed",
      "said",
      "sdk",
    ]);
    for (const r of summary.blockedRecords ?? []) expect(r.codes).toContain("consent_revoked");
    expect(summary.records).toBe(2);
  });

  it("compliance check refuses a revoked UK number, citing the UK's rule", async () => {
    const checked = await cxo(
      "--json",
      "compliance",
      "check",
      "--phone",
      SAID,
      "--at",
      "2026-12-02T14:00:00Z",
    );
    const verdict = JSON.parse(checked.stdout) as {
      allowed: boolean;
      reasons: Array<{ code: string; jurisdiction: string; ruleId: string; citation: string }>;
    };
    expect(verdict.allowed).toBe(false);
    expect(verdict.reasons.find((r) => r.code === "consent_revoked")).toMatchObject({
      jurisdiction: "GB",
      ruleId: "gb-consent-revocation",
      citation: expect.stringContaining("reg 21(1)(a)"),
    });
  });

  it("consent report lists each UK revocation", async () => {
    const report = await cxo("--json", "consent", "report", "--from", "2026-11-30T00:00:00Z");
    const parsed = JSON.parse(report.stdout) as {
      entries: Array<{ phone: string; deadline: string | null; honouredAt: string | null }>;
    };
    // The account's revocation, and the entry for its UK number found since (honour writes it).
    expect(parsed.entries.map((e) => e.phone).sort()).toEqual([
      "",
      ...[FILED, SAID, BY_SDK, OF_ACCOUNT].sort(),
    ]);
    for (const e of parsed.entries.filter((entry) => entry.phone !== "")) {
      expect(e.honouredAt).not.toBeNull();
      // UK law sets no period to honour it in (the FCC's 10 business days are not the UK's).
      expect(e.deadline).toBeNull();
    }
    expect(report.code, report.stderr).toBe(0);
  });
});
