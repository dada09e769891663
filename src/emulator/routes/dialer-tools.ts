import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { clockNowDate } from "../../core/clock/now.ts";
import type { EmulatorContext } from "../context.ts";
import { parseOr400 } from "../errors.ts";
import { DIALER_EVENTS } from "../events.ts";
import { apiRoute } from "../http.ts";
import { SCOPES } from "../scopes.ts";
import { simulate } from "../simulator.ts";
import type { IntegrationWebhook } from "../state.ts";
import { httpUrl, webhookSecret } from "./omnichannel-webhooks.ts";

/**
 * Seed 003: the capacity simulator and WFM webhook registration. The simulator fills any
 * parameter the request leaves out from the current dialer settings (the seed's monitoring
 * call sends only two of them).
 */
const simulatorBody = z.strictObject({
  durationMinutes: z.number().int().min(1).max(1440).default(60),
  concurrency: z
    .strictObject({
      max_agents: z.number().int().min(1).max(10_000),
      max_simultaneous_calls: z.number().int().min(1).max(100_000),
      call_spacing_ms: z.number().int().min(0).max(60_000),
    })
    .partial()
    .default({}),
  algorithm: z
    .strictObject({
      type: z.string(),
      abandonment_rate_target: z.number().min(0).max(1),
      agent_availability_estimate: z.number().min(0).max(1),
      dial_ratio: z.number().gt(0).max(20),
      warm_line_timeout_sec: z.number().int().min(0).max(600),
    })
    .partial()
    .default({}),
  simulatedCallVolume: z.number().int().min(0).optional(),
  carrierLimits: z.strictObject({ maxConcurrent: z.number().int().min(1) }).optional(),
  averageHandleTimeSec: z.number().min(10).max(7200).default(180),
  answerRate: z.number().gt(0).max(1).default(0.3),
});

const webhookBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  url: httpUrl,
  events: z.array(z.enum(DIALER_EVENTS)).min(1),
  auth: z
    .discriminatedUnion("type", [
      z.strictObject({ type: z.literal("none") }),
      z.strictObject({ type: z.literal("bearer"), token: z.string().min(1) }),
      z.strictObject({ type: z.literal("basic"), username: z.string().min(1), password: z.string() }),
    ])
    .optional(),
  retryPolicy: z
    .strictObject({
      maxRetries: z.number().int().min(0).max(10),
      backoffMultiplier: z.number().min(1).max(10),
      timeoutSec: z.number().int().min(1).max(60),
    })
    .partial()
    .optional(),
  secret: webhookSecret.optional(),
});

const num = (value: unknown, fallback: number) => (typeof value === "number" ? value : fallback);

export function registerDialerToolRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  apiRoute(
    app,
    ctx,
    {
      method: "POST",
      url: "/api/v1/dialer/simulator/run",
      group: "dialer",
      scopes: SCOPES.dialerRead,
      summary: "Estimate abandonment, utilization and capacity for a dialer config",
      body: simulatorBody,
      responses: {
        "200":
          "{predictedAbandonmentRate, agentUtilization, averageWaitSeconds, callsPerHour, peakConcurrentCalls, carrierUtilization, warnings}",
        "400": "malformed request",
      },
    },
    (request) => {
      const body = parseOr400(simulatorBody, request.body ?? {}, "body");
      const current = ctx.state.dialerSettings;
      return simulate({
        durationMinutes: body.durationMinutes,
        maxAgents: body.concurrency.max_agents ?? num(current.concurrency.max_agents, 40),
        maxSimultaneousCalls:
          body.concurrency.max_simultaneous_calls ?? num(current.concurrency.max_simultaneous_calls, 120),
        dialRatio: body.algorithm.dial_ratio ?? num(current.algorithm.dial_ratio, 2),
        availability:
          body.algorithm.agent_availability_estimate ??
          num(current.algorithm.agent_availability_estimate, 0.8),
        abandonmentTarget:
          body.algorithm.abandonment_rate_target ?? num(current.algorithm.abandonment_rate_target, 0.03),
        simulatedCallVolume: body.simulatedCallVolume ?? null,
        carrierMaxConcurrent: body.carrierLimits?.maxConcurrent ?? null,
        averageHandleTimeSec: body.averageHandleTimeSec,
        answerRate: body.answerRate,
      });
    },
  );

  apiRoute(
    app,
    ctx,
    {
      method: "POST",
      url: "/api/v1/integrations/webhooks",
      group: "dialer",
      scopes: SCOPES.webhooksWrite,
      summary: "Register a WFM webhook for dialer.settings.updated / dialer.campaign.activated",
      body: webhookBody,
      responses: { "201": "the registration (without credentials)", "400": "malformed registration" },
    },
    (request, reply) => {
      const body = parseOr400(webhookBody, request.body, "body");
      const hook: IntegrationWebhook = {
        id: `iwh-${randomUUID()}`,
        name: body.name,
        url: body.url,
        events: [...new Set(body.events)],
        auth: body.auth ?? null,
        retryPolicy: {
          maxRetries: body.retryPolicy?.maxRetries ?? 3,
          backoffMultiplier: body.retryPolicy?.backoffMultiplier ?? 2,
          timeoutSec: body.retryPolicy?.timeoutSec ?? 10,
        },
        secret: body.secret ?? null,
        createdAt: clockNowDate().toISOString(),
      };
      ctx.state.integrationWebhooks.push(hook);
      return reply.code(201).send({
        id: hook.id,
        name: hook.name,
        url: hook.url,
        events: hook.events,
        auth: { type: hook.auth?.type ?? "none" },
        retryPolicy: hook.retryPolicy,
        signed: hook.secret !== null,
        createdAt: hook.createdAt,
      });
    },
  );
}
