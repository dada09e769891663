import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { clockDocument } from "../../core/clock/index.ts";
import { parseOr400 } from "../errors.ts";
import { faultSpecSchemaFor } from "../faults.ts";
import { ADMIN_PREFIX } from "../pipeline.ts";
import { MAX_PER_QUERY } from "./routes.ts";
import { RND_GROUPS, type RndContext, releaseHeld } from "./state.ts";

/**
 * The admin API under /_emulator (not part of the RND), with the other emulators' verbs:
 * fixtures, the request log, faults, reset; and the RND's own: what was asked (`asked`), the
 * database's truth for numbers (`truth`), disconnections set by hand (`disconnects`), the
 * database's date (`database`), and `release` for answers a `hold` fault keeps.
 */
const faultsBody = faultSpecSchemaFor(RND_GROUPS).extend({
  hold: z
    .strictObject({
      after: z.number().int().min(0).default(0),
      count: z.number().int().min(1).default(1),
    })
    .optional(),
});

const TN = z.string().regex(/^\d{10}$/, "a 10-digit number");
const disconnectsBody = z.strictObject({
  numbers: z.array(z.strictObject({ tn: TN, disconnectedOn: z.iso.date().nullable() })).max(1_000_000),
});
const truthBody = z.strictObject({ tns: z.array(TN).max(1_000_000) });
const databaseBody = z.strictObject({ dataAsOf: z.iso.date() });

export function registerRndAdminRoutes(app: FastifyInstance, ctx: RndContext): void {
  const at = (path: string) => `${ADMIN_PREFIX}${path}`;

  app.get(at("/fixtures"), async (request) => {
    const origin = `${request.protocol}://${request.headers.host ?? "127.0.0.1"}`;
    return {
      platform: "rnd",
      url: origin,
      tokenUrl: `${origin}/oauth/token`,
      clientId: ctx.caller.clientId,
      clientSecret: ctx.caller.clientSecret,
      dataAsOf: ctx.db.dataAsOf,
      maxPerQuery: MAX_PER_QUERY,
    };
  });

  app.get(at("/requests"), async () => ({ requests: ctx.log.list() }));
  // The clock this emulator reads (CXO_CLOCK / --clock): what its dialer and tokens run on.
  app.get(at("/clock"), async () => clockDocument());

  /** Every number asked (a repeat answered from an idempotency key is not asked again), oldest first. */
  app.get(at("/asked"), async (request) => {
    const { tn } = parseOr400(z.object({ tn: TN.optional() }), request.query, "query");
    const asked = tn === undefined ? ctx.asked : ctx.asked.filter((a) => a.tn === tn);
    return { total: asked.length, queries: ctx.queries, asked };
  });

  app.post(at("/truth"), async (request) => {
    const { tns } = parseOr400(truthBody, request.body, "body");
    return {
      dataAsOf: ctx.db.dataAsOf,
      numbers: tns.map((tn) => ({ tn, disconnectedOn: ctx.db.disconnectedOn(tn) })),
    };
  });

  app.post(at("/disconnects"), async (request) => {
    const { numbers } = parseOr400(disconnectsBody, request.body, "body");
    for (const n of numbers) ctx.db.set(n.tn, n.disconnectedOn);
    return { set: numbers.length };
  });

  app.post(at("/database"), async (request) => {
    ctx.db.dataAsOf = parseOr400(databaseBody, request.body, "body").dataAsOf;
    return { dataAsOf: ctx.db.dataAsOf };
  });

  app.post(at("/faults"), async (request) => {
    const { hold, ...spec } = parseOr400(faultsBody, request.body, "body");
    if (hold) ctx.hold = { ...hold };
    if (spec.expireTokens) ctx.tokens.revokeAll();
    const fault = ctx.faults.add(spec);
    return { fault, hold: ctx.hold };
  });

  app.get(at("/faults"), async () => ({ faults: ctx.faults.list(), hold: ctx.hold, held: ctx.held.size }));

  app.post(at("/release"), async () => ({ released: releaseHeld(ctx) }));

  app.post(at("/reset"), async () => {
    releaseHeld(ctx);
    ctx.faults.clear();
    ctx.hold = null;
    ctx.log.clear();
    ctx.asked.length = 0;
    ctx.answers.clear();
    ctx.db.clear();
    ctx.queries = 0;
    return { reset: true };
  });
}
