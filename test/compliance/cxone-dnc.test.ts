import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import type { HttpResponse } from "../../src/core/http/http-client.ts";
import { openStore } from "../../src/core/store/index.ts";
import type { RunningCxoneEmulator } from "../../src/emulator/index.ts";
import { type ApiRequest, ProductionApi } from "../../src/platform/cxone/api.ts";
import { SEED_SUPPORT } from "../../src/platform/support.ts";
import { type CxoneHarness, cxoneHarness } from "../emulator/cxone/helpers.ts";
import { endpointOf } from "../platform/cxone/conformance/endpoints.ts";
import { requestProblems, responseProblems } from "../platform/cxone/conformance/schemas.ts";
import { accessKeySettings } from "../support/cxone-access-key.ts";

/**
 * Issue 62 §2 on the production platform, through the SDK over real HTTP: the adapter reads the
 * tenant's DNC groups (E.164 here, ten digits on the wire, paged), `compliance.syncDnc` copies
 * them (idempotent; a number removed from a group is allowed again after the next sync), a check
 * refuses a number in an active group scrubbing the campaign's skill with `cxone_dnc` naming the
 * group (not a group scrubbing another skill, not an inactive group), searches live when the copy
 * is stale or missing, and a scrub syncs a stale copy first.
 */
let h: CxoneHarness;
let client: InternalClient;
let dataDir: string;
let sales: string;
let collections: string;

type Logged = { method: string; path: string; query: Record<string, string> };
/** What the adapter sent and read (the request log keeps no bodies), held to the conformance table. */
const exchanges: Array<{ request: ApiRequest; response?: HttpResponse }> = [];
const log = async () => (await h.admin("GET", "/requests")).body.requests as Logged[];
const e164 = (ten: string) => `+1${ten}`;
/** A Tuesday afternoon legal in every US zone (15:00 in New York, 12:00 in Los Angeles). */
const AT = "2026-03-10T19:00:00Z";

function clientFor(dir: string, maxAge?: number): InternalClient {
  const options = clientOptionsFromSettings(
    accessKeySettings({ url: h.url, fixtures: h.fixtures } as unknown as RunningCxoneEmulator),
  );
  return createInternalClient({
    ...options,
    dataDir: dir,
    ...(maxAge === undefined ? {} : { consent: { cxoneDncMaxAgeMinutes: maxAge } }),
    http: { ...options.http, backoffBaseMs: 5, backoffCapMs: 20, rateLimitScale: 100 },
  });
}

/** Moves the copy's sync time back, as if it had been synced `minutes` ago. */
async function ageCopy(dir: string, minutes: number): Promise<void> {
  const store = await openStore(dir);
  try {
    const row = await store.db.get<{ value: string }>(
      "SELECT value FROM kv WHERE namespace = 'cxone-dnc' AND key = 'sync'",
    );
    const value = JSON.parse(row!.value);
    value.syncedAt = new Date(Date.now() - minutes * 60_000).toISOString();
    await store.db.run("UPDATE kv SET value = ? WHERE namespace = 'cxone-dnc' AND key = 'sync'", [
      JSON.stringify(value),
    ]);
  } finally {
    await store.close();
  }
}

const check = (c: InternalClient, phone: string, campaignId?: string) =>
  c.compliance.check({
    phone,
    at: AT,
    consent: true,
    ...(campaignId === undefined ? {} : { campaignId }),
  });
const cxoneReasons = (v: { reasons: Array<{ code: string; message: string }> }) =>
  v.reasons.filter((r) => r.code === "cxone_dnc");

beforeAll(async () => {
  const original = ProductionApi.prototype.request;
  vi.spyOn(ProductionApi.prototype, "request").mockImplementation(async function (
    this: ProductionApi,
    request,
  ) {
    const exchange: { request: ApiRequest; response?: HttpResponse } = { request };
    exchanges.push(exchange);
    exchange.response = await original.call(this, request);
    return exchange.response;
  });
  h = await cxoneHarness({ seed: 31, contacts: 100, days: 1 });
  const pc = h.fixtures.skills.filter((s) => s.outboundStrategy === "Personal Connection");
  sales = String(pc[0]!.skillId);
  collections = String(pc[2]!.skillId);
  dataDir = mkdtempSync(path.join(tmpdir(), "cxo-cxone-dnc-"));
  client = clientFor(dataDir);
});
afterAll(async () => {
  await client?.close();
  await h?.close();
});

