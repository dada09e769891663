import { z } from "zod";
import { ArrayPageBodies } from "../../core/http/array-pages.ts";
import { UnreadableAnswerError } from "../../core/http/errors.ts";
import type { HttpClient, HttpResponse } from "../../core/http/http-client.ts";
import { followPageNumbers } from "../../core/http/pagination.ts";
import { contactListing } from "../decoded-listing.ts";
import type { CampaignsPort, CampaignWrite } from "../ports/campaigns.ts";
import type {
  Campaign,
  CampaignDefinition,
  CampaignLiveMetrics,
  CampaignStatus,
  Contact,
  ContactQuery,
  EventSubscription,
  EventSubscriptionRequest,
} from "../types.ts";
import { SEED_API, seedRequest } from "./request.ts";
import { SCOPES } from "./scopes.ts";

/**
 * Seed 002 over the seed API: /api/v2/omnichannel/campaigns (create, get, status PUT,
 * metrics), contact list queries with 1-based page numbers, and webhook registration.
 * Writes carry the caller's X-Idempotency-Key; CXone marks a replayed answer with
 * `idempotent-replayed: true`.
 */

const campaignBody = z
  .object({
    id: z.coerce.string(),
    name: z.string(),
    status: z.enum(["active", "paused", "stopped"]),
    contactListId: z.coerce.string(),
    timeZone: z.string().nullish(),
    complianceConfig: z
      .object({ timeZone: z.string().nullish(), rateLimits: z.record(z.string(), z.unknown()).nullish() })
      .loose()
      .nullish(),
    createdAt: z.string().nullish(),
    updatedAt: z.string().nullish(),
  })
  .loose();

const metricsBody = z
  .object({
    campaignId: z.coerce.string(),
    windowMinutes: z.number(),
    successRate: z.number(),
    activeCalls: z.number(),
    callsInWindow: z.number().nullish(),
    failoverTriggered: z.boolean().default(false),
    lastUpdated: z.string().nullish(),
    dialer: z
      .object({
        observedSeconds: z.number(),
        dials: z.number(),
        liveAnswers: z.number(),
        connects: z.number(),
        abandons: z.number(),
        machines: z.number().optional(),
        handled: z.number().default(0),
        handleSeconds: z.number().default(0),
        answerSeconds: z.number().default(0),
        agentsLoggedIn: z.number(),
        agentsBusy: z.number(),
        callsInProgress: z.number().default(0),
        dialRatio: z.number(),
      })
      .loose()
      .nullish(),
  })
  .loose();

const contactBody = z
  .object({
    id: z.coerce.string(),
    firstName: z.string().nullish(),
    lastName: z.string().nullish(),
    phone: z.string(),
    timeZone: z.string().nullish(),
    state: z.string().nullish(),
    consentFlags: z
      .object({
        outbound: z.object({ call: z.boolean().nullish(), sms: z.boolean().nullish() }).loose().nullish(),
      })
      .loose()
      .nullish(),
    lastModifiedTime: z.string().nullish(),
  })
  .loose();

const contactsPage = z.object({ contacts: z.array(z.unknown()) }).loose();

const subscriptionBody = z
  .object({ id: z.coerce.string(), name: z.string(), callbackUrl: z.string(), events: z.array(z.string()) })
  .loose();

function parse<T extends z.ZodType>(
  schema: T,
  value: unknown,
  endpoint: string,
  status?: number,
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new UnreadableAnswerError(
    endpoint,
    `the response shape it documents (${result.error.issues[0]?.message})`,
    {
      service: SEED_API,
      ...(status === undefined ? {} : { status }),
      body: value,
    },
  );
}

function toCampaign(value: unknown, endpoint: string): Campaign {
  const body = parse(campaignBody, value, endpoint);
  return {
    id: body.id,
    name: body.name,
    status: body.status,
    contactListId: body.contactListId,
    timeZone: body.timeZone ?? body.complianceConfig?.timeZone ?? "UTC",
    createdAt: body.createdAt ?? undefined,
    updatedAt: body.updatedAt ?? undefined,
    contactCaps: capsOf(body.complianceConfig?.rateLimits),
    raw: value as Record<string, unknown>,
  };
}

