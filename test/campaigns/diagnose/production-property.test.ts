import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { CAMPAIGN_BLOCKERS, type CauseCode, RECORD_CAUSES } from "../../../src/campaigns/diagnose/causes.ts";
import type { Diagnosis } from "../../../src/campaigns/diagnose/facts.ts";
import type { InternalClient } from "../../../src/client.ts";
import { TENANT_PROFILE_VERSION } from "../../../src/core/config/tenant-profile.ts";
import { type CxoneHarness, cxoneHarness } from "../../emulator/cxone/helpers.ts";
import { harnessClient } from "../../support/cxone-harness-client.ts";
import { expectIssueGoals } from "./goals.ts";

/**
 * Issue 65 §4: faults injected into the production emulator, alone and in random combinations,
 * each diagnosed through the SDK. Skill faults go through the emulator's admin route
 * (`POST /_emulator/skills/{id}/live`); record faults are disjoint groups of the list's records,
 * of different sizes (so the expected ranking is known), uploaded with `forceOverwrite`; a group
 * dialled before the instant under an injected retry setting (ATTEMPT_FAULTS); no upload at all
 * (`no_list`: no list bound to the skill). `pacing_stopped` is cxo's own loop, not the
 * emulator's: it stays with the unit tests. Then:
 * the top cause is the expected one in ≥ 95% of runs, every injected cause is listed, never
 * "dialing" while nothing can be dialled — and the emulator's own list dialer, moved on to the
 * diagnosed instant, dials records exactly when the diagnosis says the campaign is dialing.
 */
const SKILL_FAULTS = [
  "skill_inactive",
  "skill_not_running",
  "no_agents_logged_in",
  "agents_not_available",
  "abandon_cap_throttled",
] as const;
const RECORD_FAULTS = [
  "no_time_zone",
  "waiting_for_call_request_time",
  "call_request_stale",
  "records_expired",
  "dnc_suppressed",
] as const;
/**
 * Faults made of attempts: a group of records dialled before the diagnosed instant, under the
 * skill's retry settings (`PUT …/parameters/retry-settings`). At `maximumAttempts` 1 every
 * attempted record is at its maximum; at 5 without `loadNonFresh` an unanswered record is not
 * reloaded and an answered one is finalised (`list_exhausted`). The answered share is the seed's,
 * read back from `…/attempts?finalized=true`, so the two come together: `non_fresh_excluded`
 * keeps other groups beside them, `list_exhausted` is the attempted group alone (the whole list
 * has been dialled), and at most one of the three is injected at a time (one retry setting).
 */
const ATTEMPT_FAULTS = ["max_attempts_reached", "non_fresh_excluded", "list_exhausted"] as const;
type AttemptFault = (typeof ATTEMPT_FAULTS)[number];
type Fault =
  | (typeof SKILL_FAULTS)[number]
  | (typeof RECORD_FAULTS)[number]
  | AttemptFault
  | "outside_calling_hours"
  | "no_list";
const ALL: readonly Fault[] = [...SKILL_FAULTS, ...RECORD_FAULTS, "outside_calling_hours", "no_list"];
const isAttempt = (f: Fault): f is AttemptFault => (ATTEMPT_FAULTS as readonly string[]).includes(f);
const DNC_PHONES = [
  "+12125559901",
  "+12125559902",
  "+12125559903",
  "+12125559904",
  "+12125559905",
  "+12125559906",
  "+12125559907",
];

let h: CxoneHarness;
let client: InternalClient;
let skillId = 0;
let listId = 0;
/** Each run's records get ids of their own: the list's attempts are kept across uploads. */
let run = 0;

/**
 * The next New York noon (and 23:30) at least `leadMs` ahead (3 hours): records due then are not
 * dialled in real time first.
 */
const nyAt = (hour: number, minute: number, leadMs = 3 * 3_600_000) => {
  let t = DateTime.now().setZone("America/New_York").set({ hour, minute, second: 0, millisecond: 0 });
  while (t.toMillis() < Date.now() + leadMs) t = t.plus({ days: 1 });
  return t.toMillis();
};
/** The attempted group is due this long before the night instant (12:30 New York). */
const NIGHT_ATTEMPTED_BEFORE_MS = 11 * 3_600_000;

