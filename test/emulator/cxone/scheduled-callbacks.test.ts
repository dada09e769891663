import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pinClock } from "../../support/pinned-clock.ts";
import { type CxoneHarness, cxoneHarness } from "./helpers.ts";

/**
 * The production emulator's scheduled callbacks, in the shapes of two clients nobody here wrote:
 * NICE's QA automation (walterplaza/protractor, `src/apis/admin/scheduled-callbacks-management/
 * scheduled-callbacks-management-v12.ts`: v12.0, every value quoted, `MM/DD/YYYY` dates, reads
 * `callbackId`) and a client of a live tenant (CtrlAltWilson/Commitment-Automation-backend,
 * `src/rc.py`: v13.0, a time without an offset, reads `callbacks[].{callbackId, firstName,
 * lastName, dialNumber, callbackTime}`, deletes with a JSON body). Then its dialer: a callback is
 * dialled at its time, once, through the skill's agents; a deleted one never.
 */
let h: CxoneHarness;
let clock: ReturnType<typeof pinClock>;
let skillId = 0;
let agentId = 0;

// Wednesday 2026-12-02 09:00 in New York (the business unit's zone): pinClock's default.
beforeAll(async () => {
  clock = pinClock();
  h = await cxoneHarness({ seed: 23, contacts: 50, days: 1 });
  const skill = h.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isRunning);
  if (!skill) throw new Error("no running Personal Connection skill");
  skillId = skill.skillId;
  agentId = h.fixtures.agents[0]!.agentId;
});
afterAll(async () => {
  await h?.close();
  clock?.restore();
});

const dials = async () =>
  (await h.admin("GET", "/scheduled-callbacks")).body as {
    callbacks: Array<{ callbackId: number; phone: string; at: string; status: string }>;
    dials: Array<{ callbackId: number; phone: string; at: string; agentId: number }>;
  };

describe("scheduled callbacks in NICE's QA shapes (v12.0, every value quoted)", () => {
  it("creates (200 {callbackId}), lists for the agent, and deletes with ?description=", async () => {
    const created = await h.api("POST", "scheduled-callbacks", {
      version: "v12.0",
      body: {
        firstName: "",
        lastName: "",
        phoneNumber: "3125550100",
        skillId: String(skillId),
        targetAgentId: String(agentId),
        scheduleDate: "12/12/2026",
        notes: "Api test",
      },
    });
    expect(created.status, created.text).toBe(200);
    expect(typeof created.body.callbackId).toBe("number");
    const id = created.body.callbackId as number;

    const forAgent = await h.api("GET", `agents/${agentId}/scheduled-callbacks`, { version: "v12.0" });
    expect(forAgent.status).toBe(200);
    const mine = (forAgent.body.callbacks as Array<Record<string, unknown>>).find((c) => c.callbackId === id);
    // A date alone is midnight in the business unit's zone (Eastern): 05:00Z.
    expect(mine).toMatchObject({ dialNumber: "3125550100", callbackTime: "2026-12-12T05:00:00.000Z" });

    const deleted = await h.api("DELETE", `scheduled-callbacks/${id}?description=cleanup`, {
      version: "v12.0",
    });
    expect(deleted.status).toBe(200);
    expect((await h.api("GET", `scheduled-callbacks/${id}`, { version: "v12.0" })).status).toBe(404);
  });
});

