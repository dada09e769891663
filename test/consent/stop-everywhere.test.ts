import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import type { RunningCxoneEmulator } from "../../src/emulator/index.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import type { ListRow } from "../../src/strategy/list-format.ts";
import type { PlanRow } from "../../src/strategy/plan-format.ts";
import { accessKeySettings } from "../support/cxone-access-key.ts";
import { startListEmulator } from "../support/cxone-list-dialer.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { pinClock } from "../support/pinned-clock.ts";

/**
 * Issue 62's goal on the production emulator: once revoked (by the SDK, a file, a campaign
 * scope), a number is not planned, not pushed and not dialled on the campaigns the revocation
 * covers, even from a plan made BEFORE the revocation; a revocation scoped to another campaign
 * changes nothing here. The numbers also reach the tenant's CXone DNC group.
 */
let emulator: RunningCxoneEmulator;
let skillId: string;
let otherSkill: string;
let client: InternalClient;
let groupId: number;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-stop-"));
// The clock is pinned to a Wednesday 05:00 New York (pinClock): the day's plan goes out at once.
const from = DateTime.fromISO("2026-12-02T05:00:00", { zone: "America/New_York" });
let clock: ReturnType<typeof pinClock>;
const phoneOf = (i: number) => `+1212555${String(3000 + i).padStart(4, "0")}`;
const list: ListRow[] = Array.from({ length: 12 }, (_, i) => ({
  recordId: `r${i}`,
  phone: phoneOf(i),
  consent: true,
}));
const REVOKED = [phoneOf(0), phoneOf(1), phoneOf(2)];
const ELSEWHERE = phoneOf(3);
let model: ReturnType<typeof buildModel>;
let before: PlanRow[];

beforeAll(async () => {
  clock = pinClock(from.toUTC().toISO() as string);
  ({ emulator, skillId } = await startListEmulator(11));
  const group = emulator.fixtures.dncGroups.find(
    (g) => g.isActive && g.scrubbedSkillIds.map(String).includes(skillId),
  );
  const other = emulator.fixtures.skills.find(
    (s) => s.outboundStrategy === "Personal Connection" && String(s.skillId) !== skillId,
  );
  if (!group || !other) throw new Error("fixtures lack a scrubbing group or a second skill");
  groupId = group.dncGroupId;
  otherSkill = String(other.skillId);
  client = createInternalClient({
    ...clientOptionsFromSettings(accessKeySettings(emulator)),
    dataDir: path.join(dir, ".cxo"),
    consent: { cxoneDncGroup: String(groupId) },
  });
  const counts = new SlotCounts();
  for (let s = 0; s < 168; s++) counts.add(["state"], { state: "NY" }, s, 400, 40);
  model = buildModel(counts, { campaign: skillId });
  before = (
    await client.strategy.plan(list, model, { from: from.toISO() as string, days: 1, campaign: skillId })
  ).rows;
  expect(new Set(before.map((r) => r.phone))).toEqual(new Set(list.map((r) => r.phone)));
  // Revoked by three paths; the fourth is scoped to another campaign.
  await client.consent.revoke({ phone: REVOKED[0] as string, channel: "email" });
  writeFileSync(
    path.join(dir, "rev.csv"),
    `phone,at,channel\n${REVOKED[1]},${new Date().toISOString()},sms\n`,
  );
  await client.consent.import({ file: path.join(dir, "rev.csv") });
  await client.consent.revoke({ phone: REVOKED[2] as string, scope: `campaign:${skillId}` });
  await client.consent.revoke({ phone: ELSEWHERE, scope: `campaign:${otherSkill}` });
}, 120_000);

afterAll(async () => {
  clock?.restore();
  await client?.close();
  await emulator?.close();
});

describe("stop means stop: planned, pushed and dialled", () => {
  it("a new plan leaves the revoked numbers out (consent_revoked), keeps the one revoked elsewhere", async () => {
    const after = await client.strategy.plan(list, model, {
      from: from.toISO() as string,
      days: 1,
      campaign: skillId,
    });
    const phones = new Set(after.rows.map((r) => r.phone));
    for (const p of REVOKED) expect(phones.has(p)).toBe(false);
    expect(phones.has(ELSEWHERE)).toBe(true);
    expect(after.summary.suppressed).toEqual({ consent_revoked: 3 });
  });

  it("a plan made before the revocations is pushed without them, and the dialler never calls them", async () => {
    const pushed = await client.strategy.push(before, { campaign: skillId, listName: "before revocations" });
    expect(pushed.blocked).toEqual({ consent_revoked: 3 });
    expect(pushed.records).toBe(list.length - 3);
    await adminCall(emulator.url, "POST", `/lists/${pushed.listId}/dial`, {
      until: from.plus({ days: 4 }).toISO(),
    });
    const attempts = await client.strategy.attempts(pushed.listId).toArray();
    expect(attempts.length).toBeGreaterThan(0);
    const dialled = new Set(attempts.map((a) => a.phone));
    for (const p of REVOKED) expect(dialled.has(p)).toBe(false);
    expect(dialled.has(ELSEWHERE)).toBe(true);
    // Tenant-wide revocations reach the tenant's CXone DNC group once; campaign-scoped ones do
    // not (the group scrubs every skill it is linked to).
    const { records } = (await adminCall(emulator.url, "GET", `/dnc-groups/${groupId}`)) as {
      records: Array<{ phone: string; sent: number }>;
    };
    const sent = (p: string) => records.find((r) => r.phone === p)?.sent ?? 0;
    expect([REVOKED[0], REVOKED[1], REVOKED[2], ELSEWHERE].map((p) => sent(p as string))).toEqual([
      1, 1, 0, 0,
    ]);
  });
});
