import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../../src/client.ts";
import { loadSettings } from "../../../src/core/config/index.ts";
import { knobsOfProfile } from "../../../src/emulator/cxone/profile.ts";
import { startEmulator } from "../../../src/emulator/index.ts";
import type { DoctorReport } from "../../../src/sdk/doctor.ts";
import { type CxoneHarness, cxoneHarness } from "../../emulator/cxone/helpers.ts";
import { accessKeyEnv, cxoneApi } from "../../support/cxone-access-key.ts";
import { adminCall } from "../../support/emulator-admin.ts";

/**
 * Issue 40: `doctor.run()` against the production emulator, knob by knob: the report names the
 * value each knob stands for, and a profile written from the findings, loaded by the adapter and
 * by the emulator, makes every fact agree.
 */
let h: CxoneHarness;
let dir: string;
const clients: InternalClient[] = [];
/** Outbound, active, no calling lists (running in the fixtures: stopped before each scratch run). */
let SCRATCH: string;

function client(env: Record<string, string> = {}): InternalClient {
  const settings = loadSettings({
    cwd: dir,
    env: { ...accessKeyEnv(h as never), CXO_DATA_DIR: path.join(dir, "data"), ...env },
  });
  const c = createInternalClient({
    ...clientOptionsFromSettings(settings),
    rateLimits: LIMITS as never,
    clock: QUICK_WAITS,
  });
  clients.push(c);
  return c;
}

/**
 * The client's waits (a list upload's job polls, 100 ms before the first; backoff) at most 5 ms:
 * the emulator's jobs are done when first polled, so each scratch run waited ~200 ms for nothing,
 * some twenty runs here. The time read is the process's, as without it.
 */
const QUICK_WAITS = {
  now: () => Date.now(),
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, Math.min(ms, 5)),
  clearTimeout: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout),
};

/** The scratch skill stopped (the fixtures start it running), as a user would before doctor. */
const stopScratch = (c: InternalClient) =>
  c.port.campaigns.setStatus(SCRATCH, "paused", `stop-${Math.random()}`);

/** Generous limits: the table runs doctor some fifty times in a minute against one tenant. */
const LIMITS = Object.fromEntries(
  ["token", "dispositions", "interactions", "campaigns", "dialer", "analytics", "outcomes", "default"].map(
    (g) => [g, { limit: 1000, per: "second", concurrency: 8 }],
  ),
);

const knobs = (body: Record<string, unknown>) => adminCall(h.url, "POST", "/knobs", body);
const requests = async (): Promise<Array<{ method: string; path: string; status: number }>> =>
  (await adminCall(h.url, "GET", "/requests")).requests;

/** The test agent and one of its live contacts (the fixtures' first active contact). */
function agentProbe() {
  const active =
    h.fixtures.activeContacts.find((a) => a.skillId !== Number(SCRATCH)) ?? h.fixtures.activeContacts[0]!;
  return { agentId: String(active.agentId), contactId: String(active.contactId) };
}

async function doctor(kind: "read" | "scratch" | "agent", c = client()): Promise<DoctorReport> {
  if (kind === "scratch") await stopScratch(c);
  return c.doctor.run(
    kind === "scratch" ? { scratchSkillId: SCRATCH } : kind === "agent" ? { agentProbe: agentProbe() } : {},
  );
}

const fact = (report: DoctorReport, id: string) => report.facts.find((f) => f.id === id)!;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "cxo-doctor-"));
  // A week of 1,400 contacts: 200 a day, over the 100 at which the lag is told, fewer than a page
  // of 10,000 (cheap runs). Every doctor run lists them all (the page-cap probe), some sixty runs
  // here: 3,000 cost 2 s more of CPU for nothing these facts need (issue 80).
  // Contacts at any hour: doctor reads the warehouse lag as the newest contact's age, which the
  // realistic history's nightly quiet hour (no NANP number is callable 11:00–12:00 UTC) would
  // inflate when these tests run then. What a quiet hour does to the reading is not tested here.
  h = await cxoneHarness({ seed: 40, contacts: 1400, days: 7, history: "any-hour" });
  SCRATCH = String(
    h.fixtures.skills.find(
      (s) => s.outboundStrategy === "Personal Connection" && s.isActive && s.callingListIds.length === 0,
    )!.skillId,
  );
});
beforeEach(async () => {
  await adminCall(h.url, "POST", "/reset");
  await adminCall(h.url, "DELETE", "/requests");
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await h.close();
});

