import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient } from "../../../src/client.ts";
import type { EvidenceRecord } from "../../../src/compliance/evidence/record.ts";
import { rememberAccountNumbers } from "../../../src/consent/accounts.ts";
import { openStore } from "../../../src/core/store/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../../src/emulator/index.ts";
import { accessKeyEnv, accessKeySettings, cxoneApi } from "../../support/cxone-access-key.ts";
import { adminCall } from "../../support/emulator-admin.ts";
import { runCli } from "../../support/run-cli.ts";

/**
 * Issue 92 §1's platform sources on the production emulator: a campaign's completed contacts
 * between two instants (`/contacts/completed`), and a calling list's dials (the list dialer's
 * attempts route). One record per attempt the platform reports, each judged and named by its id.
 */
let emulator: RunningCxoneEmulator;
let env: Record<string, string>;
const root = mkdtempSync(path.join(tmpdir(), "cxo-evidence-cxone-"));
const records = (file: string): EvidenceRecord[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.startsWith('{"digest"'))
    .map((l) => JSON.parse(l) as EvidenceRecord);

beforeAll(async () => {
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 92,
    contacts: 300,
    days: 1,
    history: "any-hour",
    uploadJobPolls: 1,
    knobs: { listDialRules: "timing-only" },
  })) as RunningCxoneEmulator;
  const config = path.join(root, "cxo.config.yaml");
  // The first command of a data dir reads nothing else: the pacing is not what is tested here.
  writeFileSync(config, JSON.stringify({ http: { rateLimitScale: 100 } }));
  env = { ...accessKeyEnv(emulator), CXO_DATA_DIR: path.join(root, "data"), CXO_CONFIG: config };
}, 60_000);
afterAll(() => emulator.close());

describe("cxo compliance evidence on the production platform", () => {
  it("--campaign --from --to: one record per completed contact of the skill in the window", async () => {
    const { completed } = emulator.fixtures;
    const skillId = String(completed.sample.find((s) => s.isOutbound)?.skillId);
    const from = completed.windowStart;
    const to = completed.windowEnd;
    const client = createInternalClient({
      ...clientOptionsFromSettings(accessKeySettings(emulator)),
      dataDir: mkdtempSync(path.join(root, "count-")),
    });
    let expected: string[];
    try {
      expected = (await client.outcomes.list({ campaignId: skillId, from, to }).toArray()).map((c) => c.id);
    } finally {
      await client.close();
    }
    expect(expected.length).toBeGreaterThan(0);
    const out = path.join(root, "campaign.ndjson");
    const result = await runCli(
      ["--json", "compliance", "evidence", "--campaign", skillId, "--from", from, "--to", to, "--out", out],
      env,
      { timeoutMs: 60_000 },
    );
    expect(result.stderr).toBe("");
    const summary = JSON.parse(result.stdout);
    const all = records(out);
    expect(all.length + summary.skipped).toBe(expected.length);
    expect(all.map((r) => r.id).sort()).toEqual(
      expected.filter((id) => !summary.skippedSample.some((s: { id: string }) => s.id === id)).sort(),
    );
    for (const r of all) expect(r).toMatchObject({ source: "campaign", campaign: skillId });
    // Issue 102 §3: what CXone recorded of each contact (fromAddress, duration, end reason, abandoned).
    for (const r of all) {
      expect(r.callerId).toMatch(/^\+1\d{10}$/);
      expect(typeof r.durationSeconds).toBe("number");
      expect(typeof r.outcome).toBe("string");
      expect(typeof r.abandoned).toBe("boolean");
    }
    // No consent on record for these contacts: each is not allowed, and the command says so.
    expect(result.code).toBe(1);
    expect(
      all.every((r) => r.consent.basis === "none" && r.reasons.some((x) => x.code === "no_consent")),
    ).toBe(true);
  }, 60_000);

  it("--list: one record per dial of the list, named by its contact id, counting the list's earlier dials", async () => {
    const HOUR = 3_600_000;
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
    const query = new URLSearchParams({
      listName: "Evidence list",
      externalIdColumn: "ExternalId",
      callRequestTimeColumn: "CallAt",
      callRequestStaleColumn: "StaleMins",
    });
    const created = (await cxoneApi(emulator, "POST", `/lists/call-lists?${query}`, {
      destinationMappings: [{ fieldName: "PhoneNumber", fieldValue: "Phone" }],
    })) as { listId: number };
    const base = Math.ceil(Date.now() / HOUR) * HOUR + 24 * HOUR;
    const csv = `ExternalId,Phone,CallAt,StaleMins\nR1,+13052225555,${iso(base + HOUR)},59\nR2,+13052225555,${iso(base + 3 * HOUR)},59\n`;
    const pc = emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection");
    const upload = (await cxoneApi(emulator, "POST", `/lists/call-lists/${created.listId}/upload`, {
      listFile: Buffer.from(csv).toString("base64"),
      skillId: pc?.skillId,
      expirationDate: "2099-01-01T00:00:00Z",
    })) as { jobId: string };
    await cxoneApi(emulator, "GET", `/lists/call-lists/jobs/${upload.jobId}`);
    await adminCall(emulator.url, "POST", `/lists/${created.listId}/dial`, { until: iso(base + 5 * HOUR) });
    // The number was read for one account (a collections list): the list's record names it.
    const store = await openStore(env.CXO_DATA_DIR as string);
    try {
      await rememberAccountNumbers(
        store.db,
        [{ account: "D-77", phone: "+13052225555" }],
        "test",
        "collections",
      );
    } finally {
      await store.close();
    }
    const out = path.join(root, "list.ndjson");
    const result = await runCli(
      ["--json", "compliance", "evidence", "--list", String(created.listId), "--out", out],
      env,
      { timeoutMs: 60_000 },
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1);
    const all = records(out);
    expect(all).toHaveLength(2);
    const [first, second] = [...all].sort((a, b) => a.at.localeCompare(b.at));
    expect(first).toMatchObject({
      source: "list",
      phone: "+13052225555",
      consent: { basis: "none" },
      account: "D-77",
      debts: ["D-77"],
    });
    expect(first?.id).toMatch(/^\d+$/);
    // The second dial counts the first (Florida counts the calls to the number in 24 h).
    expect(second?.calls.map((c) => c.id)).toEqual([first?.id]);
  }, 60_000);
});

