import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AccountAttempt,
  evaluateCall,
  parseNanp,
  REG_F_MAX_CALLS,
  REG_F_PERIOD_MS,
  regFReasons,
} from "../../src/campaigns/compliance/index.ts";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import type { RunningCxoneEmulator } from "../../src/emulator/index.ts";
import type { ListAttempt } from "../../src/platform/ports/lists.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import type { ListRow } from "../../src/strategy/list-format.ts";
import { placeOf } from "../../src/strategy/place.ts";
import type { PlanRow } from "../../src/strategy/plan-format.ts";
import type { HistoryAttempt } from "../../src/strategy/types.ts";
import { accessKeySettings } from "../support/cxone-access-key.ts";
import { startListEmulator } from "../support/cxone-list-dialer.ts";
import { adminCall } from "../support/emulator-admin.ts";

/**
 * Issue 62 §3's worst-case property: 2,400 records (5 per number, 8 numbers per collections
 * account) in Florida, Oklahoma and Maryland and in area codes spanning two zones (850 Florida,
 * 270 Kentucky, 208 Idaho, 541 Oregon), over a week holding the US daylight-saving change, with a
 * history (two attempts just before the horizon on a sixth of the numbers, a conversation three
 * days before it on some), a campaign cap of 4 a week, planned in process (SDK), pushed to the
 * production emulator three times and dialled once under each timing the emulator offers within a
 * record's window (`early`, `late`, `random`). Then:
 * - every dial, read back through `strategy.attempts`, is re-checked one by one with the
 *   compliance engine (calling hours in every candidate zone, the states' 3 in 24 h, the campaign
 *   cap) and Regulation F, with every earlier attempt of its number or account, history included:
 *   0 violations;
 * - over the pushed windows themselves (an independent count, not the planner's code): no choice
 *   of dial times within them puts 4 calls to a FL/OK/MD number within 24 h, 5 to any number
 *   within 7 days, or 8 about an account within Regulation F's period.
 * The dialled calls count as no conversation: which of them an agent will talk on is not known
 * when the plan is made (docs/strategy.md, "The dial window").
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const STALE = 59;
const TIMINGS = ["early", "late", "random"] as const;
const AREAS = ["305", "407", "813", "850", "405", "918", "301", "410", "270", "208", "541"];
const CAPPED_STATES = new Set(["FL", "OK", "MD"]);
const PHONES = 480;
const RECORDS = 2_400;
const PER_WEEK = 4;

let emulator: RunningCxoneEmulator;
let client: InternalClient;
let skillId = "";
let rows: PlanRow[] = [];
const history: HistoryAttempt[] = [];
const accountOf = new Map<string, string>();
const phonesOfAccount = new Map<string, Set<string>>();
const dialled = new Map<string, ListAttempt[]>();
const atRisk: number[] = [];

/** The Monday (00:00 New York) before the first US daylight-saving change at least 9 days ahead. */
const from = (() => {
  let day = DateTime.now().setZone("America/New_York").plus({ days: 9 }).startOf("day");
  while (day.offset === day.plus({ days: 1 }).offset) day = day.plus({ days: 1 });
  return day.minus({ days: day.weekday - 1 }).startOf("day");
})();

const phoneOf = (k: number) => `+1${AREAS[k % AREAS.length]}555${String(2000 + k).padStart(4, "0")}`;

