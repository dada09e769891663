import { describe, expect, it } from "vitest";
import { loadDncList } from "../../src/compliance/blocked-numbers.ts";
import { CxoneDncCopyIncompleteError } from "../../src/compliance/cxone-dnc-errors.ts";
import { cxoneDncCopyAge, withCxoneDncForOneNumber } from "../../src/compliance/cxone-dnc-freshness.ts";
import { syncCxoneDnc } from "../../src/compliance/cxone-dnc-sync.ts";
import { copySyncs, recordSpansOfPhones } from "../../src/consent/dnc-group-copy.ts";
import type { Store } from "../../src/core/store/index.ts";
import { IncompleteListingError } from "../../src/platform/errors.ts";
import type { CxonePort } from "../../src/platform/port.ts";
import type { DncGroup, DncGroupRecord, DncGroupsPort } from "../../src/platform/ports/dnc-groups.ts";
import { STORE_BACKENDS, useFreshStore, useStoreBackend } from "../store/fixtures/backends.ts";

/**
 * The sync's store side on both backends (SQLite, PostgreSQL), with an in-memory port: the copy
 * is replaced in one transaction (a check during a sync reads the old copy whole; a sync that
 * fails half way leaves the old copy and no staged rows), records are written in batches as they
 * come (never the whole group held), a number listed twice is copied once, and the copy's age is
 * what the last sync says.
 */
interface FakeGroup extends DncGroup {
  phones: string[];
}

function fakePort(
  groups: FakeGroup[],
  hooks: { onRecord?: (n: number) => Promise<void> } = {},
): DncGroupsPort {
  return {
    list: async () => groups.map(({ phones: _p, ...g }) => ({ ...g })),
    async *records(groupId) {
      const group = groups.find((g) => g.groupId === groupId)!;
      let n = 0;
      for (const phone of group.phones) {
        await hooks.onRecord?.(++n);
        yield { phone, expiresAt: undefined } satisfies DncGroupRecord;
      }
    },
    async search(phone) {
      return groups
        .filter((g) => g.phones.includes(phone))
        .map((g) => ({ groupId: g.groupId, groupName: g.name, phone, expiresAt: undefined }));
    },
    addRecords: async () => ({ refused: [] }),
    create: async () => {
      throw new Error("not used");
    },
    scrubSkill: async () => undefined,
  };
}

const phones = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `+1${prefix}${String(i).padStart(4, "0")}`);

const group = (
  groupId: string,
  name: string,
  scrubbed: string[],
  list: string[],
  active = true,
): FakeGroup => ({
  groupId,
  name,
  active,
  scrubbedSkillIds: scrubbed,
  records: list.length,
  phones: list,
});

const refusedBy = async (store: Store, phone: string, campaignId?: string) =>
  (await loadDncList(store)).suppressions?.(phone, campaignId).map((s) => s.ruleId) ?? [];

