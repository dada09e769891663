import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { zonedInstantIssue } from "../../core/instant-input.ts";
import type { Logger } from "../../core/logging/index.ts";
import { WebhookVerificationError, type WebhookVerifier, webhookVerifier } from "../../core/outbox/index.ts";
import type { SeenIds } from "../../core/store/index.ts";
import type { CampaignLiveMetrics } from "../../platform/types.ts";
import { webhookAnswers } from "../answers/panels.ts";
import { SIGNED_IN, tooMany } from "../auth.ts";
import type { CampaignBoard } from "../campaign-board.ts";
import { AnswerError } from "../error-answers.ts";
import { tenantCounters } from "../metrics.ts";
import type { MetricsPoller } from "../metrics-poller.ts";
import type { SignInLimiter } from "../sign-in-limiter.ts";
import { type Admission, admitCampaign, budgetSpent, UnseenCampaignBudget } from "../unseen-campaigns.ts";
import { WEBHOOK_ID_RETENTION_MS, WebhookIdLedger } from "../webhook-id-ledger.ts";
import {
  accountNoticesOfEvent,
  CONSENT_WEBHOOK_PATH,
  type ConsentReceiver,
  messageNotRevocation,
  parseConsentEvent,
  recordConsentEvent,
  revocationOfEvent,
} from "./consent-webhook.ts";

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
 * accepted, 200 duplicate, 202 an event type we do not use or a campaign the business unit does
 * not have, 400 malformed, 401 unsigned or bad signature, 409 a webhook id already applied for
 * another business unit, 415 not JSON, 429 too many bad signatures from this address (or too
 * many unknown campaigns to look up); refusals through the service's one error handler. (Host
 * and Origin are checked before, for every route: request-policy.ts.) The signature is checked
 * by core's one webhook verifier (`webhookVerifier`).
 *
 * A delivery is bound to ONE business unit: each tenant's receiver checks its own
 * tenant's secret, and on a service for several an installation-wide ledger refuses a webhook id
 * already applied for any other tenant (a second guard, should two tenants ever share a secret).
 * An event never creates board state for a campaign the tenant does not have (N6): an id the
 * board does not show is looked up on the tenant's CXone within the same small budget as the
 * board's API, and ignored when CXone does not have it. Failed signatures are limited per client
 * address by the service's one limiter, as wrong bearer tokens are (N19): a flood of forgeries
 * costs a handful of log lines, not one each.
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
  occurredAt: z.string().transform(zonedInstantIssue),
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
  /** The service's one limiter of failed credentials (sign-in-limiter.ts): bad signatures count per address. */
  limiter: SignInLimiter;
  /** A service for several business units: webhook ids applied for any of them (the second guard). */
  installationIds?: WebhookIdLedger | undefined;
  /** Looks up a campaign the board has not seen (none: such events are ignored). */
  poller?: MetricsPoller | undefined;
  /** The tenant's budget of such lookups, shared with the board's API. */
  unseen?: UnseenCampaignBudget | undefined;
  /** `/webhooks/consent`'s ledger (issue 62); absent: signed deliveries are answered 202 and dropped. */
  consent?: ConsentReceiver | undefined;
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
        // The success rate's count, when the webhook carries it (the board shows it with the rate).
        callsInWindow: m.callsInWindow ?? null,
        windowMinutes: m.windowMinutes ?? null,
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
    // Stamped on arrival: `occurredAt` is the sender's clock, not comparable with this one's.
    return () => board.recordState(event.campaignId, { status: data.data.status });
  }
  return null;
}

