import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { clockNowDate } from "../../../core/clock/now.ts";
import type { CxoneContext } from "../context.ts";
import { type DncGroupState, formattedKey, groupKeyOf } from "../data/dnc-groups.ts";
import { invalid, notFound, parseOr400, skillNotFound } from "../errors.ts";
import { type ApiCall, apiRoute, bool, pathId, sendEmpty, sendJson, text } from "../http.ts";
import { links, pageOf, sendListPage } from "../paging.ts";
import { bothWays, type RequestTypes } from "../request-types.ts";
import type { CxoneState } from "../state.ts";

/**
 * Reference §4.4: the tenant's DNC groups. `GET/POST /dnc-groups` (the listing is
 * `resultSet:{totalGroups, dncGroups[]}`), `GET/PUT /dnc-groups/{id}` (PUT takes its changes in
 * the query), `GET/POST/DELETE …/records` (`{dncGroupRecords:[{phoneNumber, expiredDate?}]}`;
 * POST and DELETE answer `{errorCount, recordResults[…]}`), `GET` and `POST/DELETE /{skillId}`
 * under `…/contributing-skills` and `…/scrubbed-skills`, and `POST /dnc-groups/search?phoneNumber=`
 * (every group holding the number, active or not; 204 when none). A malformed request is a 400
 * naming the field, before anything changes.
 *
 * Answer shapes (issue 75, docs/emulator-cxone.md): one group is `{resultSet:{dncGroups:[…]}}`
 * and its records `{resultSet:{totalRecords, dncRecords:[…]}}` as calljacob's generated models and
 * DZ's samples show them; knobs `dncEnvelope: flat` and `dncRecordsKey: dncGroupRecords` serve
 * the shapes cxo first read, which its adapter still reads.
 */
const createBody = z.strictObject({
  dncGroupName: z.string().trim().min(1).max(100),
  dncGroupDescription: z.string().max(500).optional(),
});

/**
 * `{dncGroupRecords:[{phoneNumber, expiredDate?}]}`: `phoneNumber` ten digits (or eleven with the
 * leading 1; a UK number as 44 and its digits, assumed); under `requestTypes: lenient` also a JSON integer (the generated client's type, the
 * MCP's live finding) and `expiredDate` also `""` (NICE's QA) or a date alone.
 */
const recordsBody = bothWays((t) =>
  z.strictObject({
    dncGroupRecords: z
      .array(z.strictObject({ phoneNumber: t.phone(), expiredDate: t.optional(t.instant()) }))
      .min(1)
      .max(10_000),
  }),
);

const formatted = formattedKey;

function groupJson(g: DncGroupState) {
  return {
    dncGroupId: g.dncGroupId,
    dncGroupName: g.dncGroupName,
    dncGroupDescription: g.dncGroupDescription,
    validRecords: g.records.size,
    isActive: g.isActive,
    isRemoved: g.isRemoved,
    createDate: g.createDate,
    lastUpdateTime: g.lastUpdateTime,
  };
}

function groupOr404(state: CxoneState, params: Record<string, string>): DncGroupState {
  const group = state.dncGroups.get(pathId(params, "groupId"));
  if (!group || group.isRemoved) throw notFound(`DNC group ${params.groupId}`);
  return group;
}

export function registerDncGroupRoutes(app: FastifyInstance, ctx: CxoneContext): void {
  registerGroupRoutes(app, ctx);
  registerRecordRoutes(app, ctx);
  registerSkillLinks(app, ctx, "contributing-skills", "contributingSkills");
  registerSkillLinks(app, ctx, "scrubbed-skills", "scrubbedSkills");
  registerSearch(app, ctx);
}