describe("cxo doctor, read-only by default", () => {
  it("notes a probed skill that presents no caller id (callerIdOverride empty): the field is shown, the skill named", async () => {
    const emulator = { url: h.url, fixtures: h.fixtures } as never;
    for (const s of h.fixtures.skills.filter((k) => k.outboundStrategy === "Personal Connection"))
      await cxoneApi(emulator, "PUT", `/skills/${s.skillId}`, { skill: { callerIdOverride: "" } });
    const seen = fact(await doctor("read"), "skillCallerIdField");
    expect(seen).toMatchObject({ observed: "callerIdOverride", matches: true });
    expect(seen.note).toMatch(/skill \d+ sets no caller id .*refused/);
    expect(JSON.stringify(seen.evidence)).toContain('"skillCallerId":"empty"');
  });

  it("agrees with every default, sends only reads, and counts its requests", async () => {
    const report = await doctor("read");
    const differ = report.facts.filter((f) => !f.matches);
    expect(differ).toEqual([]);
    expect(report.writes).toEqual([]);
    const read = report.facts.filter((f) => f.probe === "read");
    // Every read fact was told but the page caps, which this tenant's lists do not reach (six
    // tags fit in an admin page, a week of contacts in one page of 10,000).
    // So is what `finalized=true` keeps (no list of this tenant has been dialled), and the
    // schedule's zone (the block names none by default: the evidence says what cxo assumes).
    expect(read.filter((f) => f.observed === null).map((f) => f.id)).toEqual([
      "topOverCap",
      "topCap",
      "adminTopCap",
      "attemptsDeliveredAsCallback",
      "attemptsFinalized",
      "scheduleTimeZone",
    ]);
    expect(fact(report, "scheduleTimeZone").note).toContain("names no zone");
    expect(fact(report, "listRecordExpiry").observed).toBe("shown");
    const log = await requests();
    const writes = log.filter((r) => r.method !== "GET" && !r.path.includes("/token"));
    expect(writes).toEqual([]);
    expect(report.requests).toBe(log.length);
    expect(report.requests).toBeLessThanOrEqual(40);
  });
});

it("tries each configured way in: the application the client uses, and the access key alone", async () => {
  const f = h.fixtures;
  const report = await client({
    CXONE_CLIENT_ID: f.client.clientId,
    CXONE_CLIENT_SECRET: f.client.clientSecret,
  }).doctor.run();
  expect(report.login).toBe("application");
  expect(report.logins).toEqual([
    { mode: "access-key", status: 200, ok: true },
    { mode: "application", status: 200, ok: true },
  ]);
  const accessKeyOnly = await client().doctor.run();
  expect(accessKeyOnly.logins).toEqual([{ mode: "access-key", status: 200, ok: true }]);
});

it("the seed platform has no doctor: NotSupportedError, nothing sent", async () => {
  const seed = createInternalClient({
    connection: { baseUrl: "http://127.0.0.1:9", clientId: "id", clientSecret: "secret-1" },
    dataDir: path.join(dir, "seed"),
  });
  clients.push(seed);
  await expect(seed.doctor.run()).rejects.toMatchObject({ code: "not_supported_by_platform" });
});

