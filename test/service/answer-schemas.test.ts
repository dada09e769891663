import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import type { Evaluation, Incident, WatchdogState } from "../../src/campaigns/watchdog/state.ts";
import { type Logger, silentLogger } from "../../src/core/logging/index.ts";
import {
  type BoardEvent as BoardEventAnswer,
  type CampaignAnswer,
  campaignsAnswer,
  dashboardAnswer,
  type IdleAnswer,
  type IncidentAnswer,
  type LiveAnswer,
  type PacingAnswer,
  type RateAnswer,
  type WatchdogStateAnswer,
} from "../../src/service/answers/board.ts";
import type {
  BoardEvent,
  CampaignView,
  IdleView,
  LiveView,
  PacingView,
} from "../../src/service/campaign-board.ts";
import type { RunningService } from "../../src/service/index.ts";
import type { RateFigure } from "../../src/service/rate-figures.ts";
import { schemaCompilers } from "../../src/service/schema-compilers.ts";
import { seedScene } from "./console-scene.ts";
import { type ServiceHarness, serviceHarness, until } from "./harness.ts";

/**
 * Issue 68 §3/§4: the board's JSON has response schemas (src/service/answers/) that Fastify
 * serialises with, and the console reads their types. A field of the server's views missing
 * from a schema would be dropped by the serializer without a word, so: (1) at compile time,
 * every field of every view the board serves is a field of its schema (tsc fails otherwise);
 * (2) end to end, a board with every kind of figure on it (readings, a paced campaign with its
 * history, an operator's stop, an outside change, live figures with today's counts, a
 * diagnosis, rates with their counts) is served by /api/campaigns and /api/dashboard with
 * every field, value for value, that the board holds.
 */
type Missing<Server, Answer> = Exclude<keyof Server, keyof Answer>;

/** Every leaf of a JSON value as `path=value`, sorted (ages, counted at the moment, left out). */
const leaves = (value: unknown) => leafList(value).sort();
function leafList(value: unknown, at = ""): string[] {
  if (value === null || typeof value !== "object") return [`${at}=${JSON.stringify(value)}`];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) =>
    key === "ageSeconds" || key === "generatedAt" ? [] : leafList(inner, `${at}.${key}`),
  );
}

