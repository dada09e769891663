import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { syncCxoneDnc } from "../../src/compliance/cxone-dnc-sync.ts";
import type { EvidenceRecord } from "../../src/compliance/evidence/record.ts";
import { openStore } from "../../src/core/store/index.ts";
import type { DncGroup, DncGroupsPort } from "../../src/platform/ports/dnc-groups.ts";
import { type CliResult, runCli } from "../support/run-cli.ts";

/**
 * Issue 102 §1: evidence judges an attempt by the CXone DNC copy in force at its instant. A
 * number added to a group on Tuesday does not make Monday's lawful dial "not allowed" (the old
 * evidence read the copy of now: `cxone_dnc`, `ageMinutes` negative, exit 1); a number taken out
 * on Wednesday still made Tuesday's dial not allowed; an attempt older than the first copy the
 * store keeps has the copy marked `unknown`, never a reason from a later copy.
 */
const N = "+13052221000"; // Florida (America/New_York); 2026-10-05 is a Monday, EDT (UTC-4).
const root = mkdtempSync(path.join(tmpdir(), "cxo-evidence-as-of-"));
const dataDir = path.join(root, "data");
const env = { CXO_DATA_DIR: dataDir };

const groupOf = (phones: string[]): DncGroup & { phones: string[] } => ({
  groupId: "7",
  name: "Revoked",
  active: true,
  scrubbedSkillIds: ["C1"],
  records: phones.length,
  phones,
});

function portOf(group: DncGroup & { phones: string[] }): DncGroupsPort {
  return {
    list: async () => [{ ...group }],
    async *records() {
      for (const phone of group.phones) yield { phone, expiresAt: undefined };
    },
    search: async () => [],
    addRecords: async () => ({ refused: [] }),
    create: async () => {
      throw new Error("not used");
    },
    scrubSkill: async () => undefined,
  };
}

const outcome = (id: string, startTime: string) => ({
  id,
  campaignId: "C1",
  startTime,
  endTime: null,
  durationSeconds: 30,
  dispositionCode: "NO_ANSWER",
  reasonCodeId: null,
  agentId: null,
  contactId: null,
  phoneNumber: N,
  direction: "outbound",
  tags: [],
  notes: null,
  dispositionUpdatedAt: null,
  callerId: null,
  extra: null,
});

const records = (file: string): Map<string, EvidenceRecord> =>
  new Map(
    readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.startsWith('{"digest"'))
      .map((l) => JSON.parse(l) as EvidenceRecord)
      .map((r) => [r.id, r]),
  );

let byId = new Map<string, EvidenceRecord>();
let made: CliResult = { code: -1, stdout: "", stderr: "" } as CliResult;
let evidence = "";

beforeAll(async () => {
  const store = await openStore(dataDir);
  try {
    // Three syncs, each in force one minute after it started: Monday 14:00 (the group without N),
    // Tuesday 14:00 (N added), Wednesday 14:00 (N taken out again).
    const sync = (startIso: string, phones: string[]) => {
      let calls = 0;
      const start = Date.parse(startIso);
      return syncCxoneDnc(store, portOf(groupOf(phones)), { now: () => start + 60_000 * calls++ });
    };
    await sync("2026-10-05T14:00:00Z", []);
    await sync("2026-10-06T14:00:00Z", [N]);
    await sync("2026-10-07T14:00:00Z", []);
  } finally {
    await store.close();
  }
  const file = path.join(root, "outcomes.ndjson");
  const attempts = [
    outcome("before-any-copy", "2026-10-05T13:00:00.000Z"),
    outcome("monday", "2026-10-05T15:00:00.000Z"),
    outcome("tuesday", "2026-10-06T15:00:00.000Z"),
    outcome("wednesday", "2026-10-07T15:00:00.000Z"),
  ];
  writeFileSync(file, attempts.map((a) => `${JSON.stringify(a)}\n`).join(""));
  evidence = path.join(root, "evidence.ndjson");
  made = await runCli(
    ["--json", "compliance", "evidence", "--file", file, "--out", evidence, "--consent", "yes"],
    env,
  );
  byId = records(evidence);
}, 60_000);

describe("evidence judges each attempt by the CXone DNC copy in force at its instant", () => {
  it("Monday's dial, before the number was added on Tuesday, is allowed, with the copy of Monday and its age", () => {
    expect(byId.get("monday")).toMatchObject({
      allowed: true,
      reasons: [],
      suppressions: [],
      dnc: {
        cxone: {
          status: "in-force",
          syncedAt: "2026-10-05T14:00:00.000Z",
          inForceAt: "2026-10-05T14:01:00.000Z",
          ageMinutes: 60,
        },
      },
    });
  });

  it("Tuesday's dial, after the copy that has the number came into force, is not allowed (cxone_dnc)", () => {
    const tuesday = byId.get("tuesday");
    expect(tuesday?.allowed).toBe(false);
    expect(tuesday?.reasons.map((r) => r.code)).toEqual(["cxone_dnc"]);
    expect(tuesday?.dnc.cxone).toMatchObject({ syncedAt: "2026-10-06T14:00:00.000Z", ageMinutes: 60 });
  });

  it("Wednesday's dial, after the number was taken out again, is allowed", () => {
    expect(byId.get("wednesday")).toMatchObject({ allowed: true, suppressions: [] });
  });

  it("a dial older than the first copy kept: the copy is unknown, and no reason comes from a later one", () => {
    expect(byId.get("before-any-copy")).toMatchObject({
      allowed: true,
      suppressions: [],
      dnc: { cxone: { status: "unknown", firstInForceAt: "2026-10-05T14:01:00.000Z" } },
    });
  });

  it("the command counts the one dial not allowed, and --verify confirms every record", async () => {
    expect(made.stderr).toBe("");
    expect(made.code).toBe(1);
    expect(JSON.parse(made.stdout)).toMatchObject({ records: 4, notAllowed: 1, reasons: { cxone_dnc: 1 } });
    const verified = await runCli(["--json", "compliance", "evidence", "--verify", evidence], env);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, records: 4 });
  });
});