/** Knob → the fact it stands for and what doctor must observe; `matches` under the default settings. */
const TABLE: Array<{
  knobs: Record<string, unknown>;
  id: string;
  observed: unknown;
  matches: boolean;
  kind?: "scratch" | "agent";
}> = [
  { knobs: { advertisedClientAuth: "basic" }, id: "advertisedClientAuth", observed: "basic", matches: false },
  { knobs: { unknownTenant: "serve" }, id: "unknownTenant", observed: "serve", matches: false },
  { knobs: { allowPredictiveDialing: false }, id: "allowPredictiveDialing", observed: false, matches: false },
  { knobs: { enableSkillAbandonRate: false }, id: "enableSkillAbandonRate", observed: false, matches: false },
  {
    knobs: { abandonRateScope: "BusinessUnit" },
    id: "abandonRateScope",
    observed: "BusinessUnit",
    matches: true,
  },
  { knobs: { apiPublishedLimit: 500 }, id: "apiPublishedLimit", observed: 500, matches: true },
  { knobs: { numbersAsStrings: true }, id: "numbersAsStrings", observed: true, matches: false },
  { knobs: { callSuppression: false }, id: "callSuppression", observed: false, matches: true },
  { knobs: { callSuppression: true }, id: "callSuppression", observed: true, matches: true },
  { knobs: { stringly: true }, id: "stringly", observed: true, matches: false },
  { knobs: { requireAccept: false }, id: "requireAccept", observed: false, matches: false },
  { knobs: { acceptStatus: 415 }, id: "acceptStatus", observed: 415, matches: false },
  { knobs: { errorBody: "oauth" }, id: "errorBody", observed: "oauth", matches: false },
  { knobs: { errorBody: "message" }, id: "errorBody", observed: "message", matches: false },
  { knobs: { errorBody: "header" }, id: "errorBody", observed: "header", matches: false },
  {
    knobs: { orderByKeys: ["contactStartDate", "contactId"] },
    id: "orderByKeys",
    observed: ["contactStartDate", "contactId"],
    matches: false,
  },
  { knobs: { topOverCap: "reject" }, id: "topOverCap", observed: "reject", matches: false },
  { knobs: { topCap: 50 }, id: "topCap", observed: 50, matches: false },
  { knobs: { endDateInclusive: true }, id: "endDateInclusive", observed: true, matches: false },
  {
    knobs: { dateFilterField: "lastUpdateTime" },
    id: "dateFilterField",
    observed: "lastUpdateTime",
    matches: false,
  },
  { knobs: { unchangedStatus: 204 }, id: "unchangedStatus", observed: 204, matches: false },
  { knobs: { contactEnvelope: "flat" }, id: "contactEnvelope", observed: "flat", matches: false },
  { knobs: { contactEnvelope: "contacts" }, id: "contactEnvelope", observed: "contacts", matches: false },
  {
    knobs: { contactEnvelope: "completedContacts" },
    id: "contactEnvelope",
    observed: "completedContacts",
    matches: false,
  },
  { knobs: { adminTopCap: 3 }, id: "adminTopCap", observed: 3, matches: true },
  { knobs: { ignoreSkip: true }, id: "ignoreSkip", observed: true, matches: false },
  { knobs: { listRecordKeys: "pascal" }, id: "listRecordKeys", observed: "pascal", matches: false },
  { knobs: { skillWrapped: true }, id: "skillWrapped", observed: true, matches: false },
  // Issue 103 §3: a tenant whose skill records show no caller id (callerIdOverride).
  { knobs: { skillCallerIdField: "absent" }, id: "skillCallerIdField", observed: "absent", matches: false },
  // Issue 75 §4: shapes the adapter reads either way (so they agree), recorded for the profile.
  {
    knobs: { listRecordLayout: "destinations" },
    id: "listRecordLayout",
    observed: "destinations",
    matches: true,
  },
  { knobs: { dncEnvelope: "flat" }, id: "dncEnvelope", observed: "flat", matches: true },
  {
    knobs: { dncRecordsKey: "dncGroupRecords" },
    id: "dncRecordsKey",
    observed: "dncGroupRecords",
    matches: true,
  },
  { knobs: { zoneNameKey: "standardName" }, id: "zoneNameKey", observed: "standardName", matches: true },
  // Issue 75 §4: what the tenant accepts where NICE's SDK and the documents disagree (cxo sends the
  // documented forms, so either agrees; the profile records it).
  { knobs: { queryNameCase: "exact" }, id: "queryNameCase", observed: "exact", matches: true },
  { knobs: { queryNameCase: "insensitive" }, id: "queryNameCase", observed: "insensitive", matches: true },
  { knobs: { jsonBodyLabel: "json" }, id: "jsonBodyLabel", observed: "json", matches: true, kind: "scratch" },
  { knobs: { jsonBodyLabel: "any" }, id: "jsonBodyLabel", observed: "any", matches: true, kind: "scratch" },
  { knobs: { zoneNameKey: "timeZone" }, id: "zoneNameKey", observed: "timeZone", matches: true },

  { knobs: { aggressivenessType: "string" }, id: "aggressivenessType", observed: "string", matches: false },
  { knobs: { summaryStatus: 403 }, id: "summaryStatus", observed: 403, matches: false },
  { knobs: { summaryStatus: 404 }, id: "summaryStatus", observed: 404, matches: false },
  { knobs: { summaryCounts: false }, id: "summaryCounts", observed: false, matches: false },
  {
    knobs: { summaryAbandonRateUnit: "fraction" },
    id: "summaryAbandonRateUnit",
    observed: "fraction",
    matches: false,
  },
  { knobs: { wfmArrayKey: "wfM_OB_StatsV9" }, id: "wfmArrayKey", observed: "wfM_OB_StatsV9", matches: false },
  { knobs: { wfmIntervalMinutes: 30 }, id: "wfmIntervalMinutes", observed: 30, matches: false },
  { knobs: { listRecordExpiry: "hidden" }, id: "listRecordExpiry", observed: "hidden", matches: false },
  {
    knobs: { scheduleTimeZone: "Pacific Standard Time" },
    id: "scheduleTimeZone",
    observed: "Pacific Standard Time",
    matches: true,
  },
  {
    knobs: { parameterTypes: "lenient" },
    id: "parameterTypes",
    observed: "lenient",
    matches: false,
    kind: "scratch",
  },
  {
    knobs: { parameterPut: "replace" },
    id: "parameterPut",
    observed: "replace",
    matches: false,
    kind: "scratch",
  },
  {
    knobs: { abandonRateUnit: "fraction" },
    id: "abandonRateUnit",
    observed: "fraction",
    matches: false,
    kind: "scratch",
  },
  {
    knobs: { maximumRatioUnit: "percent" },
    id: "maximumRatioUnit",
    observed: "percent",
    matches: false,
    kind: "scratch",
  },
  { knobs: { startStopStatus: 200 }, id: "startStopStatus", observed: 200, matches: false, kind: "scratch" },
  {
    knobs: { startWhenRunning: "reject" },
    id: "startWhenRunning",
    observed: "reject",
    matches: false,
    kind: "scratch",
  },
  {
    knobs: { scheduleInactiveDays: "accept" },
    id: "scheduleInactiveDays",
    observed: "accept",
    matches: false,
    kind: "scratch",
  },
  {
    knobs: { scheduleInactiveDays: "reject" },
    id: "scheduleInactiveDays",
    observed: "reject",
    matches: true,
    kind: "scratch",
  },
  {
    knobs: { requestTypes: "strict" },
    id: "requestTypes",
    observed: "strict",
    matches: true,
    kind: "scratch",
  },
  {
    knobs: { requestTypes: "lenient" },
    id: "requestTypes",
    observed: "lenient",
    matches: true,
    kind: "scratch",
  },
  {
    knobs: { scheduledCallbackRoutes: "absent" },
    id: "scheduledCallbackRoutes",
    observed: "absent",
    matches: false,
    kind: "scratch",
  },
  {
    knobs: { scheduledCallbackRoutes: "served" },
    id: "scheduledCallbackRoutes",
    observed: "served",
    matches: true,
    kind: "scratch",
  },
  {
    knobs: { dispositionCode: "name" },
    id: "dispositionCode",
    observed: "name",
    matches: false,
    kind: "agent",
  },
  {
    knobs: { dispositionCode: "either" },
    id: "dispositionCode",
    observed: "either",
    matches: true,
    kind: "agent",
  },
  {
    knobs: { liveContactTags: "reject" },
    id: "liveContactTags",
    observed: "reject",
    matches: false,
    kind: "agent",
  },
  {
    knobs: { joinedSessionEnd: "leave" },
    id: "joinedSessionEnd",
    observed: "leave",
    matches: true,
    kind: "agent",
  },
];

