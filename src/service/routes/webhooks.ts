import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Logger } from "../../core/logging/index.ts";
import { WebhookVerificationError, webhookVerifier } from "../../core/outbox/index.ts";
import type { SeenIds } from "../../core/store/index.ts";
import type { CampaignLiveMetrics } from "../../platform/types.ts";
import type { CampaignBoard } from "../campaign-board.ts";
import { AnswerError } from "../error-answers.ts";
import { tenantCounters } from "../metrics.ts";
import { WebhookIdLedger } from "../webhook-id-ledger.ts";

/**
 * `POST /webhooks/cxone`: CXone's campaign metrics and state-change events (seed 002),
 * `{id, type, campaignId, occurredAt, data}`.
 *
 * Only `application/json` bodies are taken (415 otherwise: a web page can POST text/plain
 * cross-site without a preflight, never JSON). With a webhook secret configured, the Standard
 * Webhooks signature is checked against the raw bytes before anything is parsed (401 if
 * missing, forged or stale); without one, webhooks are refused (401) unless
 * `service.allowUnsignedWebhooks` says otherwise (local testing). Redeliveries are dropped by
 * webhook id, remembered in the store across restarts (200, `duplicate: true`, so the sender
 * stops retrying). Accepted events feed the dashboard and the watchdogs. Answers: 204
 * accepted, 200 duplicate, 202 an event type we do not use, 400 malformed, 401 unsigned or bad
 * signature, 415 not JSON; refusals through the service's one error handler. (Host and Origin
 * are checked before, for every route: request-policy.ts.) The signature is checked by core's
 * one webhook verifier (`webhookVerifier`).
 *
 * A route plugin without global state (registered once per tenant under a prefix, later): its
 * route says in its config that it is open to CXone (`open`) when the signature authenticates
 * the sender, or when the service has no access token; otherwise the auth plugin asks for the
 * token, as for any route.
 */
export const WEBHOOK_PATH = "/webhooks/cxone";

const KNOWN_TYPES = new Set(["omnichannel.campaign.metrics.update", "omnichannel.campaign.state.change"]);

const envelope = z.object({
  id: z.string().min(1).max(200),
  type: z.string().min(1).max(200),
  campaignId: z.coerce.string().min(1).max(200),
  occurredAt: z.iso.datetime({ offset: true }),
  data: z.record(z.string(), z.unknown()),
});

const metricsData = z.looseObject({
  successRate: z.number().min(0).max(1),
  activeCalls: z.number().int().min(0),
  abandonmentRate: z.number().min(0).max(1).nullish(),
  windowMinutes: z.number().int().min(1).nullish(),
  callsInWindow: z.number().int().min(0).nullish(),
  failoverTriggered: z.boolean().nullish(),
  lastUpdated: z.string().nullish(),
});

const stateData = z.looseObject({
  previousStatus: z.enum(["active", "paused", "stopped"]).nullish(),
  status: z.enum(["active", "paused", "stopped"]),
});

export interface WebhookReceiverOptions {
  board: CampaignBoard;
  secret: string | undefined;
  /** Accept unsigned webhooks when no secret is set (local testing only). */
  allowUnsigned: boolean;
  /** The service has an access token: without a secret, the webhook needs it (not open). */
  accessTokenSet: boolean;
  /** Where accepted webhook ids are remembered (replay protection across restarts). */
  seenIds: SeenIds;
  /** Metrics events also go to the watchdogs (each ignores campaigns it does not watch). */
  observe: (metrics: CampaignLiveMetrics) => void;
  /** Called for every accepted event (SSE relay). */
  accepted?: (event: z.infer<typeof envelope>) => void;
  logger: Logger;
  toleranceSeconds?: number;
  /** The business unit receiving (a service for several: the `tenant` label of its counters). */
  tenant?: string | undefined;
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "malformed";
}

