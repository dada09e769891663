import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/core/config/errors.ts";
import { loadSettings } from "../../../src/core/config/index.ts";
import { CxoneError } from "../../../src/core/http/errors.ts";
import { InputError } from "../../../src/core/input-error.ts";
import { withoutFields } from "../../../src/dialer/settings/diff.ts";
import { claimsOf } from "../../../src/platform/cxone/auth.ts";
import { contactFilter, contactOf, e164Of } from "../../../src/platform/cxone/call-lists.ts";
import { statusOfSkill } from "../../../src/platform/cxone/campaigns.ts";
import { completedCallOf } from "../../../src/platform/cxone/contact-record.ts";
import { localPolicy, UNSUPPORTED_DIALER_FIELDS, versionTagOf } from "../../../src/platform/cxone/dialer.ts";
import { decodeCursor, encodeCursor } from "../../../src/platform/cxone/outcomes.ts";
import { nextSkip } from "../../../src/platform/cxone/paging.ts";
import { dialerBlocksOf, dialerSettingsOf } from "../../../src/platform/cxone/skill-settings.ts";
import { bool, listOf, num, singleOf } from "../../../src/platform/cxone/tolerant.ts";
import { NotSupportedError } from "../../../src/platform/errors.ts";
import type { DialerSettings } from "../../../src/platform/ports/dialer.ts";

/** The production adapter's pure mappings, on recorded-shape JSON (reference §A, §C2). */

const V33 = {
  contactId: 9000001,
  masterContactId: 9000001,
  contactStartDate: "2025-03-03T15:04:05.000Z",
  lastUpdateTime: "2025-03-03T15:06:30.000Z",
  skillId: 101,
  skillName: "PC Sales",
  campaignId: 7,
  campaignName: "Default Campaign",
  agentId: 3001,
  isOutbound: true,
  fromAddress: "8005550100",
  toAddress: "6125550123",
  mediaTypeId: 4,
  primaryDispositionId: 11,
  secondaryDispositionId: null,
  dispositionNotes: "",
  abandoned: false,
  agentSeconds: 95,
  totalDurationSeconds: 121,
  tags: [{ contactId: 9000001, tagId: 5, tagName: "vip" }],
};

const V23 = {
  contactId: "9000001",
  contactStart: "2025-03-03T15:04:05.000Z",
  skillId: "101",
  isOutbound: "True",
  toAddr: "6125550123",
  mediaType: 4,
  confSeconds: 0,
  primaryDispositionId: "11",
  secondaryDispositionId: "0",
  totalDurationSeconds: "121",
  tags: [{ Contact_Id: 9000001, TagId: 5, TagName: "vip" }],
};

describe("completed contact → call record", () => {
  it("maps v33 names, derives the end time, keeps unmapped fields and the reporting campaign", () => {
    const call = completedCallOf(V33);
    expect(call).toMatchObject({
      id: "9000001",
      campaignId: "101",
      startTime: "2025-03-03T15:04:05.000Z",
      endTime: "2025-03-03T15:06:06.000Z",
      durationSeconds: 121,
      dispositionCode: "11",
      reasonCodeId: undefined,
      tags: ["vip"],
    });
    expect(call.raw).toMatchObject({
      id: "9000001",
      campaignId: "101",
      phoneNumber: "6125550123",
      agentId: "3001",
      direction: "OUTBOUND",
      reportingCampaignId: 7,
      skillName: "PC Sales",
      agentSeconds: 95,
    });
    // One record shape on both platforms: a contact id, never null.
    expect(call.raw.contactId).toBe(String(V33.masterContactId ?? V33.contactId));
  });

  it("maps v23 names and stringly values to the same domain record", () => {
    const a = completedCallOf(V33);
    const b = completedCallOf(V23);
    for (const key of [
      "id",
      "campaignId",
      "startTime",
      "endTime",
      "durationSeconds",
      "dispositionCode",
      "reasonCodeId",
      "tags",
    ] as const)
      expect(b[key]).toEqual(a[key]);
    expect(b.raw.phoneNumber).toBe("6125550123");
  });

  it("refuses a record without an id or a start", () => {
    expect(() => completedCallOf({ contactStartDate: "2025-03-03T15:04:05Z" })).toThrow(CxoneError);
    expect(() => completedCallOf({ contactId: 1, contactStartDate: "not a date" })).toThrow(
      /contactStartDate/,
    );
  });
});

