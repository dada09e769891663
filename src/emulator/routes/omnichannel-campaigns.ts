import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { clockNowDate } from "../../core/clock/now.ts";
import type { EmulatorContext } from "../context.ts";
import type { Campaign, CampaignStatus } from "../data/model.ts";
import { campaignSimulation, creationStreams, matrixFor } from "../data/world.ts";
import { readTwin } from "../dialer-twin.ts";
import { badRequest, conflict, notFound, parseOr400 } from "../errors.ts";
import { campaignStatusChanged } from "../events.ts";
import { apiRoute, lastValue } from "../http.ts";
import { withIdempotency } from "../idempotency.ts";
import { currentMetrics, noteStatusChange } from "../metrics.ts";
import { SCOPES } from "../scopes.ts";
/**
 * Seed 002: provisioning predictive campaigns, pausing/resuming them idempotently, and their
 * live metrics. Create validates the dialer numbers and ranges, the calling window (TCPA: within
 * 08:00–21:00), the IANA zone and that the contact list exists. Moving to the state a campaign
 * is already in is 409; every other transition between active/paused/stopped is allowed.
 */
export const STATUSES = ["active", "paused", "stopped"] as const;

export function isIanaZone(zone: string): boolean {
  if (zone !== "UTC" && !/^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, "HH:MM:SS (24-hour)");
const seconds = (value: string) => {
  const [h, m, s] = value.split(":").map(Number);
  return (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0);
};
const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

const createBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  status: z.enum(STATUSES).optional(),
  dialerConfig: z
    .strictObject({
      type: z.enum(["predictive", "progressive", "preview"]),
      predictiveSettings: z
        .strictObject({
          answerRatio: z.number().gt(0).max(1),
          maxCallsInFlight: z.number().int().min(1).max(10_000),
          callRate: z.number().gt(0).max(1_000),
          abandonmentThreshold: z
            .number()
            .min(0)
            .max(0.03, "abandonmentThreshold above the 3% regulatory limit"),
        })
        .optional(),
    })
    .refine((d) => d.type !== "predictive" || d.predictiveSettings !== undefined, {
      message: "predictiveSettings is required for a predictive dialer",
      path: ["predictiveSettings"],
    }),
  complianceConfig: z.strictObject({
    timeZone: z.string().refine(isIanaZone, "an IANA time zone such as America/New_York"),
    dialingRules: z
      .strictObject({ startTime: clock, endTime: clock, allowedDays: z.array(z.enum(DAYS)).min(1) })
      .refine((r) => seconds(r.startTime) < seconds(r.endTime), {
        message: "startTime must be before endTime",
      })
      .refine((r) => seconds(r.startTime) >= 8 * 3600 && seconds(r.endTime) <= 21 * 3600, {
        message: "the calling window must lie within 08:00-21:00 (TCPA)",
      }),
    rateLimits: z
      .strictObject({
        maxCallsPerContactPerDay: z.number().int().min(1).max(100),
        maxCallsPerContactPerWeek: z.number().int().min(1).max(700),
        maxCallsPerDay: z.number().int().min(1).max(10_000_000),
      })
      .partial()
      .optional(),
  }),
  contactListId: z.string().min(1),
  queueId: z.string().min(1).max(200).optional(),
  failoverConfig: z
    .strictObject({
      enabled: z.boolean(),
      thresholdType: z.literal("success_rate"),
      thresholdValue: z.number().min(0).max(1),
      evaluationWindowMinutes: z.number().int().min(1).max(1440),
    })
    .optional(),
});

const updateBody = z.strictObject({ status: z.enum(STATUSES) });

const metricsQuery = z.object({
  windowMinutes: z.preprocess(lastValue, z.coerce.number().int().min(1).max(1440).default(30)),
});

export function presentCampaign(campaign: Campaign) {
  return {
    id: campaign.id,
    name: campaign.name,
    description: campaign.description,
    status: campaign.status,
    contactListId: campaign.contactListId,
    queueId: campaign.queueId,
    timeZone: campaign.timeZone,
    dialerConfig: campaign.dialerConfig,
    complianceConfig: campaign.complianceConfig,
    failoverConfig: campaign.failoverConfig,
    createdAt: campaign.createdAt,
    updatedAt: campaign.updatedAt,
  };
}

export function registerOmnichannelCampaignRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  registerCreateCampaign(app, ctx);
  registerGetCampaign(app, ctx);
  registerUpdateCampaign(app, ctx);
  registerCampaignMetrics(app, ctx);
}

function findCampaign(ctx: EmulatorContext, id: string): Campaign {
  const campaign = ctx.state.campaigns.get(id);
  if (!campaign) throw notFound("campaign", id);
  return campaign;
}

const campaignIdOf = (request: FastifyRequest) => (request.params as { campaignId: string }).campaignId;

