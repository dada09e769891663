import { describe, expect, it } from "vitest";
import type { ProductionApi } from "../../../src/platform/cxone/api.ts";
import { contactOf, downloadList } from "../../../src/platform/cxone/call-lists.ts";
import { productionDiagnosis } from "../../../src/platform/cxone/diagnosis.ts";
import { productionDncGroups } from "../../../src/platform/cxone/dnc-groups.ts";
import { findUploadJob } from "../../../src/platform/cxone/list-upload.ts";
import { IncompleteListingError, UnreadableAnswerError } from "../../../src/platform/errors.ts";

/**
 * Issue 75 §1: every reader that can allow a dial, fed each documented shape (read right) and
 * shapes no source documents (an UnreadableAnswerError naming the route, never "empty"). The
 * documented shapes also come over real HTTP from the production emulator under its knobs
 * (compliance-shapes-emulator.test.ts); the unknown ones cannot, so here the answers are handed
 * to the readers as the API layer would hand them over (status and parsed body).
 */
type Answer = { status: number; body?: unknown };
type Route = (path: string, query: Record<string, unknown>) => Answer;

/** An API handle whose answers come from `route` (by path below the version, and query). */
function apiAnswering(route: Route): ProductionApi {
  return {
    async request(options: { path: string; query?: Record<string, unknown> }) {
      const answer = route(options.path, options.query ?? {});
      if (answer.status === 404) {
        const { NotFoundError } = await import("../../../src/core/http/errors.ts");
        throw new NotFoundError("not found", { status: 404 });
      }
      return { status: answer.status, body: answer.body, headers: {} };
    },
    fallback() {},
    now: () => Date.now(),
  } as unknown as ProductionApi;
}

const GROUP = { dncGroupId: 7, dncGroupName: "Internal", isActive: true, validRecords: 2 };
const RECORDS = [{ phoneNumber: "2125550101" }, { phoneNumber: "2125550102", expiredDate: null }];
const SCRUBBED = { status: 200, body: { scrubbedSkills: [{ skillId: 101 }] } };

/** Every record of group 7 when its records route answers `records`. */
async function recordsOf(records: Answer): Promise<string[]> {
  const port = productionDncGroups(
    apiAnswering((path, query) =>
      path.endsWith("/records") && query.skip === 0 ? records : { status: 204 },
    ),
  );
  const out: string[] = [];
  for await (const r of port.records("7")) out.push(r.phone);
  return out;
}

const unreadable = (route: string) =>
  expect.objectContaining({ code: "cxone_unreadable_answer", route }) as unknown as UnreadableAnswerError;

describe("GET /dnc-groups/{id}/records: every documented key and envelope", () => {
  it.each([
    ["resultSet.dncRecords (calljacob, DZ)", { resultSet: { totalRecords: 2, dncRecords: RECORDS } }],
    ["resultSet.dncGroupRecords", { resultSet: { totalRecords: 2, dncGroupRecords: RECORDS } }],
    ["dncRecords at the top", { totalRecords: 2, dncRecords: RECORDS }],
    ["dncGroupRecords at the top (cxo's first reading)", { totalRecords: 2, dncGroupRecords: RECORDS }],
    ["no totalRecords", { dncRecords: RECORDS }],
  ])("%s", async (_name, body) => {
    expect(await recordsOf({ status: 200, body })).toEqual(["+12125550101", "+12125550102"]);
  });

  it("phoneNumber as a JSON integer (the generated client's type; a live client's finding), expiry date-only or quoted empty", async () => {
    const port = productionDncGroups(
      apiAnswering((path, query) =>
        path.endsWith("/records") && query.skip === 0
          ? {
              status: 200,
              body: {
                resultSet: {
                  totalRecords: 3,
                  dncRecords: [
                    { phoneNumber: 2125550101 },
                    { phoneNumber: 12125550102, expiredDate: "2031-12-31" },
                    { phoneNumber: "2125550103", expiredDate: "" },
                  ],
                },
              },
            }
          : { status: 204 },
      ),
    );
    const read: Array<{ phone: string; expiresAt?: string }> = [];
    for await (const r of port.records("7")) read.push({ phone: r.phone, expiresAt: r.expiresAt });
    expect(read.map((r) => r.phone)).toEqual(["+12125550101", "+12125550102", "+12125550103"]);
    expect(read[1]?.expiresAt).toMatch(/^2031-12-31/);
    expect(read[2]?.expiresAt).toBeUndefined();
  });

  it("a 204 is an empty group", async () => {
    expect(await recordsOf({ status: 204 })).toEqual([]);
  });

  it.each([
    ["an unknown key", { resultSet: { totalRecords: 2, records: RECORDS } }],
    ["an empty object", {}],
    ["the array's key holding an object", { resultSet: { dncRecords: { phoneNumber: "2125550101" } } }],
    ["the array's key holding null", { dncRecords: null }],
    ["an item that is not an object", { dncRecords: ["2125550101"] }],
    ["a record without a number", { dncRecords: [{ expiredDate: null }] }],
    ["a JSON array", RECORDS],
    ["text", "<html>maintenance</html>"],
  ])("%s: an UnreadableAnswerError naming the route, never an empty group", async (_name, body) => {
    const error = await recordsOf({ status: 200, body }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableAnswerError);
    expect(error).toMatchObject({
      code: "cxone_unreadable_answer",
      route: "GET /dnc-groups/{groupId}/records",
    });
    expect((error as Error).message).toContain("GET /dnc-groups/{groupId}/records");
  });
});

