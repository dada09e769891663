import { z } from "zod";
import { CxoneError } from "../../core/http/errors.ts";
import type { HttpClient } from "../../core/http/http-client.ts";
import { paginateByToken } from "../../core/http/pagination.ts";
import type { CxonePort } from "../port.ts";
import type { OutboundCall } from "../types.ts";
import { SCOPES } from "./scopes.ts";

/** Seed 004 over the seed API: GET /api/v2/outbound/calls with nextPageToken paging. */

const ENDPOINT = "GET /api/v2/outbound/calls";

const pageResponse = z.object({ calls: z.array(z.unknown()), nextPageToken: z.string().nullish() });

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

function toCall(value: unknown): OutboundCall {
  const problem = problemOf(value);
  if (problem !== null)
    throw new CxoneError(`${ENDPOINT}: a call record is malformed (${problem})`, { endpoint: ENDPOINT });
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
    raw: r,
  };
}

export function seedOutcomes(http: HttpClient): CxonePort["outcomes"] {
  return {
    listCalls(query, signal) {
      return paginateByToken(
        async (token) => {
          const response = await http.request({
            method: "GET",
            path: "/api/v2/outbound/calls",
            endpoint: ENDPOINT,
            group: "outcomes",
            requiredScopes: [...SCOPES.callsRead],
            query: {
              campaignId: query.campaignId,
              startDateTime: query.from,
              endDateTime: query.to,
              dispositionCode: query.dispositionCodes?.length ? query.dispositionCodes.join(",") : undefined,
              limit: query.pageSize ?? 1000,
              nextPageToken: token,
            },
            ...(signal ? { signal } : {}),
          });
          const page = pageResponse.safeParse(response.body);
          if (!page.success)
            throw new CxoneError(`${ENDPOINT}: unexpected response shape`, {
              endpoint: ENDPOINT,
              status: response.status,
            });
          return { items: page.data.calls.map(toCall), nextToken: page.data.nextPageToken };
        },
        { startToken: query.startToken },
      );
    },
  };
}
