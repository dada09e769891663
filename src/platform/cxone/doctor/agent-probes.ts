import { pathOf } from "../../../core/http/http-client.ts";
import type { DoctorWrite } from "../../ports/doctor.ts";
import { endSessionRequest, joinSessionRequest } from "../agent-session-requests.ts";
import type { ProductionApi } from "../api.ts";
import { SKILLS_VIEW_FREE_VERSION } from "../skill-dispositions.ts";
import { listOf, text } from "../tolerant.ts";
import { evidenceOf, ok, type RecordingCall, recordingCaller } from "./probe-call.ts";
import type { Observation } from "./read-probes.ts";

/**
 * Probes on a test agent's live contact (`--agent-probe`): they change that contact (its
 * disposition, a tag) and log the test agent's joined session off, so they run only when the
 * user names both. What they wrote is listed; a disposition cannot be put back.
 */
export async function probeAgent(
  api: ProductionApi,
  probe: { agentId: string; contactId: string },
  signal?: AbortSignal,
): Promise<{ facts: Observation[]; writes: DoctorWrite[] }> {
  const { call, writes } = recordingCaller(api, signal);
  const { agentId, contactId } = probe;
  const active = await call(
    {
      method: "GET",
      path: "/contacts/active",
      endpoint: "GET /contacts/active",
      group: "dispositions",
      query: { contactId },
    },
    false,
  );
  const contact = listOf(active.body, "activeContacts").find((c) => text(c.contactId) === contactId);
  const skillId = text(contact?.skillId);
  const facts: Observation[] = [];
  if (!skillId) {
    const note = `contact ${contactId} is not live on this tenant (GET /contacts/active answered ${active.status}); start a test call for the agent first`;
    for (const id of ["dispositionCode", "liveContactTags"])
      facts.push({ id, observed: null, evidence: [evidenceOf(active, null)], note });
  } else {
    facts.push(await probeDispositionCode(call, contactId, skillId));
    facts.push(await probeLiveContactTags(call, contactId));
  }
  facts.push(await probeJoinedSessionEnd(call, agentId));
  return { facts, writes };
}

/** One probe request; `write` says it changes the tenant (and so is listed among the writes). */

/** Whether set-disposition takes the code as the id, the name, or either: it sends both. */
async function probeDispositionCode(
  call: RecordingCall,
  contactId: string,
  skillId: string,
): Promise<Observation> {
  const read = (version?: string) =>
    call(
      {
        method: "GET",
        path: pathOf`/skills/${skillId}/dispositions`,
        ...(version ? { version } : {}),
        endpoint: "GET /skills/{skillId}/dispositions",
        group: "dispositions",
      },
      false,
    );
  // A role without Skills View reads them at v12.0, as the adapter does (skill-dispositions.ts).
  const pinned = await read();
  const dispositions = pinned.status === 403 ? await read(SKILLS_VIEW_FREE_VERSION) : pinned;
  const first = listOf(dispositions.body, "dispositions")[0];
  const dispositionId = text(first?.dispositionId);
  const dispositionName = text(first?.dispositionName);
  if (!dispositionId || !dispositionName)
    return {
      id: "dispositionCode",
      observed: null,
      evidence: [evidenceOf(dispositions, null)],
      note: `skill ${skillId} has no disposition to send`,
    };
  const send = (code: string) =>
    call(
      {
        method: "POST",
        path: pathOf`/contacts/${contactId}/set-disposition`,
        endpoint: "POST /contacts/{contactId}/set-disposition",
        group: "dispositions",
        query: { contactId },
        body: { dispositionInfo: { skill: skillId, dispositionCode: code } },
      },
      true,
    );
  const byId = await send(dispositionId);
  const byName = await send(dispositionName);
  const observed = ok(byId) && ok(byName) ? "either" : ok(byId) ? "id" : ok(byName) ? "name" : null;
  return {
    id: "dispositionCode",
    observed,
    evidence: [
      evidenceOf(byId, ok(byId) ? null : undefined),
      evidenceOf(byName, ok(byName) ? null : undefined),
    ],
  };
}

/** Whether the tenant attaches a tag to a live contact (some take tags only once it has ended). */
async function probeLiveContactTags(call: RecordingCall, contactId: string): Promise<Observation> {
  const tags = await call(
    { method: "GET", path: "/tags", endpoint: "GET /tags", group: "dispositions", query: { top: 1 } },
    false,
  );
  const tagId = text(listOf(tags.body, "tags")[0]?.tagId);
  if (!tagId)
    return {
      id: "liveContactTags",
      observed: null,
      evidence: [evidenceOf(tags, null)],
      note: "the tenant has no tag to attach",
    };
  const tagged = await call(
    {
      method: "POST",
      path: pathOf`/contacts/${contactId}/tags`,
      endpoint: "POST /contacts/{contactId}/tags",
      group: "dispositions",
      body: { tags: [{ tagId: Number(tagId) || tagId }] },
    },
    true,
  );
  return {
    id: "liveContactTags",
    observed: ok(tagged) ? "accept" : [400, 404].includes(tagged.status) ? "reject" : null,
    evidence: [evidenceOf(tagged, ok(tagged) ? null : undefined)],
  };
}

/** Join the test agent's session, end the joined session, and see whether the agent is still in. */
async function probeJoinedSessionEnd(call: RecordingCall, agentId: string): Promise<Observation> {
  const join = await call(
    {
      method: "POST",
      ...joinSessionRequest(agentId), // as the adapter joins: the body and the query
      group: "dispositions",
    },
    true,
  );
  const sessionId = text((join.body as { sessionId?: unknown } | undefined)?.sessionId);
  if (!ok(join) || !sessionId)
    return {
      id: "joinedSessionEnd",
      observed: null,
      evidence: [evidenceOf(join)],
      note: `could not join agent ${agentId}'s session`,
    };
  const end = await call(
    {
      method: "DELETE",
      ...endSessionRequest(sessionId),
      group: "dispositions",
    },
    true,
  );
  const states = await call(
    {
      method: "GET",
      path: pathOf`/agents/${agentId}/states`,
      endpoint: "GET /agents/{agentId}/states",
      group: "dispositions",
    },
    false,
  );
  const state = text(listOf(states.body, "agentStates")[0]?.agentStateName);
  return {
    id: "joinedSessionEnd",
    observed: !ok(end) || !state ? null : /loggedout/i.test(state) ? "logout" : "leave",
    evidence: [
      evidenceOf(end, ok(end) ? null : undefined),
      evidenceOf(states, { agentStateName: state ?? null }),
    ],
    ...(state && /loggedout/i.test(state)
      ? { note: `agent ${agentId} was logged out by ending the joined session: log them back in` }
      : {}),
  };
}
