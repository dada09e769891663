import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AutopilotCampaignStatus } from "../../src/autopilot/status.ts";
import type { EvidenceRecord } from "../../src/compliance/evidence/record.ts";
import type { RunningCxoneEmulator } from "../../src/emulator/index.ts";
import { accessKeyEnv } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import { type CliResult, runCli } from "../support/run-cli.ts";
import { autopilotEmulator, writeAutopilotConfig, writeList, writeModel } from "./fixture.ts";

/**
 * Issue 102 §1: the autopilot's evening evidence of a list and a later `cxo compliance evidence
 * --list` of the same list give the same verdicts, record by record — a number revoked after its
 * dial (by text, the same afternoon) included: allowed in both, since evidence counts only the
 * revocations received before the attempt. The later run is made two days on, the ledger then
 * holding the revocation.
 */
let emulator: RunningCxoneEmulator;
let skillId = "";
const dir = mkdtempSync(path.join(tmpdir(), "cxo-evening-evidence-"));
const file = (name: string) => path.join(dir, name);
const dataDir = file(".cxo");

const LIST: Array<[string, string]> = [
  ["+12125557601", "ACC-1"],
  ["+13125557602", "ACC-2"],
  ["+13035557603", "ACC-3"],
];
const REVOKED = LIST[0]?.[0] as string;

async function cxo(at: string, args: string[]): Promise<CliResult> {
  const clock = pinClock(at);
  try {
    const env = { ...accessKeyEnv(emulator), CXO_DATA_DIR: dataDir, ...cliClockEnv() };
    return await runCli(["--config", file("cxo.config.yaml"), ...args], env, { cwd: dir, timeoutMs: 90_000 });
  } finally {
    clock.restore();
  }
}

async function status(at: string): Promise<AutopilotCampaignStatus> {
  const result = await cxo(at, ["--json", "autopilot", "status"]);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { campaigns: AutopilotCampaignStatus[] })
    .campaigns[0] as AutopilotCampaignStatus;
}

/** An evidence file's records by id, less their place in the file (digest and prev aside, the same bytes). */
const recordsOf = (evidence: string): Map<string, Omit<EvidenceRecord, "prev">> =>
  new Map(
    readFileSync(evidence, "utf8")
      .split("\n")
      .filter((l) => l.startsWith('{"digest"'))
      .map((l) => {
        const { prev: _place, ...record } = JSON.parse(l) as EvidenceRecord;
        return [record.id, record] as const;
      }),
  );

beforeAll(async () => {
  ({ emulator, skillId } = await autopilotEmulator());
  writeModel(file("model.json"), skillId, (hour) => ([10, 11].includes(hour) ? 300 : 8));
  writeList(
    file("list.csv"),
    LIST.map(([phone, account], i) => [`r${i + 1}`, phone, account] as const),
  );
  writeAutopilotConfig(file("cxo.config.yaml"), {
    skillId,
    list: file("list.csv"),
    model: file("model.json"),
    reportDir: file("reports"),
    morning: "07:00",
    evening: "22:45",
    retryUnanswered: 0,
  });
}, 60_000);

afterAll(async () => {
  await emulator?.close();
});

describe("the autopilot's evening evidence and a later compliance evidence --list", () => {
  it("give the same verdicts record by record, a number revoked after its dial allowed in both", async () => {
    const morning = await cxo("2026-12-07T07:05:00-05:00", ["--json", "autopilot", "run", "--once"]);
    expect(morning.code, morning.stderr).toBe(0);
    const [listId] = (await status("2026-12-07T07:06:00-05:00")).today?.lists ?? [];
    expect(listId).toBeDefined();
    await adminCall(emulator.url, "POST", `/lists/${listId}/dial`, {
      until: "2026-12-07T14:00:00-05:00",
      timing: "early",
      answer: "none",
    });
    const dials = ((await adminCall(emulator.url, "GET", `/lists/${listId}/dials`)) as { dials: unknown[] })
      .dials;
    expect(dials.length).toBe(LIST.length);

    // 15:00: the first number's owner texts STOP, after its dial.
    const revoked = await cxo("2026-12-07T15:01:00-05:00", [
      "consent",
      "revoke",
      "--phone",
      REVOKED,
      "--channel",
      "sms",
      "--at",
      "2026-12-07T15:00:00-05:00",
    ]);
    expect(revoked.code === 0 || /recorded here/.test(revoked.stderr), revoked.stderr).toBe(true);

    // 22:50: the evening's report and its evidence, one file for the list.
    const evening = await cxo("2026-12-07T22:50:00-05:00", ["--json", "autopilot", "run", "--once"]);
    expect(evening.code, evening.stderr).toBe(0);
    const report = (await status("2026-12-07T22:51:00-05:00")).lastReport;
    expect(report?.evidence).toMatchObject({ attempts: LIST.length, notAllowed: 0 });
    const [autopilotFile] = report?.evidence?.files ?? [];
    expect(autopilotFile).toBeDefined();

    // Two days on, the ledger holding the revocation: the same list's evidence from the command line.
    const later = file("later-evidence.ndjson");
    const made = await cxo("2026-12-09T10:00:00-05:00", [
      "--json",
      "compliance",
      "evidence",
      "--list",
      String(listId),
      "--out",
      later,
      "--consent",
      "yes",
    ]);
    expect(made.code, made.stderr).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ records: LIST.length, notAllowed: 0 });

    const evening_ = recordsOf(autopilotFile as string);
    const later_ = recordsOf(later);
    expect([...later_.keys()].sort()).toEqual([...evening_.keys()].sort());
    const verdict = (r: Omit<EvidenceRecord, "prev"> | undefined) => ({
      allowed: r?.allowed,
      reasons: r?.reasons.map((x) => x.code),
      suppressions: r?.suppressions.map((s) => s.code),
    });
    for (const [id, record] of evening_) expect(verdict(later_.get(id)), id).toEqual(verdict(record));
    const revokedDial = [...later_.values()].find((r) => r.phone === REVOKED);
    expect(verdict(revokedDial)).toEqual({ allowed: true, reasons: [], suppressions: [] });
    // Nothing else changed either: every record is the same, digest included.
    for (const [id, record] of evening_) expect(later_.get(id), id).toEqual(record);

    // And a judgement made now (not a replay) refuses the number.
    const now = await cxo("2026-12-09T10:05:00-05:00", [
      "--json",
      "compliance",
      "check",
      "--phone",
      REVOKED,
      "--at",
      "2026-12-09T10:05:00-05:00",
    ]);
    expect(JSON.parse(now.stdout).allowed).toBe(false);
  });
});