function registerGroupRoutes(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;
  apiRoute(app, { method: "GET", path: "/dnc-groups", group: "dnc" }, (call) => {
    const all = [...state.dncGroups.values()].filter((g) => !g.isRemoved);
    const asked = pageOf(ctx, call.query);
    const top = Math.min(asked.top, state.knobs.adminTopCap);
    const page = all.slice(asked.skip, asked.skip + top);
    if (page.length === 0) return sendEmpty(call.reply, 204);
    return sendJson(ctx, call.reply, {
      resultSet: {
        businessUnitId: state.businessUnitId,
        totalGroups: all.length,
        dncGroups: page.map(groupJson),
      },
    });
  });

  apiRoute(app, { method: "POST", path: "/dnc-groups", group: "dnc" }, (call) => {
    const body = parseOr400(createBody, call.body, "body");
    if (
      [...state.dncGroups.values()].some(
        (g) => g.dncGroupName.toLowerCase() === body.dncGroupName.toLowerCase(),
      )
    )
      throw invalid("dncGroupName", "already exists");
    const now = clockNowDate().toISOString();
    const group: DncGroupState = {
      dncGroupId: state.nextId("dncGroup"),
      dncGroupName: body.dncGroupName,
      dncGroupDescription: body.dncGroupDescription ?? "",
      isActive: true,
      isRemoved: false,
      createDate: now,
      lastUpdateTime: now,
      records: new Map(),
      contributingSkills: new Set(),
      scrubbedSkills: new Set(),
    };
    state.dncGroups.set(group.dncGroupId, group);
    return sendJson(ctx, call.reply, { dncGroups: [groupJson(group)] });
  });

  apiRoute(app, { method: "GET", path: "/dnc-groups/:groupId", group: "dnc" }, (call) => {
    const group = groupOr404(state, call.params);
    // Fault `unreadableDncGroups`: the group answers 404 or a bare 204 (the search still names it).
    const unreadable = state.refusals.unreadableGroups.get(group.dncGroupId);
    if (unreadable === 204) return sendEmpty(call.reply, 204);
    if (unreadable === 404) throw notFound(`DNC group ${group.dncGroupId}`);
    const one = { dncGroups: [groupJson(group)] };
    return sendJson(ctx, call.reply, state.knobs.dncEnvelope === "resultSet" ? { resultSet: one } : one);
  });

  apiRoute(app, { method: "PUT", path: "/dnc-groups/:groupId", group: "dnc" }, (call) => {
    const group = groupOr404(state, call.params);
    const name = text(call.query, "dncGroupName");
    const description = text(call.query, "dncGroupDescription");
    const active = bool(call.query, "isActive");
    if (name !== null && (name.trim() === "" || name.length > 100)) throw invalid("dncGroupName");
    if (
      name !== null &&
      [...state.dncGroups.values()].some(
        (g) => g !== group && g.dncGroupName.toLowerCase() === name.trim().toLowerCase(),
      )
    )
      throw invalid("dncGroupName", "already exists");
    if (name === null && description === null && active === null)
      throw invalid("query", "names nothing to change (dncGroupName, dncGroupDescription, isActive)");
    if (name !== null) group.dncGroupName = name.trim();
    if (description !== null) group.dncGroupDescription = description;
    if (active !== null) group.isActive = active;
    group.lastUpdateTime = clockNowDate().toISOString();
    return sendJson(ctx, call.reply, { dncGroups: [groupJson(group)] });
  });
}

function registerRecordRoutes(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;
  apiRoute(app, { method: "GET", path: "/dnc-groups/:groupId/records", group: "dnc" }, (call) => {
    const group = groupOr404(state, call.params);
    const all = [...group.records].map(([ten, r]) => ({
      phoneNumber: state.knobs.dncRecordPhoneType === "number" ? Number(ten) : ten,
      formattedPhone: formatted(ten),
      expiredDate: r.expiredDate,
      dateCollected: r.dateCollected,
      lastUpdateTime: r.lastUpdateTime,
    }));
    const key = state.knobs.dncRecordsKey;
    if (state.knobs.dncEnvelope === "flat")
      return sendListPage(ctx, call, key, all, { dncGroupId: group.dncGroupId });
    // calljacob's AdminLists_getDNCGroupRecordsResponseById, DZ's GetRecordsDoNotCallGroupResponse_Lists.
    const asked = pageOf(ctx, call.query);
    const page = { ...asked, top: Math.min(asked.top, state.knobs.adminTopCap) };
    const items = all.slice(page.skip, page.skip + page.top);
    if (items.length === 0) return sendEmpty(call.reply, 204);
    return sendJson(ctx, call.reply, {
      resultSet: {
        totalRecords: all.length,
        ...(state.knobs.pageLinks ? { _links: links(call, all.length, items.length, page) } : {}),
        [key]: items,
      },
    });
  });

  // Adding a number the group holds updates its expiry and leaves it once.
  apiRoute(app, { method: "POST", path: "/dnc-groups/:groupId/records", group: "dnc" }, (call) => {
    const group = groupOr404(state, call.params);
    const body = parseOr400(recordsBody[state.knobs.requestTypes], call.body, "body");
    const now = clockNowDate().toISOString();
    const results = body.dncGroupRecords.map((r) => {
      const ten = groupKeyOf(r.phoneNumber);
      // A refusal fault (`refuseDncRecords`): this item is refused, the rest of the batch taken.
      const refused = state.refusals.dncRecords.get(ten);
      if (refused !== undefined) return { success: false, error: refused, formattedPhone: formatted(ten) };
      const held = group.records.get(ten);
      group.records.set(ten, {
        expiredDate: r.expiredDate ?? null,
        dateCollected: held?.dateCollected ?? now,
        lastUpdateTime: now,
        sent: (held?.sent ?? 0) + 1,
      });
      return { success: true, error: null, formattedPhone: formatted(ten) };
    });
    group.lastUpdateTime = now;
    return sendRecordResults(ctx, call, results);
  });

  apiRoute(app, { method: "DELETE", path: "/dnc-groups/:groupId/records", group: "dnc" }, (call) => {
    const group = groupOr404(state, call.params);
    const body = parseOr400(recordsBody[state.knobs.requestTypes], call.body, "body");
    const results = body.dncGroupRecords.map((r) => {
      const ten = groupKeyOf(r.phoneNumber);
      const removed = group.records.delete(ten);
      return { success: removed, error: removed ? null : "Record not found", formattedPhone: formatted(ten) };
    });
    group.lastUpdateTime = clockNowDate().toISOString();
    return sendRecordResults(ctx, call, results);
  });
}