describe("GET /dnc-groups/{id}/records: read whole or not at all (issue 78 M4)", () => {
  const page = (from: number, count: number, total: number) => ({
    status: 200,
    body: {
      resultSet: {
        totalRecords: total,
        dncRecords: Array.from({ length: count }, (_, i) => ({
          phoneNumber: `212555${String(from + i).padStart(4, "0")}`,
        })),
      },
    },
  });
  const read = async (route: Route) => {
    const out: string[] = [];
    for await (const r of productionDncGroups(apiAnswering(route)).records("7")) out.push(r.phone);
    return out;
  };

  it("290 records over three pages are read whole", async () => {
    const phones = await read((_p, q) =>
      page(q.skip as number, Math.min(100, 290 - (q.skip as number)), 290),
    );
    expect(phones).toHaveLength(290);
  });

  it("a tenant that ignores skip (the first page again): IncompleteListingError, not 100 records", async () => {
    const error = await read(() => page(0, 100, 290)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncompleteListingError);
    expect(error).toMatchObject({ reason: "repeated-page", read: 100, expected: 290 });
  });

  it("a count that changes while read (a record deleted mid-read): IncompleteListingError", async () => {
    const error = await read((_p, q) =>
      q.skip === 0 ? page(0, 100, 290) : page(q.skip as number, 100, 289),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "cxone_listing_incomplete", reason: "count-changed" });
  });

  it("fewer records than totalRecords said (a 204 before the end): IncompleteListingError", async () => {
    const error = await read((_p, q) => (q.skip === 0 ? page(0, 100, 290) : { status: 204 })).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ reason: "fewer-than-said", read: 100, expected: 290 });
  });
});

describe("GET /dnc-groups/{id}: one group in every documented envelope", () => {
  const groupAnswering = (one: Answer) =>
    productionDncGroups(apiAnswering((path) => (path.endsWith("/scrubbed-skills") ? SCRUBBED : one)));

  it.each([
    ["resultSet.dncGroups[0] (calljacob, DZ)", { resultSet: { dncGroups: [GROUP] } }],
    ["dncGroups[0] (the emulator's first shape)", { dncGroups: [GROUP] }],
    ["dncGroup: {…}", { dncGroup: GROUP }],
    ["flat", GROUP],
    ["flat in resultSet", { resultSet: GROUP }],
  ])("%s", async (_name, body) => {
    expect(await groupAnswering({ status: 200, body }).group!("7")).toEqual({
      groupId: "7",
      name: "Internal",
      active: true,
      scrubbedSkillIds: ["101"],
      records: 2,
    });
  });

  it('404 is not "no group": the number is in a group cxo cannot read, so the live check fails rather than drop the hit', async () => {
    await expect(groupAnswering({ status: 404 }).group!("7")).rejects.toBeInstanceOf(UnreadableAnswerError);
  });

  it.each([
    ["an empty resultSet", { resultSet: {} }],
    ["an empty dncGroups", { resultSet: { dncGroups: [] } }],
    ["a group without an id", { resultSet: { dncGroups: [{ dncGroupName: "Internal" }] } }],
    ["an unknown key", { group: GROUP }],
  ])("%s: unreadable, so a live check fails rather than drop the hit", async (_name, body) => {
    await expect(groupAnswering({ status: 200, body }).group!("7")).rejects.toEqual(
      unreadable("GET /dnc-groups/{groupId}"),
    );
  });
});

