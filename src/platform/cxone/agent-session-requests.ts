import { pathOf } from "../../core/http/http-client.ts";

/**
 * The agent-session join and end as cxo sends them, in one place (the adapter's disposition path
 * and doctor's agent probe). Two official-side sources disagree on where their parameters go
 * (independent-clients.md rows 19 and 22, disagreement 4): NICE's agent SDK sends `{asAgentId}`
 * and `{forceLogoff, endContacts, ignorePersonalQueue}` as JSON bodies (core-sdk
 * `acd-session-manager.js:505-512, 566-590`), the client generated from NICE's OpenAPI documents
 * (calljacob `agent/SessionsService.ts`) declares them as query parameters. A platform that
 * reads only one of them would otherwise join as the API user or end the agent's calls; sending
 * the same values in both is harmless either way.
 */
export interface SessionRequest {
  path: string;
  endpoint: string;
  query: Record<string, string | boolean>;
  body: Record<string, string | boolean>;
}

export function joinSessionRequest(agentId: string): SessionRequest {
  return {
    path: "/agent-sessions/join",
    endpoint: "POST /agent-sessions/join",
    query: { asAgentId: agentId },
    body: { asAgentId: agentId },
  };
}

/** Ends a joined session without forcing a logoff or ending the agent's contacts. */
export function endSessionRequest(sessionId: string): SessionRequest {
  const flags = { forceLogoff: false, endContacts: false, ignorePersonalQueue: false };
  return {
    path: pathOf`/agent-sessions/${sessionId}`,
    endpoint: "DELETE /agent-sessions/{sessionId}",
    query: flags,
    body: flags,
  };
}
