import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { honourInCxone } from "../../src/consent/honour.ts";
import { ledgerEntries, recordRevocations } from "../../src/consent/ledger.ts";
import { SKILL_GROUPS } from "../../src/consent/skill-groups.ts";
import { NotFoundError } from "../../src/core/http/errors.ts";
import { openStore } from "../../src/core/store/index.ts";
import type { DncGroup, DncGroupsPort } from "../../src/platform/ports/dnc-groups.ts";

/**
 * Issue 77 §1: the group cxo keeps for one skill's revocations is used as the store remembers it
 * (no listing of every group each run); when CXone no longer has it (deleted by someone), the
 * next send is answered 404: the group is forgotten, another found or made, and every entry it
 * held — sent ones too, gone with it — is sent to the new one.
 */
describe("a skill's own group deleted in CXone", () => {
  it("is made again and every campaign-scoped number sent to it", async () => {
    const store = await openStore(mkdtempSync(path.join(tmpdir(), "cxo-skill-gone-")));
    const groups = new Map<string, DncGroup & { phones: Set<string> }>();
    let next = 1;
    const port: DncGroupsPort = {
      list: async () => [...groups.values()],
      // One group read alone, as the production adapter does (undefined: removed).
      group: async (groupId) => groups.get(groupId),
      records: async function* () {},
      search: async () => [],
      addRecords: async (groupId, records) => {
        const group = groups.get(groupId);
        if (!group) throw new NotFoundError(`DNC group ${groupId}`, { status: 404 });
        for (const r of records) group.phones.add(r.phone);
        return { refused: [] };
      },
      create: async (name) => {
        const group = {
          groupId: `g${next++}`,
          name,
          active: true,
          scrubbedSkillIds: [],
          records: 0,
          phones: new Set<string>(),
        };
        groups.set(group.groupId, group);
        return group;
      },
      scrubSkill: async (groupId, skillId) => {
        groups.get(groupId)?.scrubbedSkillIds.push(skillId);
      },
    };
    const at = new Date(Date.now() - 60_000).toISOString();
    const revoke = (phone: string) =>
      recordRevocations(
        store,
        [
          {
            phone,
            receivedAt: at,
            channel: "sms",
            scope: { kind: "campaign", campaignId: "703" },
            source: null,
          },
        ],
        {
          actor: "test",
          cxoneGroupId: "31",
        },
      );
    try {
      await revoke("+13125552301");
      await honourInCxone(store, port, { actor: "test", groupId: "31" });
      expect([...(groups.get("g1")?.phones ?? [])]).toEqual(["+13125552301"]);
      // Someone deletes it in CXone; a second revocation comes.
      groups.delete("g1");
      await revoke("+13125552302");
      const listed = { count: 0 };
      const list = port.list;
      port.list = async () => {
        listed.count++;
        return list();
      };
      await honourInCxone(store, port, { actor: "test", groupId: "31" });
      expect(groups.get("g2")).toMatchObject({ scrubbedSkillIds: ["703"] });
      expect([...(groups.get("g2")?.phones ?? [])].sort()).toEqual(["+13125552301", "+13125552302"]);
      expect(await store.kv.get(SKILL_GROUPS, "703")).toMatchObject({ groupId: "g2" });
      const entries = await ledgerEntries(store, 0, Date.now() + 1);
      expect(entries.map((e) => e.cxone)).toEqual([
        expect.objectContaining({ status: "done", groupId: "g2" }),
        expect.objectContaining({ status: "done", groupId: "g2" }),
      ]);
      // A known group is not looked for again: one listing, to make the new one.
      expect(listed.count).toBe(1);
    } finally {
      await store.close();
    }
  });
});