/** Validates an event's data; returns how to apply it, a problem, or null for types we skip. */
function prepare(
  event: z.infer<typeof envelope>,
  { board, observe }: Pick<WebhookReceiverOptions, "board" | "observe">,
): (() => void) | string | null {
  if (event.type === "omnichannel.campaign.metrics.update") {
    const data = metricsData.safeParse(event.data);
    if (!data.success) return `data.${firstIssue(data.error)}`;
    const m = data.data;
    const lastUpdated = m.lastUpdated ?? event.occurredAt;
    return () => {
      board.recordMetrics({
        campaignId: event.campaignId,
        t: Date.parse(event.occurredAt),
        successRate: m.successRate,
        activeCalls: m.activeCalls,
        abandonmentRate: m.abandonmentRate ?? null,
        failoverTriggered: m.failoverTriggered ?? false,
        lastUpdated,
        source: "webhook",
      });
      observe({
        campaignId: event.campaignId,
        windowMinutes: m.windowMinutes ?? 30,
        successRate: m.successRate,
        activeCalls: m.activeCalls,
        callsInWindow: m.callsInWindow ?? undefined,
        failoverTriggered: m.failoverTriggered ?? false,
        lastUpdated,
      });
    };
  }
  if (event.type === "omnichannel.campaign.state.change") {
    const data = stateData.safeParse(event.data);
    if (!data.success) return `data.${firstIssue(data.error)}`;
    return () => board.recordState(event.campaignId, { status: data.data.status });
  }
  return null;
}

export async function webhookRoutes(app: FastifyInstance, options: WebhookReceiverOptions): Promise<void> {
  const { secret, logger } = options;
  const seen = new WebhookIdLedger(options.seenIds, { scope: "cxone", retentionMs: 7 * 86_400_000, logger });
  app.addHook("onClose", async () => seen.close());
  const verifier = secret ? webhookVerifier(secret, options.toleranceSeconds ?? 300) : undefined;
  // Label values come from the sender: only our known types become labels (bounded cardinality).
  const counters = tenantCounters(options.tenant);
  const count = (type: string, outcome: string) =>
    counters.webhookEvents.inc({
      // "unknown": rejected before the body was read.
      type: KNOWN_TYPES.has(type) || type === "unknown" ? type : "other",
      outcome,
    });

  // The signature covers the exact bytes sent: keep them, parse JSON ourselves afterwards.
  // This plugin is its own encapsulated context: the other routes keep the JSON parser.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: 256 * 1024 }, (_request, body, done) =>
    done(null, body),
  );

  // CXone authenticates with the signature; without a secret, with the access token if one is set.
  // Never a CSRF token: CXone sends no cookie, and a browser cannot send signed JSON cross-site.
  const config = { open: Boolean(secret) || !options.accessTokenSet, csrfExempt: true };

  app.post(WEBHOOK_PATH, { config }, async (request, reply) => {
    const type = (request.headers["content-type"] ?? "").split(";", 1)[0]?.trim().toLowerCase();
    if (type !== "application/json") {
      count("unknown", "rejected_content_type");
      throw new AnswerError(415, "unsupported_media_type", "the body must be application/json");
    }
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    let webhookId = request.headers["webhook-id"];
    if (!verifier && !options.allowUnsigned) {
      count("unknown", "rejected_unsigned");
      logger.warn({ ip: request.ip }, "webhook rejected: unsigned (no service.webhookSecret)");
      throw new AnswerError(
        401,
        "unsigned_webhook",
        "unsigned webhooks are refused: set service.webhookSecret (CXO_SERVICE_WEBHOOK_SECRET) and sign them, or for local testing set service.allowUnsignedWebhooks: true",
      );
    }
    if (verifier) {
      try {
        webhookId = verifier.verify(request.headers, raw);
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
        count("unknown", "rejected_signature");
        logger.warn({ reason: error.message, ip: request.ip }, "webhook rejected: signature");
        throw new AnswerError(401, "invalid_signature", error.message);
      }
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString("utf8"));
    } catch {
      count("unknown", "invalid");
      throw new AnswerError(400, "invalid_json", "body is not JSON");
    }
    const parsed = envelope.safeParse(json);
    if (!parsed.success) {
      count("unknown", "invalid");
      throw new AnswerError(400, "invalid_event", firstIssue(parsed.error));
    }
    const event = parsed.data;
    const apply = prepare(event, options);
    if (typeof apply === "string") {
      count(event.type, "invalid");
      throw new AnswerError(400, "invalid_event", apply);
    }
    if (apply === null) {
      count(event.type, "ignored");
      return reply.code(202).send({ ignored: true });
    }
    // Deduplicate only valid events, so a corrected redelivery with the same id still counts.
    const id = typeof webhookId === "string" && webhookId ? webhookId : event.id;
    if (!(await seen.firstSeen(id))) {
      count(event.type, "duplicate");
      return reply.code(200).send({ duplicate: true });
    }
    apply();
    count(event.type, "accepted");
    options.accepted?.(event);
    return reply.code(204).send();
  });
}
