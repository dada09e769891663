import { pathOf } from "../../../core/http/http-client.ts";
import type { DoctorEvidence } from "../../ports/doctor.ts";
import { bool, isObject, listOf, num, text } from "../tolerant.ts";
import { evidenceOf, ok, type ProbeAnswer } from "./probe-call.ts";
import {
  get,
  type Observation,
  PHONE_CALL,
  type ProbeAnswerQuery,
  type ReadContext,
  seen,
  type TenantInfo,
  untold,
} from "./read-context.ts";
import { listRecordLayoutOf, zoneNameKeyOf } from "./shape-probes.ts";

// Lists: the admin lists (/tags), skills and calling lists.

/** Admin lists (`/tags`): the page cap, and whether `skip` is honoured. */
export async function probeAdminLists(ctx: ReadContext): Promise<Observation[]> {
  const page = await get(ctx, "/tags", "GET /tags", { top: 100, skip: 0 });
  if (!ok(page))
    return [
      untold("adminTopCap", `GET /tags answered ${page.status}`, [evidenceOf(page)]),
      untold("ignoreSkip", `GET /tags answered ${page.status}`),
    ];
  const items = listOf(page.body, "tags");
  const t = num(isObject(page.body) ? page.body.totalRecords : undefined) ?? items.length;
  const out: Observation[] = [
    items.length < Math.min(100, t)
      ? seen("adminTopCap", items.length, [evidenceOf(page, { items: items.length, totalRecords: t })])
      : untold("adminTopCap", `${t} tags fit in one page of 100: the cap is not reached`, [
          evidenceOf(page, { items: items.length, totalRecords: t }),
        ]),
  ];
  if (items.length < 2) {
    out.push(untold("ignoreSkip", "fewer than two tags"));
    return out;
  }
  const second = await get(ctx, "/tags", "GET /tags", { top: 1, skip: 1 });
  const got = text(listOf(second.body, "tags")[0]?.tagId);
  const ignored =
    got === undefined
      ? null
      : got === text(items[0]?.tagId)
        ? true
        : got === text(items[1]?.tagId)
          ? false
          : null;
  out.push(
    seen("ignoreSkip", ignored, [
      evidenceOf(second, { tagId: got ?? null, firstTagId: text(items[0]?.tagId) ?? null }),
    ]),
  );
  return out;
}

/**
 * The skill a probe reads: the one given, else the first outbound skill `GET /skills` lists for
 * `query` (the listing's answer and count added to `evidence`); undefined when there is none.
 */
export async function outboundSkillOf(
  ctx: ReadContext,
  given: string | undefined,
  query: ProbeAnswerQuery,
  evidence: DoctorEvidence[],
): Promise<string | undefined> {
  if (given) return given;
  const list = await get(ctx, "/skills", "GET /skills", query);
  evidence.push(evidenceOf(list, ok(list) ? { skills: listOf(list.body, "skills").length } : undefined));
  return text(listOf(list.body, "skills").find((s) => bool(s.isOutbound) !== false)?.skillId);
}

/** Skills: the single-skill envelope and the type of aggressiveness in the combined parameters read. */
export async function probeSkills(
  ctx: ReadContext,
  info: TenantInfo,
  numbersAsStrings: boolean,
): Promise<Observation[]> {
  const evidence: DoctorEvidence[] = [];
  const skillId = await outboundSkillOf(
    ctx,
    info.skillId,
    { mediaTypeId: PHONE_CALL, outboundStrategy: "Personal Connection", top: 100 },
    evidence,
  );
  info.skillId = skillId;
  if (!skillId)
    return [
      untold("skillWrapped", "no Personal Connection skill on this tenant", evidence),
      untold("aggressivenessType", "no Personal Connection skill on this tenant", evidence),
      untold("zoneNameKey", "no Personal Connection skill on this tenant", evidence),
      untold("skillCallerIdField", "no Personal Connection skill on this tenant", evidence),
    ];
  const one = await get(ctx, pathOf`/skills/${skillId}`, "GET /skills/{skillId}");
  const body = isObject(one.body) ? one.body : {};
  const out = [
    seen("skillWrapped", ok(one) ? Array.isArray(body.skills) : null, [
      evidenceOf(one, { keys: Object.keys(body) }),
    ]),
    callerIdObservation(one, skillId),
  ];
  const parameters = await get(
    ctx,
    pathOf`/skills/${skillId}/parameters`,
    "GET /skills/{skillId}/parameters",
  );
  const general = isObject(parameters.body) ? parameters.body.generalSettings : undefined;
  const aggressiveness = isObject(general) ? general.aggressiveness : undefined;
  const type =
    typeof aggressiveness === "number" ? "number" : typeof aggressiveness === "string" ? "string" : null;
  out.push(
    numbersAsStrings && type === "string"
      ? untold(
          "aggressivenessType",
          "this tenant sends every number as text, so the field's own type cannot be told",
          [evidenceOf(parameters, { aggressiveness })],
        )
      : seen("aggressivenessType", type, [
          evidenceOf(parameters, { aggressiveness: aggressiveness ?? null }),
        ]),
  );
  // Issue 75: the zone's key in timeZoneSettings rows (calljacob's GET: name).
  const zoneKey = zoneNameKeyOf(parameters.body);
  const rows = isObject(parameters.body) ? parameters.body.timeZoneSettings : undefined;
  const rowKeys = Array.isArray(rows) && isObject(rows[0]) ? Object.keys(rows[0]) : [];
  out.push(
    zoneKey === undefined
      ? untold("zoneNameKey", "the skill's parameters show no timeZoneSettings row naming a zone", [
          evidenceOf(parameters, { timeZoneSettingsKeys: rowKeys }),
        ])
      : seen("zoneNameKey", zoneKey, [evidenceOf(parameters, { timeZoneSettingsKeys: rowKeys })]),
  );
  return out;
}