describe("each knob's value is named by the report", () => {
  it.each(TABLE.map((row) => [`${row.id} ${JSON.stringify(Object.values(row.knobs)[0])}`, row] as const))(
    "%s",
    async (_name, row) => {
      await knobs(row.knobs);
      const report = await doctor(row.kind ?? "read");
      const f = fact(report, row.id);
      expect(f.observed, f.note).toEqual(row.observed);
      expect(f.matches).toBe(row.matches);
      if (!f.matches) expect(f.fix).toBeTruthy();
      if (row.knobs.summaryStatus === 403) expect(report.refused).toEqual(["GET /skills/summary"]);
      expect(f.evidence.length).toBeGreaterThan(0);
    },
  );

  it("reports the DNC and list-record shapes it found under every combination of their knobs (issue 75 §4)", async () => {
    for (const dncEnvelope of ["resultSet", "flat"])
      for (const dncRecordsKey of ["dncRecords", "dncGroupRecords"]) {
        await knobs({ dncEnvelope, dncRecordsKey });
        const report = await doctor("read");
        expect([fact(report, "dncEnvelope").observed, fact(report, "dncRecordsKey").observed]).toEqual([
          dncEnvelope,
          dncRecordsKey,
        ]);
      }
    for (const listRecordLayout of ["flat", "destinations"])
      for (const listRecordKeys of ["camel", "pascal"]) {
        await knobs({ listRecordLayout, listRecordKeys });
        const report = await doctor("read");
        expect([fact(report, "listRecordLayout").observed, fact(report, "listRecordKeys").observed]).toEqual([
          listRecordLayout,
          listRecordKeys,
        ]);
      }
  });

  it("the warehouse lag: the newest contact's age, and the setting that follows", async () => {
    await knobs({ warehouseLagS: 3600 });
    const f = fact(await doctor("read"), "warehouseLagS");
    expect(f.observed as number).toBeGreaterThanOrEqual(3600);
    expect(f.observed as number).toBeLessThan(3600 + 600);
    expect(f.matches).toBe(false);
    expect(f.setting?.path).toBe("cxone.productionApi.warehouseLagMinutes");
    expect(f.setting?.value as number).toBeGreaterThanOrEqual(60);
  });
});

