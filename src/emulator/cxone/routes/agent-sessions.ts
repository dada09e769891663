import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { clockNowDate, clockNowMs } from "../../../core/clock/now.ts";
import type { CxoneContext } from "../context.ts";
import { invalid, notFound, parseOr400 } from "../errors.ts";
import { apiRoute, sendEmpty, sendJson, text } from "../http.ts";
import { bothWays } from "../request-types.ts";

/**
 * §C2 #11: the agent-session disposition path. Join a session as an agent, then disposition
 * a contact that agent holds (a live call: anything else is a 400). The status is 202 by
 * default (knob `agentDispositionStatus`). `DELETE /agent-sessions/{id}` ends a session (GEN
 * `endSession`): 202; an unknown one is 404; `endContacts=true` ends the live calls its agent
 * holds (they join the warehouse). Ending a joined session logs the agent out under knob
 * `joinedSessionEnd: "logout"` (the agent SDK's reading, the default); `GET /_emulator/agents`
 * shows who is logged in.
 *
 * Where the two official-side sources disagree, both are taken (independent-clients.md row 19,
 * 22, disagreement 4): NICE's agent SDK sends `{asAgentId}` and `{forceLogoff, endContacts,
 * ignorePersonalQueue}` as JSON bodies (core-sdk `acd-session-manager.js:505-512, 566-590`), the
 * generated client declares them as query parameters; each is read from either (the same name
 * in both with different values is a 400). The disposition body is NICE's
 * `CXoneDispositionDetails` (`primaryDispositionId, primaryDispositionNotes,
 * primaryCommitmentAmount?, primaryCallbackTime?, primaryCallbackNumber?`, also its v23.0
 * reschedule: `personal-connection-service.js:125-145`) with the secondary disposition.
 */
const numeric = z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]);
const flag = z.union([z.boolean(), z.enum(["true", "false", "True", "False"])]);

const joinBody = z.strictObject({ asAgentId: numeric.optional() });
const endBody = z.strictObject({
  forceLogoff: flag.optional(),
  endContacts: flag.optional(),
  ignorePersonalQueue: flag.optional(),
});

/** Quoted values and `""` optionals under `requestTypes: lenient` (NICE's QA quotes every value). */
const dispositionBody = bothWays((t) =>
  z.strictObject({
    primaryDispositionId: t.id(),
    primaryDispositionNotes: t.optional(z.string().max(2000)),
    primaryCommitmentAmount: t.optional(t.num().pipe(z.number().min(0))),
    primaryCallbackTime: t.optional(z.iso.datetime({ offset: true })),
    primaryCallbackNumber: t.optional(
      z.union([z.string(), z.number().int().transform(String)]).pipe(z.string().regex(/^\+?\d{4,20}$/)),
    ),
    secondaryDispositionId: t.optional(t.id()),
    secondaryDispositionNotes: t.optional(z.string().max(2000)),
  }),
);

/** A value given in the body, the query or both (equal): the body's `name` else the query's. */
function fromBodyOrQuery(body: Record<string, unknown>, query: string | null, name: string): string | null {
  const inBody = body[name];
  const given = inBody === undefined || inBody === null ? null : String(inBody).toLowerCase();
  if (given !== null && query !== null && given !== query.toLowerCase())
    throw invalid(name, "is given in the body and in the query, and they differ");
  return given ?? query;
}

const asFlag = (value: string | null, name: string): boolean | null => {
  if (value === null) return null;
  if (/^(true|1)$/i.test(value)) return true;
  if (/^(false|0)$/i.test(value)) return false;
  throw invalid(name);
};