/** The seed's `complianceConfig.rateLimits.maxCallsPerContactPer{Day,Week}` (positive whole numbers). */
function capsOf(limits: Record<string, unknown> | null | undefined): Campaign["contactCaps"] {
  const count = (v: unknown) => (typeof v === "number" && Number.isInteger(v) && v > 0 ? v : undefined);
  const caps = {
    perDay: count(limits?.maxCallsPerContactPerDay),
    perWeek: count(limits?.maxCallsPerContactPerWeek),
  };
  return caps.perDay === undefined && caps.perWeek === undefined ? undefined : caps;
}

export function toContact(value: unknown, endpoint: string): Contact {
  const plain = plainContact(value);
  if (plain) return plain;
  const body = parse(contactBody, value, endpoint);
  return {
    id: body.id,
    firstName: body.firstName ?? undefined,
    lastName: body.lastName ?? undefined,
    phone: body.phone,
    timeZone: body.timeZone ?? undefined,
    state: body.state ?? undefined,
    consent: {
      call: body.consentFlags?.outbound?.call ?? undefined,
      sms: body.consentFlags?.outbound?.sms ?? undefined,
    },
    consentDate: consentDateOf((value as Raw).consentDate),
    lastModifiedTime: body.lastModifiedTime ?? undefined,
    raw: value as Record<string, unknown>,
  };
}

/** The emulator's `consentDate` extension (issue 79 §3): a day, YYYY-MM-DD (a longer ISO text is cut). */
const consentDateOf = (value: unknown): string | undefined =>
  typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined;

type Raw = Record<string, unknown>;
const isRecord = (value: unknown): value is Raw =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string | null | undefined =>
  value === undefined || value === null || typeof value === "string";
const isFlag = (value: unknown): value is boolean | null | undefined =>
  value === undefined || value === null || typeof value === "boolean";

/**
 * toContact's fast path for a contact exactly as the API describes it (string id, string or
 * null fields, boolean or null flags), read without zod: a scrub reads a million of them, and
 * a zod object parse copies each one. It gives what the schema gives for such a contact;
 * anything else (a numeric id to coerce, a malformed field) is left to the schema (undefined).
 */
function plainContact(value: unknown): Contact | undefined {
  if (!isRecord(value)) return undefined;
  const { id, phone, firstName, lastName, timeZone, state, consentFlags, lastModifiedTime } = value;
  if (typeof id !== "string" || typeof phone !== "string") return undefined;
  if (!isText(firstName) || !isText(lastName) || !isText(timeZone) || !isText(state)) return undefined;
  if (!isText(lastModifiedTime)) return undefined;
  let outbound: unknown;
  if (consentFlags !== undefined && consentFlags !== null) {
    if (!isRecord(consentFlags)) return undefined;
    outbound = consentFlags.outbound;
    if (outbound !== undefined && outbound !== null && !isRecord(outbound)) return undefined;
  }
  const call = (outbound as Raw | null | undefined)?.call;
  const sms = (outbound as Raw | null | undefined)?.sms;
  if (!isFlag(call) || !isFlag(sms)) return undefined;
  return {
    id,
    firstName: firstName ?? undefined,
    lastName: lastName ?? undefined,
    phone,
    timeZone: timeZone ?? undefined,
    state: state ?? undefined,
    consent: { call: call ?? undefined, sms: sms ?? undefined },
    consentDate: consentDateOf(value.consentDate),
    lastModifiedTime: lastModifiedTime ?? undefined,
    raw: value,
  };
}

