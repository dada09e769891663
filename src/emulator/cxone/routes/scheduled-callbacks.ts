import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { clockNowMs } from "../../../core/clock/now.ts";
import { pathOf } from "../../request-log.ts";
import type { CxoneContext } from "../context.ts";
import { CxoneError, invalid, notFound, parseOr400, skillNotFound } from "../errors.ts";
import { type ApiCall, type ApiRoute, apiRoute as apiRouteOf, pathId, sendJson } from "../http.ts";
import {
  callbackJson,
  callbackZoneOf,
  nanpDigitsOf,
  pendingCallbacks,
  type ScheduledCallback,
  scheduleDateMs,
} from "../scheduled-callbacks.ts";
import type { CxoneState } from "../state.ts";

/**
 * Scheduled callbacks, as two clients nobody here wrote send and read them (docs/emulator-cxone.md):
 * - `POST scheduled-callbacks {firstName, lastName, phoneNumber, skillId, targetAgentId,
 *   scheduleDate, notes}` → 200 `{callbackId}` (NICE's QA reads `callbackId` from the answer;
 *   QA quotes every value and sends "" for what it leaves out; the live client CAB sends
 *   `phoneNumber, skillId, scheduleDate, firstName, lastName` with a time without an offset);
 * - `GET skills/{skillId}/scheduled-callbacks` and `GET agents/{agentId}/scheduled-callbacks` →
 *   `{callbacks: [{callbackId, firstName, lastName, dialNumber, callbackTime, …}]}` (CAB reads
 *   these five), pending callbacks only;
 * - `GET scheduled-callbacks/{callbackId}` (assumed: the listing's envelope, one item), `PUT`
 *   (QA: the create's body), `DELETE scheduled-callbacks/{callbackId}` (QA sends `?description=`,
 *   CAB a JSON body `{callbackId}` and reads a JSON answer) → 200.
 *
 * Refused (400, assumed where no source shows the platform's answer): a phone number that is not
 * NANP, a skill or target agent the business unit does not have, a `scheduleDate` that cannot be
 * read or that is in the past.
 *
 * Knob `scheduledCallbackRoutes: absent`: every route here answers the 404 of an unknown route.
 */
const idLike = z.union([z.number().int().positive(), z.string().trim().regex(/^\d+$/).transform(Number)]);
const optionalText = z.union([z.string(), z.number()]).transform(String).nullable().optional();

const callbackBody = z.strictObject({
  phoneNumber: z.union([z.string(), z.number()]),
  skillId: idLike,
  scheduleDate: z.string(),
  firstName: optionalText,
  lastName: optionalText,
  notes: optionalText,
  // QA sends "" when no agent is targeted.
  targetAgentId: z.union([idLike, z.literal(""), z.null()]).optional(),
});

type CallbackInput = z.output<typeof callbackBody>;

/** The callback a create or an update asks for, or the platform's 400 naming the field. */
function callbackOf(
  state: CxoneState,
  body: CallbackInput,
): Omit<ScheduledCallback, "callbackId" | "createdAtMs"> {
  const dialNumber = nanpDigitsOf(body.phoneNumber);
  if (dialNumber === undefined) throw invalid("phoneNumber", "is not a NANP (or UK, 44…) phone number");
  if (!state.skills.has(body.skillId)) throw invalid("skillId", "names no skill of the business unit");
  const agent = body.targetAgentId === "" || body.targetAgentId == null ? null : body.targetAgentId;
  if (agent !== null && !state.world.agents.some((a) => a.agentId === agent))
    throw invalid("targetAgentId", "names no agent of the business unit");
  const atMs = scheduleDateMs(body.scheduleDate, callbackZoneOf(state));
  if (atMs === undefined) throw invalid("scheduleDate");
  if (atMs < clockNowMs()) throw invalid("scheduleDate", "is in the past");
  return {
    skillId: body.skillId,
    dialNumber,
    firstName: body.firstName ?? "",
    lastName: body.lastName ?? "",
    notes: body.notes ?? "",
    targetAgentId: agent,
    atMs,
    status: "pending",
  };
}

function pendingOr404(state: CxoneState, params: Record<string, string>): ScheduledCallback {
  const callbackId = pathId(params, "callbackId");
  // Moved to now first: a callback already dialled is no longer there to read or delete.
  const found = pendingCallbacks(state).find((c) => c.callbackId === callbackId);
  if (!found) throw notFound(`Scheduled callback ${callbackId}`);
  return found;
}

export function registerScheduledCallbackRoutes(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;
  // Knob scheduledCallbackRoutes: absent answers as pipeline.ts's handler of an unknown route.
  const apiRoute = (a: FastifyInstance, spec: ApiRoute, handler: (call: ApiCall) => unknown) =>
    apiRouteOf(a, spec, (call) => {
      if (state.knobs.scheduledCallbackRoutes === "absent")
        throw new CxoneError(
          404,
          "NotFound",
          `no resource at ${call.request.method} ${pathOf(call.request.originalUrl)}`,
        );
      return handler(call);
    });
  const listing = (callbacks: ScheduledCallback[]) => ({
    callbacks: callbacks
      .sort((a, b) => a.atMs - b.atMs || a.callbackId - b.callbackId)
      .map((c) => callbackJson(state, c)),
  });

  apiRoute(app, { method: "POST", path: "/scheduled-callbacks", group: "contacts" }, (call) => {
    const wanted = callbackOf(state, parseOr400(callbackBody, call.body, "body"));
    const callbackId = state.nextId("callback");
    state.scheduledCallbacks.set(callbackId, { ...wanted, callbackId, createdAtMs: clockNowMs() });
    return sendJson(ctx, call.reply, { callbackId });
  });

  apiRoute(
    app,
    { method: "GET", path: "/skills/:skillId/scheduled-callbacks", group: "contacts" },
    (call) => {
      const skillId = pathId(call.params, "skillId");
      if (!state.skills.has(skillId)) throw skillNotFound(skillId, state.businessUnitId);
      return sendJson(ctx, call.reply, listing(pendingCallbacks(state).filter((c) => c.skillId === skillId)));
    },
  );

  apiRoute(
    app,
    { method: "GET", path: "/agents/:agentId/scheduled-callbacks", group: "contacts" },
    (call) => {
      const agentId = pathId(call.params, "agentId");
      if (!state.world.agents.some((a) => a.agentId === agentId)) throw notFound(`Agent ${agentId}`);
      return sendJson(
        ctx,
        call.reply,
        listing(pendingCallbacks(state).filter((c) => c.targetAgentId === agentId)),
      );
    },
  );

  apiRoute(app, { method: "GET", path: "/scheduled-callbacks/:callbackId", group: "contacts" }, (call) =>
    sendJson(ctx, call.reply, listing([pendingOr404(state, call.params)])),
  );

  apiRoute(app, { method: "PUT", path: "/scheduled-callbacks/:callbackId", group: "contacts" }, (call) => {
    const current = pendingOr404(state, call.params);
    Object.assign(current, callbackOf(state, parseOr400(callbackBody, call.body, "body")));
    return sendJson(ctx, call.reply, { callbackId: current.callbackId });
  });

  // The body (CAB's `{callbackId}`) and `?description=` (QA's) are read by nothing: the path names it.
  apiRoute(app, { method: "DELETE", path: "/scheduled-callbacks/:callbackId", group: "contacts" }, (call) => {
    const current = pendingOr404(state, call.params);
    current.status = "deleted";
    return sendJson(ctx, call.reply, { callbackId: current.callbackId });
  });
}
