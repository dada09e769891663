import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { clockDocument } from "../../core/clock/index.ts";
import { clockNowDate } from "../../core/clock/now.ts";
import type { EmulatorContext } from "../context.ts";
import { readTwin } from "../dialer-twin.ts";
import { notFound, parseOr400 } from "../errors.ts";
import { emitMetrics } from "../events.ts";
import { faultSpecSchema } from "../faults.ts";
import { buildFixtures } from "../fixtures.ts";
import { lastValue } from "../http.ts";
import { forceCallsInWindow } from "../metrics.ts";
import { buildOpenApi } from "../openapi.ts";
import { ADMIN_PREFIX } from "../pipeline.ts";

/**
 * The admin API under /_emulator (not part of CXone): fixtures for tests, the request log,
 * fault injection, reset, forced campaign metrics, webhook deliveries and the OpenAPI document.
 * No authentication, no rate limits, not logged.
 */
const fixturesQuery = z.object({
  calls: z.preprocess(lastValue, z.coerce.number().int().min(0).max(1_000_000).default(20)),
});

/** A generated contact list of any size (benchmarks: a 1M-contact segmentation). */
const contactListBody = z.strictObject({
  size: z.number().int().min(1).max(5_000_000),
  name: z.string().min(1).max(200).optional(),
});

const metricsBody = z.strictObject({
  successRate: z.number().min(0).max(1),
  activeCalls: z.number().int().min(0).optional(),
  callsInWindow: z.number().int().min(0).optional(),
});

/** What a test may change on a campaign's live dialer twin (dialer-twin.ts). */
const twinBody = z.strictObject({
  agents: z.number().int().min(0).max(10_000).optional(),
  answerRate: z.number().min(0).max(1).optional(),
  talkSeconds: z.number().positive().max(86_400).optional(),
  wrapSeconds: z.number().min(0).max(86_400).optional(),
});

export function registerAdminRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const { state } = ctx;
  const at = (path: string) => `${ADMIN_PREFIX}${path}`;

  app.get(at("/fixtures"), async (request) => {
    const query = parseOr400(fixturesQuery, request.query, "query");
    return buildFixtures(ctx, query.calls);
  });

  app.get(at("/requests"), async () => ({ requests: ctx.log.list() }));
  // The clock this emulator reads (CXO_CLOCK / --clock): what its dialer and tokens run on.
  app.get(at("/clock"), async () => clockDocument());
  app.delete(at("/requests"), async (_request, reply) => {
    ctx.log.clear();
    return reply.code(204).send();
  });

  app.get(at("/faults"), async () => ({ faults: ctx.faults.list() }));
  app.post(at("/faults"), async (request, reply) => {
    const spec = parseOr400(faultSpecSchema, request.body ?? {}, "body");
    const fault = ctx.faults.add(spec);
    if (spec.expireTokens) ctx.tokens.revokeAll();
    return reply.code(201).send(fault);
  });
  app.delete(at("/faults"), async (_request, reply) => {
    ctx.faults.clear();
    return reply.code(204).send();
  });

  app.post(at("/reset"), async (_request, reply) => {
    for (const timer of ctx.timers) clearTimeout(timer);
    ctx.timers.clear();
    state.reset();
    ctx.faults.clear();
    ctx.limiter.clear();
    ctx.webhooks.clear();
    return reply.code(204).send();
  });

  // The live dialer twin's ground truth, and a way to change its world mid-run.
  const campaignOf = (request: { params: unknown }) => {
    const { campaignId } = request.params as { campaignId: string };
    const campaign = state.campaigns.get(campaignId);
    if (!campaign) throw notFound("campaign", campaignId);
    return campaign;
  };
  app.get(at("/dialer/:campaignId"), async (request) => readTwin(state, ctx.options, campaignOf(request)));
  app.post(at("/dialer/:campaignId"), async (request) => {
    const campaign = campaignOf(request);
    const body = parseOr400(twinBody, request.body ?? {}, "body");
    readTwin(state, ctx.options, campaign);
    state.twins.get(campaign.id)?.set(body);
    return readTwin(state, ctx.options, campaign);
  });

  app.post(at("/contact-lists"), async (request, reply) => {
    const body = parseOr400(contactListBody, request.body, "body");
    const list = state.addContactList(body.size, body.name);
    return reply.code(201).send({ id: list.id, name: list.name, size: list.size });
  });

  app.post(at("/campaigns/:campaignId/metrics"), async (request) => {
    const { campaignId } = request.params as { campaignId: string };
    const campaign = state.campaigns.get(campaignId);
    if (!campaign) throw notFound("campaign", campaignId);
    const body = parseOr400(metricsBody, request.body, "body");
    const forced = {
      successRate: body.successRate,
      activeCalls: body.activeCalls ?? null,
      at: clockNowDate().toISOString(),
    };
    forceCallsInWindow(forced, body.callsInWindow);
    state.forcedMetrics.set(campaignId, forced);
    emitMetrics(ctx, campaign);
    return {
      campaignId,
      successRate: body.successRate,
      activeCalls: body.activeCalls ?? null,
      callsInWindow: body.callsInWindow ?? null,
    };
  });

  app.get(at("/webhooks/deliveries"), async () => ({ deliveries: ctx.webhooks.list() }));

  app.get(at("/openapi.json"), async () => buildOpenApi(ctx));
}