describe("the production adapter's DNC groups", () => {
  it("lists each group with its state and scrubbed skills, its records in E.164, and searches a number", async () => {
    const port = client.port.dncGroups!;
    const groups = await port.list();
    expect(groups).toEqual(
      h.fixtures.dncGroups.map((g) => ({
        groupId: String(g.dncGroupId),
        name: g.dncGroupName,
        active: g.isActive,
        scrubbedSkillIds: g.scrubbedSkillIds.map(String),
        records: g.phones.length,
      })),
    );
    for (const g of groups) expect(await port.group!(g.groupId)).toEqual(g);
    // A group the adapter cannot read is never "no group" (a search hit in it must block).
    await expect(port.group!("424242")).rejects.toMatchObject({
      code: "cxone_unreadable_answer",
      status: 404,
    });
    const internal = h.fixtures.dncGroups[0]!;
    const records = [];
    for await (const r of port.records(String(internal.dncGroupId))) records.push(r);
    expect(records).toEqual(internal.phones.map((p) => ({ phone: e164(p), expiresAt: undefined })));
    expect(await port.search(e164(internal.phones[0]!))).toEqual([
      {
        groupId: String(internal.dncGroupId),
        groupName: "Internal",
        phone: e164(internal.phones[0]!),
        expiresAt: undefined,
      },
    ]);
    expect(await port.search("+13125550142")).toEqual([]);
    const searched = (await log()).filter((r) => r.path.endsWith("/dnc-groups/search"));
    expect(searched.map((r) => r.query.phoneNumber)).toEqual([internal.phones[0], "3125550142"]);
  });

  it("adds records as ten digits (a number added twice is held once) and reads a big group page by page", async () => {
    const created = await h.api("POST", "dnc-groups", { body: { dncGroupName: "Big" } });
    const id = String(created.body.dncGroups[0].dncGroupId);
    const phones = Array.from({ length: 250 }, (_, i) => `+1303555${String(2000 + i).padStart(4, "0")}`);
    await client.port.dncGroups!.addRecords(
      id,
      phones.map((phone) => ({ phone, expiresAt: undefined })),
    );
    await client.port.dncGroups!.addRecords(id, [{ phone: phones[0]!, expiresAt: "2099-01-01T00:00:00Z" }]);
    const wire = await h.api("GET", `dnc-groups/${id}/records?top=1`);
    // Issue 75: the independent sources' envelope, {resultSet: {totalRecords, dncRecords}}.
    expect(wire.body.resultSet.totalRecords).toBe(250);
    expect(wire.body.resultSet.dncRecords[0]).toMatchObject({
      phoneNumber: "3035552000",
      expiredDate: "2099-01-01T00:00:00.000Z",
    });
    const before = (await log()).length;
    const read = [];
    for await (const r of client.port.dncGroups!.records(id)) read.push(r.phone);
    expect(read).toEqual(phones);
    const pages = (await log()).slice(before).filter((r) => r.path.endsWith(`/dnc-groups/${id}/records`));
    expect(pages.map((r) => [r.query.skip, r.query.top])).toEqual([
      ["0", "100"],
      ["100", "100"],
      ["200", "100"],
    ]);
  });
});

