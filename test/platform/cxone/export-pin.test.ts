import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../../src/core/audit/canonical-json.ts";
import type { BodySink } from "../../../src/core/http/transport.ts";
import { openStore } from "../../../src/core/store/index.ts";
import { exportOutcomes } from "../../../src/outcomes/export.ts";
import { parseExportQuery } from "../../../src/outcomes/query.ts";
import { canonicalRecord } from "../../../src/outcomes/record-format.ts";
import type { ProductionApi } from "../../../src/platform/cxone/api.ts";
import { completedCallOf } from "../../../src/platform/cxone/contact-record.ts";
import { productionOutcomes } from "../../../src/platform/cxone/outcomes.ts";

/**
 * Pins the exact output of an export on the production platform, so a faster decoder or
 * encoder cannot silently change what an auditor's hash means. The records are made by a fixed
 * generator (v33 and v23 field names, unmodelled fields including nested ones, numbers sent as
 * strings, unicode and escapes, tags, inbound contacts, contacts outside the window, a record
 * repeated across a page boundary) and served page by page through the real production adapter
 * by a stand-in for the API. The values were computed by the implementation before the export
 * was made faster (issue 29).
 */
const NOW = new Date(Date.UTC(2026, 0, 15, 12));
const FROM = new Date(Date.UTC(2026, 0, 1));
// Issue 66 added `callerId` (from `fromAddress`, which stays in `extra` as sent): the bytes
// changed by that field alone (the test removes it and finds the hash pinned before it).
const PINNED_HASH = "71c134785ceda57eee2d98b1a70cc435fbea4af58b25b387fad7d6602291d9c7";
const PINNED_HASH_BEFORE_CALLER_ID = "f63ac9462e134a6575ff312388f6cf8ca58c9b01c3bc162f81b530d76709a199";
const PINNED_RECORDS = 2032;

