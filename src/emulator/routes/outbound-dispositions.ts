import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { clockNowDate } from "../../core/clock/now.ts";
import type { EmulatorContext } from "../context.ts";
import type { Campaign } from "../data/model.ts";
import { badRequest, conflict, notFound, parseOr400 } from "../errors.ts";
import { apiRoute } from "../http.ts";
import { SCOPES } from "../scopes.ts";
/**
 * Seed 000: a campaign's disposition matrix, tagging a call (idempotent upsert), reading a call.
 * The server enforces what the seed only checks client-side: at most 10 tags, and a reason code
 * that belongs to the CHOSEN disposition code (not to any code). Locked calls answer 409.
 */
export const MAX_TAGS = 10;

const tagList = z.array(z.string().min(1).max(100));

const dispositionBody = z
  .strictObject({
    dispositionCodeId: z.string().min(1),
    reasonCodeId: z.string().min(1).nullable().optional(),
    notes: z.string().max(2000).optional(),
    /** The seed sends `tag`; `tags` is accepted too (not both). */
    tag: tagList.optional(),
    tags: tagList.optional(),
  })
  .refine((body) => !(body.tag && body.tags), { message: "send the tags as `tag` or `tags`, not both" })
  .refine((body) => (body.tag ?? body.tags ?? []).length <= MAX_TAGS, {
    message: `at most ${MAX_TAGS} tags per call`,
    path: ["tag"],
  });

const matrixOf = (campaign: Campaign) =>
  campaign.dispositionCodes.map((code) => ({ id: code.id, name: code.name, reasonCodes: code.reasonCodes }));

export function registerOutboundDispositionRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const { state } = ctx;

  apiRoute(
    app,
    ctx,
    {
      method: "GET",
      url: "/api/v2/outbound/campaigns/:campaignId/dispositioncodes",
      group: "dispositions",
      scopes: SCOPES.outboundCampaignRead,
      summary: "The campaign's disposition codes with their reason codes",
      responses: {
        "200": "{campaignId, dispositionCodes:[{id, name, reasonCodes:[{id, name}]}]}",
        "404": "unknown campaign",
      },
    },
    (request) => {
      const { campaignId } = request.params as { campaignId: string };
      const campaign = state.campaigns.get(campaignId);
      if (!campaign) throw notFound("campaign", campaignId);
      return { campaignId, dispositionCodes: matrixOf(campaign) };
    },
  );

  apiRoute(
    app,
    ctx,
    {
      method: "PUT",
      url: "/api/v2/outbound/calls/:callId/disposition",
      group: "dispositions",
      scopes: SCOPES.dispositionUpdate,
      summary: "Tag a call with a disposition code, reason code, notes and tags (idempotent upsert)",
      body: dispositionBody,
      responses: {
        "200": "the call record as tagged",
        "400": "malformed body, unknown code, reason not under the chosen code, more than 10 tags",
        "404": "unknown call",
        "409": "the call's disposition is locked",
      },
    },
    (request) => {
      const body = parseOr400(dispositionBody, request.body, "body");
      const { callId } = request.params as { callId: string };
      const index = state.calls.indexOf(callId);
      if (index < 0) throw notFound("call", callId);
      const campaignId = state.calls.campaignAt(index % state.calls.campaignCount)?.id ?? "";
      const campaign = state.campaigns.get(campaignId) as Campaign;
      const code = campaign.dispositionCodes.find((c) => c.id === body.dispositionCodeId);
      if (!code) {
        throw badRequest(
          `disposition code ${body.dispositionCodeId} is not in campaign ${campaign.id}'s matrix`,
          {
            field: "dispositionCodeId",
          },
        );
      }
      const reasonCodeId = body.reasonCodeId ?? null;
      if (reasonCodeId !== null && !code.reasonCodes.some((reason) => reason.id === reasonCodeId)) {
        throw badRequest(`reason code ${reasonCodeId} does not belong to disposition code ${code.id}`, {
          field: "reasonCodeId",
        });
      }
      if (state.calls.isLocked(index)) {
        throw conflict("disposition_locked", `call ${callId}'s disposition is locked by the dialer`);
      }
      state.calls.overrides.set(index, {
        dispositionCode: code.id,
        reasonCodeId,
        tags: body.tag ?? body.tags ?? [],
        notes: body.notes ?? "",
        updatedAt: clockNowDate().toISOString(),
      });
      return state.calls.record(index);
    },
  );

  apiRoute(
    app,
    ctx,
    {
      method: "GET",
      url: "/api/v2/outbound/calls/:callId",
      group: "dispositions",
      scopes: SCOPES.outboundCallRead,
      summary: "One outbound call with its current disposition",
      responses: { "200": "the call record plus dispositionLocked", "404": "unknown call" },
    },
    (request) => {
      const { callId } = request.params as { callId: string };
      const index = state.calls.indexOf(callId);
      if (index < 0) throw notFound("call", callId);
      return {
        ...state.calls.record(index),
        status: "COMPLETED",
        dispositionLocked: state.calls.isLocked(index),
      };
    },
  );
}
