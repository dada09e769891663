import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { clockNowDate } from "../../core/clock/now.ts";
import { addAudit } from "../audit.ts";
import type { EmulatorContext } from "../context.ts";
import type { Campaign } from "../data/model.ts";
import { campaignSimulation, creationStreams, matrixFor } from "../data/world.ts";
import {
  algorithmSchema,
  concurrencySchema,
  DIALER_TYPES,
  MAX_ABANDONMENT,
  regulatoryViolations,
  type Violation,
} from "../dialer-config.ts";
import { parseOr400 } from "../errors.ts";
import { campaignStatusChanged } from "../events.ts";
import { apiRoute } from "../http.ts";
import { SCOPES } from "../scopes.ts";
import { STATUSES } from "./omnichannel-campaigns.ts";

/**
 * Seed 003: creating a dialer campaign (the same campaigns 000/002/004 see) and validating a
 * dialer config. Validation answers 200 either way: FAIL with `violations` for regulatory
 * problems and missing or malformed fields, PASS with `warnings` for capacity problems.
 */
const campaignBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  type: z.enum(DIALER_TYPES),
  status: z.enum(STATUSES).optional(),
  concurrency: concurrencySchema,
  algorithm: algorithmSchema,
});

const CHECKS = ["tcpa_abandonment", "dnc_compliance", "calling_hours"] as const;

const validateBody = z.strictObject({
  campaign_config: z.record(z.string(), z.unknown()),
  regulatory_checks: z.array(z.enum(CHECKS)).optional(),
  carrier_capacity: z
    .strictObject({
      max_trunks: z.number().int().min(1),
      current_utilization_percent: z.number().min(0).max(100).optional(),
    })
    .optional(),
});

/** Missing or malformed fields of the config, as violations (they make the config FAIL). */
function fieldViolations(config: Record<string, unknown>): Violation[] {
  const violations: Violation[] = [];
  const parsed = z
    .object({
      name: z.string().min(1),
      type: z.enum(DIALER_TYPES),
      concurrency: concurrencySchema,
      algorithm: algorithmSchema,
    })
    .safeParse(config);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path.map(String).join(".");
      const missing = issue.code === "invalid_type" && issue.message.includes("undefined");
      violations.push({ code: missing ? "MISSING_FIELD" : "INVALID_FIELD", field, message: issue.message });
    }
  }
  return violations;
}

export function registerDialerCampaignRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  registerCreateDialerCampaign(app, ctx);
  registerValidatePolicy(app, ctx);
}

function registerCreateDialerCampaign(app: FastifyInstance, ctx: EmulatorContext): void {
  const { state } = ctx;
  const nextStream = creationStreams(ctx.options.seed, "dialer-campaign");
  apiRoute(
    app,
    ctx,
    {
      method: "POST",
      url: "/api/v1/campaigns",
      group: "dialer",
      scopes: SCOPES.dialerCampaignWrite,
      summary: "Create a dialer campaign (concurrency + predictive algorithm)",
      body: campaignBody,
      responses: { "201": "the campaign", "400": "malformed config" },
    },
    (request, reply, caller) => {
      const body = parseOr400(campaignBody, request.body, "body");
      const rng = nextStream();
      const now = clockNowDate().toISOString();
      const dialer = { type: body.type, concurrency: body.concurrency, algorithm: body.algorithm };
      const campaign: Campaign = {
        id: rng.uuid(),
        name: body.name,
        description: "",
        status: body.status ?? "paused",
        contactListId: null,
        timeZone: "America/New_York",
        queueId: null,
        dialerConfig: { type: body.type },
        complianceConfig: null,
        failoverConfig: null,
        dialer,
        dispositionCodes: matrixFor([]),
        createdAt: now,
        updatedAt: now,
        simulation: campaignSimulation(rng),
      };
      state.campaigns.set(campaign.id, campaign);
      addAudit(state, {
        entity: "campaign",
        action: "campaign.created",
        actor: caller.clientId,
        versionTag: null,
        details: { campaignId: campaign.id, name: campaign.name },
      });
      if (campaign.status === "active") campaignStatusChanged(ctx, campaign, null);
      return reply.code(201).send({
        id: campaign.id,
        name: campaign.name,
        status: campaign.status,
        ...dialer,
        createdAt: now,
      });
    },
  );
}

