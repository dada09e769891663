import type { ProductionApiSettings } from "../../core/config/schema.ts";
import { ConflictError, CxoneError, NotFoundError, ValidationError } from "../../core/http/errors.ts";
import type { HttpResponse } from "../../core/http/http-client.ts";
import { pathOf } from "../../core/http/http-client.ts";
import type { DispositionsPort } from "../ports/dispositions.ts";
import type { CallDispositionInput, CallDispositionState, DispositionMatrix } from "../types.ts";
import type { ProductionApi } from "./api.ts";
import { type ContactView, readContact } from "./contacts.ts";
import { allItems } from "./paging.ts";
import { TagCatalogue } from "./tags.ts";
import { text } from "./tolerant.ts";

/**
 * Seed 000 over the production API. A campaign is a Personal Connection skill, a call is a
 * contact. The skill's dispositions are the matrix (the platform has no reason codes under a
 * disposition: `reasonCodes` is always empty; its flat secondary disposition is reachable only
 * through an agent session). Tagging sets the disposition (back-end `set-disposition`, or the
 * agent-session path when configured), then the tags by id.
 */
export function productionDispositions(api: ProductionApi, options: ProductionApiSettings): DispositionsPort {
  const tags = new TagCatalogue(api, options.createUnknownTags);
  const sessions = new Map<string, Promise<string>>();

  const getMatrix = async (campaignId: string, signal?: AbortSignal): Promise<DispositionMatrix> => {
    const items = await allItems(api, {
      path: pathOf`/skills/${campaignId}/dispositions`,
      endpoint: "GET /skills/{skillId}/dispositions",
      group: "dispositions",
      key: "dispositions",
      signal,
    });
    const codes = items.flatMap((d) => {
      const id = text(d.dispositionId);
      return id === undefined ? [] : [{ id, name: text(d.dispositionName) ?? id, reasonCodes: [] }];
    });
    return { campaignId, codes };
  };

  const toState = (view: ContactView): CallDispositionState => ({
    id: view.id,
    campaignId: view.skillId,
    dispositionCode: view.primaryDispositionId,
    reasonCodeId: view.secondaryDispositionId,
    tags: view.tags,
    notes: view.notes,
    // The platform sets a disposition only while the contact is live (unless opted in).
    locked: !view.active && !options.allowClosedContactDisposition,
  });

  /** Back-end path: the Studio SETDISPOSITION equivalent (an overwrite, so safe to retry). */
  const setViaContact = async (view: ContactView, input: CallDispositionInput, signal?: AbortSignal) => {
    const send = (code: string) =>
      api.request({
        method: "POST",
        path: pathOf`/contacts/${view.id}/set-disposition`,
        endpoint: "POST /contacts/{contactId}/set-disposition",
        group: "dispositions",
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
      // Whether the field takes the id or the name is not confirmed: try the name once.
      if (!(error instanceof ValidationError)) throw error;
      const matrix = await getMatrix(view.skillId, signal);
      const name = matrix.codes.find((c) => c.id === input.dispositionCodeId)?.name;
      if (!name || name === input.dispositionCodeId) throw error;
      return send(name);
    }
  };

  const sessionFor = (agentId: string, signal?: AbortSignal): Promise<string> => {
    let session = sessions.get(agentId);
    if (!session) {
      session = api
        .request({
          method: "POST",
          path: "/agent-sessions/join",
          endpoint: "POST /agent-sessions/join",
          group: "dispositions",
          query: { asAgentId: agentId },
          ...(signal ? { signal } : {}),
        })
        .then((response) => {
          const id = text((response.body as { sessionId?: unknown } | undefined)?.sessionId);
          if (!id) throw new CxoneError("POST /agent-sessions/join: the answer carries no sessionId");
          return id;
        });
      session.catch(() => sessions.delete(agentId));
      sessions.set(agentId, session);
    }
    return session;
  };

  const setViaAgentSession = async (view: ContactView, input: CallDispositionInput, signal?: AbortSignal) => {
    const agentId = options.agentId ?? view.agentId;
    if (!agentId)
      throw new ValidationError(
        `contact ${view.id}: the agent-session path needs an agent (set cxone.productionApi.agentId)`,
      );
    const sessionId = await sessionFor(agentId, signal);
    const integer = (value: string, field: string) => {
      const n = Number(value);
      if (!Number.isSafeInteger(n)) throw new ValidationError(`${field} "${value}" is not a disposition id`);
      return n;
    };
    return api.request({
      method: "POST",
      path: pathOf`/agent-sessions/${sessionId}/interactions/${view.id}/disposition`,
      version: "v27.0",
      endpoint: "POST /agent-sessions/{sessionId}/interactions/{contactId}/disposition",
      group: "dispositions",
      body: {
        primaryDispositionId: integer(input.dispositionCodeId, "dispositionCodeId"),
        ...(input.notes ? { primaryDispositionNotes: input.notes } : {}),
        ...(input.reasonCodeId
          ? { secondaryDispositionId: integer(input.reasonCodeId, "reasonCodeId") }
          : {}),
      },
      idempotencyKey: true,
      ...(signal ? { signal } : {}),
    });
  };

  return {
    getMatrix,

    async setCallDisposition(callId, input, signal) {
      if (input.reasonCodeId && options.dispositionVia !== "agent-session") {
        throw new ValidationError(
          `call ${callId}: CXone has no reason codes; a secondary disposition (reasonCodeId) can only be set through an agent session (cxone.productionApi.dispositionVia: agent-session)`,
        );
      }
      const view = await readContact(api, callId, signal);
      if (!view.active && !options.allowClosedContactDisposition) {
        throw new ConflictError(
          `call ${callId} has ended: CXone sets a disposition only while the contact is live (set cxone.productionApi.allowClosedContactDisposition to try anyway)`,
          { status: 409, body: { error: "locked" } },
        );
      }
      // Unknown tags are refused before anything is written.
      const tagIds = await tags.idsOf(input.tags, signal);
      const response: HttpResponse =
        options.dispositionVia === "agent-session"
          ? await setViaAgentSession(view, input, signal)
          : await setViaContact(view, input, signal);
      if (tagIds.length > 0) {
        await tags.attach(callId, tagIds, signal).catch((error: unknown) => {
          if (error instanceof NotFoundError && view.active)
            throw new ConflictError(
              `call ${callId}: the disposition is set, but CXone attaches tags only to a completed contact; tag it again once the call has ended`,
              { status: 409, body: { error: "tags_after_completion" } },
            );
          throw error;
        });
      }
      const after = await readContact(api, callId, signal);
      return {
        call: toState(after),
        status: response.status,
        requestId: response.requestId,
        attempts: response.attempts,
        latencyMs: response.latencyMs,
        attemptLatenciesMs: response.attemptLatenciesMs,
      };
    },

    async getCall(callId, signal) {
      return toState(await readContact(api, callId, signal));
    },
  };
}
