import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DialerTwin } from "../../src/emulator/dialer-twin.ts";
import { type Harness, harness } from "./helpers.ts";

/** An hour of dialing at `ratio` (speed 1: nowMs is simulated milliseconds). */
function hour(ratio: number, knobs: ConstructorParameters<typeof DialerTwin>[4] = {}) {
  const twin = new DialerTwin(7, "camp-1", 1, 0, knobs);
  twin.advance(3_600_000, ratio, true);
  return twin.truth(ratio);
}

describe("the seed emulator's live dialer twin", () => {
  it("dials, answers and abandons like a dialer: more lines per agent, more abandons", () => {
    const progressive = hour(1);
    const aggressive = hour(2.5);
    expect(progressive.simulatedSeconds).toBe(3600);
    expect(progressive.dials).toBeGreaterThan(0);
    expect(progressive.liveAnswers / progressive.dials).toBeGreaterThan(0.2);
    expect(progressive.liveAnswers / progressive.dials).toBeLessThan(0.4);
    expect(aggressive.dials).toBeGreaterThan(progressive.dials * 1.1);
    expect(aggressive.busyAgentSeconds).toBeGreaterThan(progressive.busyAgentSeconds);
    expect(aggressive.abandons / aggressive.liveAnswers).toBeGreaterThan(
      progressive.abandons / Math.max(1, progressive.liveAnswers),
    );
    // Every live answer is connected, abandoned, or still waiting (at most 2 s old).
    expect(aggressive.connects + aggressive.abandons).toBeLessThanOrEqual(aggressive.liveAnswers);
    expect(aggressive.liveAnswers - aggressive.connects - aggressive.abandons).toBeLessThanOrEqual(
      aggressive.agents,
    );
    expect(aggressive.busyAgentSeconds).toBeLessThanOrEqual(aggressive.agents * 3600);
  });

  it("is deterministic for a seed, and a lower answer rate gives fewer answers per dial", () => {
    expect(hour(1.8)).toEqual(hour(1.8));
    const low = hour(1.8, { answerRate: 0.1 });
    expect(low.liveAnswers / low.dials).toBeLessThan(0.15);
  });

  it("runs `speed` simulated seconds per real second, and drains when not dialing", () => {
    const twin = new DialerTwin(1, "camp-1", 60, 1_000);
    twin.advance(61_000, 1.5, true); // one real minute = one simulated hour
    const running = twin.truth(1.5);
    expect(running.simulatedSeconds).toBe(3600);
    expect(running.agentsBusy).toBeGreaterThan(0);
    twin.advance(121_000, 1.5, false);
    const drained = twin.truth(1.5);
    expect(drained.dials).toBe(running.dials);
    expect(drained.agentsBusy).toBe(0);
    expect(drained.callsInProgress).toBe(0);
  });
});

describe("the twin over HTTP (metrics endpoint and admin API)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ speed: 3600 });
  });
  afterAll(() => h.close());

  it("reports the twin's counters in the metrics, its ground truth and knobs on the admin API", async () => {
    const id = h.fixtures.campaigns.find((campaign) => campaign.status === "active")?.id as string;
    const first = await h.call("GET", `/api/v2/omnichannel/campaigns/${id}/metrics`, {
      token: await h.token(),
    });
    expect(first.status).toBe(200);
    expect(Object.keys(first.body.dialer).sort()).toEqual(
      [
        "abandons",
        "agentsBusy",
        "agentsLoggedIn",
        "callsInProgress",
        "connects",
        "dialRatio",
        "dials",
        "handled",
        "handleSeconds",
        "answerSeconds",
        "liveAnswers",
        "observedSeconds",
      ].sort(),
    );
    const set = await fetch(`${h.url}/_emulator/dialer/${id}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ answerRate: 0.05, agents: 7 }),
    });
    expect(set.status).toBe(200);
    const truth = (await (await fetch(`${h.url}/_emulator/dialer/${id}`)).json()) as Record<string, unknown>;
    expect(truth).toMatchObject({ agents: 7, answerRate: 0.05 });
    for (const key of [
      "simulatedSeconds",
      "dials",
      "liveAnswers",
      "abandons",
      "busyAgentSeconds",
      "dialRatio",
    ])
      expect(typeof truth[key]).toBe("number");
    const bad = await fetch(`${h.url}/_emulator/dialer/${id}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ answerRate: 2 }),
    });
    expect(bad.status).toBe(400);
    expect((await fetch(`${h.url}/_emulator/dialer/nope`)).status).toBe(404);
  });
});