describe("scheduled callbacks in a live client's shapes (v13.0, CAB)", () => {
  it("a time without an offset is the business unit's; the skill's listing carries what CAB reads", async () => {
    const created = await h.api("POST", "scheduled-callbacks", {
      version: "v13.0",
      body: {
        phoneNumber: 3125550101,
        skillId: String(skillId),
        scheduleDate: "2026-12-02 11:30:00",
        firstName: "Ann",
        lastName: "Lee",
      },
    });
    expect(created.status, created.text).toBe(200);
    const id = created.body.callbackId as number;
    const listed = await h.api("GET", `skills/${skillId}/scheduled-callbacks`, { version: "v13.0" });
    expect(listed.status).toBe(200);
    const item = (listed.body.callbacks as Array<Record<string, unknown>>).find((c) => c.callbackId === id);
    expect(item).toMatchObject({
      callbackId: id,
      firstName: "Ann",
      lastName: "Lee",
      dialNumber: "3125550101",
      callbackTime: "2026-12-02T16:30:00.000Z",
    });
    const one = await h.api("GET", `scheduled-callbacks/${id}`, { version: "v13.0" });
    expect(one.body.callbacks).toEqual([item]);
    // CAB deletes with a JSON body and reads a JSON answer.
    const deleted = await h.api("DELETE", `scheduled-callbacks/${id}`, {
      version: "v13.0",
      body: { callbackId: id },
    });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ callbackId: id });
    const after = await h.api("GET", `skills/${skillId}/scheduled-callbacks`, { version: "v13.0" });
    expect((after.body.callbacks as Array<{ callbackId: number }>).map((c) => c.callbackId)).not.toContain(
      id,
    );
  });

  it("refuses what the platform would: a number that is not NANP, an unknown skill, a past or unreadable time", async () => {
    const base = { phoneNumber: "3125550102", skillId, scheduleDate: "2026-12-02T18:00:00Z" };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base, phoneNumber: "12345" }, "phoneNumber"],
      // A UK number is taken as 44 and its digits (assumed); another country is not.
      [{ ...base, phoneNumber: "+33612345678" }, "phoneNumber"],
      [{ ...base, skillId: 999_999 }, "skillId"],
      [{ ...base, targetAgentId: 424_242 }, "targetAgentId"],
      [{ ...base, scheduleDate: "2026-12-01T18:00:00Z" }, "scheduleDate"],
      [{ ...base, scheduleDate: "tomorrow" }, "scheduleDate"],
    ];
    for (const [body, field] of cases) {
      const answer = await h.api("POST", "scheduled-callbacks", { body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.errorDescription).toContain(field);
    }
    const listed = await h.api("GET", `skills/${skillId}/scheduled-callbacks`);
    expect(
      (listed.body.callbacks as Array<{ dialNumber: string }>).some((c) => c.dialNumber === "3125550102"),
    ).toBe(false);
    expect((await h.api("GET", "skills/999999/scheduled-callbacks")).status).toBe(404);
    expect((await h.api("DELETE", "scheduled-callbacks/999999")).status).toBe(404);
  });
});

describe("the callback dialer", () => {
  it("dials a callback at its time through the skill's agents, once; a deleted one never", async () => {
    const make = async (phoneNumber: string, at: string) =>
      (await h.api("POST", "scheduled-callbacks", { body: { phoneNumber, skillId, scheduleDate: at } })).body
        .callbackId as number;
    const kept = await make("3125550103", "2026-12-02T16:00:00Z");
    const gone = await make("3125550104", "2026-12-02T16:05:00Z");
    expect((await h.api("DELETE", `scheduled-callbacks/${gone}`)).status).toBe(200);

    await h.admin("POST", "/scheduled-callbacks/dial", { until: "2026-12-02T15:59:00Z" });
    expect((await dials()).dials.filter((d) => d.callbackId === kept)).toEqual([]);

    await h.admin("POST", "/scheduled-callbacks/dial", { until: "2026-12-02T17:00:00Z" });
    await h.admin("POST", "/scheduled-callbacks/dial", { until: "2026-12-02T18:00:00Z" });
    const seen = await dials();
    expect(seen.dials.filter((d) => d.callbackId === kept)).toEqual([
      expect.objectContaining({ phone: "+13125550103", at: "2026-12-02T16:00:00.000Z" }),
    ]);
    expect(seen.dials.filter((d) => d.callbackId === gone)).toEqual([]);
    expect(seen.callbacks.find((c) => c.callbackId === gone)?.status).toBe("deleted");
    // Dialled: no longer pending, so no longer listed.
    const listed = await h.api("GET", `skills/${skillId}/scheduled-callbacks`);
    expect((listed.body.callbacks as Array<{ callbackId: number }>).map((c) => c.callbackId)).not.toContain(
      kept,
    );
  });
});