export async function webhookRoutes(plain: FastifyInstance, options: WebhookReceiverOptions): Promise<void> {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const { secret, logger, poller } = options;
  const unseen = options.unseen ?? new UnseenCampaignBudget();
  const seen = new WebhookIdLedger(options.seenIds, {
    scope: "cxone",
    retentionMs: WEBHOOK_ID_RETENTION_MS,
    logger,
  });
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
  const config: FastifyContextConfig = {
    ...(secret || !options.accessTokenSet ? { open: true } : SIGNED_IN),
    csrfExempt: true,
  };
  const route = { config, schema: { response: webhookAnswers } };

  /** A delivery's JSON bytes and its authenticated sender; the refusals (415, 401, 429) are thrown. */
  const accept = (request: FastifyRequest) => {
    const type = (request.headers["content-type"] ?? "").split(";", 1)[0]?.trim().toLowerCase();
    if (type !== "application/json") {
      count("unknown", "rejected_content_type");
      throw new AnswerError(415, "unsupported_media_type", "the body must be application/json");
    }
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    return { raw, sender: authenticate(request, { options, verifier, count }) };
  };

  app.post(WEBHOOK_PATH, route, async (request, reply) => {
    const { raw, sender } = accept(request);
    const event = parseEvent(raw, count);
    const apply = prepare(event, options);
    if (typeof apply === "string") {
      count(event.type, "invalid");
      throw new AnswerError(400, "invalid_event", apply);
    }
    if (apply === null) {
      count(event.type, "ignored");
      return reply.code(202).send({ ignored: true });
    }
    const admission = await admitCampaign(event.campaignId, { board: options.board, poller, unseen });
    if (admission.outcome !== "known")
      return refuseCampaign(admission, reply, (outcome) => count(event.type, outcome));
    // Deduplicate only valid events, so a corrected redelivery with the same id still counts.
    const id = typeof sender.id === "string" && sender.id ? sender.id : event.id;
    if (!(await seen.firstSeen(id))) {
      count(event.type, "duplicate");
      return reply.code(200).send({ duplicate: true });
    }
    // After this tenant's own ledger, so a redelivery to the same tenant stays a duplicate.
    if (options.installationIds && !(await options.installationIds.firstSeen(id))) {
      count(event.type, "rejected_replay");
      logger.warn(
        { ip: request.ip },
        "webhook rejected: its id was already applied for another business unit",
      );
      throw new AnswerError(
        409,
        "replayed_webhook",
        "this webhook id was already delivered to another business unit",
      );
    }
    apply();
    count(event.type, "accepted");
    options.accepted?.(event);
    return reply.code(204).send();
  });

  // Revocations of consent from SMS and email systems: the same signature, limiter and id ledgers.
  app.post(CONSENT_WEBHOOK_PATH, route, async (request, reply) => {
    const { raw, sender } = accept(request);
    const event = parseConsentEvent(raw);
    if (!options.consent) return reply.code(202).send({ ignored: true });
    // Checked before the id is remembered: a corrected redelivery with the same id still counts.
    const { message, ...revocation } = revocationOfEvent(options.consent, event);
    const notices = await accountNoticesOfEvent(options.consent, revocation);
    const notRecorded = await messageNotRevocation(options.consent, {
      ...revocation,
      ...(message ? { message } : {}),
    });
    if (notRecorded !== undefined) return reply.code(202).send({ ignored: true, reason: notRecorded });
    for (const { account, kind, log } of notices) options.logger.warn({ account, kind }, log);
    const id = `consent:${typeof sender.id === "string" && sender.id ? sender.id : event.id}`;
    // A retry of a scope-`all` delivery (same id) records it again where a unit missed it.
    if (!(await seen.firstSeen(id))) return recordConsentEvent(options.consent, revocation, reply, true);
    if (options.installationIds && !(await options.installationIds.firstSeen(id)))
      throw new AnswerError(
        409,
        "replayed_webhook",
        "this webhook id was already delivered to another business unit",
      );
    return recordConsentEvent(options.consent, revocation, reply);
  });
}

type Count = (type: string, outcome: string) => void;

/**
 * The delivery's sender: its verified webhook id (or the header, unsigned webhooks allowed), or
 * the refusal. Every refusal for want of a good signature counts against the client's address
 * in the service's one limiter, as a wrong bearer token does: past the limit the address waits
 * (429) and nothing more is logged.
 */
function authenticate(
  request: FastifyRequest,
  context: { options: WebhookReceiverOptions; verifier: WebhookVerifier | undefined; count: Count },
): { id: unknown } {
  const { options, verifier, count } = context;
  const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const attempt =
    verifier || !options.allowUnsigned ? options.limiter.beginToken(request.ip, "webhook") : undefined;
  if (attempt && !attempt.allowed) {
    count("unknown", "rejected_rate_limited");
    throw tooMany(attempt.waitMs, "webhooks with a bad signature from this address");
  }
  if (!verifier) {
    if (options.allowUnsigned) return { id: request.headers["webhook-id"] };
    attempt?.fail();
    count("unknown", "rejected_unsigned");
    options.logger.warn({ ip: request.ip }, "webhook rejected: unsigned (no service.webhookSecret)");
    throw new AnswerError(
      401,
      "unsigned_webhook",
      "unsigned webhooks are refused: set service.webhookSecret (CXO_SERVICE_WEBHOOK_SECRET) and sign them, or for local testing set service.allowUnsignedWebhooks: true",
    );
  }
  try {
    const id = verifier.verify(request.headers, raw);
    attempt?.succeed();
    return { id };
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    attempt?.fail();
    count("unknown", "rejected_signature");
    options.logger.warn({ reason: error.message, ip: request.ip }, "webhook rejected: signature");
    throw new AnswerError(401, "invalid_signature", error.message);
  }
}

/** The body as an event envelope, or a 400 naming what is wrong. */
function parseEvent(raw: Buffer, count: Count): z.infer<typeof envelope> {
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
  return parsed.data;
}

/** The answer for an event whose campaign the board does not show (see unseen-campaigns.ts). */
function refuseCampaign(
  admission: Exclude<Admission, { outcome: "known" }>,
  reply: FastifyReply,
  counted: (outcome: string) => void,
): FastifyReply {
  counted(
    admission.outcome === "busy" || admission.outcome === "unavailable" ? "deferred" : "unknown_campaign",
  );
  if (admission.outcome === "busy")
    throw budgetSpent("too many campaigns this service does not show were named: deliver again in a minute");
  if (admission.outcome === "unavailable")
    throw new AnswerError(
      503,
      "cxone_unavailable",
      "could not ask CXone about this campaign: deliver again later",
    );
  // Missing on CXone, or an id this platform cannot have: nothing goes on the board.
  return reply.code(202).send({ ignored: true, reason: "unknown_campaign" });
}
