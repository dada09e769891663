import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { clockNowDate } from "../../core/clock/now.ts";
import type { EmulatorContext } from "../context.ts";
import { parseOr400 } from "../errors.ts";
import { OMNI_EVENTS } from "../events.ts";
import { apiRoute } from "../http.ts";
import { SCOPES } from "../scopes.ts";
import type { OmniWebhook } from "../state.ts";
/**
 * Seed 002: webhook registration. The emulator really POSTs the events to `callbackUrl`, with
 * the registration's extra headers, signed per Standard Webhooks when a `whsec_` secret is
 * given (the secret is never echoed back).
 */
export const webhookSecret = z
  .string()
  .regex(
    /^whsec_[A-Za-z0-9+/]{16,}={0,2}$/,
    "a Standard Webhooks secret: whsec_ followed by base64 (>= 12 bytes)",
  );

export const httpUrl = z
  .string()
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), "an http(s) URL");

const registerBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  callbackUrl: httpUrl,
  events: z.array(z.enum(OMNI_EVENTS)).min(1),
  enabled: z.boolean().default(true),
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, "a header name"), z.string().max(1000)).optional(),
  secret: webhookSecret.optional(),
});

export function registerOmnichannelWebhookRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  apiRoute(
    app,
    ctx,
    {
      method: "POST",
      url: "/api/v2/omnichannel/webhooks",
      group: "campaigns",
      scopes: SCOPES.omniWebhookWrite,
      summary: "Register a callback URL for campaign metrics and state-change events",
      body: registerBody,
      responses: { "201": "the registration (without the secret)", "400": "malformed registration" },
    },
    (request, reply) => {
      const body = parseOr400(registerBody, request.body, "body");
      const hook: OmniWebhook = {
        id: `wh-${randomUUID()}`,
        name: body.name,
        callbackUrl: body.callbackUrl,
        events: [...new Set(body.events)],
        enabled: body.enabled,
        headers: body.headers ?? {},
        secret: body.secret ?? null,
        createdAt: clockNowDate().toISOString(),
      };
      ctx.state.omniWebhooks.push(hook);
      const { secret: _secret, ...shown } = hook;
      return reply.code(201).send({ ...shown, signed: hook.secret !== null });
    },
  );
}
