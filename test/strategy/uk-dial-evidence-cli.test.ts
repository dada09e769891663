import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EvidenceRecord } from "../../src/compliance/evidence/record.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { accessKeyEnv, cxoneApi } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import type { CliResult } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";

/**
 * A UK record end to end on the production emulator: pushed from the CLI (as 44 and its digits,
 * "GMT Standard Time"), dialled by the emulator's list dialer inside London's hours under the
 * platform's rules, and `compliance evidence --list` records the dial judged by the UK's rows.
 * Before, the list dialer never dialled a 44… number, so no UK dial could be evidenced.
 */
const START = "2026-12-02T10:00:00Z"; // a Wednesday: 10:00 in London
const UK = "+447700900301";
const UK_IN_GROUP = "+442079460302";
let emulator: RunningCxoneEmulator;
let skillId = "";
const dir = mkdtempSync(path.join(tmpdir(), "cxo-uk-dial-"));
const file = (name: string) => path.join(dir, name);
let clock: ReturnType<typeof pinClock>;
let env: Record<string, string> = {};

const cxo = async (...args: string[]) =>
  ((await runCliBatch([{ args, env, cwd: dir }], 1)) as [CliResult])[0];

beforeAll(async () => {
  clock = pinClock(START);
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 105,
    contacts: 10,
    days: 1,
    uploadJobPolls: 1,
  })) as RunningCxoneEmulator;
  skillId = String(
    emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")?.skillId,
  );
  writeFileSync(file("cxo.config.yaml"), "http:\n  rateLimitScale: 100\n");
  env = { ...accessKeyEnv(emulator), CXO_DATA_DIR: file(".cxo"), ...cliClockEnv() };
}, 60_000);

afterAll(async () => {
  clock?.restore();
  await emulator?.close();
});

describe("a UK record pushed, dialled and evidenced", () => {
  it("the list dialer dials it in London's hours; compliance evidence --list judges it by the UK's rows", async () => {
    const row = (recordId: string, phone: string) => ({
      recordId,
      phone,
      attemptAt: "2026-12-02T14:00:00+00:00",
      zone: "Europe/London",
      slot: 62,
      attempt: 1,
      estimate: 0.1,
      interval: [0.05, 0.15],
      ruledOut: [],
      campaign: skillId,
      staleMinutes: 59,
      kind: "collections",
    });
    writeFileSync(
      file("plan.ndjson"),
      `${JSON.stringify(row("uk-1", UK))}\n${JSON.stringify(row("uk-2", UK_IN_GROUP))}\n`,
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
    const { listId, records } = JSON.parse(pushed.stdout) as { listId: string; records: number };
    expect(records).toBe(2);
    // After the push, the second number goes into a DNC group scrubbing the skill (as 44 and its
    // digits): the dialer checks the groups at dial time, so the record already listed is skipped.
    const group = emulator.fixtures.dncGroups.find((g) => g.isActive)!.dncGroupId;
    await cxoneApi(emulator, "POST", `/dnc-groups/${group}/scrubbed-skills/${skillId}`);
    await cxoneApi(emulator, "POST", `/dnc-groups/${group}/records`, {
      dncGroupRecords: [{ phoneNumber: UK_IN_GROUP.slice(1) }],
    });
    const dialed = (await adminCall(emulator.url, "POST", `/lists/${listId}/dial`, {
      until: "2026-12-02T16:00:00Z",
    })) as { attempts: number };
    expect(dialed.attempts).toBe(1);
    const { dials } = (await adminCall(emulator.url, "GET", `/lists/${listId}/dials`)) as {
      dials: Array<{ externalId: string; phone: string; at: string }>;
    };
    expect(dials).toHaveLength(1);
    expect(dials[0]).toMatchObject({ externalId: "uk-1", phone: UK });
    // Inside the record's window (14:00 London, 59 minutes stale), London being on GMT.
    const atMs = Date.parse(dials[0]?.at ?? "");
    expect(atMs).toBeGreaterThanOrEqual(Date.parse("2026-12-02T14:00:00Z"));
    expect(atMs).toBeLessThanOrEqual(Date.parse("2026-12-02T14:59:00Z"));

    clock.restore();
    clock = pinClock("2026-12-02T17:00:00Z");
    env = { ...env, ...cliClockEnv() };
    const out = file("evidence.ndjson");
    const evidence = await cxo("--json", "compliance", "evidence", "--list", listId, "--out", out);
    expect(evidence.stderr).toBe("");
    const all = readFileSync(out, "utf8")
      .split("\n")
      .filter((l) => l.startsWith('{"digest"'))
      .map((l) => JSON.parse(l) as EvidenceRecord);
    expect(all).toHaveLength(1);
    const record = all[0] as EvidenceRecord & { jurisdictions?: string[]; rules?: string[] };
    expect(record).toMatchObject({ source: "list", phone: UK });
    expect(JSON.stringify(record)).toContain("Europe/London");
    const rules = (record.rules ?? []) as unknown as Array<{ id: string; jurisdiction: string }>;
    expect(rules.map((r) => r.id)).toEqual(
      expect.arrayContaining(["gb-calling-hours-policy", "gb-internal-dnc"]),
    );
    expect(rules.every((r) => r.jurisdiction === "GB")).toBe(true);
    expect(record).toMatchObject({ jurisdictions: ["GB"], allowed: true, reasons: [] });
  }, 120_000);
});