/** The seed's create body: HH:MM becomes HH:MM:SS, camelCase domain names become the wire's. */
export function createBodyOf(definition: CampaignDefinition): Record<string, unknown> {
  const clock = (value: string) => (value.length === 5 ? `${value}:00` : value);
  const { compliance } = definition;
  const rateLimits = {
    maxCallsPerContactPerDay: compliance.maxCallsPerContactPerDay,
    maxCallsPerContactPerWeek: compliance.maxCallsPerContactPerWeek,
    maxCallsPerDay: compliance.maxCallsPerDay,
  };
  const hasRateLimits = Object.values(rateLimits).some((value) => value !== undefined);
  return {
    name: definition.name,
    description: definition.description,
    status: definition.status ?? "paused",
    contactListId: definition.contactListId,
    queueId: definition.queueId,
    dialerConfig: { type: definition.dialer.type, predictiveSettings: definition.dialer.predictive },
    complianceConfig: {
      timeZone: compliance.timeZone,
      dialingRules: {
        startTime: clock(compliance.windowStart),
        endTime: clock(compliance.windowEnd),
        allowedDays: compliance.allowedDays,
      },
      ...(hasRateLimits ? { rateLimits: JSON.parse(JSON.stringify(rateLimits)) } : {}),
    },
    ...(definition.failover
      ? {
          failoverConfig: {
            enabled: definition.failover.enabled,
            thresholdType: "success_rate",
            thresholdValue: definition.failover.threshold,
            evaluationWindowMinutes: definition.failover.evaluationWindowMinutes,
          },
        }
      : {}),
  };
}

/** A create or status change's answer; CXone marks a replay of an earlier attempt's answer. */
function writeOf(response: HttpResponse, endpoint: string): CampaignWrite {
  return {
    campaign: toCampaign(response.body, endpoint),
    replayed: response.headers["idempotent-replayed"] === "true",
    requestId: response.requestId,
    attempts: response.attempts,
  };
}

/** A contact's `"phone":` key as bytes, for reading the number without decoding the contact. */
const PHONE_KEY = Buffer.from('"phone":');

export function seedCampaigns(http: HttpClient): CampaignsPort {
  const contactPages: CampaignsPort["contactPages"] = (contactListId, query, signal) =>
    listContactPages(http, contactListId, query, signal);
  return {
    create: (definition, idempotencyKey, signal) => create(http, definition, idempotencyKey, signal),
    get: (campaignId, signal) => getCampaign(http, campaignId, signal),
    setStatus: (campaignId, status, idempotencyKey, signal) =>
      setStatus(http, campaignId, status, idempotencyKey, signal),
    metrics: (campaignId, windowMinutes, signal) => liveMetrics(http, campaignId, windowMinutes, signal),
    subscribe: (request, signal) => subscribe(http, request, signal),
    contactPages,
    listContacts: (contactListId, query, signal) =>
      contactListing(() => contactPages(contactListId, query, signal)),
  };
}

/** The list's contacts, page by page (1-based page numbers), each decoded from its bytes when read. */
function listContactPages(
  http: HttpClient,
  contactListId: string,
  query: ContactQuery,
  signal?: AbortSignal,
): ReturnType<CampaignsPort["contactPages"]> {
  const endpoint = "GET /api/v2/omnichannel/contactlists/{id}/contacts";
  const terms = [query.filter, query.consentOnly ? "consentFlags.outbound.call==true" : undefined]
    .filter((term): term is string => term !== undefined && term !== "" && term !== "true")
    .join(";");
  // Each page's contacts are decoded from its bytes when read (ArrayPageBodies).
  const bodies = new ArrayPageBodies(endpoint, "contacts", [], 2, SEED_API);
  return followPageNumbers(
    async (page, pageSize) => {
      const body = bodies.next();
      const response = await seedRequest(http, endpoint, {
        params: { id: contactListId },
        group: "campaigns",
        scopes: SCOPES.omniContactListRead,
        query: {
          query: terms === "" ? "true" : terms,
          page,
          pageSize,
          sortBy: query.sortBy,
          sortOrder: query.sortOrder,
        },
        bodySink: body.sink,
        signal,
      });
      parse(contactsPage, body.index(response.status), endpoint, response.status);
      return {
        count: body.count,
        contact: (i: number) => toContact(body.json(i, "a contact"), endpoint),
        phoneHint: (i: number) => body.stringHint(i, PHONE_KEY),
      };
    },
    { pageSize: query.pageSize ?? 1000 },
  );
}