describe("compliance.syncDnc and the checks", () => {
  it("copies every group and record, idempotently, with an audit record", async () => {
    const first = await client.compliance.syncDnc();
    const expected = h.fixtures.dncGroups.reduce((n, g) => n + g.phones.length, 0) + 250;
    expect(first).toMatchObject({ groups: 4, activeGroups: 3, records: expected });
    const second = await client.compliance.syncDnc();
    expect(second).toMatchObject({ groups: 4, activeGroups: 3, records: expected });
    const store = await openStore(dataDir);
    try {
      const rows = await store.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM cxone_dnc_records");
      expect(Number(rows!.n)).toBe(expected);
      const groups = await store.db.all<{ name: string; active: number; scrubbed_skills: string }>(
        "SELECT name, active, scrubbed_skills FROM cxone_dnc_groups ORDER BY group_id",
      );
      expect(groups.map((g) => [g.name, Number(g.active), JSON.parse(g.scrubbed_skills)])).toEqual([
        ...h.fixtures.dncGroups.map((g) => [
          g.dncGroupName,
          g.isActive ? 1 : 0,
          g.scrubbedSkillIds.map(String),
        ]),
        ["Big", 1, []],
      ]);
      const audits = await store.db.all<{ operation: string }>(
        "SELECT operation FROM audit_log WHERE operation = 'compliance.cxone-dnc.sync'",
      );
      expect(audits).toHaveLength(2);
    } finally {
      await store.close();
    }
  });

  it("refuses a number of an active group scrubbing the campaign's skill, naming the group; not for another skill, not an inactive group", async () => {
    const [internal, cease, retired] = h.fixtures.dncGroups;
    const refused = await check(client, e164(internal!.phones[1]!), sales);
    // The first check read agents' do-not-call dispositions (issue 77 §3); the rest are within
    // the freshness window: what they send is the DNC copy's doing alone.
    const before = (await log()).length;
    expect(refused.allowed).toBe(false);
    expect(cxoneReasons(refused)).toEqual([
      expect.objectContaining({
        code: "cxone_dnc",
        ruleId: `cxone-dnc-group-${internal!.dncGroupId}`,
        message: expect.stringContaining('"Internal"'),
      }),
    ]);
    expect(refused.cxoneDnc).toMatchObject({
      source: "copy",
      stale: false,
      ageMinutes: 0,
      maxAgeMinutes: 60,
    });
    // No campaign named: any active group refuses.
    expect(cxoneReasons(await check(client, e164(cease!.phones[0]!)))).toHaveLength(1);
    // Collections Cease scrubs PC Collections only.
    expect(cxoneReasons(await check(client, e164(cease!.phones[0]!), sales))).toEqual([]);
    expect(cxoneReasons(await check(client, e164(cease!.phones[0]!), collections))).toHaveLength(1);
    // An inactive group refuses nothing.
    expect(cxoneReasons(await check(client, e164(retired!.phones[0]!), sales))).toEqual([]);
    expect(cxoneReasons(await check(client, e164(retired!.phones[0]!)))).toEqual([]);
    // A fresh copy: the checks sent nothing.
    expect((await log()).slice(before)).toEqual([]);
  });

  it("a number removed from its group is no longer refused after the next sync", async () => {
    const internal = h.fixtures.dncGroups[0]!;
    const phone = internal.phones[2]!;
    expect(cxoneReasons(await check(client, e164(phone), sales))).toHaveLength(1);
    const removed = await h.api("DELETE", `dnc-groups/${internal.dncGroupId}/records`, {
      body: { dncGroupRecords: [{ phoneNumber: phone }] },
    });
    expect(removed.body.errorCount).toBe(0);
    // The copy is fresh: it still says so until the next sync.
    expect(cxoneReasons(await check(client, e164(phone), sales))).toHaveLength(1);
    await client.compliance.syncDnc();
    expect(cxoneReasons(await check(client, e164(phone), sales))).toEqual([]);
  });

  it("searches live when the copy is older than the limit, or was never synced", async () => {
    const internal = h.fixtures.dncGroups[0]!;
    const added = "+16125550777";
    await h.api("POST", `dnc-groups/${internal.dncGroupId}/records`, {
      body: { dncGroupRecords: [{ phoneNumber: "6125550777" }] },
    });
    // Fresh copy: not in it yet.
    expect(cxoneReasons(await check(client, added, sales))).toEqual([]);
    await ageCopy(dataDir, 61);
    const before = (await log()).length;
    const live = await check(client, added, sales);
    expect(cxoneReasons(live)).toEqual([
      expect.objectContaining({ message: expect.stringContaining('"Internal"') }),
    ]);
    expect(live.cxoneDnc).toMatchObject({ source: "live", stale: true, ageMinutes: 61 });
    const sent = (await log()).slice(before).map((r) => `${r.method} ${r.path.replace(/^.*v\d+\.0/, "")}`);
    // The search, then the one group it named (not every group of the business unit).
    expect(sent).toEqual([
      "POST /dnc-groups/search",
      `GET /dnc-groups/${internal.dncGroupId}`,
      `GET /dnc-groups/${internal.dncGroupId}/scrubbed-skills`,
    ]);
    // Live, a group that does not scrub the skill still does not refuse.
    expect(cxoneReasons(await check(client, e164(h.fixtures.dncGroups[1]!.phones[0]!), sales))).toEqual([]);

    const never = clientFor(mkdtempSync(path.join(tmpdir(), "cxo-cxone-dnc-never-")));
    try {
      const verdict = await check(never, added);
      expect(verdict.cxoneDnc).toMatchObject({
        source: "live",
        stale: true,
        syncedAt: null,
        ageMinutes: null,
      });
      expect(cxoneReasons(verdict)).toHaveLength(1);
    } finally {
      await never.close();
    }
  });

  it("a scrub syncs a stale copy first, and refuses the list's numbers in a group scrubbing the campaign's skill", async () => {
    await ageCopy(dataDir, 120);
    const listId = String(h.fixtures.skills.find((s) => String(s.skillId) === sales)!.callingListIds[0]);
    const rows: Array<{ phone: string; reasons: Array<{ code: string }> }> = [];
    const summary = await client.campaigns.segment(listId, {
      atMs: Date.parse(AT),
      campaignId: sales,
      sink: { write: (row) => void rows.push(row), end: async () => {} },
    });
    expect(summary.cxoneDnc).toMatchObject({ source: "synced", stale: false, ageMinutes: 0 });
    const internal = new Set(
      h.fixtures.dncGroups[0]!.phones.slice(0, 2).concat(h.fixtures.dncGroups[0]!.phones.slice(3)),
    );
    const scrubbed = rows.filter((r) => r.reasons.some((x) => x.code === "cxone_dnc"));
    expect(scrubbed.length).toBeGreaterThan(0);
    for (const row of scrubbed) expect(internal.has(row.phone.slice(2))).toBe(true);
    expect(rows.filter((r) => internal.has(r.phone.slice(2))).every((r) => scrubbed.includes(r))).toBe(true);
    expect(summary.byReason.cxone_dnc).toBe(scrubbed.length);
  });

  it("every DNC request the adapter sent, and every answer it read, holds to the conformance table", () => {
    const dnc = exchanges.filter(({ request }) => request.endpoint?.includes("/dnc-groups"));
    expect(new Set(dnc.map(({ request }) => request.endpoint)).size).toBe(6);
    const problems = new Set<string>();
    for (const { request, response } of dnc) {
      const [method = "", template = ""] = (request.endpoint ?? "").split(" ");
      const entry = endpointOf(method, template.replace(/\{[^}]+\}/g, "x"));
      if (!entry) {
        problems.add(`${request.endpoint}: not in the table`);
        continue;
      }
      for (const problem of requestProblems(entry, {
        query: Object.fromEntries(Object.entries(request.query ?? {}).map(([k, v]) => [k, String(v)])),
        body: request.body,
      }))
        problems.add(`${request.endpoint} (sent): ${problem}`);
      if (response && response.status >= 200 && response.status < 300 && response.body !== undefined)
        for (const problem of responseProblems(entry, response.body))
          problems.add(`${request.endpoint} (answer): ${problem}`);
    }
    expect([...problems]).toEqual([]);
  });

  it("is not supported on the seed API: nothing sent", () => {
    expect(SEED_SUPPORT.unsupported("dncGroups")).toMatchObject({ code: "not_supported_by_platform" });
  });
});
