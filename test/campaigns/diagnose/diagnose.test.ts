import { describe, expect, it } from "vitest";
import { CAUSE_CODES } from "../../../src/campaigns/diagnose/causes.ts";
import { diagnose } from "../../../src/campaigns/diagnose/diagnose.ts";
import { complianceCallingHours } from "../../../src/campaigns/diagnose/windows.ts";
import { ComplianceEngine } from "../../../src/compliance/engine.ts";
import { healthy, NOON_NY, record } from "./fixtures.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

const run = (facts = healthy(), at = NOON_NY) => diagnose(facts, complianceCallingHours(engine), at);
const codes = (d: ReturnType<typeof run>) => d.causes.map((c) => c.code);

describe("diagnose: each cause alone", () => {
  it("a healthy campaign dials, says so with its dialable count and has no cause", () => {
    const d = run();
    expect(d).toMatchObject({ campaignId: "c1", dialing: true, dialableNow: 10, causes: [] });
    expect(d.summary).toMatch(/^Dialing: 10 record\(s\) dialable now/);
  });

  const blockers: Array<[string, Parameters<typeof healthy>[0]]> = [
    ["no_list", { list: undefined }],
    ["skill_inactive", { skill: { active: false, running: false, evidence: "isActive false" } }],
    ["skill_not_running", { skill: { active: true, running: false, evidence: "isRunning false" } }],
    ["no_agents_logged_in", { agents: { loggedIn: 0, available: 0, evidence: "agentsLoggedIn 0" } }],
    ["agents_not_available", { agents: { loggedIn: 4, available: 0, evidence: "agentsAvailable 0" } }],
    ["abandon_cap_throttled", { abandon: { rate: 0.05, cap: 0.03, evidence: "abandonRate 5" } }],
    ["pacing_stopped", { pacing: { stopped: true, evidence: "pacing loop stopped: budget spent" } }],
    ["cxone_unreachable", { unreachable: { message: "connect ECONNREFUSED 127.0.0.1:1" } }],
  ];
  it.each(blockers)("%s stops the campaign and is the top cause with share 1", (code, over) => {
    const d = run(healthy(over));
    expect(d.dialing).toBe(false);
    expect(d.causes[0]).toMatchObject({ code, share: 1 });
    expect(d.causes[0]?.fix.length).toBeGreaterThan(10);
    expect(d.summary).toMatch(/^Not dialing: /);
  });

  const holds: Array<[string, (i: number) => ReturnType<typeof record>]> = [
    ["no_time_zone", (i) => record(i, { zone: undefined })],
    ["waiting_for_call_request_time", (i) => record(i, { callAtMs: NOON_NY + 3_600_000, staleMinutes: 60 })],
    ["call_request_stale", (i) => record(i, { callAtMs: NOON_NY - 3 * 3_600_000, staleMinutes: 30 })],
    ["records_expired", (i) => record(i, { expiresAtMs: NOON_NY - 1 })],
    ["max_attempts_reached", (i) => record(i, { attempts: 3 })],
    ["list_exhausted", (i) => record(i, { finalized: true, attempts: 1 })],
    ["dnc_suppressed", (i) => record(i, { dnc: true })],
  ];
  it.each(holds)("%s holds every record back and is the top cause", (code, make) => {
    const d = run(
      healthy({
        list: { listId: "L1", records: Array.from({ length: 5 }, (_, i) => make(i)), evidence: "list" },
      }),
    );
    expect(d).toMatchObject({ dialing: false, dialableNow: 0 });
    expect(d.causes[0]).toMatchObject({ code, records: 5, share: 1 });
  });

  it("non_fresh_excluded: attempted records are held when the skill does not load non-fresh ones", () => {
    const records = Array.from({ length: 4 }, (_, i) => record(i, { attempts: 1 }));
    const d = run(healthy({ loadNonFresh: false, list: { listId: "L1", records, evidence: "list" } }));
    expect(d.causes[0]).toMatchObject({ code: "non_fresh_excluded", records: 4 });
    expect(run(healthy({ list: { listId: "L1", records, evidence: "list" } })).dialing).toBe(true);
  });

  it("a list pushed from a plan is never advised to reload non-fresh records or take more attempts (issue 76 §1)", () => {
    const records = Array.from({ length: 4 }, (_, i) => record(i, { attempts: 1 }));
    const facts = healthy({ loadNonFresh: false, list: { listId: "L1", records, evidence: "list" } });
    expect(run(facts).causes[0]?.fix).toMatch(/turn on 'load non-fresh records'/);
    const planFed = run({ ...facts, planFed: true }).causes[0];
    expect(planFed).toMatchObject({ code: "non_fresh_excluded", records: 4 });
    expect(planFed?.fix).not.toMatch(/turn on|raise/);
    expect(planFed?.fix).toMatch(/leave non-fresh reloading off.*re-plan/);
    const exhausted = run({ ...facts, planFed: true, maxAttempts: 1, loadNonFresh: true }).causes[0];
    expect(exhausted?.code).toBe("max_attempts_reached");
    expect(exhausted?.fix).toMatch(/do not raise the maximum attempts/);
  });

  it("outside_calling_hours names the next opening per zone (from the compliance engine)", () => {
    const night = Date.parse("2026-11-26T03:30:00Z"); // 22:30 New York, 19:30 Los Angeles
    const records = [
      ...Array.from({ length: 3 }, (_, i) => record(i)),
      ...Array.from({ length: 2 }, (_, i) =>
        record(10 + i, { phone: `+1213555${1000 + i}`, zone: "America/Los_Angeles", state: "CA" }),
      ),
    ];
    const d = run(healthy({ list: { listId: "L1", records, evidence: "list" } }), night);
    expect(d.dialableNow).toBe(2);
    expect(d.dialing).toBe(true);
    const closed = run(
      healthy({ list: { listId: "L1", records: records.slice(0, 3), evidence: "list" } }),
      night,
    );
    expect(closed.dialing).toBe(false);
    expect(closed.causes[0]).toMatchObject({ code: "outside_calling_hours", records: 3 });
    expect(closed.causes[0]?.zones).toEqual([
      { zone: "America/New_York", records: 3, nextOpenAt: "2026-11-26T08:00:00-05:00" },
    ]);
    expect(closed.causes[0]?.until).toBe("2026-11-26T08:00:00-05:00");
  });

  it("an empty list is exhausted, never a cause-free idle answer", () => {
    const d = run(healthy({ list: { listId: "L1", records: [], evidence: "list" } }));
    expect(d).toMatchObject({ dialing: false, dialableNow: 0 });
    expect(codes(d)).toEqual(["list_exhausted"]);
  });

  it("ranks blockers first, then record causes by records held, list_exhausted last", () => {
    const records = [
      ...Array.from({ length: 6 }, (_, i) => record(i, { finalized: true })),
      ...Array.from({ length: 3 }, (_, i) => record(10 + i, { zone: undefined })),
      record(20, { expiresAtMs: NOON_NY - 1 }),
    ];
    const d = run(
      healthy({
        skill: { active: true, running: false, evidence: "x" },
        list: { listId: "L1", records, evidence: "list" },
      }),
    );
    expect(codes(d)).toEqual(["skill_not_running", "no_time_zone", "records_expired", "list_exhausted"]);
  });

  it("every cause code is one of the documented ones", () => {
    for (const [, over] of blockers)
      for (const c of run(healthy(over)).causes) expect(CAUSE_CODES).toContain(c.code);
  });
});

