import { agentIdOf } from "../../core/call-agent.ts";
import type { ProductionApiSettings } from "../../core/config/schema.ts";
import {
  ConflictError,
  CxoneError,
  NotFoundError,
  UnreadableAnswerError,
  ValidationError,
} from "../../core/http/errors.ts";
import type { HttpResponse } from "../../core/http/http-client.ts";
import { pathOf } from "../../core/http/http-client.ts";
import { isSkillId } from "../../core/ids.ts";
import { InputError } from "../../core/input-error.ts";
import type { DispositionsPort } from "../ports/dispositions.ts";
import type { CallDispositionInput, CallDispositionResult, CallDispositionState } from "../types.ts";
import { endSessionRequest, joinSessionRequest } from "./agent-session-requests.ts";
import type { ProductionApi } from "./api.ts";
import { type ContactView, readContact } from "./contacts.ts";
import { LiveContacts } from "./live-contacts.ts";
import { assertCodeOfSkill, assertContactOfSkill, readSkillMatrix } from "./skill-dispositions.ts";
import { TagCatalogue } from "./tags.ts";
import { idOfAnswer, listOf, pick, type Raw, text } from "./tolerant.ts";

/**
 * Seed 000 over the production API. A campaign is a Personal Connection skill, a call is a
 * contact. The skill's dispositions are the matrix (the platform has no reason codes under a
 * disposition: `reasonCodes` is always empty; its flat secondary disposition is reachable only
 * through an agent session). Tagging sets the disposition (back-end `set-disposition`, or the
 * agent-session path when configured), then the tags by id.
 */
export interface ProductionDispositions extends DispositionsPort {
  /** Ends every agent session this port joined (the client's close calls it). */
  endSessions(): Promise<void>;
}

/** What every step of the port shares: the API, the settings, and the caches that outlive a call. */
interface Context {
  api: ProductionApi;
  options: ProductionApiSettings;
  tags: TagCatalogue;
  live: LiveContacts;
  /** Agent id → the session joined for it (a promise, so concurrent rows join once). */
  sessions: Map<string, Promise<string>>;
}

export function productionDispositions(
  api: ProductionApi,
  options: ProductionApiSettings,
  /** The tenant profile's facts (doctor's): `ignoreSkip` reads the tag list once. */
  facts: Record<string, unknown> = {},
): ProductionDispositions {
  const ctx: Context = {
    api,
    options,
    tags: new TagCatalogue(api, options.createUnknownTags, facts.ignoreSkip === true),
    live: new LiveContacts(api),
    sessions: new Map(),
  };
  return {
    getMatrix: (campaignId, signal) => readSkillMatrix(api, campaignId, signal),
    setCallDisposition: (callId, input, signal, scope) =>
      setCallDisposition(ctx, callId, input, signal, scope),
    getCall: async (callId, signal) => toState(ctx, await readContact(api, callId, signal)),
    endSessions: () => endSessions(ctx),
  };
}

function toState(ctx: Context, view: ContactView): CallDispositionState {
  return {
    id: view.id,
    campaignId: view.skillId,
    dispositionCode: view.primaryDispositionId,
    reasonCodeId: view.secondaryDispositionId,
    tags: view.tags,
    notes: view.notes,
    // The platform sets a disposition only while the contact is live (unless opted in).
    locked: !view.active && !ctx.options.allowClosedContactDisposition,
    ...calledOf(view.raw),
  };
}

/** The contact's number (toAddress, ten digits for NANP) and start, as the domain's fields. */
function calledOf(raw: Raw): { phone?: string; startTime?: string } {
  const to = text(pick(raw, "toAddress", "toAddr"))?.replace(/[^\d+]/g, "");
  const phone =
    to === undefined ? undefined : /^\d{10}$/.test(to) ? `+1${to}` : /^\+\d{8,15}$/.test(to) ? to : undefined;
  const startTime = text(pick(raw, "contactStartDate", "contactStart"));
  return { ...(phone ? { phone } : {}), ...(startTime ? { startTime } : {}) };
}