describe("the board's JSON through its response schemas", () => {
  let h: ServiceHarness;
  let svc: RunningService;
  const token = "answer-schemas-test-token-0123456789";
  const get = async (url: string) => {
    const response = await fetch(`${svc.url}${url}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status, url).toBe(200);
    return response.json();
  };
  /** The answer and what the board held while it was made (asked again if the board moved). */
  async function servedAndHeld(url: string, held: () => unknown): Promise<[unknown, unknown]> {
    for (;;) {
      const before = JSON.stringify(held());
      const served = await get(url);
      const after = JSON.stringify(held());
      if (before === after) return [served, JSON.parse(after)];
    }
  }

  beforeAll(async () => {
    h = await serviceHarness();
    svc = await h.start({ accessToken: token });
    // The service's own poll and live reading first, so the figures recorded below are the last.
    await svc.pollNow();
    await svc.readLiveNow();
    await until(() => svc.board.views().every((v) => v.name !== null && v.status !== "unknown"));
    const now = Date.now();
    const { paced, over } = seedScene(h, svc, now);
    const at = new Date(now).toISOString();
    svc.board.recordPacing(paced, {
      mode: "auto",
      window: "ftc-30d",
      target: 0.03,
      ratio: 2.5,
      ratioReadAt: at,
      wish: 1.45,
      lastSet: 1,
      outside: { inForce: 2.5, lastSet: 1, at, action: "handed-over" },
      notPaced: null,
      tenantWide: true,
      onOutsideChange: "hand-over",
      cap: 3,
      atCap: false,
      abandonTarget: null,
      abandonment: 0.012,
      liveAnswers: 3300,
      budgetLeft: 40,
      reason: "changed outside the pacing loop",
      at,
    });
    svc.board.recordPacingAutomation(paced, { state: "stopped", by: "board:olivia", at, reason: "outside" });
    svc.board.recordLive({
      campaignId: over,
      running: true,
      agentsLoggedIn: 12,
      agentsAvailable: 3,
      agentsWorking: 8,
      agentsInWrap: 1,
      contactsActive: 9,
      queued: 2,
      observedAt: at,
      source: "GET /skills/activity",
      today: {
        dials: 900,
        connects: 400,
        rightPartyConnects: 350,
        abandons: 14,
        abandonRate: 0.035,
        since: at,
        observedAt: at,
        source: "GET /skills/summary",
      },
    });
    svc.board.recordIdle(over, {
      dialing: false,
      dialableNow: 0,
      cause: { code: "list-empty", title: "Nothing left to dial", fix: "add records", until: null },
      summary: "not dialing: nothing left to dial",
      runsDryAt: null,
      idleSince: at,
      shouldDial: true,
      checkedAt: at,
    });
    svc.board.recordError(over, "the last poll failed");
  }, 60_000);
  afterAll(() => h.close());

  it("every field of the board's views is a field of its schema (tsc checks these)", () => {
    // The live stream's events as the server emits them are what the console reads.
    expectTypeOf<BoardEvent>().toExtend<BoardEventAnswer>();
    expectTypeOf<Missing<CampaignView, CampaignAnswer>>().toBeNever();
    expectTypeOf<Missing<LiveView, LiveAnswer>>().toBeNever();
    expectTypeOf<Missing<NonNullable<LiveView["today"]>, NonNullable<LiveAnswer["today"]>>>().toBeNever();
    expectTypeOf<Missing<PacingView, PacingAnswer>>().toBeNever();
    expectTypeOf<
      Missing<NonNullable<PacingView["outside"]>, NonNullable<PacingAnswer["outside"]>>
    >().toBeNever();
    expectTypeOf<
      Missing<NonNullable<PacingView["automation"]>, NonNullable<PacingAnswer["automation"]>>
    >().toBeNever();
    expectTypeOf<Missing<RateFigure, RateAnswer>>().toBeNever();
    expectTypeOf<Missing<IdleView, IdleAnswer>>().toBeNever();
    expectTypeOf<Missing<Incident, IncidentAnswer>>().toBeNever();
    expectTypeOf<Missing<Incident["trigger"], IncidentAnswer["trigger"]>>().toBeNever();
    expectTypeOf<Missing<WatchdogState, WatchdogStateAnswer>>().toBeNever();
    expectTypeOf<Missing<Evaluation, NonNullable<WatchdogStateAnswer["lastEvaluation"]>>>().toBeNever();
  });

  it("/api/campaigns serves every field the board holds", async () => {
    const [answer, held] = await servedAndHeld("/api/campaigns", () => svc.board.views());
    const served = answer as { campaigns: unknown[] };
    expect(leaves(served.campaigns)).toEqual(leaves(held));
    // Served through the schema, not by the fallback for an answer it refuses (schema-compilers.ts).
    expect(campaignsAnswer.safeParse({ campaigns: svc.board.views() }).error).toBeUndefined();
    // The scene has what the schemas must carry: live figures with today's counts, a pacing
    // history, an operator's stop and an outside change, a diagnosis, counted rates.
    const text = JSON.stringify(served);
    for (const field of ["rightPartyConnects", "history", "automation", "outside", "shouldDial", "count"])
      expect(text).toContain(`"${field}"`);
  });

  it("/api/dashboard serves every field, series included", async () => {
    const [answer, held] = await servedAndHeld("/api/dashboard", () =>
      svc.board.views().map((view) => ({ ...view, series: svc.board.series(view.id) })),
    );
    const served = answer as { campaigns: unknown[]; timeZone: string };
    const dashboard = { ...(answer as object), campaigns: held };
    expect(dashboardAnswer.safeParse(dashboard).error).toBeUndefined();
    expect(leaves(served.campaigns)).toEqual(leaves(held));
    expect(served.timeZone).toEqual(expect.any(String));
  });

  it("a figure that is not a finite number is written null, as before, not a 500 for the board", async () => {
    const at = Date.now();
    svc.board.recordMetrics({
      campaignId: "not-finite",
      t: at,
      successRate: Number.NaN,
      activeCalls: 3,
      abandonmentRate: Number.POSITIVE_INFINITY,
      failoverTriggered: false,
      lastUpdated: new Date(at).toISOString(),
      source: "webhook",
    });
    const served = (await get("/api/dashboard")) as { campaigns: Array<Record<string, unknown>> };
    const campaign = served.campaigns.find((c) => c.id === "not-finite");
    expect(campaign).toMatchObject({ successRate: null, abandonmentRate: null, activeCalls: 3 });
  });

  it("an answer its schema refuses is logged and sent as built, not a 500 that blanks the board", async () => {
    const warnings: unknown[] = [];
    const logger = { ...silentLogger, warn: (...args: unknown[]) => void warnings.push(args) } as Logger;
    const app = Fastify({ logger: false });
    app.register(schemaCompilers, { logger });
    app.register(async (scope) => {
      // A record an older version stored, without a field the schema names since.
      const old = { campaigns: [{ id: "c-1", name: "East" }] };
      scope.get("/old", { schema: { response: { 200: campaignsAnswer } } }, async () => old as never);
    });
    const answer = await app.inject({ url: "/old" });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ campaigns: [{ id: "c-1", name: "East" }] });
    expect(JSON.stringify(warnings)).toContain("does not match its response schema");
    await app.close();
  });
});