describe("GET /dnc-groups, scrubbed skills and the search", () => {
  const port = (routes: { listing?: Answer; scrubbed?: Answer; search?: Answer }) =>
    productionDncGroups(
      apiAnswering((path, query) => {
        if (path.endsWith("/scrubbed-skills")) return routes.scrubbed ?? SCRUBBED;
        if (path === "/dnc-groups/search") return routes.search ?? { status: 204 };
        if (path === "/dnc-groups")
          return query.skip === 0 ? (routes.listing ?? { status: 204 }) : { status: 204 };
        return { status: 404 };
      }),
    );

  it.each([
    ["resultSet.dncGroups (calljacob, DZ)", { resultSet: { totalGroups: 1, dncGroups: [GROUP] } }],
    ["dncGroups at the top", { dncGroups: [GROUP] }],
  ])("the listing as %s", async (_name, body) => {
    expect(await port({ listing: { status: 200, body } }).list()).toEqual([
      { groupId: "7", name: "Internal", active: true, scrubbedSkillIds: ["101"], records: 2 },
    ]);
  });

  it("an empty listing (204) is no group; an unknown one, or a group without an id, is unreadable", async () => {
    expect(await port({}).list()).toEqual([]);
    await expect(
      port({ listing: { status: 200, body: { resultSet: { groups: [GROUP] } } } }).list(),
    ).rejects.toEqual(unreadable("GET /dnc-groups"));
    await expect(
      port({ listing: { status: 200, body: { dncGroups: [{ dncGroupName: "x" }] } } }).list(),
    ).rejects.toEqual(unreadable("GET /dnc-groups"));
  });

  it("scrubbed skills: scrubbedSkills or skills, 204 none; anything else unreadable", async () => {
    const listing = { status: 200, body: { dncGroups: [GROUP] } };
    const skills = async (scrubbed: Answer) =>
      (await port({ listing, scrubbed }).list())[0]?.scrubbedSkillIds;
    expect(await skills({ status: 200, body: { skills: [{ skillId: 5 }] } })).toEqual(["5"]);
    expect(await skills({ status: 204 })).toEqual([]);
    await expect(skills({ status: 200, body: { scrubbed: [{ skillId: 5 }] } })).rejects.toEqual(
      unreadable("GET /dnc-groups/{groupId}/scrubbed-skills"),
    );
    await expect(skills({ status: 200, body: { scrubbedSkills: [{ skillName: "x" }] } })).rejects.toEqual(
      unreadable("GET /dnc-groups/{groupId}/scrubbed-skills"),
    );
  });

  it("the search: searchResults in or out of resultSet, 204 none; unknown or a hit without a group unreadable", async () => {
    const hit = { dncGroupId: 7, dncGroupName: "Internal", formattedPhone: "(212) 555-0101" };
    const search = (body: unknown, status = 200) => port({ search: { status, body } }).search("+12125550101");
    expect(await search({ searchResults: [hit] })).toHaveLength(1);
    expect(await search({ resultSet: { searchResults: [hit] } })).toHaveLength(1);
    expect(await search(undefined, 204)).toEqual([]);
    await expect(search({ results: [hit] })).rejects.toEqual(unreadable("POST /dnc-groups/search"));
    await expect(search({ searchResults: [{ formattedPhone: "2125550101" }] })).rejects.toEqual(
      unreadable("POST /dnc-groups/search"),
    );
  });
});

describe("GET /lists/call-lists/{id}?includeRecords: both record layouts", () => {
  const download = (body: unknown, status = 200) =>
    downloadList(
      apiAnswering(() => ({ status, body })),
      "71",
    );

  it("phoneNumber + customFields, and destinations[].formattedDestination + otherFields[] (DZ, FULL)", async () => {
    const records = await download({
      resultSet: {
        contactRecords: [
          { externalId: "a", phoneNumber: "6125550101", customFields: { consent_call: "Y" } },
          {
            externalId: "b",
            destinations: [{ formattedDestination: "6125550102", description: "PhoneNumber" }],
            otherFields: [{ fieldName: "consent_call", fieldMapping: "consent_call", fieldValue: "N" }],
          },
          { ExternalId: "c", Destinations: [{ FormattedDestination: "6125550103" }], OtherFields: [] },
        ],
      },
    });
    expect(
      records.map((r) => contactOf(r, "consent_call")).map((c) => [c.id, c.phone, c.consent.call]),
    ).toEqual([
      ["a", "+16125550101", true],
      ["b", "+16125550102", false],
      ["c", "+16125550103", undefined],
    ]);
  });

  it.each([
    ["no contactRecords", { resultSet: { listId: 71, records: [] } }],
    ["contactRecords not an array", { resultSet: { contactRecords: {} } }],
  ])("%s: unreadable, not an empty list", async (_name, body) => {
    await expect(download(body)).rejects.toEqual(unreadable("GET /lists/call-lists/{listId}"));
  });

  it("a record with no number in either layout, or columns in neither shape, is unreadable", () => {
    expect(() => contactOf({ externalId: "x", destinations: [] }, undefined)).toThrow(UnreadableAnswerError);
    expect(() => contactOf({ externalId: "x", phoneNumber: "6125550101", otherFields: {} }, "c")).toThrow(
      /otherFields/,
    );
  });
});