describe("tolerant parsing", () => {
  it("reads numbers and booleans sent as strings", () => {
    expect([num("0"), num(3), num(""), num("x"), num(null)]).toEqual([0, 3, undefined, undefined, undefined]);
    expect([bool("True"), bool("false"), bool(true), bool("maybe")]).toEqual([true, false, true, undefined]);
  });

  it("lists: 204's empty body, resultSet wrapping; single objects flat or wrapped", () => {
    expect(listOf(undefined, "skills")).toEqual([]);
    expect(listOf({ resultSet: { contactRecords: [{ a: 1 }] } }, "contactRecords")).toEqual([{ a: 1 }]);
    const skill = { skillId: 101, skillName: "PC Sales" };
    expect(singleOf({ skills: [skill] }, ["skills"], "GET /skills/{id}")).toEqual(skill);
    expect(singleOf(skill, ["skills"], "GET /skills/{id}")).toEqual(skill);
    expect(singleOf({ businessUnitId: 1, contactId: { contactId: 5 } }, ["contactId"], "x")).toEqual({
      contactId: 5,
    });
    expect(() => singleOf(undefined, ["skills"], "GET /skills/{id}")).toThrow(CxoneError);
  });

  it("skip/top paging ends at whichever end marker comes first", () => {
    const link = (skip: number) =>
      `https://api-na1.example.com/inContactAPI/services/v33.0/skills?skip=${skip}&top=2`;
    expect(
      nextSkip({ items: 2, skip: 0, top: 2, body: { totalRecords: 5, _links: { next: link(2) } } }),
    ).toBe(2);
    expect(
      nextSkip({ items: 2, skip: 2, top: 2, body: { totalRecords: 4, _links: { next: link(4) } } }),
    ).toBeNull();
    expect(nextSkip({ items: 2, skip: 0, top: 2, body: { _links: { next: null } } })).toBeNull();
    expect(nextSkip({ items: 2, skip: 0, top: 2, body: {} })).toBe(2);
    expect(nextSkip({ items: 1, skip: 0, top: 2, body: {} })).toBeNull();
    expect(nextSkip({ items: 0, skip: 0, top: 2, body: undefined })).toBeNull();
    // A link that does not move forward is not followed round in circles.
    expect(nextSkip({ items: 2, skip: 4, top: 2, body: { _links: { next: link(4) } } })).toBeNull();
  });
});

describe("outcome page tokens", () => {
  const query = { campaignId: "101", from: "2025-03-01T00:00:00+01:00", to: "2025-03-02T00:00:00Z" };
  it("round-trip, and refuse a token of another listing or a made-up one", () => {
    const token = encodeCursor({
      v: 1,
      from: "2025-02-28T23:00:00.000Z",
      to: "2025-03-02T00:00:00.000Z",
      skillId: "101",
      skip: 2000,
      top: 1000,
    });
    expect(decodeCursor(token, query).skip).toBe(2000);
    expect(() => decodeCursor(token, { ...query, campaignId: "102" })).toThrow(InputError);
    expect(() => decodeCursor("garbage", query)).toThrow(/not one this tool made/);
  });
});