beforeAll(async () => {
  // Schedules with a day inactive are this test's subject: a tenant that takes them.
  h = await cxoneHarness({
    seed: 65,
    contacts: 50,
    days: 1,
    uploadJobPolls: 1,
    knobs: { scheduleInactiveDays: "accept" },
  });
  const skill = h.fixtures.skills.filter((s) => s.outboundStrategy === "Personal Connection")[2];
  skillId = skill!.skillId;
  client = harnessClient(h, "cxo-why-prop-", true);
}, 30_000);
afterAll(async () => {
  await client?.close();
  await h?.close();
});

interface Row {
  id: string;
  phone: string;
  zone: string;
  callAt: number;
  stale: number;
}

/** Uploads the records (replacing the last run's) and answers the expiration it used. */
async function upload(rows: Row[], expiresAt: number) {
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  const csv = [
    "Id,Phone,CallAt,Stale,Zone",
    ...rows.map((r) => `${r.id},${r.phone.slice(2)},${iso(r.callAt)},${r.stale},${r.zone}`),
  ].join("\n");
  const job = await h.api("POST", `lists/call-lists/${listId}/upload`, {
    body: {
      listFile: Buffer.from(csv).toString("base64"),
      skillId,
      forceOverwrite: true,
      expirationDate: iso(expiresAt),
    },
  });
  if (job.status !== 202) throw new Error(`upload: ${job.status} ${job.text}`);
  await h.api("GET", `lists/call-lists/jobs/${job.body.jobId}`);
}

/** The expected order: blockers as causes.ts orders them, then record causes by records held. */
function expectedTop(faults: Set<Fault>, sizes: Map<Fault, number>): CauseCode {
  const blocker = CAMPAIGN_BLOCKERS.find((c) => faults.has(c as Fault));
  if (blocker) return blocker;
  // A finished record explains idleness only when nothing else holds one (diagnose.ts).
  const tier = (f: Fault) => (f === "list_exhausted" ? 1 : 0);
  const held = [...sizes.entries()].sort(
    (a, b) =>
      tier(a[0]) - tier(b[0]) ||
      b[1] - a[1] ||
      RECORD_CAUSES.indexOf(a[0] as CauseCode) - RECORD_CAUSES.indexOf(b[0] as CauseCode),
  );
  return held[0]![0] as CauseCode;
}

/**
 * A fresh tenant for each run (the list dialer's clock never goes back, and a run's dials are
 * another run's history): the list bound to the skill and a DNC group scrubbing it.
 */
async function freshTenant() {
  await h.admin("POST", "/reset");
  const query = new URLSearchParams({
    listName: "why property",
    externalIdColumn: "Id",
    callRequestTimeColumn: "CallAt",
    callRequestStaleColumn: "Stale",
    timeZoneColumn: "Zone",
  });
  const created = await h.api("POST", `lists/call-lists?${query}`, {
    body: { destinationMappings: [{ fieldName: "PhoneNumber", fieldValue: "Phone" }] },
  });
  listId = created.body.listId;
  const group = await h.api("POST", "dnc-groups", { body: { dncGroupName: "why property" } });
  const groupId = group.body.dncGroups[0].dncGroupId;
  await h.api("POST", `dnc-groups/${groupId}/records`, {
    body: { dncGroupRecords: DNC_PHONES.map((p) => ({ phoneNumber: p.slice(2) })) },
  });
  await h.api("POST", `dnc-groups/${groupId}/scrubbed-skills/${skillId}`);
  // Not scheduled (the default schedule is weekdays only; the instants may fall on a weekend):
  // the schedule has a test of its own below.
  await schedule({ isScheduled: false });
}

const schedule = async (settings: Record<string, unknown>) => {
  const put = await h.api("PUT", `skills/${skillId}/parameters/schedule-settings`, {
    body: { scheduleSettings: settings },
  });
  if (put.status !== 200) throw new Error(`schedule: ${put.status} ${put.text}`);
};