describe("a skill's zone hours, schedule and retry settings (cxo why)", () => {
  const SKILL = { skillId: 101, isActive: true, isRunning: true, isOutbound: true };
  const state = (parameters: unknown, schedule?: Answer) =>
    productionDiagnosis(
      apiAnswering((path) =>
        path === "/skills/101"
          ? { status: 200, body: SKILL }
          : path === "/skills/101/parameters"
            ? { status: 200, body: parameters }
            : path === "/skills/101/parameters/schedule-settings"
              ? (schedule ?? { status: 404 })
              : { status: 404 },
      ),
      { abandonRateUnit: "percent" },
      async () => "America/New_York",
    ).skill("101");
  const row = (key: string, zone: string) => ({ [key]: zone, startTime: "10:00", endTime: "19:00" });

  it.each(["name", "standardName", "timeZone"])(
    "a zone row named by %s gives the skill's hours there",
    async (key) => {
      const skill = await state({ timeZoneSettings: [row(key, "Eastern Standard Time")] });
      expect(skill.zoneHours).toEqual([{ zone: "America/New_York", startMinute: 600, endMinute: 1140 }]);
    },
  );

  it("a zone switched off (timeZoneActiveToCall false) is closed all day", async () => {
    const skill = await state({
      timeZoneSettings: [{ ...row("name", "Pacific Standard Time"), timeZoneActiveToCall: false }],
    });
    expect(skill.zoneHours).toEqual([{ zone: "America/Los_Angeles", startMinute: 0, endMinute: 0 }]);
  });

  it.each([
    ["a row without a zone name", { timeZoneSettings: [{ startTime: "10:00", endTime: "19:00" }] }],
    ["a row without hours", { timeZoneSettings: [{ name: "Eastern Standard Time" }] }],
    ["timeZoneSettings not an array", { timeZoneSettings: { name: "Eastern Standard Time" } }],
    ["maximumAttempts not a number", { retrySettings: { maximumAttempts: "three" } }],
    ["loadNonFresh not a boolean", { retrySettings: { loadNonFresh: "sometimes" } }],
    ["generalSettings not an object", { generalSettings: [] }],
    ["an active day without its hours", { scheduleSettings: { isScheduled: true, mondayIsActive: true } }],
    ["isScheduled neither true nor false", { scheduleSettings: { isScheduled: "maybe" } }],
  ])("%s: unreadable", async (_name, parameters) => {
    await expect(state(parameters)).rejects.toBeInstanceOf(UnreadableAnswerError);
  });

  it("a scheduled skill whose own schedule read is not an object: unreadable, not 'no schedule'", async () => {
    await expect(
      state({ scheduleSettings: { isScheduled: true, schedules: [] } }, { status: 200, body: "" }),
    ).rejects.toMatchObject({ route: "GET /skills/{skillId}/parameters/schedule-settings" });
  });

  it("the parameters answered as something other than an object: unreadable", async () => {
    await expect(state("busy")).rejects.toMatchObject({ route: "GET /skills/{skillId}/parameters" });
  });
});

describe("GET /lists/call-lists/jobs: a push's earlier upload is found, or the answer refused", () => {
  const jobsAnswer = (body: unknown) => apiAnswering(() => ({ status: 200, body }));
  it("finds the list's newest job not cancelled nor already known, in either envelope", async () => {
    const jobs = [
      { jobId: "11", listId: "64", isCancelled: false },
      { jobId: "12", listId: "65", isCancelled: false },
      { jobId: "13", listId: "64", isCancelled: true },
      { jobId: "14", listId: "64", isCancelled: false },
    ];
    expect(await findUploadJob(jobsAnswer({ uploadJobs: jobs }), "64")).toBe("14");
    expect(
      await findUploadJob(jobsAnswer({ resultSet: { uploadJobs: jobs } }), "64", undefined, ["14"]),
    ).toBe("11");
    expect(
      await findUploadJob(
        apiAnswering(() => ({ status: 204 })),
        "64",
      ),
    ).toBeUndefined();
  });
  it.each([
    ["an unknown key", { jobs: [{ jobId: "11", listId: "64" }] }],
    ["the key holding an object", { uploadJobs: { jobId: "11", listId: "64" } }],
    ["text", "<html>maintenance</html>"],
  ])(
    '%s: an UnreadableAnswerError, never "no earlier upload" (which would upload again)',
    async (_name, body) => {
      await expect(findUploadJob(jobsAnswer(body), "64")).rejects.toEqual(
        unreadable("GET /lists/call-lists/jobs"),
      );
    },
  );
});