beforeAll(async () => {
  ({ emulator, skillId } = await startListEmulator(9));
  client = createInternalClient({
    ...clientOptionsFromSettings(accessKeySettings(emulator)),
    dataDir: mkdtempSync(path.join(tmpdir(), "cxo-dial-window-")),
  });
  // Evenings near the curfews and 08:00 answer best, in every state: the plan crowds the edges.
  const counts = new SlotCounts();
  for (const state of ["FL", "OK", "MD", "KY", "ID", "OR"])
    for (let s = 0; s < 168; s++) {
      const hour = s % 24;
      counts.add(["state"], { state }, s, 400, hour >= 18 && hour <= 20 ? 240 : hour === 8 ? 200 : 20);
    }
  const model = buildModel(counts, { campaign: skillId });
  const list: ListRow[] = Array.from({ length: RECORDS }, (_, i) => {
    const phone = phoneOf(i % PHONES);
    const accountId = `A${Math.floor(i / 8)}`;
    accountOf.set(`r${i}`, accountId);
    const phones = phonesOfAccount.get(accountId) ?? new Set<string>();
    phones.add(phone);
    phonesOfAccount.set(accountId, phones);
    return { recordId: `r${i}`, phone, accountId, consent: true, ...(i % 3 === 0 ? { zip: "33101" } : {}) };
  });
  const start = from.toMillis();
  for (let k = 0; k < PHONES; k++) {
    const phone = phoneOf(k);
    if (k % 6 === 0)
      for (const before of [3 * HOUR, 90 * MIN])
        history.push({ phone, atMs: start - before, campaignId: skillId, conversation: false });
    if (k % 40 === 1) history.push({ phone, atMs: start - 3 * DAY, campaignId: skillId, conversation: true });
  }
  const planned = await client.strategy.plan(list, model, {
    from: from.toISO() as string,
    days: 9,
    kind: "collections",
    campaign: skillId,
    campaignCaps: { perWeek: PER_WEEK },
    history,
    seed: 7,
  });
  rows = planned.rows;
  for (const timing of TIMINGS) {
    const pushed = await client.strategy.push(rows, { campaign: skillId, listName: `window ${timing}` });
    atRisk.push(pushed.accountsAtRisk);
    await adminCall(emulator.url, "POST", `/lists/${pushed.listId}/dial`, {
      until: from.plus({ days: 11 }).toISO(),
      timing,
    });
    dialled.set(timing, await client.strategy.attempts(pushed.listId));
  }
}, 240_000);
afterAll(async () => {
  await client?.close();
  await emulator?.close();
});

/** The most windows that some choice of dial times puts within `windowMs` (an exact count). */
function busiest(windows: ReadonlyArray<{ start: number; end: number }>, windowMs: number): number {
  let most = 0;
  for (const u of windows.map((w) => w.end)) {
    let n = 0;
    for (const w of windows) if (w.end >= u && w.start < u + windowMs) n++;
    if (n > most) most = n;
  }
  return most;
}

const groupBy = <T>(items: readonly T[], key: (item: T) => string) => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k) ?? [];
    group.push(item);
    groups.set(k, group);
  }
  return groups;
};