describe("the scratch probes put back what they change", () => {
  it("a schedule with a day off taken (scheduleInactiveDays accept): the schedule reads back as before", async () => {
    await knobs({ scheduleInactiveDays: "accept" });
    const schedule = async () => {
      const token = await h.login();
      const answer = await h.call(
        "GET",
        `/inContactAPI/services/v33.0/skills/${SCRATCH}/parameters/schedule-settings`,
        { token },
      );
      return answer.body;
    };
    const before = await schedule();
    const report = await doctor("scratch");
    expect(fact(report, "scheduleInactiveDays").observed).toBe("accept");
    expect(report.writes.every((w) => w.restored)).toBe(true);
    expect(await schedule()).toEqual(before);
    const puts = (await requests()).filter(
      (r) => r.method === "PUT" && r.path.endsWith("/schedule-settings"),
    );
    // The probe's day off, then the snapshot put back.
    expect(puts.map((r) => r.status)).toEqual([200, 200]);
  });
});

describe("warnings: what agrees but puts compliance at risk", () => {
  it("call suppression switched off: a warning naming every DNC scrub on every skill, not a failure", async () => {
    await knobs({ callSuppression: false });
    const report = await doctor("read");
    const f = fact(report, "callSuppression");
    expect(f.matches).toBe(true);
    expect(f.warning).toMatch(/every DNC and suppression scrub \(every DNC group, on every skill/);
    expect(report.matches).toBe(true);
    expect(report.profile).toMatchObject({ facts: { callSuppression: false } });
    await knobs({ callSuppression: true });
    expect(fact(await doctor("read"), "callSuppression").warning).toBeUndefined();
  });
});

describe("the scratch DNC group", () => {
  it("is made once, inactive, reused by the next run, and holds no record after either", async () => {
    const groups = async () => {
      const token = await h.login();
      const answer = await h.call("GET", "/inContactAPI/services/v33.0/dnc-groups?top=100", { token });
      const body = answer.body as { resultSet: { dncGroups: Array<Record<string, unknown>> } };
      return body.resultSet.dncGroups.filter((g) => g.dncGroupName === "cxo doctor scratch");
    };
    expect(fact(await doctor("scratch"), "requestTypes").observed).toBe("lenient");
    await knobs({ requestTypes: "strict" });
    await adminCall(h.url, "DELETE", "/requests");
    // The scratch skill is still stopped from the first run.
    const second = await client().doctor.run({ scratchSkillId: SCRATCH });
    expect(fact(second, "requestTypes").observed).toBe("strict");
    expect(second.writes.every((w) => w.restored)).toBe(true);
    const made = await groups();
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ isActive: false, validRecords: 0 });
    // The second run found it: one group made in all.
    const posts = (await requests()).filter((r) => r.method === "POST" && r.path.endsWith("/dnc-groups"));
    expect(posts).toEqual([]);
  });
});