export function registerAgentSessionRoutes(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;

  apiRoute(app, { method: "POST", path: "/agent-sessions/join", group: "agent-sessions" }, (call) => {
    const body = parseOr400(joinBody, call.body ?? {}, "body");
    const given = fromBodyOrQuery(body, text(call.query, "asAgentId"), "asAgentId");
    if (given === null) throw invalid("asAgentId", "is required (in the JSON body or the query)");
    const agentId = Number(given);
    if (!/^\d+$/.test(given) || !Number.isSafeInteger(agentId) || agentId < 1) throw invalid("asAgentId");
    if (!state.world.agents.some((a) => a.agentId === agentId)) throw notFound(`agent ${agentId}`);
    const sessionId = randomUUID();
    state.sessions.set(sessionId, agentId);
    return sendJson(ctx, call.reply, { sessionId });
  });

  // Every agent's state (DZ `agentStates[]`; CtrlAltWilson/Commitment-Automation-backend
  // `src/rc.py` reads `agentStates[].{agentStateName, teamName, firstName}` at v13.0; NICE's QA
  // sends `reqBUIds, updatedSince, fields`, read by nothing here). `teamName` is assumed as
  // "Team <teamId>".
  apiRoute(app, { method: "GET", path: "/agents/states", group: "agent-sessions" }, (call) =>
    sendJson(ctx, call.reply, {
      businessUnitId: state.businessUnitId,
      lastPollTime: clockNowDate().toISOString(),
      agentStates: state.world.agents.map((a) => ({
        ...agentStateOf(a.agentId),
        firstName: a.firstName,
        lastName: a.lastName,
        teamId: a.teamId,
        teamName: `Team ${a.teamId}`,
      })),
    }),
  );

  const agentStateOf = (agentId: number) => {
    const loggedOut = state.loggedOutAgents.has(agentId);
    const busy = [...state.active.values()].find((c) => c.agentId === agentId);
    return {
      agentId,
      agentStateName: loggedOut ? "LoggedOut" : busy ? "OutboundContact" : "Available",
      contactId: busy && !loggedOut ? busy.contactId : null,
      skillId: busy && !loggedOut ? busy.skillId : null,
    };
  };

  // The agent state API (cxone-api-overview: `GET /agents/{id}/states`): whether ending a
  // joined session left the agent logged in is read where a tenant would read it.
  apiRoute(app, { method: "GET", path: "/agents/:agentId/states", group: "agent-sessions" }, (call) => {
    const agentId = Number(call.params.agentId);
    if (!state.world.agents.some((a) => a.agentId === agentId))
      throw notFound(`agent ${call.params.agentId}`);
    return sendJson(ctx, call.reply, { agentStates: [agentStateOf(agentId)] });
  });

  apiRoute(app, { method: "DELETE", path: "/agent-sessions/:sessionId", group: "agent-sessions" }, (call) => {
    const sessionId = call.params.sessionId ?? "";
    const agentId = state.sessions.get(sessionId);
    if (agentId === undefined) throw notFound(`agent session ${sessionId}`);
    const body = parseOr400(endBody, call.body ?? {}, "body");
    const flags = Object.fromEntries(
      (["forceLogoff", "endContacts", "ignorePersonalQueue"] as const).map((name) => [
        name,
        asFlag(fromBodyOrQuery(body, text(call.query, name), name), name),
      ]),
    );
    state.sessions.delete(sessionId);
    if (state.knobs.joinedSessionEnd === "logout") state.loggedOutAgents.add(agentId);
    if (flags.endContacts === true)
      for (const contact of [...state.active.values()])
        if (contact.agentId === agentId) state.endActive(contact.contactId);
    return sendEmpty(call.reply, 202);
  });

  apiRoute(
    app,
    {
      method: "POST",
      path: "/agent-sessions/:sessionId/interactions/:contactId/disposition",
      group: "agent-sessions",
    },
    (call) => {
      const agentId = state.sessions.get(call.params.sessionId ?? "");
      if (agentId === undefined) throw notFound(`agent session ${call.params.sessionId}`);
      const contactId = Number(call.params.contactId);
      const contact = state.active.get(contactId);
      if (!contact || contact.agentId !== agentId)
        throw invalid("contactId", "is not in this agent's session");
      const body = parseOr400(dispositionBody[state.knobs.requestTypes], call.body, "body");
      const allowed = state.skills.get(contact.skillId)?.dispositionIds ?? [];
      for (const [field, id] of [
        ["primaryDispositionId", body.primaryDispositionId],
        ["secondaryDispositionId", body.secondaryDispositionId],
      ] as const) {
        if (id !== undefined && id !== null && !allowed.includes(id)) throw invalid(field);
      }
      state.activeDispositions.set(contactId, {
        primary: body.primaryDispositionId,
        secondary: body.secondaryDispositionId ?? null,
        notes: body.primaryDispositionNotes ?? "",
        agentId,
        atMs: clockNowMs(),
      });
      return sendEmpty(call.reply, state.knobs.agentDispositionStatus);
    },
  );
}
