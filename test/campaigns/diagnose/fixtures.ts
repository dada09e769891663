import type { CampaignFacts, RecordFacts } from "../../../src/campaigns/diagnose/facts.ts";

/** 2026-11-25 17:00 UTC: noon in New York, 09:00 in Los Angeles. */
export const NOON_NY = Date.parse("2026-11-25T17:00:00Z");

export function record(i: number, over: Partial<RecordFacts> = {}): RecordFacts {
  return {
    id: `r${i}`,
    phone: `+1212555${String(1000 + i).slice(-4)}`,
    zone: "America/New_York",
    state: "NY",
    attempts: 0,
    finalized: false,
    dnc: false,
    ...over,
  };
}

/** A healthy campaign: active, running, agents available, 10 fresh New York records. */
export function healthy(over: Partial<CampaignFacts> = {}): CampaignFacts {
  return {
    campaignId: "c1",
    timeZone: "America/New_York",
    skill: { active: true, running: true, evidence: "GET /skills/c1: isActive true, isRunning true" },
    agents: {
      loggedIn: 3,
      available: 2,
      evidence: "GET /skills/activity: agentsLoggedIn 3, agentsAvailable 2",
    },
    list: {
      listId: "L1",
      records: Array.from({ length: 10 }, (_, i) => record(i)),
      evidence: "GET /lists/call-lists/L1",
    },
    maxAttempts: 3,
    loadNonFresh: true,
    abandon: { rate: 0.01, cap: 0.03, evidence: "GET /skills/summary" },
    pacing: undefined,
    pacePerHour: 4,
    ...over,
  };
}
