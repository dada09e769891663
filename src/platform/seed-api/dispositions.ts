import { z } from "zod";
import { UnreadableAnswerError } from "../../core/http/errors.ts";
import type { HttpClient } from "../../core/http/http-client.ts";
import type { CxonePort } from "../port.ts";
import type {
  CallDispositionInput,
  CallDispositionResult,
  CallDispositionState,
  DispositionMatrix,
} from "../types.ts";
import { SEED_API, seedRequest } from "./request.ts";
import { SCOPES } from "./scopes.ts";

/**
 * Seed 000 over the seed API: /api/v2/outbound/campaigns/{id}/dispositioncodes,
 * PUT /api/v2/outbound/calls/{callId}/disposition and GET /api/v2/outbound/calls/{callId}.
 */

const PUT_ENDPOINT = "PUT /api/v2/outbound/calls/{callId}/disposition";
const GET_CALL_ENDPOINT = "GET /api/v2/outbound/calls/{callId}";

const callResponse = z
  .object({
    id: z.coerce.string(),
    campaignId: z.coerce.string(),
    dispositionCode: z.string().nullish(),
    reasonCodeId: z.coerce.string().nullish(),
    tags: z.array(z.string()).nullish(),
    notes: z.string().nullish(),
    dispositionLocked: z.boolean().nullish(),
    phoneNumber: z.string().nullish(),
    startTime: z.string().nullish(),
  })
  .loose();

function toCallState(
  body: unknown,
  endpoint: string,
  status: number,
  requestId?: string,
): CallDispositionState {
  const parsed = callResponse.safeParse(body);
  if (!parsed.success) {
    throw new UnreadableAnswerError(
      endpoint,
      `the response shape it documents (${parsed.error.issues[0]?.message})`,
      {
        status,
        body,
        service: SEED_API,
        ...(requestId ? { requestId } : {}),
      },
    );
  }
  const call = parsed.data;
  return {
    id: call.id,
    campaignId: call.campaignId,
    dispositionCode: call.dispositionCode ?? undefined,
    reasonCodeId: call.reasonCodeId ?? undefined,
    tags: call.tags ?? [],
    notes: call.notes ?? undefined,
    locked: call.dispositionLocked === true,
    ...(call.phoneNumber ? { phone: e164Of(call.phoneNumber) } : {}),
    ...(call.startTime ? { startTime: call.startTime } : {}),
  };
}

/** E.164 from the record's number (the seed sends E.164; ten digits are read as NANP). */
const e164Of = (phone: string): string | undefined => {
  const digits = phone.replace(/[^\d+]/g, "");
  if (/^\+\d{8,15}$/.test(digits)) return digits;
  if (/^\d{10}$/.test(digits)) return `+1${digits}`;
  return undefined;
};

/** The seed's wire body: tags travel as `tag`; absent optional fields are left out. */
function toWireBody(input: CallDispositionInput): Record<string, unknown> {
  return {
    dispositionCodeId: input.dispositionCodeId,
    ...(input.reasonCodeId ? { reasonCodeId: input.reasonCodeId } : {}),
    ...(input.notes ? { notes: input.notes } : {}),
    tag: input.tags,
  };
}

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
      const response = await seedRequest(http, "GET /api/v2/outbound/campaigns/{id}/dispositioncodes", {
        params: { id: campaignId },
        group: "dispositions",
        scopes: SCOPES.campaignRead,
        signal,
      });
      const parsed = matrixResponse.safeParse(response.body);
      if (!parsed.success) {
        throw new UnreadableAnswerError(
          "GET /api/v2/outbound/campaigns/{id}/dispositioncodes",
          `the disposition codes of campaign ${campaignId} in the shape it documents (${parsed.error.issues[0]?.message})`,
          { status: response.status, body: response.body, requestId: response.requestId, service: SEED_API },
        );
      }
      return { campaignId, codes: parsed.data.dispositionCodes };
    },

    async setCallDisposition(callId, input, signal): Promise<CallDispositionResult> {
      // PUT is an idempotent upsert, so the HTTP core may retry it without an idempotency key.
      const response = await seedRequest(http, PUT_ENDPOINT, {
        params: { callId },
        group: "dispositions",
        scopes: SCOPES.dispositionUpdate,
        body: toWireBody(input),
        signal,
      });
      return {
        call: toCallState(response.body, PUT_ENDPOINT, response.status, response.requestId),
        status: response.status,
        requestId: response.requestId,
        attempts: response.attempts,
        latencyMs: response.latencyMs,
        attemptLatenciesMs: response.attemptLatenciesMs,
      };
    },

    async getCall(callId, signal): Promise<CallDispositionState> {
      const response = await seedRequest(http, GET_CALL_ENDPOINT, {
        params: { callId },
        group: "dispositions",
        scopes: SCOPES.callsRead,
        signal,
      });
      return toCallState(response.body, GET_CALL_ENDPOINT, response.status, response.requestId);
    },
  };
}