describe("forecast", () => {
  it("slots of 15 minutes to the end of the next local day; the pace drains the list; runsDryAt when it hits zero", () => {
    const d = run(healthy({ pacePerHour: 8 }));
    expect(d.forecast[0]).toMatchObject({
      from: "2026-11-25T12:00:00-05:00",
      to: "2026-11-25T12:15:00-05:00",
      dialable: 10,
    });
    expect(d.forecast.at(-1)?.to).toBe("2026-11-27T00:00:00-05:00");
    expect(d.forecast[1]?.dialable).toBe(8);
    expect(d.forecast[5]?.dialable).toBe(0);
    expect(d.runsDryAt).toBe("2026-11-25T13:15:00-05:00");
  });

  it("windows close and reopen across the day; call-request times come due; expiry takes records away", () => {
    const records = [
      record(1, { callAtMs: NOON_NY + 2 * 3_600_000 }),
      record(2, { expiresAtMs: NOON_NY + 30 * 60_000 }),
      record(3),
    ];
    const d = run(healthy({ pacePerHour: 0, list: { listId: "L1", records, evidence: "list" } }));
    const at = (local: string) => d.forecast.find((s) => s.from === local)?.dialable;
    expect(at("2026-11-25T12:00:00-05:00")).toBe(2);
    expect(at("2026-11-25T12:30:00-05:00")).toBe(1);
    expect(at("2026-11-25T14:00:00-05:00")).toBe(2);
    expect(at("2026-11-25T21:00:00-05:00")).toBe(0);
    expect(at("2026-11-26T08:00:00-05:00")).toBe(2);
    // Closing for the night is not running dry: with no pace, the records are still there tomorrow.
    expect(d.runsDryAt).toBeUndefined();
  });
});