/** The skill's live state, as the admin route sets it (issue 65's documented route). */
async function setSkill(faults: Set<Fault>) {
  await h.admin("POST", `/skills/${skillId}/live`, {
    isActive: !faults.has("skill_inactive"),
    isRunning: !faults.has("skill_not_running") && !faults.has("skill_inactive"),
    agentsLoggedOut: faults.has("no_agents_logged_in"),
    agentsUnavailable: faults.has("agents_not_available"),
    abandonRate: faults.has("abandon_cap_throttled") ? 0.05 : null,
  });
}

async function inject(faults: Set<Fault>) {
  await freshTenant();
  const noon = nyAt(12, 0);
  // Its attempted group must be ahead too: with 23:30 only 3 hours ahead, from 12:40 to 20:30 New
  // York time that group's 12:30 had passed, the dialer's clock was past it, and nothing was
  // dialled ("pre-dial: 0 of 12" in a CI run at 12:40 New York time).
  const night = nyAt(23, 30, NIGHT_ATTEMPTED_BEFORE_MS + 3 * 3_600_000);
  const at = faults.has("outside_calling_hours") ? night : noon;
  const attempt = [...faults].find(isAttempt);
  const retry = await h.api("PUT", `skills/${skillId}/parameters/retry-settings`, {
    body: {
      retrySettings: {
        maximumAttempts: attempt === "max_attempts_reached" ? 1 : 5,
        minimumRetryMinutes: 60,
        restrictedCallingMinutes: 0,
        loadNonFresh: false,
      },
    },
  });
  if (retry.status !== 200) throw new Error(`retry settings: ${retry.status} ${retry.text}`);
  // Healthy while the attempted group is dialled (the dialer holds everything while the skill
  // is not); the skill's faults come after.
  await setSkill(new Set());
  if (faults.has("no_list")) {
    // Nothing uploaded: the list exists but is bound to no skill.
    await setSkill(faults);
    return { at, sizes: new Map<Fault, number>() };
  }
  const rows: Row[] = [];
  const sizes = new Map<Fault, number>();
  let n = 0;
  run++;
  const add = (
    count: number,
    row: (i: number) => Omit<Row, "id" | "phone">,
    phone?: (i: number) => string,
  ) => {
    for (let i = 0; i < count; i++, n++)
      rows.push({ id: `u${run}r${n}`, phone: phone ? phone(i) : `+1212555${String(1000 + n)}`, ...row(i) });
  };
  // Due at the diagnosed instant itself: the emulator dials without a pace (everything due at
  // once), so a record due earlier would be dialled before the instant the diagnosis is about.
  const due = { zone: "Eastern Standard Time", callAt: at, stale: 24 * 60 };
  // A clean group (held by the hours alone, or by nothing): there when no record fault holds the
  // rest, or when the hours are the fault — otherwise the campaign would dial it and be healthy.
  const recordFaulted = RECORD_FAULTS.some((f) => faults.has(f)) || attempt !== undefined;
  const clean = (!recordFaulted || faults.has("outside_calling_hours")) && attempt !== "list_exhausted";
  if (clean) add(4, () => due);
  // The attempted group: due inside New York's hours and before any other group is due (the
  // stale group's 150 minutes before the instant), so dialling it dials nothing else.
  const attempted: string[] = [];
  if (attempt) {
    const callAt = at - (at === night ? NIGHT_ATTEMPTED_BEFORE_MS : 165 * 60_000);
    const from = rows.length;
    add(attempt === "list_exhausted" ? 12 : 8, () => ({ ...due, callAt }));
    attempted.push(...rows.slice(from).map((r) => r.id));
  }
  let size = 5;
  const recordFaults = RECORD_FAULTS.filter((f) => faults.has(f));
  let expiresAt = at + 7 * 24 * 3_600_000;
  for (const fault of recordFaults) {
    const count = fault === "dnc_suppressed" ? Math.min(size, DNC_PHONES.length) : size;
    sizes.set(fault, count);
    if (fault === "no_time_zone") add(count, () => ({ ...due, zone: "" }));
    if (fault === "waiting_for_call_request_time") add(count, () => ({ ...due, callAt: at + 2 * 3_600_000 }));
    if (fault === "call_request_stale") add(count, () => ({ ...due, callAt: at - 150 * 60_000, stale: 30 }));
    if (fault === "dnc_suppressed")
      add(
        count,
        () => due,
        (i) => DNC_PHONES[i] as string,
      );
    size += 2;
  }
  if (faults.has("records_expired")) {
    // Expiry is per upload: it holds every record no earlier check holds (DNC and a missing zone
    // come first: the platform never loads those at all).
    add(size, () => due);
    expiresAt = at - 5 * 60_000;
    let expired = rows.length - attempted.length;
    for (const f of ["dnc_suppressed", "no_time_zone"] as const) {
      const held = sizes.get(f);
      if (held !== undefined) expired -= held;
    }
    sizes.delete("waiting_for_call_request_time");
    sizes.delete("call_request_stale");
    sizes.set("records_expired", expired);
  } else if (faults.has("outside_calling_hours") && clean) sizes.set("outside_calling_hours", 4);
  await upload(rows, expiresAt);
  if (attempt)
    await dialAttempted(rows.find((r) => r.id === attempted[0])!.callAt, attempt, attempted, sizes);
  await setSkill(faults);
  return { at, sizes };
}

