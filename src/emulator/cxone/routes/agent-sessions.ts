import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { CxoneContext } from "../context.ts";
import { invalid, notFound, parseOr400 } from "../errors.ts";
import { apiRoute, bool, integer, sendEmpty, sendJson } from "../http.ts";

/**
 * §C2 #11: the agent-session disposition path. Join a session as an agent, then disposition
 * a contact that agent holds (a live call: anything else is a 400). The status is 202 by
 * default (knob `agentDispositionStatus`). `DELETE /agent-sessions/{id}` ends a session (GEN
 * `endSession`, query `forceLogoff`, `endContacts`, `ignorePersonalQueue`): 202; an unknown one
 * is 404; `endContacts=true` ends the live calls its agent holds (they join the warehouse).
 * Ending a joined session logs the agent out under knob `joinedSessionEnd: "logout"` (the agent
 * SDK's reading, the default); `GET /_emulator/agents` shows who is logged in.
 */
const dispositionBody = z.strictObject({
  primaryDispositionId: z.number().int().positive(),
  primaryDispositionNotes: z.string().max(2000).optional(),
  secondaryDispositionId: z.number().int().positive().nullable().optional(),
  secondaryDispositionNotes: z.string().max(2000).optional(),
  commitmentAmount: z.number().optional(),
  callbackTime: z.string().optional(),
  callbackNumber: z.string().optional(),
});

export function registerAgentSessionRoutes(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;

  apiRoute(app, { method: "POST", path: "/agent-sessions/join", group: "agent-sessions" }, (call) => {
    const agentId = integer(call.query, "asAgentId", 1);
    if (agentId === null) throw invalid("asAgentId", "is required");
    if (!state.world.agents.some((a) => a.agentId === agentId)) throw notFound(`agent ${agentId}`);
    const sessionId = randomUUID();
    state.sessions.set(sessionId, agentId);
    return sendJson(ctx, call.reply, { sessionId });
  });

  // The agent state API (cxone-api-overview: `GET /agents/{id}/states`): whether ending a
  // joined session left the agent logged in is read where a tenant would read it.
  apiRoute(app, { method: "GET", path: "/agents/:agentId/states", group: "agent-sessions" }, (call) => {
    const agentId = Number(call.params.agentId);
    if (!state.world.agents.some((a) => a.agentId === agentId))
      throw notFound(`agent ${call.params.agentId}`);
    const loggedOut = state.loggedOutAgents.has(agentId);
    const busy = [...state.active.values()].find((c) => c.agentId === agentId);
    return sendJson(ctx, call.reply, {
      agentStates: [
        {
          agentId,
          agentStateName: loggedOut ? "LoggedOut" : busy ? "OutboundContact" : "Available",
          contactId: busy && !loggedOut ? busy.contactId : null,
          skillId: busy && !loggedOut ? busy.skillId : null,
        },
      ],
    });
  });

  apiRoute(app, { method: "DELETE", path: "/agent-sessions/:sessionId", group: "agent-sessions" }, (call) => {
    const sessionId = call.params.sessionId ?? "";
    const agentId = state.sessions.get(sessionId);
    if (agentId === undefined) throw notFound(`agent session ${sessionId}`);
    state.sessions.delete(sessionId);
    if (state.knobs.joinedSessionEnd === "logout") state.loggedOutAgents.add(agentId);
    if (bool(call.query, "endContacts") === true)
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
      const body = parseOr400(dispositionBody, call.body, "body");
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
        atMs: Date.now(),
      });
      return sendEmpty(call.reply, state.knobs.agentDispositionStatus);
    },
  );
}