function registerCreateCampaign(app: FastifyInstance, ctx: EmulatorContext): void {
  const nextStream = creationStreams(ctx.options.seed, "omni-campaign");
  apiRoute(
    app,
    ctx,
    {
      method: "POST",
      url: "/api/v2/omnichannel/campaigns",
      group: "campaigns",
      scopes: SCOPES.omniCampaignWrite,
      summary: "Create a campaign (X-Idempotency-Key honoured)",
      body: createBody,
      responses: {
        "201": "the campaign",
        "400": "invalid dialer/compliance config, zone or contact list",
        "422": "idempotency key reused with another body",
      },
    },
    (request, reply, caller) =>
      withIdempotency(ctx, request, reply, caller, () => {
        const body = parseOr400(createBody, request.body, "body");
        if (!ctx.state.contactLists.has(body.contactListId)) {
          throw badRequest(`contact list ${body.contactListId} does not exist`, { field: "contactListId" });
        }
        const rng = nextStream();
        const now = clockNowDate().toISOString();
        const campaign: Campaign = {
          id: rng.uuid(),
          name: body.name,
          description: body.description ?? "",
          status: body.status ?? "paused",
          contactListId: body.contactListId,
          timeZone: body.complianceConfig.timeZone,
          queueId: body.queueId ?? null,
          dialerConfig: body.dialerConfig,
          complianceConfig: body.complianceConfig,
          failoverConfig: body.failoverConfig ?? null,
          dialer: null,
          dispositionCodes: matrixFor([]),
          createdAt: now,
          updatedAt: now,
          simulation: campaignSimulation(rng),
        };
        ctx.state.campaigns.set(campaign.id, campaign);
        if (campaign.status === "active") campaignStatusChanged(ctx, campaign, null);
        return { status: 201, body: presentCampaign(campaign) };
      }),
  );
}

function registerGetCampaign(app: FastifyInstance, ctx: EmulatorContext): void {
  apiRoute(
    app,
    ctx,
    {
      method: "GET",
      url: "/api/v2/omnichannel/campaigns/:campaignId",
      group: "campaigns",
      scopes: SCOPES.omniCampaignRead,
      summary: "One campaign",
      responses: { "200": "the campaign", "404": "unknown campaign" },
    },
    (request) => presentCampaign(findCampaign(ctx, campaignIdOf(request))),
  );
}

function registerUpdateCampaign(app: FastifyInstance, ctx: EmulatorContext): void {
  apiRoute(
    app,
    ctx,
    {
      method: "PUT",
      url: "/api/v2/omnichannel/campaigns/:campaignId",
      group: "campaigns",
      scopes: SCOPES.omniCampaignWrite,
      summary: "Change a campaign's status (X-Idempotency-Key honoured)",
      body: updateBody,
      responses: {
        "200": "the campaign in its new state",
        "400": "malformed body",
        "404": "unknown campaign",
        "409": "already in that state",
        "422": "idempotency key reused with another body",
      },
    },
    (request, reply, caller) =>
      withIdempotency(ctx, request, reply, caller, () => {
        const campaign = findCampaign(ctx, campaignIdOf(request));
        const body = parseOr400(updateBody, request.body, "body");
        if (campaign.status === body.status) {
          throw conflict("already_in_state", `campaign ${campaign.id} is already ${body.status}`, {
            status: campaign.status,
          });
        }
        const previous: CampaignStatus = campaign.status;
        noteStatusChange(ctx, campaign, body.status);
        campaign.status = body.status;
        campaign.updatedAt = clockNowDate().toISOString();
        campaignStatusChanged(ctx, campaign, previous);
        return { status: 200, body: presentCampaign(campaign) };
      }),
  );
}

function registerCampaignMetrics(app: FastifyInstance, ctx: EmulatorContext): void {
  apiRoute(
    app,
    ctx,
    {
      method: "GET",
      url: "/api/v2/omnichannel/campaigns/:campaignId/metrics",
      group: "campaigns",
      scopes: SCOPES.omniMetricsRead,
      summary: "Live campaign metrics over a window",
      query: metricsQuery,
      responses: {
        "200":
          "{campaignId, windowMinutes, successRate, activeCalls, failoverTriggered, lastUpdated, dialer: {observedSeconds, dials, liveAnswers, connects, abandons, handled, handleSeconds, answerSeconds, agentsLoggedIn, agentsBusy, callsInProgress, dialRatio}}",
        "400": "windowMinutes not an integer in 1..1440",
        "404": "unknown campaign",
      },
    },
    (request) => {
      const campaign = findCampaign(ctx, campaignIdOf(request));
      const query = parseOr400(metricsQuery, request.query, "query");
      const twin = readTwin(ctx.state, ctx.options, campaign);
      // The live dialer twin's counters since it started (an emulator extension of the seed
      // shape): what a pacing controller observes.
      const dialer = {
        observedSeconds: twin.simulatedSeconds,
        dials: twin.dials,
        liveAnswers: twin.liveAnswers,
        connects: twin.connects,
        abandons: twin.abandons,
        handled: twin.handled,
        handleSeconds: twin.handleSeconds,
        answerSeconds: twin.answerSeconds,
        agentsLoggedIn: twin.agents,
        agentsBusy: twin.agentsBusy,
        callsInProgress: twin.callsInProgress,
        dialRatio: twin.dialRatio,
      };
      return { ...currentMetrics(ctx, campaign, query.windowMinutes), dialer };
    },
  );
}