describe("a list's evidence made again later (issue 102 §1)", () => {
  it("gives the verdicts of the evening's: a number added to a CXone DNC group after the dials does not make them not allowed", async () => {
    const HOUR = 3_600_000;
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
    const phone = "+13052226666";
    const dataDir = path.join(root, "again");
    const at = (ms: number) => ({ ...env, CXO_DATA_DIR: dataDir, CXO_CLOCK: iso(ms) });
    const base = Math.ceil(Date.now() / HOUR) * HOUR + 24 * HOUR;
    // The morning's copy of the groups, before the dials.
    const morning = await runCli(["compliance", "dnc", "sync"], at(base), { timeoutMs: 60_000 });
    expect(morning.code, morning.stderr).toBe(0);
    const query = new URLSearchParams({
      listName: "Evidence again",
      externalIdColumn: "ExternalId",
      callRequestTimeColumn: "CallAt",
      callRequestStaleColumn: "StaleMins",
    });
    const created = (await cxoneApi(emulator, "POST", `/lists/call-lists?${query}`, {
      destinationMappings: [{ fieldName: "PhoneNumber", fieldValue: "Phone" }],
    })) as { listId: number };
    const csv = `ExternalId,Phone,CallAt,StaleMins\nR1,${phone},${iso(base + HOUR)},59\nR2,${phone},${iso(base + 3 * HOUR)},59\n`;
    const pc = emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection");
    const upload = (await cxoneApi(emulator, "POST", `/lists/call-lists/${created.listId}/upload`, {
      listFile: Buffer.from(csv).toString("base64"),
      skillId: pc?.skillId,
      expirationDate: "2099-01-01T00:00:00Z",
    })) as { jobId: string };
    await cxoneApi(emulator, "GET", `/lists/call-lists/jobs/${upload.jobId}`);
    await adminCall(emulator.url, "POST", `/lists/${created.listId}/dial`, { until: iso(base + 5 * HOUR) });
    const evidence = async (name: string, clockMs: number) => {
      const out = path.join(root, `${name}.ndjson`);
      const made = await runCli(
        ["compliance", "evidence", "--list", String(created.listId), "--out", out, "--consent", "yes"],
        at(clockMs),
        { timeoutMs: 60_000 },
      );
      expect(made.stderr).toBe("");
      return records(out)
        .sort((a, b) => a.at.localeCompare(b.at))
        .map((r) => ({
          id: r.id,
          allowed: r.allowed,
          reasons: r.reasons.map((x) => x.code),
          cxone: r.dnc.cxone,
        }));
    };
    const evening = await evidence("evening", base + 6 * HOUR);
    expect(evening).toHaveLength(2);
    // The number is revoked later (a DNC group record), and the copy synced again.
    const group = emulator.fixtures.dncGroups.find((g) => g.isActive) ?? emulator.fixtures.dncGroups[0];
    await cxoneApi(emulator, "POST", `/dnc-groups/${group?.dncGroupId}/records`, {
      dncGroupRecords: [{ phoneNumber: phone.slice(2) }],
    });
    const later = await runCli(["compliance", "dnc", "sync"], at(base + 7 * HOUR), { timeoutMs: 60_000 });
    expect(later.code, later.stderr).toBe(0);
    const again = await evidence("again", base + 8 * HOUR);
    expect(again).toEqual(evening);
    expect(again.flatMap((r) => r.reasons)).not.toContain("cxone_dnc");
    // Judged by the morning's copy (the one in force at the dials), not the later one.
    expect(again[0]?.cxone).toMatchObject({
      status: "in-force",
      syncedAt: expect.stringMatching(new RegExp(`^${iso(base).slice(0, 16)}`)),
    });
  }, 120_000);
});
