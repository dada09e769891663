import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { clockDocument } from "../../../core/clock/index.ts";
import { clockNowMs } from "../../../core/clock/now.ts";
import { faultSpecSchemaFor } from "../../faults.ts";
import { ADMIN_PREFIX } from "../../pipeline.ts";
import { CXONE_GROUPS, type CxoneContext } from "../context.ts";
import { invalid, notFound, parseStrictOr400 } from "../errors.ts";
import { buildCxoneFixtures } from "../fixtures.ts";
import { originOf } from "../http.ts";
import { mergeKnobs } from "../knobs.ts";
import { touchParameters } from "./parameters.ts";

/**
 * The admin API under /_emulator (not part of CXone), with the seed emulator's verbs:
 * fixtures, the request log, faults (429 with or without Retry-After, 5xx with or without it,
 * resets, latency, token lifetime and revocation, a concurrent settings edit), knobs, reset,
 * and three hooks: a UI edit of a skill's parameters, new live calls on a skill, and the end of
 * an active contact.
 */
const faultsBody = faultSpecSchemaFor(CXONE_GROUPS).extend({
  /** From now on, tokens are issued with this lifetime (seconds). */
  tokenTtlS: z.number().int().min(1).max(31_536_000).optional(),
  /** After the next N reads of the skill's parameters, someone edits them "in the UI". */
  concurrentEdit: z
    .strictObject({
      skillId: z.number().int().positive(),
      afterReads: z.number().int().min(1).max(1000).default(1),
      generalSettings: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  /**
   * From now until the faults are cleared, a `POST dnc-groups/{id}/records` refuses these numbers
   * item by item (`success: false` with `error`, not added; the rest of the batch is taken).
   */
  refuseDncRecords: z
    .strictObject({
      phones: z
        .array(z.string().regex(/^\+?1?\d{10}$/, "must be a NANP number"))
        .min(1)
        .max(1000),
      error: z.string().min(1).max(200).default("Invalid phone number"),
    })
    .optional(),
  /**
   * From now until the faults are cleared, `removeProspects` leaves these external ids in the list
   * and answers each in `failedRecords` with `resultCode`.
   */
  failRemovals: z
    .strictObject({
      externalIds: z.array(z.string().min(1)).min(1).max(10_000),
      resultCode: z.string().min(1).max(200).default("RemoveFailed"),
    })
    .optional(),
  /**
   * From now until the faults are cleared, `GET dnc-groups/{id}` of these groups answers 404 (or
   * a bare 204) while the search still names them: a hit whose group cannot be read.
   */
  unreadableDncGroups: z
    .strictObject({
      groupIds: z.array(z.number().int().positive()).min(1).max(100),
      status: z.union([z.literal(404), z.literal(204)]).default(404),
    })
    .optional(),
});

/** `?contacts=N` (or the seed emulator's `?calls=N`): how many completed contacts to sample. */
const fixturesQuery = z.object({
  contacts: z.coerce.number().int().min(0).max(100_000).optional(),
  calls: z.coerce.number().int().min(0).max(100_000).optional(),
});

const touchBody = z
  .strictObject({ generalSettings: z.record(z.string(), z.unknown()).optional() })
  .default({});

/** New live calls on a running outbound skill (a bulk-tagging file needs many at once). */
const liveCallsBody = z.strictObject({
  count: z.number().int().min(1).max(100_000),
  /**
   * The agent holding every new call (default: the tenant's agents in turn); 0: none yet, as CXone
   * writes a contact no agent has taken.
   */
  agentId: z.number().int().nonnegative().optional(),
  /** The number every new call is to (E.164 or ten digits; default: 612-555-NNNN, one each). */
  phone: z
    .string()
    .regex(/^(\+1)?\d{10}$/, "must be a ten-digit North American number (E.164 or ten digits)")
    .optional(),
});

export function registerCxoneAdminRoutes(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;
  const at = (path: string) => `${ADMIN_PREFIX}${path}`;

  app.get(at("/fixtures"), async (request) => {
    const query = parseStrictOr400(fixturesQuery, request.query, "query");
    return buildCxoneFixtures(ctx, originOf(request), query.contacts ?? query.calls ?? 20);
  });

  app.get(at("/requests"), async () => ({ requests: ctx.log.list() }));
  // The clock this emulator reads (CXO_CLOCK / --clock): what its dialer and tokens run on.
  app.get(at("/clock"), async () => clockDocument());
  /** Each agent and whether they are still logged in (ending a joined session may log them out). */
  app.get(at("/agents"), async () => ({
    agents: state.world.agents.map((a) => ({
      agentId: a.agentId,
      loggedIn: !state.loggedOutAgents.has(a.agentId),
    })),
  }));
  app.delete(at("/requests"), async (_request, reply) => {
    ctx.log.clear();
    return reply.code(204).send();
  });

  app.get(at("/faults"), async () => ({ faults: ctx.faults.list(), tokenTtlS: ctx.tokens.ttlS }));
  app.post(at("/faults"), async (request, reply) => {
    const { tokenTtlS, concurrentEdit, refuseDncRecords, failRemovals, unreadableDncGroups, ...spec } =
      parseStrictOr400(faultsBody, request.body ?? {}, "body");
    for (const phone of refuseDncRecords?.phones ?? [])
      state.refusals.dncRecords.set(phone.replace(/\D/g, "").slice(-10), refuseDncRecords?.error ?? "");
    for (const id of failRemovals?.externalIds ?? [])
      state.refusals.removals.set(id, failRemovals?.resultCode ?? "");
    for (const id of unreadableDncGroups?.groupIds ?? [])
      state.refusals.unreadableGroups.set(id, unreadableDncGroups?.status ?? 404);
    if (concurrentEdit) {
      const skill = state.skills.get(concurrentEdit.skillId);
      if (!skill?.parameters) throw notFound(`Personal Connection skill ${concurrentEdit.skillId}`);
      state.pendingEdits.set(concurrentEdit.skillId, {
        afterReads: concurrentEdit.afterReads,
        patch: concurrentEdit.generalSettings ?? null,
      });
    }
    if (tokenTtlS !== undefined) ctx.tokens.ttlS = tokenTtlS;
    const fault = ctx.faults.add(spec);
    if (spec.expireTokens) ctx.tokens.revokeAll();
    return reply.code(201).send({
      ...fault,
      tokenTtlS: ctx.tokens.ttlS,
      concurrentEdit: concurrentEdit ?? null,
      refuseDncRecords: refuseDncRecords ?? null,
      failRemovals: failRemovals ?? null,
      unreadableDncGroups: unreadableDncGroups ?? null,
    });
  });
  app.delete(at("/faults"), async (_request, reply) => {
    ctx.faults.clear();
    state.pendingEdits.clear();
    state.refusals.dncRecords.clear();
    state.refusals.removals.clear();
    state.refusals.unreadableGroups.clear();
    ctx.tokens.ttlS = ctx.options.tokenTtlS;
    return reply.code(204).send();
  });

  app.get(at("/knobs"), async () => state.knobs);
  app.post(at("/knobs"), async (request) => {
    const merged = mergeKnobs(state.knobs, request.body ?? {});
    if (!merged.success) {
      const issue = merged.error.issues[0];
      throw invalid(issue?.path.join(".") || "body", issue ? `is invalid: ${issue.message}` : "is invalid");
    }
    Object.assign(state.knobs, merged.data);
    return state.knobs;
  });

  app.post(at("/reset"), async (_request, reply) => {
    state.reset();
    ctx.faults.clear();
    ctx.tokens.ttlS = ctx.options.tokenTtlS;
    return reply.code(204).send();
  });

  app.post(at("/skills/:skillId/touch"), async (request) => {
    const skillId = Number((request.params as { skillId: string }).skillId);
    const skill = state.skills.get(skillId);
    if (!skill?.parameters) throw notFound(`Personal Connection skill ${skillId}`);
    const body = parseStrictOr400(touchBody, request.body ?? {}, "body");
    touchParameters(skill, body.generalSettings ?? null);
    return { skillId, generalSettings: skill.parameters.generalSettings };
  });

  app.post(at("/skills/:skillId/contacts"), async (request) => {
    const skillId = Number((request.params as { skillId: string }).skillId);
    const skill = state.skills.get(skillId);
    if (!skill?.isOutbound || !skill.isRunning) throw notFound(`running outbound skill ${skillId}`);
    const body = parseStrictOr400(liveCallsBody, request.body ?? {}, "body");
    const agents = state.world.agents;
    if (body.agentId !== undefined && body.agentId !== 0 && !agents.some((a) => a.agentId === body.agentId))
      throw notFound(`agent ${body.agentId}`);
    const now = clockNowMs();
    const contacts = Array.from({ length: body.count }, (_, i) => {
      const agentId = body.agentId ?? (agents[i % agents.length]?.agentId as number);
      const contact = state.addActive(skillId, agentId, now, i % 10_000);
      if (body.phone !== undefined) contact.toAddress = body.phone.slice(-10);
      return { contactId: contact.contactId, skillId, agentId, phone: `+1${contact.toAddress}` };
    });
    return { contacts };
  });

  app.post(at("/contacts/:contactId/end"), async (request) => {
    const contactId = Number((request.params as { contactId: string }).contactId);
    if (!Number.isSafeInteger(contactId)) throw invalid("contactId");
    if (!state.endActive(contactId)) throw notFound(`active contact ${contactId}`);
    return { contactId, completed: true };
  });
}