async function setCallDisposition(
  ctx: Context,
  callId: string,
  input: CallDispositionInput,
  signal?: AbortSignal,
  scope?: { campaignId: string },
): Promise<CallDispositionResult> {
  const { api, options } = ctx;
  if (input.reasonCodeId && options.dispositionVia !== "agent-session") {
    throw new InputError({
      field: "reasonCodeId",
      rule: `call ${callId}: CXone has no reason codes; a secondary disposition can only be set through an agent session (cxone.productionApi.dispositionVia: agent-session)`,
    });
  }
  // A call of the campaign being tagged is looked up in that skill's live list (one cached
  // read for many rows: live-contacts.ts says why that is safe); any other call, or one the
  // list does not hold, is read on its own.
  const listed =
    scope && isSkillId(scope.campaignId) ? await ctx.live.find(scope.campaignId, callId, signal) : undefined;
  const view = listed ?? (await readContact(api, callId, signal));
  // The contact's record names its skill: a call of another campaign is refused, and without
  // a campaign the code must be in the contact's own skill's matrix (nothing sent otherwise).
  if (scope) assertContactOfSkill(view, scope.campaignId);
  else await assertCodeOfSkill(api, view, input.dispositionCodeId, "dispositionCodeId", signal);
  if (!view.active && !options.allowClosedContactDisposition) {
    throw new ConflictError(
      `call ${callId} has ended: CXone sets a disposition only while the contact is live (set cxone.productionApi.allowClosedContactDisposition to try anyway)`,
      { status: 409, body: { error: "locked" } },
    );
  }
  // Unknown tags are refused before anything is written.
  const tagIds = await ctx.tags.idsOf(input.tags, signal);
  const response: HttpResponse =
    options.dispositionVia === "agent-session"
      ? await setViaAgentSession(ctx, view, input, signal)
      : await setViaContact(ctx, view, input, signal);
  // Read back where a 200 is not proof: a completed contact; and, once the user has said this
  // tenant takes writes to completed contacts, a call known live only from the cached list
  // (it may have ended since, and its write then landed on a completed contact).
  const after =
    !view.active || (listed && options.allowClosedContactDisposition)
      ? await verifyClosed(api, view, input, signal)
      : undefined;
  const notApplied =
    tagIds.length > 0 ? await attachTags(ctx, callId, view, input, tagIds, signal) : undefined;
  const attached = notApplied ? [] : input.tags;
  const held = after ?? view;
  return {
    ...(notApplied ? { notApplied } : {}),
    // What CXone took: the contact as read back (a completed one), or as written (a live
    // call, whose 200 is the proof; tags the contact held before are those its read showed).
    call: {
      ...toState(ctx, held),
      dispositionCode: after ? after.primaryDispositionId : input.dispositionCodeId,
      reasonCodeId: after
        ? after.secondaryDispositionId
        : options.dispositionVia === "agent-session"
          ? input.reasonCodeId
          : undefined,
      notes: after ? after.notes : input.notes,
      tags: [...new Set([...held.tags, ...attached])],
    },
    status: response.status,
    requestId: response.requestId,
    attempts: response.attempts,
    latencyMs: response.latencyMs,
    attemptLatenciesMs: response.attemptLatenciesMs,
  };
}

/**
 * Attaches the tags once the disposition is set. A refusal of the tags makes the write partial,
 * not failed: it is returned as what was not applied, and why; any other failure is thrown.
 */
async function attachTags(
  ctx: Context,
  callId: string,
  view: ContactView,
  input: CallDispositionInput,
  tagIds: readonly string[],
  signal?: AbortSignal,
): Promise<{ tags: string[]; reason: string } | undefined> {
  try {
    await ctx.tags.attach(callId, tagIds, signal);
    return undefined;
  } catch (error) {
    if (error instanceof NotFoundError && view.active)
      return {
        tags: [...input.tags],
        reason: "this tenant attaches tags only to a completed contact; tag the call again once it has ended",
      };
    if (error instanceof ValidationError && error.endpoint === "POST /contacts/{contactId}/tags")
      return { tags: [...input.tags], reason: error.message };
    throw error;
  }
}

