import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";

/**
 * Headers on every answer of the service, refusals and event streams included: no other page
 * may frame this one (clickjacking: CSP `frame-ancestors` for today's browsers, X-Frame-Options
 * for older ones), no content-type sniffing, no referrer.
 */
export const NO_FRAMING_CSP = "frame-ancestors 'none'";
export const NO_FRAMING_HEADERS = { "content-security-policy": NO_FRAMING_CSP, "x-frame-options": "DENY" };

/** The headers as a plugin (fastify-plugin: its hooks cover every route of the app). */
export const securityHeaders = fp(async (app: FastifyInstance) => installSecurityHeaders(app), {
  name: "cxo-security-headers",
  fastify: "5.x",
});

export function installSecurityHeaders(app: FastifyInstance): void {
  // Set when the request arrives, so an answer sent from any hook (a refusal) carries them too.
  app.addHook("onRequest", async (_request, reply) => {
    reply.headers(NO_FRAMING_HEADERS);
  });
  app.addHook("onSend", async (_request, reply) => {
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
  });
}
