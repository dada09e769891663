import { z } from "zod";
import { CxoneError } from "../../core/http/errors.ts";
import { type HttpClient, pathOf } from "../../core/http/http-client.ts";
import type { CxonePort } from "../port.ts";
import type { DispositionMatrix } from "../types.ts";
import { SCOPES } from "./scopes.ts";

/** Seed 000 over the seed API: /api/v2/outbound/campaigns/{id}/dispositioncodes. */

const matrixResponse = z.object({
  dispositionCodes: z.array(
    z.object({
      id: z.coerce.string(),
      name: z.string(),
      reasonCodes: z.array(z.object({ id: z.coerce.string(), name: z.string() })).default([]),
    }),
  ),
});

export function seedDispositions(http: HttpClient): CxonePort["dispositions"] {
  return {
    async getMatrix(campaignId, signal): Promise<DispositionMatrix> {
      const response = await http.request({
        method: "GET",
        path: pathOf`/api/v2/outbound/campaigns/${campaignId}/dispositioncodes`,
        endpoint: "GET /api/v2/outbound/campaigns/{id}/dispositioncodes",
        group: "dispositions",
        requiredScopes: [...SCOPES.campaignRead],
        ...(signal ? { signal } : {}),
      });
      const parsed = matrixResponse.safeParse(response.body);
      if (!parsed.success) {
        throw new CxoneError(
          `disposition codes of campaign ${campaignId}: unexpected response shape (${parsed.error.issues[0]?.message})`,
          {
            status: response.status,
            endpoint: "GET /api/v2/outbound/campaigns/{id}/dispositioncodes",
            requestId: response.requestId,
          },
        );
      }
      return { campaignId, codes: parsed.data.dispositionCodes };
    },
  };
}