/** A small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fixedRecords(): Record<string, unknown>[] {
  const random = prng(29);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < 2400; i++) {
    // Mostly inside [FROM, NOW), a few before and after (the adapter re-checks the window).
    const startMs = FROM.getTime() - 86_400_000 + Math.floor(random() * 16 * 86_400_000);
    const legacy = i % 7 === 3;
    const start = new Date(startMs).toISOString();
    const tagged = random() < 0.1;
    const record: Record<string, unknown> = {
      contactId: 5_000_000 + i,
      masterContactId: i % 11 === 0 ? 4_000_000 + i : 5_000_000 + i,
      [legacy ? "contactStart" : "contactStartDate"]: start,
      lastUpdateTime: new Date(startMs + 90_000).toISOString(),
      skillId: i % 13 === 0 ? String(701) : 701,
      skillName: 'Renewals ✓ "Q1"',
      campaignId: i % 5 === 0 ? null : 9,
      campaignName: "Spring\\Summer",
      agentId: random() < 0.1 ? null : pick([3001, 3002, "3003"]),
      teamId: 12,
      isOutbound: i % 17 === 0 ? "False" : i % 19 === 0 ? "True" : true,
      [legacy ? "fromAddr" : "fromAddress"]: "8005550100",
      [legacy ? "toAddr" : "toAddress"]: `+1212555${String(i % 10_000).padStart(4, "0")}`,
      mediaTypeId: 4,
      mediaTypeName: "Phone Call",
      primaryDispositionId: pick([0, 11, 12, "13", 99]),
      secondaryDispositionId: pick([0, 0, 21]),
      dispositionNotes: pick(["", "called back", 'said "no"\nthen hung up', "ünïcødé \u2028"]),
      endReason: "Contact Hung Up",
      abandoned: random() < 0.02,
      abandonSeconds: 0,
      agentSeconds: Math.floor(random() * 600),
      acwSeconds: pick([5, "6", 7.5]),
      holdSeconds: 0,
      inQueueSeconds: 1,
      conferenceSeconds: 0,
      totalDurationSeconds: pick([42, "61", 120.5, null]),
      callbackTime: 0,
      isWarehoused: true,
      tags: tagged
        ? legacy
          ? [{ Contact_Id: 5_000_000 + i, TagId: 1, TagName: "vip" }]
          : [
              { contactId: 5_000_000 + i, tagId: 1, tagName: "vip" },
              { contactId: 5_000_000 + i, tagId: 2, tagName: "follow-up, later" },
            ]
        : [],
    };
    if (i % 23 === 0) record.surprise = { z: [1, { b: 2, a: null }], a: "x" };
    if (i % 29 === 0) record["weird key \t"] = i;
    if (i % 31 === 0) record.dispositionName = "sent by CXone";
    if (i % 37 === 0) record["10"] = "index-like key";
    out.push(record);
  }
  return out;
}

const DISPOSITIONS = [
  { dispositionId: 11, dispositionName: "Sale" },
  { dispositionId: 12, dispositionName: "No Answer" },
  { dispositionId: 13, dispositionName: "Callback" },
];

/** Answers the adapter's requests from the fixed list; a page repeats the previous page's last record. */
function fakeApi(records: Record<string, unknown>[]): ProductionApi {
  const answer = (body: unknown) => ({ status: 200, headers: {}, body, attempts: 1, throttled: 0 });
  return {
    fallback() {},
    async request(options: { path: string; query?: Record<string, unknown>; bodySink?: BodySink }) {
      if (options.path === "/skills/701") return answer({ skills: [{ skillId: 701, isOutbound: true }] });
      if (options.path.endsWith("dispositions"))
        return answer({ dispositions: DISPOSITIONS, totalRecords: DISPOSITIONS.length });
      if (options.path !== "/contacts/completed") throw new Error(`unexpected ${options.path}`);
      const skip = Number(options.query?.skip);
      const top = Number(options.query?.top);
      // Offset paging over data that moves: every page after the first starts one record early.
      const from = skip === 0 ? 0 : skip - 1;
      const page = records.slice(from, skip + top);
      const body = Buffer.from(
        JSON.stringify({ totalRecords: records.length, completedContacts: page, _links: { next: null } }),
      );
      options.bodySink!.begin();
      for (let at = 0; at < body.length; at += 65_536)
        options.bodySink!.write(body.subarray(at, at + 65_536));
      return { status: 200, headers: {}, body: undefined, attempts: 1, throttled: 0 };
    },
  } as unknown as ProductionApi;
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

describe("pinned export output on the production platform (fixed records)", () => {
  it("the NDJSON export's compliance hash is the pinned one, and each line is the canonical JSON of the record", async () => {
    const records = fixedRecords();
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-cxone-pin-"));
    const store = await openStore(path.join(dir, ".cxo"), { actor: "test" });
    const out = path.join(dir, "pinned.ndjson");
    try {
      const summary = await exportOutcomes({
        client: { outcomes: productionOutcomes(fakeApi(records), 1000) },
        store,
        query: parseExportQuery(
          { campaign: "701", from: FROM.toISOString(), to: NOW.toISOString(), pageSize: 500 },
          NOW,
        ),
        out,
      });
      const bytes = readFileSync(out);
      expect(summary.complianceHash).toBe(sha256(bytes));
      // The slow, obviously right way: every record decoded on its own and written by canonicalJson.
      const byId = new Map(records.map((r) => [String(r.contactId), r]));
      const names = new Map(DISPOSITIONS.map((d) => [String(d.dispositionId), d.dispositionName]));
      const lines = bytes.toString("utf8").trimEnd().split("\n");
      for (const line of lines) {
        const id = (JSON.parse(line) as { id: string }).id;
        const expected = canonicalJson(
          canonicalRecord(
            completedCallOf(byId.get(id), undefined, (d) => (d ? names.get(d) : undefined)).raw,
          ),
        );
        expect(line).toBe(expected);
      }
      expect(new Set(lines.map((l) => (JSON.parse(l) as { id: string }).id)).size).toBe(lines.length);
      expect(summary.totalRecords).toBe(PINNED_RECORDS);
      expect(summary.complianceHash).toBe(PINNED_HASH);
      // v33 `fromAddress` and v23 `fromAddr` both become an E.164 caller id (inbound: none).
      const text = bytes.toString("utf8");
      expect(text).toContain('"callerId":"+18005550100"');
      expect(sha256(text.replace(/,"callerId":(null|"[^"]*")/g, ""))).toBe(PINNED_HASH_BEFORE_CALLER_ID);
    } finally {
      await store.close();
    }
  });
});
