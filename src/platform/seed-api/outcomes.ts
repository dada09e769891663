import { z } from "zod";
import { CxoneError } from "../../core/http/errors.ts";
import type { HttpClient } from "../../core/http/http-client.ts";
import { paginateByToken } from "../../core/http/pagination.ts";
import type { CxonePort } from "../port.ts";
import type { OutboundCall } from "../types.ts";
import { SCOPES } from "./scopes.ts";

/** Seed 004 over the seed API: GET /api/v2/outbound/calls with nextPageToken paging. */

const ENDPOINT = "GET /api/v2/outbound/calls";

const callRecord = z
  .object({
    id: z.coerce.string(),
    campaignId: z.coerce.string(),
    startTime: z.string(),
    endTime: z.string().nullish(),
    durationSeconds: z.number().nullish(),
    dispositionCode: z.string().nullish(),
    reasonCodeId: z.coerce.string().nullish(),
    tags: z.array(z.string()).nullish(),
  })
  .loose();

const pageResponse = z.object({ calls: z.array(z.unknown()), nextPageToken: z.string().nullish() });

function toCall(value: unknown): OutboundCall {
  const parsed = callRecord.safeParse(value);
  if (!parsed.success)
    throw new CxoneError(`${ENDPOINT}: a call record is malformed (${parsed.error.issues[0]?.message})`, {
      endpoint: ENDPOINT,
    });
  const record = parsed.data;
  return {
    id: record.id,
    campaignId: record.campaignId,
    startTime: record.startTime,
    endTime: record.endTime ?? undefined,
    durationSeconds: record.durationSeconds ?? undefined,
    dispositionCode: record.dispositionCode ?? undefined,
    reasonCodeId: record.reasonCodeId ?? undefined,
    tags: record.tags ?? [],
    raw: value as Record<string, unknown>,
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