describe("the scheduled-callback probe", () => {
  it("schedules one callback a year ahead to 555-0193, finds it listed, and deletes it", async () => {
    await knobs({ scheduledCallbackRoutes: "served" });
    const report = await doctor("scratch");
    const f = fact(report, "scheduledCallbackRoutes");
    expect(f.observed, f.note).toBe("served");
    expect(f.evidence.map((e) => e.request)).toEqual([
      `GET /skills/${SCRATCH}/scheduled-callbacks`,
      "POST /scheduled-callbacks",
      `GET /skills/${SCRATCH}/scheduled-callbacks`,
      expect.stringMatching(/^DELETE \/scheduled-callbacks\/\d+\?description=/),
    ]);
    expect(report.writes.filter((w) => w.request.includes("scheduled-callbacks"))).toHaveLength(2);
    expect(report.writes.every((w) => w.restored)).toBe(true);
    const made = (await adminCall(h.url, "GET", "/scheduled-callbacks")).callbacks as Array<{
      phone: string;
      status: string;
    }>;
    const mine = made.filter((c) => c.phone === "+12125550193");
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((c) => c.status === "deleted")).toBe(true);
    expect(report.profile).toMatchObject({ facts: { scheduledCallbackRoutes: "served" } });
  });

  it("routes absent: nothing is written, and the fact is told as absent with a fix", async () => {
    await knobs({ scheduledCallbackRoutes: "absent" });
    await adminCall(h.url, "DELETE", "/requests");
    const report = await doctor("scratch");
    const f = fact(report, "scheduledCallbackRoutes");
    expect(f.observed).toBe("absent");
    expect(f.fix).toMatch(/no scheduled-callback routes/);
    expect(report.profile).toMatchObject({ facts: { scheduledCallbackRoutes: "absent" } });
    const sent = (await requests()).filter((r) => r.path.includes("scheduled-callbacks"));
    expect(sent.map((r) => [r.method, r.status])).toEqual([["GET", 404]]);
  });
});

