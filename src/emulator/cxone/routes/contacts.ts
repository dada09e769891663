import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { clockNowDate, clockNowMs } from "../../../core/clock/now.ts";
import type { CxoneContext } from "../context.ts";
import type { ContactFacts } from "../data/contacts.ts";
import type { ActiveContact, Disposition } from "../data/model.ts";
import { contactRecord } from "../data/wire.ts";
import { CxoneError, invalid, notFound, parseOr400 } from "../errors.ts";
import { type ApiCall, apiRoute, integer, pathId, sendEmpty, sendJson, text } from "../http.ts";
import { pageOf, sendPage } from "../paging.ts";
import type { CxoneState } from "../state.ts";
import { parseDate } from "./dates.ts";
/**
 * §C2 #10, #12–14: one contact (completed or live), its disposition (`V27.0`), the active
 * contacts, and `set-disposition` (an overwrite; on a completed contact the `closedContact`
 * knob decides: "reject" by default, as HELP-SETDISP suggests; a stopped skill fails with
 * `SkillNotRunning`, one in knob `noScriptDispositionSkills` with
 * `SkillNotConfiguredForDispositionViaScript`, as the Studio action's branches are named).
 */
export function contactFactsOr404(
  state: CxoneState,
  call: ApiCall,
): { contactId: number; facts: ContactFacts | null; active: ActiveContact | null } {
  const contactId = pathId(call.params, "contactId");
  const active = state.active.get(contactId) ?? null;
  if (active) return { contactId, facts: null, active };
  const position = state.warehouse.positionOf(contactId);
  // Not yet warehoused (younger than the lag) is "not found", as on the platform.
  if (position === -1 || state.warehouse.startMs(position) > state.visibleUntilMs()) {
    throw notFound(`contact ${contactId}`);
  }
  return { contactId, facts: state.warehouse.facts(position), active: null };
}

const setDispositionBody = z.strictObject({
  dispositionInfo: z.strictObject({
    skill: z.union([z.string().regex(/^\d+$/), z.number().int()]),
    dispositionCode: z.union([z.string().min(1), z.number().int()]),
    notes: z.string().max(2000).optional(),
    callbackNumber: z.string().optional(),
    callbackTime: z.string().optional(),
    commitmentAmount: z.union([z.string(), z.number()]).optional(),
  }),
});

function dispositionFor(state: CxoneState, code: string | number, skillDispositions: number[]): Disposition {
  const mode = state.knobs.dispositionCode;
  const asText = String(code).trim();
  const byId = /^\d+$/.test(asText) ? state.dispositions.get(Number(asText)) : undefined;
  const byName = [...state.dispositions.values()].find(
    (d) => d.dispositionName.toLowerCase() === asText.toLowerCase(),
  );
  const found = mode === "id" ? byId : mode === "name" ? byName : (byId ?? byName);
  if (!found?.isActive || !skillDispositions.includes(found.dispositionId)) {
    throw invalid("dispositionInfo.dispositionCode");
  }
  return found;
}

export function registerContactRoutes(app: FastifyInstance, ctx: CxoneContext): void {
  apiRoute(app, { method: "GET", path: "/contacts/active", group: "contacts" }, (call) =>
    activeContacts(ctx, call),
  );
  apiRoute(app, { method: "GET", path: "/contacts/:contactId", group: "contacts" }, (call) =>
    oneContact(ctx, call),
  );
  apiRoute(app, { method: "GET", path: "/contacts/:contactId/disposition", group: "contacts" }, (call) =>
    contactDisposition(ctx, call),
  );
  apiRoute(app, { method: "POST", path: "/contacts/:contactId/set-disposition", group: "contacts" }, (call) =>
    setDisposition(ctx, call),
  );
}

/** `GET /contacts/active`: the live contacts, filtered by the query's ids and `updatedSince`. */
function activeContacts(ctx: CxoneContext, call: ApiCall): unknown {
  const { state } = ctx;
  const skillId = integer(call.query, "skillId", 0);
  const contactId = integer(call.query, "contactId", 0);
  const mediaTypeId = integer(call.query, "mediaTypeId", 0);
  const agentId = integer(call.query, "agentId", 0);
  const since = parseDate(call.query, "updatedSince");
  const all = [...state.active.values()]
    .filter((c) => skillId === null || c.skillId === skillId)
    .filter((c) => contactId === null || c.contactId === contactId)
    .filter(() => mediaTypeId === null || mediaTypeId === 4)
    .filter((c) => agentId === null || c.agentId === agentId)
    .filter((c) => since === null || c.contactStartMs >= since)
    .map((c) => ({
      contactId: c.contactId,
      masterContactId: c.contactId,
      skillId: c.skillId,
      skillName: state.skills.get(c.skillId)?.skillName ?? "",
      agentId: c.agentId,
      isOutbound: true,
      mediaTypeId: 4,
      stateName: c.stateName,
      toAddress: c.toAddress,
      contactStartDate: new Date(c.contactStartMs).toISOString(),
    }));
  const page = pageOf(ctx, call.query);
  return sendPage(ctx, call, "activeContacts", all.slice(page.skip, page.skip + page.top), all.length, page);
}

