import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { ADMIN_PREFIX } from "../../pipeline.ts";
import type { CxoneContext } from "../context.ts";
import { CARRIERS, callerIdPool, carrierOf, tenDigits } from "../data/caller-ids.ts";
import { invalid, parseStrictOr400 } from "../errors.ts";

/**
 * Admin (not CXone), issue 66: the skills' caller-id pools, the terminating carrier of a called
 * number, and labels. `POST /_emulator/callerid/labels {callerId, from, factor, carrier?}` makes
 * a number answer `factor` × as often from `from` on (on `carrier`'s subscribers only when
 * given), in every completed contact read after it, as a carrier's spam label would; `DELETE`
 * removes every label; `POST /_emulator/reset` too. docs/emulator-cxone.md.
 */
const labelBody = z.strictObject({
  callerId: z.string().regex(/^(\+1)?[2-9]\d{9}$/, "a NANP number, E.164 or 10 digits"),
  from: z.iso.datetime({ offset: true }),
  factor: z.number().min(0).max(1),
  carrier: z.enum(CARRIERS.map((c) => c.name) as [string, ...string[]]).optional(),
});

const carrierQuery = z.object({ phone: z.string().regex(/^\+?\d{10,15}$/) });

const e164 = (ten: string): string => `+1${ten}`;

export function registerCallerIdAdminRoutes(app: FastifyInstance, ctx: CxoneContext): void {
  const at = (path: string) => `${ADMIN_PREFIX}/callerid${path}`;
  const pools = () =>
    [...ctx.state.skills.values()]
      .filter((skill) => skill.isOutbound)
      .map((skill) => ({
        skillId: skill.skillId,
        skillName: skill.skillName,
        numbers: callerIdPool(skill).map(e164),
      }));
  const labelsView = () =>
    ctx.state.warehouse.labels.map((label) => ({
      callerId: e164(label.number),
      from: new Date(label.fromMs).toISOString(),
      factor: label.factor,
      ...(label.carrier !== undefined ? { carrier: label.carrier } : {}),
    }));

  app.get(at(""), async () => ({ pools: pools(), carriers: CARRIERS, labels: labelsView() }));

  app.get(at("/carrier"), async (request) => {
    const { phone } = parseStrictOr400(carrierQuery, request.query, "query");
    return { phone, carrier: carrierOf(phone) };
  });

  app.post(at("/labels"), async (request, reply) => {
    const body = parseStrictOr400(labelBody, request.body ?? {}, "body");
    const number = tenDigits(body.callerId);
    if (!pools().some((pool) => pool.numbers.includes(e164(number))))
      throw invalid("callerId", `${body.callerId} is in no outbound skill's caller-id pool (GET ${at("")})`);
    const labels = ctx.state.warehouse.labels;
    // One label per number: a later one replaces it (a label that spreads to another carrier).
    const kept = labels.filter((label) => label.number !== number);
    labels.length = 0;
    labels.push(...kept, {
      number,
      fromMs: Date.parse(body.from),
      factor: body.factor,
      ...(body.carrier !== undefined ? { carrier: body.carrier } : {}),
    });
    reply.code(201);
    return { labels: labelsView() };
  });

  app.delete(at("/labels"), async () => {
    ctx.state.warehouse.labels.length = 0;
    return { labels: [] };
  });
}