describe("skills as campaigns, parameters as dialer settings", () => {
  it("status: running → active, stopped and active → paused, inactive → stopped (strings too)", () => {
    expect(statusOfSkill({ isRunning: true, isActive: true })).toBe("active");
    expect(statusOfSkill({ isRunning: "False", isActive: "True" })).toBe("paused");
    expect(statusOfSkill({ isRunning: false, isActive: false })).toBe("stopped");
  });

  it("dialer settings survive a write and a read back (percent and fraction units); the tag follows the settings", () => {
    const settings: DialerSettings = {
      concurrency: {},
      algorithm: { type: "predictive", abandonmentTarget: 0.03, dialRatio: 2.5, warmLineTimeoutSec: 2 },
    };
    for (const abandonRateUnit of ["percent", "fraction"] as const)
      for (const maximumRatioUnit of ["ratio", "percent"] as const) {
        const units = { abandonRateUnit, maximumRatioUnit };
        const parameters: Record<string, unknown> = {};
        for (const [, body] of dialerBlocksOf(settings, units)) Object.assign(parameters, body);
        expect(dialerSettingsOf(parameters, units)).toEqual(settings);
      }
    const percent = { abandonRateUnit: "percent", maximumRatioUnit: "ratio" } as const;
    const blocks = Object.assign({}, ...dialerBlocksOf(settings, percent).map(([, b]) => b));
    expect((blocks.generalSettings as { abandonRateThreshold: number }).abandonRateThreshold).toBe(3);
    expect((blocks.generalSettings as { maximumRatio: number }).maximumRatio).toBe(2.5);
    const inPercent = dialerBlocksOf(settings, { ...percent, maximumRatioUnit: "percent" });
    expect(Object.assign({}, ...inPercent.map(([, b]) => b)).generalSettings.maximumRatio).toBe(250);
    const tag = versionTagOf(blocks);
    expect(versionTagOf(structuredClone(blocks))).toBe(tag);
    expect(
      versionTagOf({ ...blocks, generalSettings: { ...blocks.generalSettings, maximumRatio: 2 } }),
    ).not.toBe(tag);
    const preview = dialerSettingsOf(
      { generalSettings: { maximumRatio: 1 }, deliveryPreferences: { confirmationRequiredDisabled: false } },
      percent,
    );
    expect(preview.algorithm.type).toBe("preview");
  });

  it("fields the platform cannot store are dropped from a change and named", () => {
    const requested: DialerSettings = {
      name: "x",
      concurrency: { maxAgents: 20, maxSimultaneousCalls: 40 },
      algorithm: {
        type: "predictive",
        abandonmentTarget: 0.02,
        dialRatio: 2,
        agentAvailabilityEstimate: 0.8,
      },
    };
    const { settings, dropped } = withoutFields(requested, UNSUPPORTED_DIALER_FIELDS);
    expect(dropped.sort()).toEqual([
      "algorithm.agentAvailabilityEstimate",
      "concurrency.maxAgents",
      "concurrency.maxSimultaneousCalls",
      "name",
    ]);
    expect(settings).toEqual({
      concurrency: {},
      algorithm: { type: "predictive", abandonmentTarget: 0.02, dialRatio: 2 },
    });
  });

  it("policy validation is local and says so", () => {
    const result = localPolicy(
      { concurrency: {}, algorithm: { type: "predictive", abandonmentTarget: 0.05, dialRatio: 0.5 } },
      10,
    );
    expect(result.status).toBe("FAIL");
    expect(result.violations.map((v) => v.code)).toEqual(["local:tcpa_abandonment", "local:dial_ratio"]);
    expect(result.checksPerformed.every((c) => c.startsWith("local:"))).toBe(true);
  });
});

describe("call lists", () => {
  it("maps camel and Pascal record keys, E.164, zones, a configured consent column; filters client-side", () => {
    const camel = contactOf(
      {
        externalId: "A1",
        phoneNumber: "6125550123",
        firstName: "Ann",
        timeZone: "Central",
        state: "MN",
        customFields: { consent_call: "Y" },
      },
      "consent_call",
    );
    const pascal = contactOf(
      {
        ExternalId: "A1",
        PhoneNumber: "(612) 555-0123",
        FirstName: "Ann",
        TimeZone: "Central",
        State: "MN",
        CustomFields: { consent_call: "Y" },
      },
      "consent_call",
    );
    for (const c of [camel, pascal])
      expect(c).toMatchObject({
        id: "A1",
        phone: "+16125550123",
        firstName: "Ann",
        timeZone: "America/Chicago",
        state: "MN",
        consent: { call: true },
      });
    expect(e164Of("+44 20 7946 0000")).toBe("+442079460000");
    expect(contactFilter("state==MN;consent_call==Y")(camel)).toBe(true);
    expect(contactFilter("state==WI")(camel)).toBe(false);
    expect(contactFilter("true")(camel)).toBe(true);
    expect(() => contactFilter("state=MN")).toThrow(InputError);
  });
});

