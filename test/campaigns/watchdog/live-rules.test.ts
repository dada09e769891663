import { describe, expect, it } from "vitest";
import {
  LIVE_RULE_DEFAULTS,
  type LiveRulesConfig,
  liveBreach,
  liveStreak,
} from "../../../src/campaigns/watchdog/live-rules.ts";
import type { SkillLiveSnapshot } from "../../../src/platform/ports/live.ts";

const at = "2026-01-01T12:00:00.000Z";
const healthy: SkillLiveSnapshot = {
  campaignId: "101",
  running: true,
  agentsLoggedIn: 5,
  agentsAvailable: 1,
  agentsWorking: 3,
  agentsInWrap: 1,
  contactsActive: 3,
  queued: 0,
  observedAt: at,
  source: "GET /skills/activity",
  today: {
    dials: 400,
    connects: 140,
    rightPartyConnects: 112,
    abandons: 2,
    abandonRate: 2 / 140,
    since: "2026-01-01T00:00:00.000Z",
    observedAt: at,
    source: "GET /skills/summary",
  },
};
const today = (change: Partial<NonNullable<SkillLiveSnapshot["today"]>>) => ({
  ...healthy.today!,
  ...change,
});

describe("watchdog live rules (pure)", () => {
  const cases: Array<[string, Partial<SkillLiveSnapshot>, string | null, Partial<LiveRulesConfig>?]> = [
    ["a healthy running skill", {}, null],
    [
      "all agents logged out while running",
      { agentsLoggedIn: 0, agentsWorking: 0, agentsAvailable: 0 },
      "agents-logged-out",
    ],
    ["agents logged out of a paused skill: normal", { running: false, agentsLoggedIn: 0 }, null],
    ["running state unknown: no rule on agents", { running: undefined, agentsLoggedIn: 0 }, null],
    ["agents in, no contact active while running", { contactsActive: 0 }, "contacts-stopped"],
    [
      "no contacts and agents not reported (seed API)",
      { contactsActive: 0, agentsLoggedIn: undefined },
      "contacts-stopped",
    ],
    ["contacts not reported: absent is not zero", { contactsActive: undefined }, null],
    [
      "abandon rate jumps above the limit",
      { today: today({ abandons: 14, abandonRate: 0.1 }) },
      "abandon-rate",
    ],
    [
      "a high rate over too few connects",
      { today: today({ connects: 10, abandons: 3, abandonRate: 0.3 }) },
      null,
    ],
    ["no day counts (seed API)", { today: undefined }, null],
    ["the agents rule turned off", { agentsLoggedIn: 0 }, null, { agentsLoggedOut: false }],
    ["abandon rule off", { today: today({ abandonRate: 0.5 }) }, null, { maxAbandonRate: null }],
  ];
  it.each(cases)("%s", (_name, change, rule, config = {}) => {
    const breach = liveBreach({ ...healthy, ...change }, { ...LIVE_RULE_DEFAULTS, ...config });
    expect(breach?.rule ?? null).toBe(rule);
    if (breach) expect(breach.reason).toMatch(/GET \/skills\//);
  });

  it("a streak counts consecutive breaking readings and a healthy one resets it", () => {
    let streak = { rule: null as null | "agents-logged-out" | "contacts-stopped" | "abandon-rate", count: 0 };
    const out = liveBreach({ ...healthy, agentsLoggedIn: 0 }, LIVE_RULE_DEFAULTS);
    streak = liveStreak(streak, out);
    streak = liveStreak(streak, out);
    expect(streak).toEqual({ rule: "agents-logged-out", count: 2 });
    streak = liveStreak(streak, null);
    expect(streak).toEqual({ rule: null, count: 0 });
  });

  it("a streak runs across rules: readings breaking different live rules still count in a row", () => {
    // Agents log out, then (logged back in) no contact runs: the campaign was never healthy in between.
    const loggedOut = liveBreach({ ...healthy, agentsLoggedIn: 0 }, LIVE_RULE_DEFAULTS);
    const stopped = liveBreach({ ...healthy, contactsActive: 0 }, LIVE_RULE_DEFAULTS);
    let streak = liveStreak({ rule: null, count: 0 }, loggedOut);
    streak = liveStreak(streak, stopped);
    expect(streak).toEqual({ rule: "contacts-stopped", count: 2 });
  });
});