async function create(
  http: HttpClient,
  definition: CampaignDefinition,
  idempotencyKey: string,
  signal?: AbortSignal,
): Promise<CampaignWrite> {
  const endpoint = "POST /api/v2/omnichannel/campaigns";
  const response = await seedRequest(http, endpoint, {
    group: "campaigns",
    scopes: SCOPES.omniCampaignWrite,
    body: createBodyOf(definition),
    idempotencyKey,
    signal,
  });
  return writeOf(response, endpoint);
}

async function getCampaign(http: HttpClient, campaignId: string, signal?: AbortSignal): Promise<Campaign> {
  const endpoint = "GET /api/v2/omnichannel/campaigns/{id}";
  const response = await seedRequest(http, endpoint, {
    params: { id: campaignId },
    group: "campaigns",
    scopes: SCOPES.omniCampaignRead,
    signal,
  });
  return toCampaign(response.body, endpoint);
}

async function setStatus(
  http: HttpClient,
  campaignId: string,
  status: CampaignStatus,
  idempotencyKey: string,
  signal?: AbortSignal,
): Promise<CampaignWrite> {
  const endpoint = "PUT /api/v2/omnichannel/campaigns/{id}";
  const response = await seedRequest(http, endpoint, {
    params: { id: campaignId },
    group: "campaigns",
    scopes: SCOPES.omniCampaignWrite,
    body: { status },
    idempotencyKey,
    signal,
  });
  return writeOf(response, endpoint);
}

async function liveMetrics(
  http: HttpClient,
  campaignId: string,
  windowMinutes: number,
  signal?: AbortSignal,
): Promise<CampaignLiveMetrics> {
  const endpoint = "GET /api/v2/omnichannel/campaigns/{id}/metrics";
  const response = await seedRequest(http, endpoint, {
    params: { id: campaignId },
    group: "campaigns",
    scopes: SCOPES.omniMetricsRead,
    query: { windowMinutes },
    signal,
  });
  const body = parse(metricsBody, response.body, endpoint, response.status);
  return {
    campaignId: body.campaignId,
    windowMinutes: body.windowMinutes,
    successRate: body.successRate,
    activeCalls: body.activeCalls,
    callsInWindow: body.callsInWindow ?? undefined,
    failoverTriggered: body.failoverTriggered,
    lastUpdated: body.lastUpdated ?? undefined,
    ...(body.dialer ? { dialer: dialerCountersOf(body.dialer) } : {}),
  };
}

/** The emulator's live dialer counters (an extension of the seed's metrics), field by field. */
function dialerCountersOf(
  dialer: NonNullable<z.infer<typeof metricsBody>["dialer"]>,
): NonNullable<CampaignLiveMetrics["dialer"]> {
  return {
    observedSeconds: dialer.observedSeconds,
    dials: dialer.dials,
    liveAnswers: dialer.liveAnswers,
    connects: dialer.connects,
    abandons: dialer.abandons,
    ...(dialer.machines === undefined ? {} : { machines: dialer.machines }),
    handled: dialer.handled,
    handleSeconds: dialer.handleSeconds,
    answerSeconds: dialer.answerSeconds,
    agentsLoggedIn: dialer.agentsLoggedIn,
    agentsBusy: dialer.agentsBusy,
    callsInProgress: dialer.callsInProgress,
    dialRatio: dialer.dialRatio,
  };
}

async function subscribe(
  http: HttpClient,
  request: EventSubscriptionRequest,
  signal?: AbortSignal,
): Promise<EventSubscription> {
  const endpoint = "POST /api/v2/omnichannel/webhooks";
  const response = await seedRequest(http, endpoint, {
    group: "campaigns",
    scopes: SCOPES.omniWebhookWrite,
    body: {
      name: request.name,
      callbackUrl: request.callbackUrl,
      events: request.events,
      ...(request.secret ? { secret: request.secret } : {}),
      ...(request.headers ? { headers: request.headers } : {}),
    },
    signal,
  });
  const body = parse(subscriptionBody, response.body, endpoint, response.status);
  return {
    id: body.id,
    name: body.name,
    callbackUrl: body.callbackUrl,
    events: body.events,
    signed: (response.body as { signed?: unknown }).signed === true,
  };
}