describe.each(STORE_BACKENDS)("the CXone DNC copy's sync (%s)", (backendName) => {
  const fresh = useFreshStore(useStoreBackend(backendName));

  it("replaces the copy whole: a check during a sync reads the old copy, and sees the new one after", async () => {
    const first = [group("1", "Internal", ["101"], phones("212555", 3))];
    await syncCxoneDnc(fresh.store, fakePort(first));
    expect(await refusedBy(fresh.store, "+12125550001", "101")).toEqual(["cxone-dnc-group-1"]);

    const next = [group("1", "Internal", ["101"], phones("312555", 450)), group("2", "Cease", ["102"], [])];
    const seen: string[][] = [];
    await syncCxoneDnc(
      fresh.store,
      fakePort(next, {
        // Mid-sync (after 2 batches were written): the old copy, whole.
        onRecord: async (n) => {
          if (n === 420) {
            seen.push(await refusedBy(fresh.store, "+12125550001", "101"));
            seen.push(await refusedBy(fresh.store, "+13125550001", "101"));
          }
        },
      }),
    );
    expect(seen).toEqual([["cxone-dnc-group-1"], []]);
    expect(await refusedBy(fresh.store, "+12125550001", "101")).toEqual([]);
    expect(await refusedBy(fresh.store, "+13125550449", "101")).toEqual(["cxone-dnc-group-1"]);
    expect(await refusedBy(fresh.store, "+13125550449", "102")).toEqual([]);
    const rows = await fresh.store.db.get<{ n: number | string }>(
      "SELECT COUNT(*) AS n FROM cxone_dnc_records",
    );
    expect(Number(rows!.n)).toBe(450);
  });

  it("keeps the copy's history: each record's added and removed instants, each sync's groups (issue 102 §1)", async () => {
    const at = (iso: string) => () => Date.parse(iso);
    const [a, b] = ["+12125550001", "+12125550002"];
    await syncCxoneDnc(fresh.store, fakePort([group("1", "Internal", ["101"], [a, b])]), {
      now: at("2026-10-05T14:00:00.000Z"),
    });
    // b taken out; a group added.
    await syncCxoneDnc(
      fresh.store,
      fakePort([group("1", "Internal", ["101"], [a]), group("2", "Cease", ["102"], [b])]),
      { now: at("2026-10-06T14:00:00.000Z") },
    );
    // b back in group 1.
    await syncCxoneDnc(fresh.store, fakePort([group("1", "Internal", ["101"], [a, b])]), {
      now: at("2026-10-07T14:00:00.000Z"),
    });
    const syncs = await copySyncs(fresh.store.db);
    expect(syncs.map((s) => [s.inForceAt, s.groups.map((g) => g.groupId)])).toEqual([
      ["2026-10-05T14:00:00.000Z", ["1"]],
      ["2026-10-06T14:00:00.000Z", ["1", "2"]],
      ["2026-10-07T14:00:00.000Z", ["1"]],
    ]);
    const spans = (await recordSpansOfPhones(fresh.store.db, [a, b]))
      .map((s) => `${s.phone} ${s.groupId} ${s.addedAt}..${s.removedAt ?? "now"}`)
      .sort();
    expect(spans).toEqual([
      `${a} 1 2026-10-05T14:00:00.000Z..now`,
      `${b} 1 2026-10-05T14:00:00.000Z..2026-10-06T14:00:00.000Z`,
      `${b} 1 2026-10-07T14:00:00.000Z..now`,
      `${b} 2 2026-10-06T14:00:00.000Z..2026-10-07T14:00:00.000Z`,
    ]);
  });

  it("a sync that fails half way leaves the old copy and no staged rows", async () => {
    await syncCxoneDnc(fresh.store, fakePort([group("1", "Internal", ["101"], phones("212555", 3))]));
    const failing = fakePort([group("1", "Internal", ["101"], phones("312555", 500))], {
      onRecord: async (n) => {
        if (n === 300) throw new Error("connection reset");
      },
    });
    await expect(syncCxoneDnc(fresh.store, failing)).rejects.toThrow("connection reset");
    expect(await refusedBy(fresh.store, "+12125550001", "101")).toEqual(["cxone-dnc-group-1"]);
    const rows = await fresh.store.db.all<{ group_id: string }>(
      "SELECT DISTINCT group_id FROM cxone_dnc_records",
    );
    expect(rows.map((r) => r.group_id)).toEqual(["1"]);
  });

  it("copies a number listed twice once, inactive groups too (refusing nothing), and dates the copy", async () => {
    const nowMs = Date.parse("2026-11-26T08:00:00Z");
    const result = await syncCxoneDnc(
      fresh.store,
      fakePort([
        group("1", "Internal", ["101"], ["+12125550001", "+12125550001", "+12125550002"]),
        group("3", "Retired", ["101"], ["+12125550003"], false),
      ]),
      { now: () => nowMs, actor: "test" },
    );
    expect(result).toMatchObject({
      groups: 2,
      activeGroups: 1,
      records: 3,
      syncedAt: "2026-11-26T08:00:00.000Z",
    });
    expect(await refusedBy(fresh.store, "+12125550003", "101")).toEqual([]);
    expect(await refusedBy(fresh.store, "+12125550003")).toEqual([]);
    expect(await cxoneDncCopyAge(fresh.store, nowMs + 61 * 60_000, 60)).toEqual({
      syncedAt: "2026-11-26T08:00:00.000Z",
      ageMinutes: 61,
      maxAgeMinutes: 60,
      stale: true,
    });
    expect((await cxoneDncCopyAge(fresh.store, nowMs + 59 * 60_000, 60)).stale).toBe(false);
    const audit = await fresh.store.db.all<{ actor: string; operation: string }>(
      "SELECT actor, operation FROM audit_log WHERE operation = 'compliance.cxone-dnc.sync'",
    );
    expect(audit).toEqual([{ actor: "test", operation: "compliance.cxone-dnc.sync" }]);
  });

  // Issue 78 Medium 4: the copy is never silently incomplete.
  it("reads fewer records than the group says: fails (each attempt), keeps the old copy, stages nothing", async () => {
    await syncCxoneDnc(fresh.store, fakePort([group("1", "Internal", ["101"], phones("212555", 3))]));
    const short = { ...group("1", "Internal", ["101"], phones("312555", 110)), records: 290 };
    let reads = 0;
    const port = fakePort([short], {
      onRecord: async (n) => {
        if (n === 1) reads++;
      },
    });
    const error = await syncCxoneDnc(fresh.store, {
      ...port,
      group: async () => ({ ...short, phones: [] }),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CxoneDncCopyIncompleteError);
    expect(error).toMatchObject({
      code: "cxone_dnc_copy_incomplete",
      groupId: "1",
      read: 110,
      expected: 290,
    });
    expect(reads).toBe(3);
    expect(await refusedBy(fresh.store, "+12125550001", "101")).toEqual(["cxone-dnc-group-1"]);
    expect(await refusedBy(fresh.store, "+13125550001", "101")).toEqual([]);
    const rows = await fresh.store.db.all<{ group_id: string }>(
      "SELECT DISTINCT group_id FROM cxone_dnc_records",
    );
    expect(rows.map((r) => r.group_id)).toEqual(["1"]);
  });

  it("a record deleted mid-sync (one number missed): the group is read again against its new count", async () => {
    const all = phones("312555", 290);
    const deleted = all[5]!;
    let reads = 0;
    const port: DncGroupsPort = {
      list: async () => [
        { groupId: "1", name: "Internal", active: true, scrubbedSkillIds: ["101"], records: 290 },
      ],
      group: async () => ({
        groupId: "1",
        name: "Internal",
        active: true,
        scrubbedSkillIds: ["101"],
        records: 289,
      }),
      async *records() {
        reads++;
        // First read: the deletion shifted the pages, so the 101st number was skipped as well.
        const seen =
          reads === 1 ? all.filter((p) => p !== deleted && p !== all[101]) : all.filter((p) => p !== deleted);
        for (const phone of seen) yield { phone, expiresAt: undefined };
      },
      search: async () => [],
      addRecords: async () => ({ refused: [] }),
      create: async () => {
        throw new Error("not used");
      },
      scrubSkill: async () => undefined,
    };
    const result = await syncCxoneDnc(fresh.store, port);
    expect(reads).toBe(2);
    expect(result.records).toBe(289);
    expect(await refusedBy(fresh.store, all[101]!, "101")).toEqual(["cxone-dnc-group-1"]);
    expect(await refusedBy(fresh.store, deleted, "101")).toEqual([]);
  });

  it("the listing changed while read (the adapter says so): read again; a repeated page fails at once", async () => {
    let reads = 0;
    const changing: DncGroupsPort = {
      ...fakePort([group("1", "Internal", ["101"], phones("312555", 5))]),
      async *records() {
        reads++;
        yield { phone: "+13125550000", expiresAt: undefined };
        if (reads === 1)
          throw new IncompleteListingError("GET /dnc-groups/{groupId}/records", "count-changed", { read: 1 });
        for (const phone of phones("312555", 5).slice(1)) yield { phone, expiresAt: undefined };
      },
    };
    expect((await syncCxoneDnc(fresh.store, changing)).records).toBe(5);
    expect(reads).toBe(2);

    reads = 0;
    const repeating: DncGroupsPort = {
      ...changing,
      async *records() {
        reads++;
        yield { phone: "+14155550000", expiresAt: undefined };
        throw new IncompleteListingError("GET /dnc-groups/{groupId}/records", "repeated-page", { read: 1 });
      },
    };
    await expect(syncCxoneDnc(fresh.store, repeating)).rejects.toMatchObject({ reason: "repeated-page" });
    expect(reads).toBe(1);
    expect(await refusedBy(fresh.store, "+13125550004", "101")).toEqual(["cxone-dnc-group-1"]);
    expect(await refusedBy(fresh.store, "+14155550000", "101")).toEqual([]);
  });

  it("syncedAt is the sync's start, not its end", async () => {
    const startMs = Date.parse("2026-11-26T08:00:00Z");
    let clock = startMs;
    const result = await syncCxoneDnc(
      fresh.store,
      fakePort([group("1", "Internal", ["101"], phones("212555", 3))], {
        // 21 minutes of reading (a large group): the copy is as old as its first record.
        onRecord: async () => {
          clock += 7 * 60_000;
        },
      }),
      { now: () => clock },
    );
    expect(result.syncedAt).toBe("2026-11-26T08:00:00.000Z");
    expect(result.durationMs).toBe(21 * 60_000);
  });

  it("never synced: no age, stale", async () => {
    expect(await cxoneDncCopyAge(fresh.store, Date.now(), 60)).toEqual({
      syncedAt: null,
      ageMinutes: null,
      maxAgeMinutes: 60,
      stale: true,
    });
  });
});

describe("a live check with a port that cannot read one group", () => {
  const fresh = useFreshStore(useStoreBackend("sqlite"));
  it("reads the groups' list instead, and judges the groups the search named by it", async () => {
    const port = {
      support: { unsupported: () => undefined },
      dncGroups: fakePort([
        group("1", "Internal", ["101"], ["+12125550001"]),
        group("2", "Retired", ["101"], ["+12125550001"], false),
      ]),
    } as unknown as CxonePort;
    const base = await loadDncList(fresh.store);
    const { dnc, cxoneDnc } = await withCxoneDncForOneNumber(fresh.store, port, base, "+12125550001", {
      nowMs: Date.now(),
      maxAgeMinutes: 60,
    });
    expect(cxoneDnc).toMatchObject({ source: "live", syncedAt: null });
    expect(dnc.suppressions?.("+12125550001", "101").map((s) => s.ruleId)).toEqual(["cxone-dnc-group-1"]);
    expect(dnc.suppressions?.("+12125550001", "102")).toEqual([]);
  });
});