function registerValidatePolicy(app: FastifyInstance, ctx: EmulatorContext): void {
  apiRoute(
    app,
    ctx,
    {
      method: "POST",
      url: "/api/v1/dialer/policies/validate",
      group: "dialer",
      scopes: SCOPES.dialerRead,
      summary: "Check a dialer config against regulatory limits (FAIL) and carrier capacity (warnings)",
      body: validateBody,
      responses: {
        "200": "{compliance_status: PASS|FAIL, violations, warnings, checksPerformed}",
        "400": "malformed request (campaign_config not an object, unknown check)",
      },
    },
    (request) => validatePolicy(parseOr400(validateBody, request.body, "body")),
  );
}

type Warning = { code: string; message: string };

function validatePolicy(body: z.infer<typeof validateBody>) {
  const config = body.campaign_config;
  const violations = fieldViolations(config);
  const algorithm = (config.algorithm ?? {}) as Record<string, unknown>;
  const concurrency = (config.concurrency ?? {}) as Record<string, unknown>;
  const numberOr = (value: unknown) => (typeof value === "number" ? value : null);
  const abandonment = numberOr(algorithm.abandonment_rate_target);
  const dialRatio = numberOr(algorithm.dial_ratio);
  // The abandonment ceiling is checked whatever the client asked for: it is the law.
  for (const violation of regulatoryViolations({
    abandonment_rate_target: abandonment ?? 0,
    dial_ratio: dialRatio ?? 1,
  })) {
    if (!violations.some((v) => v.field === violation.field)) violations.push(violation);
  }
  const warnings = capacityWarnings(body.carrier_capacity, {
    maxCalls: numberOr(concurrency.max_simultaneous_calls),
    maxAgents: numberOr(concurrency.max_agents),
    dialRatio,
    abandonment,
  });
  return {
    compliance_status: violations.length === 0 ? "PASS" : "FAIL",
    violations,
    warnings,
    checksPerformed: [...new Set(["tcpa_abandonment", ...(body.regulatory_checks ?? CHECKS)])],
    validatedAt: clockNowDate().toISOString(),
  };
}

/** Problems that do not fail a config: trunks, a pacing cap, an abandonment target near the limit. */
function capacityWarnings(
  carrier: z.infer<typeof validateBody>["carrier_capacity"],
  figures: {
    maxCalls: number | null;
    maxAgents: number | null;
    dialRatio: number | null;
    abandonment: number | null;
  },
): Warning[] {
  const { maxCalls, maxAgents, dialRatio, abandonment } = figures;
  const warnings: Warning[] = [];
  if (carrier && maxCalls !== null) {
    const free = carrier.max_trunks * (1 - (carrier.current_utilization_percent ?? 0) / 100);
    if (maxCalls > free) {
      warnings.push({
        code: "TRUNK_CAPACITY",
        message: `max_simultaneous_calls ${maxCalls} exceeds the ${Math.floor(free)} trunks available`,
      });
    }
  }
  if (maxAgents !== null && dialRatio !== null && maxCalls !== null && maxAgents * dialRatio > maxCalls) {
    warnings.push({
      code: "CONCURRENCY_CAP",
      message: `max_agents × dial_ratio (${maxAgents * dialRatio}) exceeds max_simultaneous_calls ${maxCalls}: pacing will be capped`,
    });
  }
  if (abandonment !== null && abandonment > MAX_ABANDONMENT * 0.9 && abandonment <= MAX_ABANDONMENT) {
    warnings.push({
      code: "ABANDONMENT_NEAR_LIMIT",
      message: "abandonment target within 10% of the regulatory limit",
    });
  }
  return warnings;
}