/**
 * Dials the attempted group when it is due (every one of them: it is due, open and
 * the skill healthy), then counts what the platform did with each: the truth is the emulator's
 * attempts, finalised or not, judged by the retry setting injected.
 */
async function dialAttempted(
  callAt: number,
  attempt: AttemptFault,
  ids: string[],
  sizes: Map<Fault, number>,
) {
  const dial = await h.admin("POST", `/lists/${listId}/dial`, {
    until: new Date(callAt + 10 * 60_000).toISOString(),
    timing: "early",
  });
  if (dial.body.attempts !== ids.length) throw new Error(`pre-dial: ${dial.body.attempts} of ${ids.length}`);
  if (attempt === "max_attempts_reached") {
    sizes.set("max_attempts_reached", ids.length);
    return;
  }
  const done = await h.api("GET", `lists/call-lists/${listId}/attempts?finalized=true`);
  const finalised = new Set<string>(
    (done.body?.resultSet?.contactAttempts ?? []).map(
      (a: { externalId?: string; ExternalId?: string }) => a.externalId ?? a.ExternalId,
    ),
  );
  const answered = ids.filter((id) => finalised.has(id)).length;
  if (answered > 0) sizes.set("list_exhausted", answered);
  if (ids.length - answered > 0) sizes.set("non_fresh_excluded", ids.length - answered);
}

function check(d: Diagnosis, faults: Set<Fault>, sizes: Map<Fault, number>) {
  const listed = new Set(d.causes.map((c) => c.code));
  // A fault another one contains is not a cause of its own: nobody logged in is nobody available,
  // an inactive skill is a stopped one.
  const contained = (f: Fault) =>
    (f === "agents_not_available" && faults.has("no_agents_logged_in")) ||
    (f === "skill_not_running" && faults.has("skill_inactive"));
  // Record causes are true when they hold records (sizes: the attempted group's split included);
  // a skill fault behind no list is still a fault of the skill.
  const expected = [
    ...[...faults].filter(
      (f) =>
        !contained(f) &&
        !isAttempt(f) &&
        ((RECORD_FAULTS as readonly string[]).includes(f) || f === "outside_calling_hours"
          ? sizes.has(f)
          : true),
    ),
    ...[...sizes.keys()].filter(isAttempt),
  ];
  return {
    top: d.causes.map((c) => c.code),
    topRight: d.causes[0]?.code === expectedTop(faults, sizes),
    missing: expected.filter((f) => !listed.has(f)),
    falseDialing: d.dialing && d.dialableNow === 0,
    // The attempted group's split: as many records as the emulator's attempts say.
    attemptsWrong: [...sizes]
      .filter(([f, n]) => isAttempt(f) && d.causes.find((c) => c.code === f)?.records !== n)
      .map(([f, n]) => `${f}: ${d.causes.find((c) => c.code === f)?.records} diagnosed, ${n} true`),
  };
}

