import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CxoneHarness, cxoneHarness } from "./helpers.ts";

/**
 * Round 7's list-dialer model (docs/emulator-cxone.md, "The list dialer after round 7"; issue 76
 * §3): records uploaded with a call-request time are timed call requests — callbacks, delivered
 * confirmation-required — at most 50 + 100 × agents logged in per 15 minutes per skill, and an
 * upload over that is rejected whole (NICE help "Timed Call Requests"). Records without one are
 * ordinary predictive work.
 */
let h: CxoneHarness;
beforeAll(async () => {
  h = await cxoneHarness({
    seed: 11,
    contacts: 50,
    days: 1,
    uploadJobPolls: 1,
    // Times and staleness only: the cap is the subject here, not the skill's hours.
    knobs: { listDialRules: "timing-only" },
  });
});
afterAll(() => h.close());

const QUARTER = 15 * 60_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

const runningSkill = () =>
  h.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isRunning)!;

async function list(listName: string, timed: boolean): Promise<number> {
  const query = new URLSearchParams({
    listName,
    externalIdColumn: "ExternalId",
    ...(timed ? { callRequestTimeColumn: "CallAt", callRequestStaleColumn: "StaleMins" } : {}),
  });
  const created = await h.api("POST", `lists/call-lists?${query}`, {
    body: { destinationMappings: [{ fieldName: "PhoneNumber", fieldValue: "Phone" }] },
  });
  expect(created.status).toBe(200);
  return created.body.listId as number;
}

/** `n` records, all (when `at` is given) requested in the same quarter hour. */
function csv(n: number, at?: number): string {
  const header = at === undefined ? "ExternalId,Phone" : "ExternalId,Phone,CallAt,StaleMins";
  const rows = Array.from({ length: n }, (_, i) => {
    const phone = `+1312555${String(1000 + i).padStart(4, "0")}`;
    return at === undefined ? `R${i},${phone}` : `R${i},${phone},${iso(at + (i % 10) * 60_000)},60`;
  });
  return `${header}\n${rows.join("\n")}\n`;
}

async function upload(listId: number, text: string) {
  const started = await h.api("POST", `lists/call-lists/${listId}/upload`, {
    body: {
      listFile: Buffer.from(text).toString("base64"),
      skillId: runningSkill().skillId,
      expirationDate: "2099-01-01T00:00:00Z",
      forceOverwrite: false,
      startSkill: false,
      sendEmail: false,
    },
  });
  expect(started.status).toBe(202);
  return (await h.api("GET", `lists/call-lists/jobs/${started.body.jobId}`)).body.uploadJobs[0];
}

const recordCount = async (listId: number) =>
  ((await h.api("GET", `lists/call-lists/${listId}?includeRecords=true`)).body.resultSet.contactRecords ?? [])
    .length as number;

describe("timed call requests: the callback cap (50 + 100 × agents logged in, per 15 minutes, per skill)", () => {
  it("with 2 agents logged in, 500 callbacks in one quarter are rejected whole; 500 ordinary records are taken and dialled as predictive work", async () => {
    const skill = runningSkill();
    // Its live calls end first: an agent on a call is logged in, so they would count too.
    expect(
      (await h.admin("POST", `/skills/${skill.skillId}/live`, { agentsLoggedIn: 2, contactsStopped: true }))
        .status,
    ).toBe(200);
    const quarter = Math.ceil(Date.now() / QUARTER) * QUARTER + 4 * QUARTER;

    const timed = await list("Plan as callbacks", true);
    const rejected = await upload(timed, csv(500, quarter));
    expect(rejected).toMatchObject({ isComplete: true, isCancelled: true });
    expect(rejected.errorMessage).toMatch(/rejected: 500 timed call requests .* limit of 250/);
    expect(await recordCount(timed)).toBe(0);
    const uploads = (await h.admin("GET", `/lists/${timed}/uploads`)).body.uploads;
    expect(uploads).toEqual([
      expect.objectContaining({
        accepted: false,
        records: 500,
        callbacks: 500,
        rejectedBecause: expect.objectContaining({ callbacks: 500, cap: 250, agentsLoggedIn: 2 }),
      }),
    ]);

    const ordinary = await list("Plan as predictive work", false);
    expect(await upload(ordinary, csv(500))).toMatchObject({ isComplete: true, isCancelled: false });
    expect(await recordCount(ordinary)).toBe(500);
    await h.admin("POST", `/lists/${ordinary}/dial`, { until: iso(Date.now() + 3_600_000) });
    const attempts = (await h.api("GET", `lists/call-lists/${ordinary}/attempts`)).body.resultSet
      .contactAttempts as Array<{ deliveredAsCallback: boolean; confirmReq: boolean }>;
    expect(attempts).toHaveLength(500);
    expect(attempts.every((a) => a.deliveredAsCallback === false && a.confirmReq === false)).toBe(true);
    const dials = (await h.admin("GET", `/lists/${ordinary}/dials`)).body.dials as Array<{ kind: string }>;
    expect(dials).toHaveLength(500);
    expect(new Set(dials.map((d) => d.kind))).toEqual(new Set(["ordinary"]));
  });

  it("under the cap callbacks are taken and delivered as confirmation-required callbacks; the cap counts the skill's waiting callbacks", async () => {
    const skill = runningSkill();
    await h.admin("POST", `/skills/${skill.skillId}/live`, { agentsLoggedIn: 0, contactsStopped: true });
    const quarter = Math.ceil(Date.now() / QUARTER) * QUARTER + 8 * QUARTER;
    const first = await list("Promised callbacks", true);
    expect(await upload(first, csv(40, quarter))).toMatchObject({ isCancelled: false });
    // 40 waiting + 11 more in the same quarter = 51 > 50 with no agent logged in: rejected whole.
    const second = await list("More promised callbacks", true);
    const over = await upload(second, csv(11, quarter));
    expect(over).toMatchObject({ isCancelled: true });
    expect(await recordCount(second)).toBe(0);
    // 10 fit.
    const third = await list("Fewer promised callbacks", true);
    expect(await upload(third, csv(10, quarter))).toMatchObject({ isCancelled: false });

    await h.admin("POST", `/lists/${first}/dial`, { until: iso(quarter + 3 * QUARTER) });
    const dials = (await h.admin("GET", `/lists/${first}/dials`)).body.dials as Array<
      Record<string, unknown>
    >;
    expect(dials).toHaveLength(40);
    for (const d of dials)
      expect(d).toMatchObject({ kind: "callback", deliveredAsCallback: true, confirmReq: true, attempt: 1 });
    await h.admin("POST", `/skills/${skill.skillId}/live`, { agentsLoggedIn: null, contactsStopped: false });
  });

  it("knob callbackCap: off takes any number (the emulator before round 7)", async () => {
    const skill = runningSkill();
    await h.admin("POST", `/skills/${skill.skillId}/live`, { agentsLoggedIn: 0, contactsStopped: true });
    await h.admin("POST", "/knobs", { callbackCap: "off" });
    try {
      const quarter = Math.ceil(Date.now() / QUARTER) * QUARTER + 12 * QUARTER;
      const listId = await list("No cap", true);
      expect(await upload(listId, csv(300, quarter))).toMatchObject({ isCancelled: false });
      expect(await recordCount(listId)).toBe(300);
    } finally {
      await h.admin("POST", "/knobs", { callbackCap: "enforced" });
      await h.admin("POST", `/skills/${skill.skillId}/live`, {
        agentsLoggedIn: null,
        contactsStopped: false,
      });
    }
  });
});
