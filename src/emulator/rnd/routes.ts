import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { clockNowDate } from "../../core/clock/now.ts";
import { parseBasic, sameSecret } from "../client-auth.ts";
import { ApiError, parseOr400 } from "../errors.ts";
import { rndAnswer } from "./database.ts";
import { type AskedNumber, digestOf, type RndContext } from "./state.ts";
/**
 * The RND API as the emulator serves it (docs/emulator-rnd.md). Public: up to 1,000 numbers per
 * API query, a date per number, one of "yes" / "no" / "no data" per number. Assumed (the API's
 * technical documentation is given to registered callers only): the paths, the field names, the
 * OAuth2 client-credentials login and the idempotency key.
 */
export const MAX_PER_QUERY = 1000;

const TN = /^[2-9]\d{2}[2-9]\d{6}$/;

const queryBody = z.strictObject({
  queries: z
    .array(
      z.strictObject({
        tn: z.string().regex(TN, "must be a 10-digit US number (NPA and NXX from 2)"),
        date: z.iso.date("must be a date, YYYY-MM-DD"),
      }),
    )
    .min(1, "must hold at least one number")
    .max(MAX_PER_QUERY, `at most ${MAX_PER_QUERY} numbers per API query`),
});

export function registerRndApiRoutes(app: FastifyInstance, ctx: RndContext): void {
  app.post("/oauth/token", { config: { group: "token", api: true } }, async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, string>;
    const basic = parseBasic(request.headers.authorization);
    const id = basic?.id ?? form.client_id ?? "";
    const secret = basic?.secret ?? form.client_secret ?? "";
    if (form.grant_type !== "client_credentials")
      return reply.code(400).send({ error: "unsupported_grant_type", message: "client_credentials only" });
    if (id !== ctx.caller.clientId || !sameSecret(secret, ctx.caller.clientSecret))
      return reply.code(401).send({ error: "invalid_client", message: "unknown client or wrong secret" });
    const { token, expiresIn } = ctx.tokens.issue(id, []);
    return { access_token: token, token_type: "Bearer", expires_in: expiresIn };
  });

  app.post("/api/v1/queries", { config: { group: "query", api: true, auth: true } }, (request, reply) =>
    answerQuery(ctx, request, reply),
  );
}

async function answerQuery(ctx: RndContext, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const key = request.headers["x-idempotency-key"];
  const idempotencyKey = typeof key === "string" && key !== "" ? key : undefined;
  if (idempotencyKey) {
    const stored = ctx.answers.get(idempotencyKey);
    if (stored) {
      if (stored.digest !== digestOf(request.body))
        throw new ApiError(422, "idempotency_key_reused", "this key was used with another query");
      (request as { rndReplayed?: boolean }).rndReplayed = true;
      return stored.body;
    }
  }
  const { queries } = parseOr400(queryBody, request.body, "body");
  const today = clockNowDate().toISOString().slice(0, 10);
  const late = queries.findIndex((q) => q.date > today);
  if (late !== -1)
    throw new ApiError(400, "invalid_request", `queries.${late}.date: must not be in the future`);
  ctx.queries += 1;
  const queryId = `q-${String(ctx.queries).padStart(6, "0")}`;
  const at = clockNowDate().toISOString();
  const results = queries.map(({ tn, date }) => ({
    tn,
    date,
    result: rndAnswer(ctx.db.disconnectedOn(tn), date),
  }));
  for (const r of results) ctx.asked.push({ ...r, queryId, at } satisfies AskedNumber);
  const body = { queryId, dataAsOf: ctx.db.dataAsOf, results };
  if (idempotencyKey) ctx.answers.set(idempotencyKey, { digest: digestOf(request.body), body });
  if (takeHold(ctx)) {
    // Asked and recorded, its answer never sent: the request ends when released or at close.
    await new Promise<void>((resolve) => ctx.held.add(resolve));
    request.raw.socket?.destroy();
    return reply.hijack();
  }
  return body;
}

/** True when this query's answer is to be held (spends the fault). */
function takeHold(ctx: RndContext): boolean {
  const hold = ctx.hold;
  if (!hold) return false;
  if (hold.after > 0) {
    hold.after -= 1;
    return false;
  }
  hold.count -= 1;
  if (hold.count <= 0) ctx.hold = null;
  return true;
}
