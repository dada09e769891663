import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { ADMIN_PREFIX } from "../../pipeline.ts";
import type { CxoneContext } from "../context.ts";
import { e164OfKey, groupKeyOf } from "../data/dnc-groups.ts";
import { parseStrictOr400 } from "../errors.ts";
import { advanceCallbackDialer } from "../scheduled-callbacks.ts";

/**
 * Admin (not CXone): the scheduled-callback dialer's ground truth.
 * - `POST /_emulator/scheduled-callbacks/dial {until}` moves its clock on (never back): every
 *   pending callback due by then is dialled by an agent of its skill (scheduled-callbacks.ts);
 * - `GET /_emulator/scheduled-callbacks` every callback ever scheduled with what became of it
 *   (`pending | dialled | deleted | scrubbed`), and every dial: what "never dialled" is judged on.
 */
const dialBody = z.strictObject({ until: z.iso.datetime({ offset: true }) });

export function registerCallbackAdminRoutes(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;
  const iso = (ms: number) => new Date(ms).toISOString();
  const report = () => {
    const dialer = state.callbackDialer;
    return {
      dialledUntil: dialer.untilMs === 0 ? null : iso(dialer.untilMs),
      callbacks: [...state.scheduledCallbacks.values()].map((c) => ({
        callbackId: c.callbackId,
        skillId: c.skillId,
        phone: e164OfKey(groupKeyOf(c.dialNumber)),
        at: iso(c.atMs),
        status: c.status,
        ...(c.dialledAtMs === undefined ? {} : { dialledAt: iso(c.dialledAtMs) }),
      })),
      dials: dialer.dials.map((d) => ({
        callbackId: d.callbackId,
        skillId: d.skillId,
        agentId: d.agentId,
        phone: d.phone,
        at: iso(d.atMs),
        contactId: d.contactId,
      })),
    };
  };
  app.get(`${ADMIN_PREFIX}/scheduled-callbacks`, async () => report());
  app.post(`${ADMIN_PREFIX}/scheduled-callbacks/dial`, async (request) => {
    const body = parseStrictOr400(dialBody, request.body ?? {}, "body");
    advanceCallbackDialer(state, Date.parse(body.until));
    return report();
  });
}