describe("a plan legal at every instant CXone may dial it (2,400 records, three timings)", () => {
  it("covers the cases it claims to: capped states, two-zone area codes, a DST change, Reg F accounts", () => {
    expect(rows.length).toBeGreaterThan(1_500);
    expect(rows.every((r) => r.staleMinutes === STALE)).toBe(true);
    const states = new Set(rows.map((r) => placeOf(r.phone)?.state));
    for (const state of CAPPED_STATES) expect(states).toContain(state);
    expect(rows.some((r) => (placeOf(r.phone)?.zones.length ?? 0) > 1)).toBe(true);
    const offsets = new Set(
      rows.map((r) => r.attemptAt.slice(19)).filter((o) => o === "-05:00" || o === "-04:00"),
    );
    expect(offsets).toEqual(new Set(["-05:00", "-04:00"]));
    for (const timing of TIMINGS) expect(dialled.get(timing)).toHaveLength(rows.length);
    // Accounts of 8 numbers in one list: push says how many a conversation could put at risk.
    expect(new Set(atRisk).size).toBe(1);
    expect(atRisk[0]).toBeGreaterThan(100);
  });

  it("over the pushed windows: no choice of dial times breaks a cap or Regulation F", () => {
    const points = (list: readonly HistoryAttempt[]) => list.map((h) => ({ start: h.atMs, end: h.atMs }));
    const historyOf = groupBy(history, (h) => h.phone);
    const windowsOf = groupBy(rows, (r) => r.phone);
    for (const [phone, planned] of windowsOf) {
      const windows = [
        ...planned.map((r) => ({
          start: Date.parse(r.attemptAt),
          end: Date.parse(r.attemptAt) + STALE * MIN,
        })),
        ...points(historyOf.get(phone) ?? []),
      ];
      if (CAPPED_STATES.has(placeOf(phone)?.state ?? ""))
        expect(busiest(windows, DAY), phone).toBeLessThanOrEqual(3);
      expect(busiest(windows, 7 * DAY), phone).toBeLessThanOrEqual(PER_WEEK);
    }
    for (const [account, planned] of groupBy(rows, (r) => r.accountId ?? "")) {
      const earlier = [...(phonesOfAccount.get(account) ?? [])].flatMap((p) => historyOf.get(p) ?? []);
      const windows = [
        ...planned.map((r) => ({
          start: Date.parse(r.attemptAt),
          end: Date.parse(r.attemptAt) + STALE * MIN,
        })),
        ...points(earlier),
      ];
      expect(busiest(windows, REG_F_PERIOD_MS), account).toBeLessThanOrEqual(REG_F_MAX_CALLS);
      for (const talk of earlier.filter((h) => h.conversation))
        for (const r of planned)
          expect(Date.parse(r.attemptAt)).toBeGreaterThanOrEqual(talk.atMs + REG_F_PERIOD_MS);
    }
  });

  for (const timing of TIMINGS)
    it(`dialled ${timing} within the windows: every dial passes the compliance engine and Regulation F`, () => {
      const attempts = (dialled.get(timing) ?? [])
        .slice()
        .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
      const byPhone = new Map<string, Array<{ atMs: number; campaignId: string }>>();
      for (const h of history) {
        const list = byPhone.get(h.phone) ?? [];
        list.push({ atMs: h.atMs, campaignId: skillId });
        byPhone.set(h.phone, list);
      }
      const byAccount = new Map<string, AccountAttempt[]>();
      for (const [account, phones] of phonesOfAccount)
        byAccount.set(
          account,
          history
            .filter((h) => phones.has(h.phone))
            .map((h) => ({ atMs: h.atMs, conversation: h.conversation })),
        );
      const violations: string[] = [];
      let spread = 0;
      for (const a of attempts) {
        const at = Date.parse(a.at);
        const requested = Date.parse(a.requestedAt ?? "");
        expect(at).toBeGreaterThanOrEqual(requested);
        expect(at).toBeLessThanOrEqual(requested + STALE * MIN);
        if (timing === "early") expect(at).toBe(requested);
        if (timing === "late") expect(at).toBe(requested + STALE * MIN);
        if (at - requested > 10 * MIN) spread++;
        const earlier = byPhone.get(a.phone) ?? [];
        const verdict = evaluateCall({
          number: parseNanp(a.phone)!,
          atMs: at,
          consent: true,
          onDnc: false,
          attempts: earlier,
          campaignCaps: { perWeek: PER_WEEK },
          campaignId: skillId,
          searchDays: 0,
        });
        for (const reason of verdict.reasons)
          violations.push(`${a.phone} ${a.at}: ${reason.code} ${reason.message}`);
        const account = byAccount.get(accountOf.get(a.recordId) ?? "") ?? [];
        for (const reason of regFReasons(account, at))
          violations.push(`${a.recordId} ${a.at}: ${reason.code} ${reason.message}`);
        earlier.push({ atMs: at, campaignId: skillId });
        byPhone.set(a.phone, earlier);
        account.push({ atMs: at, conversation: false });
      }
      expect(violations).toEqual([]);
      // `random` is uniform over the window: most dials are well past its first minutes.
      if (timing === "random") expect(spread).toBeGreaterThan(attempts.length / 2);
    });
});