/** Back-end path: the Studio SETDISPOSITION equivalent (an overwrite, so safe to retry). */
async function setViaContact(
  ctx: Context,
  view: ContactView,
  input: CallDispositionInput,
  signal?: AbortSignal,
): Promise<HttpResponse> {
  // Never send an empty id onward: CXone would take `skill: ""` as a request about no skill.
  if (view.skillId === "")
    throw new UnreadableAnswerError(
      `contact ${view.id}'s record`,
      "a skill (its record of the contact names no skill, so set-disposition was not sent)",
    );
  const send = (code: string) =>
    ctx.api.request({
      method: "POST",
      path: pathOf`/contacts/${view.id}/set-disposition`,
      endpoint: "POST /contacts/{contactId}/set-disposition",
      group: "dispositions",
      // GEN declares the id again as a required query (FULL: none); harmless where not required.
      query: { contactId: view.id },
      body: {
        dispositionInfo: {
          skill: view.skillId,
          dispositionCode: code,
          ...(input.notes ? { notes: input.notes } : {}),
        },
      },
      idempotencyKey: true,
      ...(signal ? { signal } : {}),
    });
  try {
    return await send(input.dispositionCodeId);
  } catch (error) {
    const refusal = await refusalOf(ctx, error, view, signal);
    if (refusal) throw refusal;
    // Whether the field takes the id or the name is not confirmed: try the name once.
    if (!(error instanceof ValidationError)) throw error;
    const matrix = await readSkillMatrix(ctx.api, view.skillId, signal);
    const name = matrix.codes.find((c) => c.id === input.dispositionCodeId)?.name;
    if (!name || name === input.dispositionCodeId) throw error;
    return send(name);
  }
}

/**
 * set-disposition's refusals that are not about the row (HELP-SD's failure branches, and a
 * contact that ended between our read and the write), as one sentence with the fix each.
 */
async function refusalOf(
  ctx: Context,
  error: unknown,
  view: ContactView,
  signal?: AbortSignal,
): Promise<CxoneError | undefined> {
  if (!(error instanceof CxoneError) || (error.status !== 400 && error.status !== 404)) return undefined;
  const said = `${JSON.stringify(error.body ?? "")} ${error.message}`;
  const details = {
    status: error.status,
    endpoint: "POST /contacts/{contactId}/set-disposition",
    body: error.body,
  };
  if (/SkillNotRunning/i.test(said)) {
    ctx.live.forget(view.skillId);
    return new ConflictError(
      `call ${view.id} not tagged: skill ${view.skillId} is not running, and CXone sets a disposition only on a running skill (start the skill, or resume the campaign, then tag again)`,
      details,
    );
  }
  if (/SkillNotConfiguredForDispositionViaScript/i.test(said))
    return new ConflictError(
      `call ${view.id} not tagged: skill ${view.skillId} is not configured for disposition by script (turn that on in the skill's settings in CXone, or set cxone.productionApi.dispositionVia: agent-session)`,
      details,
    );
  if (!view.active) return undefined;
  // An ended contact may be in the warehouse's lag (404 everywhere): ask only whether it is live.
  const isLive = await ctx.api
    .request({
      method: "GET",
      path: "/contacts/active",
      endpoint: "GET /contacts/active",
      group: "dispositions",
      query: { contactId: view.id },
      ...(signal ? { signal } : {}),
    })
    .then(
      (r) => listOf(r.body, "activeContacts").some((c) => text(c.contactId) === view.id),
      () => true,
    );
  if (!isLive) ctx.live.forget(view.skillId, view.id);
  if (!isLive && !ctx.options.allowClosedContactDisposition)
    return new ConflictError(
      `call ${view.id} ended before its disposition could be set: CXone sets a disposition only while the contact is live (set cxone.productionApi.allowClosedContactDisposition to try a completed contact anyway)`,
      { ...details, status: 409, body: { error: "locked", cxone: error.body ?? null } },
    );
  return undefined;
}

/** The session joined for an agent, joined once and shared; a failed join is forgotten. */
function sessionFor(ctx: Context, agentId: string, signal?: AbortSignal): Promise<string> {
  let session = ctx.sessions.get(agentId);
  if (!session) {
    session = ctx.api
      .request({
        method: "POST",
        ...joinSessionRequest(agentId), // asAgentId in the body and the query (agent-session-requests.ts)
        group: "dispositions",
        ...(signal ? { signal } : {}),
      })
      .then((response) => idOfAnswer(response, "sessionId", "POST /agent-sessions/join"));
    session.catch(() => ctx.sessions.delete(agentId));
    ctx.sessions.set(agentId, session);
  }
  return session;
}