/** `GET /contacts/{contactId}`: the record, in the envelope the `contactEnvelope` knob names. */
function oneContact(ctx: CxoneContext, call: ApiCall): unknown {
  const { state } = ctx;
  const { facts, active } = contactFactsOr404(state, call);
  const record = contactRecord(
    facts ?? state.activeFacts(active as ActiveContact),
    call.version,
    state.lookups(),
  );
  if (active) record.isWarehoused = false;
  const envelope = state.knobs.contactEnvelope;
  const head = { businessUnitId: state.businessUnitId, lastPollTime: clockNowDate().toISOString() };
  const body =
    envelope === "flat"
      ? record
      : envelope === "wrapped"
        ? { ...head, contactId: record }
        : { ...head, totalRecords: 1, [envelope]: [record] };
  return sendJson(ctx, call.reply, body);
}

function contactDisposition(ctx: CxoneContext, call: ApiCall): unknown {
  const { state } = ctx;
  const { facts, active } = contactFactsOr404(state, call);
  const f = facts ?? state.activeFacts(active as ActiveContact);
  if (f.primaryDispositionId === null) {
    if (state.knobs.noDispositionStatus === 204) return sendEmpty(call.reply, 204);
    throw notFound(`a disposition of contact ${f.contactId}`);
  }
  return sendJson(ctx, call.reply, {
    contactId: f.contactId,
    dispositionId: f.primaryDispositionId,
    dispositionName: state.dispositions.get(f.primaryDispositionId)?.dispositionName ?? "",
    secondaryDispositionId: f.secondaryDispositionId,
    [state.knobs.dispositionAgentField]: f.dispositionAgentId,
    notes: f.dispositionNotes,
    lastUpdated: new Date(f.lastUpdateMs).toISOString(),
  });
}

/** `POST /contacts/{contactId}/set-disposition`: an overwrite, refused as the Studio action's branches say. */
function setDisposition(ctx: CxoneContext, call: ApiCall): unknown {
  const { state } = ctx;
  const { contactId, facts, active } = contactFactsOr404(state, call);
  if (
    state.knobs.setDispositionContactIdQuery === "required" &&
    (text(call.query, "contactId") ?? "") !== String(contactId)
  )
    throw invalid("contactId", "is required in the query and must be the path's contact id");
  const info = parseOr400(setDispositionBody, call.body, "body").dispositionInfo;
  const skillId = Number(info.skill);
  const contactSkill = active?.skillId ?? facts?.skillId;
  if (skillId !== contactSkill) throw invalid("dispositionInfo.skill", "is not the contact's skill");
  const skill = state.skills.get(skillId);
  // The Studio action's failure branches (HELP-SD), before the code is looked at.
  if (skill && !skill.isRunning)
    throw new CxoneError(400, "SkillNotRunning", `skill ${skillId} is not running`);
  if (state.knobs.noScriptDispositionSkills.includes(skillId))
    throw new CxoneError(
      400,
      "SkillNotConfiguredForDispositionViaScript",
      `skill ${skillId} is not configured for disposition via script`,
    );
  const disposition = dispositionFor(state, info.dispositionCode, skill?.dispositionIds ?? []);
  const now = clockNowMs();
  if (active) {
    state.activeDispositions.set(contactId, {
      primary: disposition.dispositionId,
      secondary: null,
      notes: info.notes ?? "",
      agentId: call.grant.agentId,
      atMs: now,
    });
  } else {
    if (state.knobs.closedContact === "reject") throw invalid("contactId", "is not an active contact");
    if (state.knobs.closedContact === "ignore") return sendEmpty(call.reply, 200);
    const override = state.warehouse.overrides.get(contactId) ?? { lastUpdateMs: 0 };
    Object.assign(override, {
      primaryDispositionId: disposition.dispositionId,
      dispositionNotes: info.notes ?? "",
      dispositionAgentId: call.grant.agentId,
      lastUpdateMs: now,
    });
    state.warehouse.overrides.set(contactId, override);
  }
  return sendEmpty(call.reply, 200);
}
