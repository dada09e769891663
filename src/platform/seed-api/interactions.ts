import { z } from "zod";
import { UnreadableAnswerError } from "../../core/http/errors.ts";
import type { HttpClient, HttpResponse } from "../../core/http/http-client.ts";
import type { InteractionsPort } from "../ports/interactions.ts";
import type { Interaction, InteractionDispositionEntry, VersionedInteraction } from "../types.ts";
import { SEED_API, seedRequest } from "./request.ts";

/**
 * Seed 001 over the seed API: GET/PATCH /api/v1/interactions/{id} (ETag → If-Match, verbatim)
 * and GET /api/v1/dispositions. Group "interactions" (100/s). Scopes as the seed spells them;
 * kept here (not in scopes.ts) so this capability's adapter stays one file.
 */
const SCOPES = {
  interactionRead: ["interactions:read", "interactions:write"],
  interactionWrite: ["interactions:write"],
  dispositionsRead: ["dispositions:read"],
} as const;

const GET_ENDPOINT = "GET /api/v1/interactions/{id}";
const PATCH_ENDPOINT = "PATCH /api/v1/interactions/{id}";
const CODES_ENDPOINT = "GET /api/v1/dispositions";

const wireEntry = z
  .object({
    code: z.coerce.string(),
    description: z.string(),
    agent_id: z.coerce.string().optional(),
    agentId: z.coerce.string().optional(),
    timestamp: z.string(),
    source: z.string().nullish(),
  })
  .loose();

const wireInteraction = z
  .object({
    id: z.coerce.string(),
    dispositions: z.array(wireEntry).nullish(),
    lastModifiedTime: z.string().nullish(),
  })
  .loose();

const codesResponse = z.object({
  dispositions: z.array(
    z.object({ code: z.coerce.string(), description: z.string(), type: z.string().nullish() }).loose(),
  ),
});

function malformed(endpoint: string, response: HttpResponse, what: string): UnreadableAnswerError {
  return new UnreadableAnswerError(endpoint, `the response shape it documents (${what})`, {
    service: SEED_API,
    status: response.status,
    body: response.body,
    requestId: response.requestId,
  });
}

const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);

/** The seed's interaction names its campaign, its contact-list record and its start (the emulator's; a number where a server sends one). */
function facts(
  record: Record<string, unknown>,
): Pick<Interaction, "calledNumber" | "startedAt" | "campaignId" | "contactId"> {
  const found = {
    calledNumber: text(record.phoneNumber),
    startedAt: text(record.startTime),
    campaignId: text(record.campaignId),
    contactId: text(record.contactId),
  };
  for (const key of Object.keys(found) as Array<keyof typeof found>)
    if (found[key] === undefined) delete found[key];
  return found;
}

function toVersioned(endpoint: string, response: HttpResponse): VersionedInteraction {
  const parsed = wireInteraction.safeParse(response.body);
  if (!parsed.success) throw malformed(endpoint, response, parsed.error.issues[0]?.message ?? "shape");
  const etag = response.headers.etag;
  if (!etag) throw malformed(endpoint, response, "no ETag header");
  const record = parsed.data;
  const interaction: Interaction = {
    id: record.id,
    dispositions: (record.dispositions ?? []).map((d) => ({
      code: d.code,
      description: d.description,
      agentId: d.agent_id ?? d.agentId ?? "",
      timestamp: d.timestamp,
      ...(d.source ? { source: d.source } : {}),
    })),
    lastModifiedTime: record.lastModifiedTime ?? undefined,
    ...facts(record),
    raw: record as Record<string, unknown>,
  };
  return { interaction, etag };
}

/** The seed's wire shape: snake_case agent_id. */
function toWire(entry: InteractionDispositionEntry) {
  return {
    code: entry.code,
    description: entry.description,
    agent_id: entry.agentId,
    timestamp: entry.timestamp,
    ...(entry.source ? { source: entry.source } : {}),
  };
}

export function seedInteractions(http: HttpClient): InteractionsPort {
  return {
    async get(interactionId, signal) {
      const response = await seedRequest(http, GET_ENDPOINT, {
        params: { id: interactionId },
        group: "interactions",
        scopes: SCOPES.interactionRead,
        signal,
      });
      return toVersioned(GET_ENDPOINT, response);
    },

    async replaceDispositions(interactionId, dispositions, ifMatch, options = {}) {
      const response = await seedRequest(http, PATCH_ENDPOINT, {
        params: { id: interactionId },
        group: "interactions",
        scopes: SCOPES.interactionWrite,
        headers: { "if-match": ifMatch },
        body: { dispositions: dispositions.map(toWire) },
        ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
        signal: options.signal,
      });
      return toVersioned(PATCH_ENDPOINT, response);
    },

    async listDispositionCodes(signal) {
      const response = await seedRequest(http, CODES_ENDPOINT, {
        group: "interactions",
        scopes: SCOPES.dispositionsRead,
        signal,
      });
      const parsed = codesResponse.safeParse(response.body);
      if (!parsed.success)
        throw malformed(CODES_ENDPOINT, response, parsed.error.issues[0]?.message ?? "shape");
      return parsed.data.dispositions.map((d) => ({
        code: d.code,
        description: d.description,
        type: d.type ?? undefined,
      }));
    },
  };
}