async function setViaAgentSession(
  ctx: Context,
  view: ContactView,
  input: CallDispositionInput,
  signal?: AbortSignal,
): Promise<HttpResponse> {
  // The agent rule: CXone's 0 is no agent (the contact's is read by it in contacts.ts, live-contacts.ts).
  const sessionAgent = agentIdOf(ctx.options.agentId) ?? view.agentId;
  if (sessionAgent === undefined)
    throw new InputError({
      field: "cxone.productionApi.agentId",
      rule: `is required to set contact ${view.id}'s disposition through an agent session (the contact names no agent)`,
    });
  const sessionId = await sessionFor(ctx, sessionAgent, signal);
  const integer = (value: string, field: string) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new InputError({ field, rule: `"${value}" is not a disposition id` });
    return n;
  };
  return ctx.api.request({
    method: "POST",
    path: pathOf`/agent-sessions/${sessionId}/interactions/${view.id}/disposition`,
    version: "v27.0",
    endpoint: "POST /agent-sessions/{sessionId}/interactions/{contactId}/disposition",
    group: "dispositions",
    body: {
      primaryDispositionId: integer(input.dispositionCodeId, "dispositionCodeId"),
      ...(input.notes ? { primaryDispositionNotes: input.notes } : {}),
      ...(input.reasonCodeId ? { secondaryDispositionId: integer(input.reasonCodeId, "reasonCodeId") } : {}),
    },
    idempotencyKey: true,
    ...(signal ? { signal } : {}),
  });
}

/**
 * A completed contact (opted in with allowClosedContactDisposition): CXone's 200 is not proof
 * there (a tenant may accept and ignore a write to a completed contact), so the contact is
 * read back before anything else is sent, and a disposition that did not take is a conflict,
 * never "tagged". A live call needs no read-back: set-disposition works only on a connected
 * contact (HELP-SD) and refuses otherwise, so its 200 is the platform's word that it took.
 */
async function verifyClosed(
  api: ProductionApi,
  view: ContactView,
  input: CallDispositionInput,
  signal?: AbortSignal,
): Promise<ContactView> {
  const after = await readContact(api, view.id, signal);
  if (after.primaryDispositionId !== input.dispositionCodeId)
    throw new ConflictError(
      `call ${view.id}: CXone answered the disposition write with success, but the contact reads disposition ${after.primaryDispositionId ?? "none"}, not ${input.dispositionCodeId}; not tagged (no tags were sent)`,
      {
        status: 409,
        body: {
          error: "not_applied",
          expected: input.dispositionCodeId,
          actual: after.primaryDispositionId ?? null,
        },
      },
    );
  return after;
}

/**
 * The sessions joined to set dispositions as an agent. NICE's agent SDK logs an agent out by
 * ending the session id it joined, so ending ours would very probably end the agent's own: by
 * default they are only forgotten (the tenant times them out). With `endJoinedSessions` (a
 * tenant shown to keep the agent logged in) each is ended with `forceLogoff`, `endContacts` and
 * `ignorePersonalQueue` false (in the JSON body and the query); every one is tried and a failure
 * reported after the others.
 */
async function endSessions(ctx: Context): Promise<void> {
  if (!ctx.options.endJoinedSessions) {
    ctx.sessions.clear();
    return;
  }
  const joined = [...ctx.sessions.values()];
  ctx.sessions.clear();
  const ends = await Promise.allSettled(
    joined.map(async (pending) => {
      const sessionId = await pending.catch(() => undefined);
      if (sessionId === undefined) return; // never opened
      await ctx.api.request({
        method: "DELETE",
        ...endSessionRequest(sessionId), // the flags in the body and the query
        group: "dispositions",
      });
    }),
  );
  const failed = ends.filter((end): end is PromiseRejectedResult => end.status === "rejected");
  if (failed.length > 0)
    throw new CxoneError(
      `${failed.length} of ${joined.length} agent session(s) could not be ended: ${errorText(failed[0]?.reason)}`,
    );
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