describe("cxo why on the production emulator: injected faults", () => {
  it("each fault alone is the top cause, and the emulator's dialer agrees", async () => {
    for (const fault of [...ALL, ...ATTEMPT_FAULTS]) {
      const faults = new Set<Fault>([fault]);
      const { at, sizes } = await inject(faults);
      const d = await client.campaigns.diagnose({
        campaignId: String(skillId),
        at: new Date(at).toISOString(),
      });
      expect({ fault, top: d.causes[0]?.code, dialing: d.dialing }).toEqual({
        fault,
        top: expectedTop(faults, sizes),
        dialing: false,
      });
    }
    // No fault: dialing, and the dialer dials.
    const { at } = await inject(new Set());
    const d = await client.campaigns.diagnose({
      campaignId: String(skillId),
      at: new Date(at).toISOString(),
    });
    expect(d).toMatchObject({ dialing: true, dialableNow: 4, causes: [] });
    const dial = await h.admin("POST", `/lists/${listId}/dial`, {
      until: new Date(at).toISOString(),
      timing: "early",
    });
    expect(dial.body.attempts).toBe(4);
  }, 60_000);

  it("≥ 60 random combinations: top cause right in ≥ 95%, every true cause listed, never dialing with nothing dialable; the dialer dials iff dialing", async () => {
    const results: Array<ReturnType<typeof check> & { faults: string[]; dialerAgrees: boolean }> = [];
    await fc.assert(
      fc.asyncProperty(
        fc.subarray([...ALL], { minLength: 0, maxLength: 4 }),
        fc.constantFrom(undefined, ...ATTEMPT_FAULTS),
        async (some, attempt) => {
          const picked: Fault[] = attempt ? [...some, attempt] : some;
          if (picked.length === 0) picked.push("no_list");
          const faults = new Set<Fault>(picked);
          const { at, sizes } = await inject(faults);
          const d = await client.campaigns.diagnose({
            campaignId: String(skillId),
            at: new Date(at).toISOString(),
          });
          const before = (
            await h.admin("POST", `/lists/${listId}/dial`, {
              until: new Date(at - 60 * 60_000).toISOString(),
            })
          ).body.attempts;
          const after = (
            await h.admin("POST", `/lists/${listId}/dial`, { until: new Date(at).toISOString() })
          ).body.attempts;
          results.push({
            ...check(d, faults, sizes),
            faults: picked,
            dialerAgrees: after - before > 0 === d.dialing,
          });
        },
      ),
      { numRuns: 64, seed: 65 },
    );
    expectIssueGoals(results);
    expect(results.filter((r) => !r.dialerAgrees).map((r) => r.faults)).toEqual([]);
    expect(results.filter((r) => r.attemptsWrong.length > 0)).toEqual([]);
    // Every fault was injected, and the attempt causes were found, somewhere in the runs.
    const injected = new Set(results.flatMap((r) => r.faults));
    expect([...ALL, ...ATTEMPT_FAULTS].filter((f) => !injected.has(f))).toEqual([]);
    const found = new Set(results.flatMap((r) => r.top));
    expect([...ATTEMPT_FAULTS, "no_list"].filter((c) => !found.has(c as CauseCode))).toEqual([]);
  }, 120_000);

  it("the skill's weekly schedule: outside it nothing dials (outside_calling_hours naming the schedule), inside it the list dials", async () => {
    const days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    for (const open of [false, true]) {
      const { at } = await inject(new Set());
      // Only the diagnosed instant's weekday is active, 11:00–13:00 in the tenant's zone
      // (Eastern); the instant is New York noon, so `open` decides by the day alone.
      const today = DateTime.fromMillis(at, { zone: "America/New_York" }).weekday - 1;
      await schedule({
        isScheduled: true,
        ...Object.fromEntries(
          days.flatMap((d, i) => [
            [`${d}StartTime`, "11:00"],
            [`${d}EndTime`, "13:00"],
            [`${d}IsActive`, open ? i === today : i !== today],
          ]),
        ),
      });
      const d = await client.campaigns.diagnose({
        campaignId: String(skillId),
        at: new Date(at).toISOString(),
      });
      const dial = await h.admin("POST", `/lists/${listId}/dial`, {
        until: new Date(at).toISOString(),
        timing: "early",
      });
      if (open) {
        expect(d).toMatchObject({ dialing: true, dialableNow: 4, causes: [] });
        expect(dial.body.attempts).toBe(4);
      } else {
        expect(d).toMatchObject({ dialing: false, dialableNow: 0 });
        expect(d.causes[0]).toMatchObject({ code: "outside_calling_hours", records: 4 });
        expect(d.causes[0]?.evidence).toMatch(/weekly schedule is closed.*schedule-?[sS]ettings/);
        // The next opening is the next active day's 11:00, not today's.
        expect(Date.parse(d.causes[0]?.until ?? "")).toBeGreaterThan(at + 12 * 3_600_000);
        expect(dial.body.attempts).toBe(0);
      }
    }
  }, 30_000);

  it("a tenant profile from cxo doctor: finalized ignored is not read, hidden expiry is said, not guessed", async () => {
    const { at } = await inject(new Set(["list_exhausted"]));
    const file = path.join(mkdtempSync(path.join(tmpdir(), "cxo-why-profile-")), "tenant.yaml");
    writeFileSync(
      file,
      stringify({
        profile: TENANT_PROFILE_VERSION,
        facts: { attemptsFinalized: "ignored", listRecordExpiry: "hidden" },
      }),
    );
    const profiled = harnessClient(h, "cxo-why-profiled-", true, file);
    try {
      await h.admin("DELETE", "/requests");
      const d = await profiled.campaigns.diagnose({
        campaignId: String(skillId),
        at: new Date(at).toISOString(),
      });
      const log = (await h.admin("GET", "/requests")).body.requests as Array<{
        path: string;
        query: Record<string, string>;
      }>;
      const attemptReads = log.filter((r) => r.path.endsWith(`/lists/call-lists/${listId}/attempts`));
      expect(attemptReads.length).toBeGreaterThan(0);
      expect(attemptReads.filter((r) => r.query.finalized !== undefined)).toEqual([]);
      // Without the finalised reading the answered records are not "exhausted"; what is said instead names why.
      expect(d.causes.map((c) => c.code)).not.toContain("list_exhausted");
      const evidence = d.causes.map((c) => c.evidence).join(" ");
      expect(evidence).toContain("this tenant ignores it (cxo doctor)");
      expect(evidence).toContain("an expired record cannot be told");
    } finally {
      await profiled.close();
    }
  }, 30_000);

  it("a schedule block that names its zone is read in that zone, by the dialer and by cxo why alike", async () => {
    const days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    const { at } = await inject(new Set());
    // Open 11:00–13:00 every day, named Pacific: at New York noon (09:00 Pacific) it is closed,
    // where the tenant's own zone (Eastern) would have it open.
    await h.admin("POST", "/knobs", { scheduleTimeZone: "Pacific Standard Time" });
    await schedule({
      isScheduled: true,
      ...Object.fromEntries(
        days.flatMap((d) => [
          [`${d}StartTime`, "11:00"],
          [`${d}EndTime`, "13:00"],
          [`${d}IsActive`, true],
        ]),
      ),
    });
    const d = await client.campaigns.diagnose({
      campaignId: String(skillId),
      at: new Date(at).toISOString(),
    });
    const dial = await h.admin("POST", `/lists/${listId}/dial`, {
      until: new Date(at).toISOString(),
      timing: "early",
    });
    expect(d).toMatchObject({ dialing: false, dialableNow: 0 });
    expect(d.causes[0]?.code).toBe("outside_calling_hours");
    expect(d.causes[0]?.evidence).toContain("read in America/Los_Angeles, the zone the block names");
    // Opens at 11:00 Pacific, two hours after the instant.
    expect(Date.parse(d.causes[0]?.until ?? "")).toBe(at + 2 * 3_600_000);
    expect(dial.body.attempts).toBe(0);
  }, 30_000);
});
