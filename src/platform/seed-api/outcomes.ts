import { z } from "zod";
import { ArrayPageBodies } from "../../core/http/array-pages.ts";
import { UnreadableAnswerError } from "../../core/http/errors.ts";
import type { HttpClient } from "../../core/http/http-client.ts";
import { followPageTokens } from "../../core/http/pagination.ts";
import { callDetailsOf } from "../call-details.ts";
import { callListing } from "../decoded-listing.ts";
import { NotSupportedError } from "../errors.ts";
import type { CxonePort } from "../port.ts";
import { queryInstants } from "../query-instants.ts";
import { SEED_CHANGED_CALLS_UNSUPPORTED } from "../support.ts";
import type { CallPage, CallQuery, OutboundCall } from "../types.ts";
import { SEED_API, seedRequest } from "./request.ts";
import { SCOPES } from "./scopes.ts";

/** Seed 004 over the seed API: GET /api/v2/outbound/calls with nextPageToken paging. */

const ENDPOINT = "GET /api/v2/outbound/calls";

/** A page without its records (they are decoded one at a time from the body's bytes). */
const pageRest = z.object({ calls: z.array(z.unknown()), nextPageToken: z.string().nullish() });

type Raw = Record<string, unknown>;
const isNullish = (value: unknown): value is null | undefined => value === undefined || value === null;
const isId = (value: unknown): value is string | number =>
  typeof value === "string" || typeof value === "number";
const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === "string");

/**
 * The one problem of a call record's fields we read, or null when it is well-formed. Hand-written
 * rather than a zod schema: it runs for every record of exports of millions (a zod object parse
 * also copies each record), and checks only the few fields a listing consumer relies on; any
 * other field is passed through untouched in `raw`.
 */
function problemOf(value: unknown): string | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not an object";
  const r = value as Raw;
  if (!isId(r.id)) return "id: expected a string or number";
  if (!isId(r.campaignId)) return "campaignId: expected a string or number";
  if (typeof r.startTime !== "string") return "startTime: expected a string";
  if (!isNullish(r.endTime) && typeof r.endTime !== "string") return "endTime: expected a string";
  if (!isNullish(r.durationSeconds) && typeof r.durationSeconds !== "number")
    return "durationSeconds: expected a number";
  if (!isNullish(r.dispositionCode) && typeof r.dispositionCode !== "string")
    return "dispositionCode: expected a string";
  if (!isNullish(r.reasonCodeId) && typeof r.reasonCodeId === "object")
    return "reasonCodeId: expected a string or number";
  if (!isNullish(r.tags) && !isStringList(r.tags)) return "tags: expected a list of strings";
  return null;
}

type CanonicalFields = Pick<
  OutboundCall,
  "agentId" | "contactId" | "phoneNumber" | "direction" | "dispositionUpdatedAt"
>;

/**
 * The record's fields that `OutboundCall` models beside its required ones (CALL_RECORD_FIELDS:
 * the seed API names them as the domain does), as sent: a text, or an id's number as its digits;
 * a field absent, null or of another type is left out.
 */
function canonicalFieldsOf(r: Raw): CanonicalFields {
  const fields: CanonicalFields = {};
  const agentId = isId(r.agentId) ? String(r.agentId) : undefined;
  if (agentId !== undefined) fields.agentId = agentId;
  const contactId = isId(r.contactId) ? String(r.contactId) : undefined;
  if (contactId !== undefined) fields.contactId = contactId;
  if (typeof r.phoneNumber === "string") fields.phoneNumber = r.phoneNumber;
  if (typeof r.direction === "string") fields.direction = r.direction;
  if (typeof r.dispositionUpdatedAt === "string") fields.dispositionUpdatedAt = r.dispositionUpdatedAt;
  return fields;
}

function toCall(value: unknown): OutboundCall {
  const problem = problemOf(value);
  if (problem !== null)
    throw new UnreadableAnswerError(ENDPOINT, `a call record in the shape it documents (${problem})`, {
      service: SEED_API,
    });
  const r = value as Raw;
  return {
    id: String(r.id),
    campaignId: String(r.campaignId),
    startTime: r.startTime as string,
    endTime: (r.endTime as string | null | undefined) ?? undefined,
    durationSeconds: (r.durationSeconds as number | null | undefined) ?? undefined,
    dispositionCode: (r.dispositionCode as string | null | undefined) ?? undefined,
    reasonCodeId: isNullish(r.reasonCodeId) ? undefined : String(r.reasonCodeId),
    tags: (r.tags as string[] | null | undefined) ?? [],
    ...canonicalFieldsOf(r),
    // The seed API's call record has no caller id; the emulator adds `callerId` (docs/emulator.md).
    ...(typeof r.callerId === "string" && r.callerId !== "" ? { callerId: r.callerId } : {}),
    ...callDetailsOf(r),
    raw: r,
  };
}

export function seedOutcomes(http: HttpClient): CxonePort["outcomes"] {
  const callPages = (
    query: Omit<CallQuery, "campaignId"> & { campaignId?: string | undefined },
    signal?: AbortSignal,
  ): AsyncGenerator<CallPage> => {
    // The one rule for a date-time with a zone: refused before anything is sent (sent as given).
    queryInstants({ from: query.from, to: query.to });
    // Page n+1 is received while page n is still being read (see CallPage for the reading rule).
    const bodies = new ArrayPageBodies(ENDPOINT, "calls", [], 2, SEED_API);
    return followPageTokens(
      async (token) => {
        const body = bodies.next();
        const response = await seedRequest(http, ENDPOINT, {
          group: "outcomes",
          scopes: SCOPES.callsRead,
          query: {
            campaignId: query.campaignId,
            startDateTime: query.from,
            endDateTime: query.to,
            dispositionCode: query.dispositionCodes?.length ? query.dispositionCodes.join(",") : undefined,
            limit: query.pageSize ?? 1000,
            nextPageToken: token,
          },
          bodySink: body.sink,
          signal,
        });
        const rest = pageRest.safeParse(body.index(response.status));
        if (!rest.success)
          throw new UnreadableAnswerError(ENDPOINT, "the response shape it documents", {
            status: response.status,
            service: SEED_API,
          });
        return {
          count: body.count,
          nextToken: rest.data.nextPageToken,
          retries: response.attempts - 1,
          throttled: response.throttled,
          call: (i: number): OutboundCall => toCall(body.json(i, "a call record")),
        };
      },
      { startToken: query.startToken, route: ENDPOINT },
    );
  };
  return {
    callPages,
    listCalls: (query, signal) => callListing(() => callPages(query, signal)),
    // The listing without a campaign: every campaign of the tenant (the consent watcher's read).
    tenantCalls: (query, signal) => callListing(() => callPages(query, signal)),
    // biome-ignore lint/correctness/useYield: refuses before anything is sent
    async *changedCalls() {
      throw new NotSupportedError(SEED_CHANGED_CALLS_UNSUPPORTED);
    },
    // biome-ignore lint/correctness/useYield: refuses before anything is sent
    async *changedCallPages() {
      throw new NotSupportedError(SEED_CHANGED_CALLS_UNSUPPORTED);
    },
  };
}