/**
 * Whether the skill record shows its outbound caller id (`callerIdOverride`), and whether this
 * skill sets one: a skill presenting none is noted (a telemarketing push from it is refused). The
 * evidence names the field, never the number.
 */
function callerIdObservation(one: ProbeAnswer, skillId: string): Observation {
  if (!ok(one))
    return untold("skillCallerIdField", `GET /skills/{skillId} answered ${one.status}`, [evidenceOf(one)]);
  const body = isObject(one.body) ? one.body : {};
  const skill = Array.isArray(body.skills) && isObject(body.skills[0]) ? body.skills[0] : body;
  const shown = Object.hasOwn(skill, "callerIdOverride");
  const empty = shown && text(skill.callerIdOverride)?.trim() === undefined;
  const observation = seen("skillCallerIdField", shown ? "callerIdOverride" : "absent", [
    evidenceOf(one, { skillCallerId: shown ? (empty ? "empty" : "set") : "absent" }),
  ]);
  if (!shown)
    return {
      ...observation,
      note: `skill ${skillId}'s record shows no caller id: cxo cannot tell the number its calls present, and refuses a telemarketing push from it (47 CFR 64.1601(e))`,
    };
  return empty
    ? {
        ...observation,
        note: `skill ${skillId} sets no caller id (callerIdOverride empty): its calls present none, and a telemarketing push from it is refused (47 CFR 64.1601(e))`,
      }
    : observation;
}

/** A calling list's download: the key style and the layout (issue 75) of its records. */
export async function probeCallLists(ctx: ReadContext): Promise<Observation[]> {
  const lists = await get(ctx, "/lists/call-lists", "GET /lists/call-lists", { top: 100 });
  const candidates = listOf(lists.body, "callingLists");
  const evidence = [evidenceOf(lists, ok(lists) ? { callingLists: candidates.length } : undefined)];
  for (const list of candidates.slice(0, 3)) {
    const listId = text(list.listId);
    if (!listId) continue;
    const download = await get(ctx, pathOf`/lists/call-lists/${listId}`, "GET /lists/call-lists/{listId}", {
      includeRecords: true,
      finalized: false,
    });
    const set =
      isObject(download.body) && isObject(download.body.resultSet)
        ? download.body.resultSet
        : isObject(download.body)
          ? download.body
          : {};
    const records = listOf(set, "contactRecords");
    const keys = records[0] ? Object.keys(records[0]) : [];
    evidence.push(evidenceOf(download, { records: records.length, keys }));
    if (keys.length === 0) continue;
    const pascal = keys.filter((k) => /^[A-Z]/.test(k)).length;
    const layout = listRecordLayoutOf(records[0] as Record<string, unknown>);
    return [
      seen("listRecordKeys", pascal > keys.length / 2 ? "pascal" : "camel", evidence),
      layout === undefined
        ? untold("listRecordLayout", "a record with neither phoneNumber nor destinations[]", evidence)
        : seen("listRecordLayout", layout, evidence),
    ];
  }
  return [
    untold("listRecordKeys", "no calling list with records among the first three", evidence),
    untold("listRecordLayout", "no calling list with records among the first three", evidence),
  ];
}
