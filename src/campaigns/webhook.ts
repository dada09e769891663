import { createHash } from "node:crypto";
import { z } from "zod";
import { failureFinish, type Operation, type Store } from "../core/store/index.ts";
import type { CampaignsPort } from "../platform/ports/campaigns.ts";
import { CAMPAIGN_EVENTS, type EventSubscription } from "../platform/types.ts";

/**
 * Registering our service's receiver for CXone's campaign events (seed 002: metrics updates and
 * state changes), journaled like every other write. The secret is handed to CXone and nowhere
 * else: the journal payload, audit record and event hold only its fingerprint. That is also
 * why a registration interrupted by a crash is not re-sent on restart (the secret is gone):
 * it is recorded as failed with "outcome unknown", and the operator registers again.
 */
export const REGISTER_WEBHOOK_KIND = "campaigns.webhook.register";
export const RECEIVER_PATH = "/webhooks/cxone";

export const webhookOptionsSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, message: "must be an http(s) URL, e.g. https://cxo.example.com" })
    .refine((url) => !new URL(url).username && !new URL(url).password, "must not contain credentials"),
  secret: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, "must be a Standard Webhooks secret: whsec_ followed by base64")
    .refine(
      (secret) => Buffer.from(secret.slice(6), "base64").length >= 24,
      "must hold at least 24 random bytes (base64 after whsec_)",
    )
    .optional(),
  name: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
});

export type WebhookOptions = z.infer<typeof webhookOptionsSchema>;

export interface RegisterPayload {
  name: string;
  callbackUrl: string;
  events: string[];
  signed: boolean;
  /** First 16 hex of SHA-256(secret): lets an operator match registrations to secrets. */
  secretFingerprint: string | null;
}

/** A service base URL gets the receiver path; a URL that already has a path is used as given. */
export function callbackUrlOf(url: string): string {
  const parsed = new URL(url);
  if (parsed.pathname === "/" || parsed.pathname === "") parsed.pathname = RECEIVER_PATH;
  return parsed.toString();
}

export const secretFingerprint = (secret: string) =>
  createHash("sha256").update(secret).digest("hex").slice(0, 16);

/** `secret` lives only in this closure, for the one run that was given it. */
export function registerWebhookOperation(
  port: Pick<CampaignsPort, "subscribe"> | null,
  secret: string | undefined,
): Operation<RegisterPayload, EventSubscription> {
  return {
    kind: REGISTER_WEBHOOK_KIND,
    async effect(payload, ctx) {
      if (ctx.redriven || port === null)
        throw new Error(
          "outcome unknown: an earlier run stopped during this registration and its secret is not stored; " +
            "check CXone's webhook registrations and run `cxo campaigns webhook register` again if it is missing",
        );
      return port.subscribe(
        {
          name: payload.name,
          callbackUrl: payload.callbackUrl,
          events: [...CAMPAIGN_EVENTS],
          ...(secret ? { secret } : {}),
        },
        ctx.signal,
      );
    },
    finish(settled, payload) {
      const after = {
        name: payload.name,
        callbackUrl: payload.callbackUrl,
        events: payload.events,
        signed: payload.signed,
        secretFingerprint: payload.secretFingerprint,
      };
      if (!settled.ok) return failureFinish(settled.error, { details: after });
      return {
        outcome: "done",
        status: 201,
        after: { ...after, subscriptionId: settled.value.id, signed: settled.value.signed },
        events: [
          {
            type: "campaign.webhook.registered",
            destination: "campaigns",
            data: { subscriptionId: settled.value.id, ...after, signed: settled.value.signed },
          },
        ],
      };
    },
  };
}

export async function registerWebhook(
  port: Pick<CampaignsPort, "subscribe">,
  store: Pick<Store, "journal">,
  options: WebhookOptions,
  signal?: AbortSignal,
): Promise<EventSubscription> {
  const payload: RegisterPayload = {
    name: options.name,
    callbackUrl: callbackUrlOf(options.url),
    events: [...CAMPAIGN_EVENTS],
    signed: options.secret !== undefined,
    secretFingerprint: options.secret ? secretFingerprint(options.secret) : null,
  };
  return store.journal.run(registerWebhookOperation(port, options.secret), {
    target: payload.callbackUrl,
    payload,
    signal,
  });
}