describe("settings and errors", () => {
  const env = {
    CXONE_PLATFORM: "cxone",
    CXONE_CLIENT_ID: "c",
    CXONE_CLIENT_SECRET: "s",
    CXONE_ACCESS_KEY_ID: "k",
    CXONE_ACCESS_KEY_SECRET: "ks-secret",
  };

  it("defaults and names of the platform settings", () => {
    const settings = loadSettings({ env, cwd: "/nonexistent" });
    expect(settings.cxone).toMatchObject({
      platform: "cxone",
      issuer: "https://cxone.niceincontact.com",
      apiVersion: "v33.0",
    });
    expect(loadSettings({ env: {}, cwd: "/nonexistent" }).cxone.platform).toBe("seed");
    expect(() => loadSettings({ env: { CXONE_PLATFORM: "genesys" }, cwd: "/nonexistent" })).toThrow(
      ConfigError,
    );
    expect(() => loadSettings({ env: { ...env, CXONE_API_VERSION: "33" }, cwd: "/nonexistent" })).toThrow(
      /cxone.apiVersion/,
    );
    expect(() => loadSettings({ env: { ...env, CXONE_ISSUER: "ftp://x" }, cwd: "/nonexistent" })).toThrow(
      /cxone.issuer/,
    );
  });

  it("NotSupportedError names the platform, the operation and what to do instead", () => {
    const error = new NotSupportedError({
      platform: "cxone",
      operation: "campaigns.subscribe",
      why: "no webhook API",
      alternative: "poll metrics",
    });
    expect(error).toBeInstanceOf(CxoneError);
    expect(error.code).toBe("not_supported_by_platform");
    expect(error.message).toMatch(
      /campaigns\.subscribe is not supported on the CXone production .*no webhook API.*Instead: poll metrics/,
    );
    expect(error.toJSON()).toMatchObject({
      code: "not_supported_by_platform",
      platform: "cxone",
      operation: "campaigns.subscribe",
    });
  });

  it("reads the claims of an access token", () => {
    const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const claims = claimsOf(
      `${part({})}.${part({ tenantId: "t-1", role: { legacyId: "Agent" }, icClusterId: "B32", exp: 2 })}.x`,
    );
    expect(claims).toEqual({
      tenantId: "t-1",
      role: "Agent",
      subject: undefined,
      clusterId: "B32",
      expiresAt: 2000,
    });
    expect(claimsOf("opaque").tenantId).toBeUndefined();
  });
});

describe("a CXone field named like a domain field (issue 43 §1)", () => {
  it("never overwrites the validated value: id, startTime and phoneNumber keep theirs, CXone's go under cxone.<name>", async () => {
    const { completedCallOf } = await import("../../../src/platform/cxone/contact-record.ts");
    const { canonicalRecord } = await import("../../../src/outcomes/record-format.ts");
    const { partitionDay } = await import("../../../src/outcomes/parquet/schema.ts");
    const call = completedCallOf({
      contactId: 42,
      skillId: 701,
      contactStartDate: "2026-11-20T10:00:00.000Z",
      toAddress: "2125550100",
      id: "server-id",
      startTime: "1999-01-01T00:00:00.000Z",
      phoneNumber: "0000000000",
    });
    const record = canonicalRecord(call.raw);
    expect(record).toMatchObject({
      id: "42",
      startTime: "2026-11-20T10:00:00.000Z",
      phoneNumber: "2125550100",
    });
    expect(record.extra).toMatchObject({
      "cxone.id": "server-id",
      "cxone.startTime": "1999-01-01T00:00:00.000Z",
      "cxone.phoneNumber": "0000000000",
    });
    expect(partitionDay(record.startTime)).toBe("2026-11-20");
  });
});