/**
 * A records write's per-item answer (knob `dncRecordResults`): `{errorCount, recordResults[{success,
 * error, formattedPhone}]}` at the top, or the generated client's `{resultSet:{errorCount,
 * recordResults[{error, formattedPhone}]}}`, where only an item's `error` says it was refused.
 */
function sendRecordResults(
  ctx: CxoneContext,
  call: ApiCall,
  results: Array<{ success: boolean; error: string | null; formattedPhone: string }>,
) {
  const errorCount = results.filter((r) => !r.success).length;
  if (ctx.state.knobs.dncRecordResults === "flat")
    return sendJson(ctx, call.reply, { errorCount, recordResults: results });
  const items = results.map(({ error, formattedPhone }) => ({ error, formattedPhone }));
  return sendJson(ctx, call.reply, { resultSet: { errorCount, recordResults: items } });
}

/** `GET …/{kind}` lists the skills; `POST|DELETE …/{kind}/{skillId}` links or unlinks one. */
function registerSkillLinks(
  app: FastifyInstance,
  ctx: CxoneContext,
  kind: "contributing-skills" | "scrubbed-skills",
  field: "contributingSkills" | "scrubbedSkills",
): void {
  const { state } = ctx;
  apiRoute(app, { method: "GET", path: `/dnc-groups/:groupId/${kind}`, group: "dnc" }, (call) => {
    const group = groupOr404(state, call.params);
    const skills = [...group[field]].map((skillId) => ({
      skillId,
      skillName: state.skills.get(skillId)?.skillName ?? null,
    }));
    if (skills.length === 0) return sendEmpty(call.reply, 204);
    return sendJson(ctx, call.reply, { dncGroupId: group.dncGroupId, [field]: skills });
  });

  const link = (call: ApiCall, on: boolean) => {
    const group = groupOr404(state, call.params);
    const skillId = pathId(call.params, "skillId");
    if (!state.skills.has(skillId)) throw skillNotFound(skillId, state.businessUnitId);
    if (on) group[field].add(skillId);
    else if (!group[field].delete(skillId))
      throw notFound(`skill ${skillId} in DNC group ${group.dncGroupId}'s ${kind}`);
    group.lastUpdateTime = clockNowDate().toISOString();
    return sendEmpty(call.reply, 200);
  };
  apiRoute(app, { method: "POST", path: `/dnc-groups/:groupId/${kind}/:skillId`, group: "dnc" }, (call) =>
    link(call, true),
  );
  apiRoute(app, { method: "DELETE", path: `/dnc-groups/:groupId/${kind}/:skillId`, group: "dnc" }, (call) =>
    link(call, false),
  );
}

/**
 * The number a search asks for: the query's (the generated client's), or under `requestTypes:
 * lenient` the JSON body's `phoneNumber` (NICE's QA, walterplaza/protractor
 * `src/apis/incontact-apis.ts` postDncGroupsSearch), text or a number.
 */
function searchedNumber(call: ApiCall, mode: RequestTypes): string | null {
  const inQuery = text(call.query, "phoneNumber");
  if (inQuery !== null || mode === "strict") return inQuery;
  const body = call.body as Record<string, unknown> | null | undefined;
  const inBody = body && typeof body === "object" ? body.phoneNumber : undefined;
  return typeof inBody === "string" || typeof inBody === "number" ? String(inBody) : null;
}

function registerSearch(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;
  apiRoute(app, { method: "POST", path: "/dnc-groups/search", group: "dnc" }, (call) => {
    const asked = searchedNumber(call, state.knobs.requestTypes)?.replace(/\D/g, "") ?? "";
    if (!/^(1?\d{10}|44[1-9]\d{8,9})$/.test(asked))
      throw invalid("phoneNumber", "must be 10 digits (or a UK number's 44 and digits)");
    const ten = groupKeyOf(asked);
    const hits = [...state.dncGroups.values()].flatMap((g) => {
      const record = g.isRemoved ? undefined : g.records.get(ten);
      return record
        ? [
            {
              dncGroupId: g.dncGroupId,
              dncGroupName: g.dncGroupName,
              formattedPhone: formatted(ten),
              expiredDate: record.expiredDate,
              dateCollected: record.dateCollected,
              lastUpdateTime: record.lastUpdateTime,
            },
          ]
        : [];
    });
    if (hits.length === 0) return sendEmpty(call.reply, 204);
    return sendJson(ctx, call.reply, { searchResults: hits });
  });
}