/** Non-default knobs that can hold together (each fact still observable beside the others). */
const TENANT = {
  advertisedClientAuth: "basic",
  allowPredictiveDialing: false,
  acceptStatus: 415,
  errorBody: "message",
  orderByKeys: ["contactStartDate", "lastUpdateTime"],
  topCap: 50,
  endDateInclusive: true,
  unchangedStatus: 204,
  warehouseLagS: 3600,
  contactEnvelope: "flat",
  ignoreSkip: true,
  listRecordKeys: "pascal",
  listRecordLayout: "destinations",
  dncEnvelope: "flat",
  dncRecordsKey: "dncGroupRecords",
  zoneNameKey: "timeZone",
  skillWrapped: true,
  summaryAbandonRateUnit: "fraction",
  wfmArrayKey: "wfM_OB_StatsV9",
  wfmIntervalMinutes: 60,
  parameterTypes: "lenient",
  parameterPut: "replace",
  abandonRateUnit: "fraction",
  maximumRatioUnit: "percent",
  startStopStatus: 200,
  startWhenRunning: "reject",
  scheduleInactiveDays: "accept",
  dispositionCode: "name",
  liveContactTags: "reject",
  joinedSessionEnd: "leave",
  callSuppression: false,
  requestTypes: "strict",
  scheduledCallbackRoutes: "absent",
  listRecordExpiry: "hidden",
  scheduleTimeZone: "Pacific Standard Time",
};

describe("a tenant profile closes the loop", () => {
  it("written from the findings, loaded by the adapter and by the emulator, every fact agrees", async () => {
    await knobs(TENANT);
    const c = client();
    await stopScratch(c);
    const first = await c.doctor.run({ scratchSkillId: SCRATCH, agentProbe: agentProbe() });
    expect(first.matches).toBe(false);
    const profileFile = path.join(dir, "tenant.yaml");
    writeFileSync(profileFile, stringify(first.profile));
    // The adapter's settings follow the profile.
    expect(first.profile).toMatchObject({
      settings: {
        productionApi: {
          pageSize: 50,
          abandonRateUnit: "fraction",
          maximumRatioUnit: "percent",
          liveAbandonRateUnit: "fraction",
          inactiveScheduleDays: "accepted",
        },
      },
    });
    // The emulator reads the same file into its knobs: a second tenant that behaves the same.
    const twin = await startEmulator({
      platform: "cxone",
      port: 0,
      seed: 40,
      contacts: 1400,
      days: 7,
      history: "any-hour", // as the first tenant's: its lag reading must agree

      knobs: knobsOfProfile(profileFile),
    });
    try {
      for (const [knob, value] of Object.entries(TENANT)) {
        if (knob === "warehouseLagS") continue; // observed as the newest contact's age, a little above
        expect(twin.fixtures.knobs[knob as keyof typeof twin.fixtures.knobs], knob).toEqual(value);
      }
      const settings = loadSettings({
        cwd: dir,
        env: {
          ...accessKeyEnv(twin),
          CXO_DATA_DIR: path.join(dir, "twin-data"),
          CXONE_TENANT_PROFILE: profileFile,
        },
      });
      expect(settings.cxone.productionApi.pageSize).toBe(50);
      const onTwin = createInternalClient({
        ...clientOptionsFromSettings(settings),
        rateLimits: LIMITS as never,
      });
      clients.push(onTwin);
      await stopScratch(onTwin);
      const twinActive = twin.fixtures.activeContacts.find((a) => a.skillId !== Number(SCRATCH))!;
      const second = await onTwin.doctor.run({
        scratchSkillId: SCRATCH,
        agentProbe: { agentId: String(twinActive.agentId), contactId: String(twinActive.contactId) },
      });
      expect(second.facts.filter((f) => !f.matches).map((f) => [f.id, f.observed, f.assumed])).toEqual([]);
      expect(second.matches).toBe(true);
    } finally {
      await twin.close();
    }
  });
});
