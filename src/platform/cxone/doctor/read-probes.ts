import { DateTime } from "luxon";
import type { ProductionApiSettings } from "../../../core/config/schema.ts";
import { CxoneError } from "../../../core/http/errors.ts";
import type { EndpointGroup } from "../../../core/http/group-names.ts";
import { pathOf } from "../../../core/http/http-client.ts";
import type { DoctorEvidence } from "../../ports/doctor.ts";
import type { ProductionApi } from "../api.ts";
import { ianaZoneOf } from "../time-zones.ts";
import { bool, isObject, listOf, num, type Raw, text } from "../tolerant.ts";
import { evidenceOf, ok, type ProbeAnswer, probeCall } from "./probe-call.ts";

/**
 * The read-only probes: each sends the requests the adapter itself sends (or the smallest that
 * tell the fact apart), and reads what the tenant did. Nothing here writes.
 */
export interface Observation {
  id: string;
  /** null: the probe could not tell (the note says why). */
  observed: unknown;
  evidence: DoctorEvidence[];
  note?: string;
}

export interface ReadContext {
  info: TenantInfo;
  api: ProductionApi;
  settings: ProductionApiSettings;
  signal: AbortSignal | undefined;
}

/** What the probes learn about the tenant besides facts (for the report's header and the profile). */
export interface TenantInfo {
  timeZone: string | undefined;
  /** The API area the tenant's discovery document names. */
  area?: string | undefined;
  /** The time zone names the tenant lists (`GET /timezones`): what a list upload may name. */
  zoneNames?: string[];
  /** How far behind the asked end the skill summary's own endDate was (seconds); null: not behind. */
  summaryBehindS?: number | null;
  /** Endpoints the role was refused (403): the permissions it lacks. */
  refused: string[];
  /** A Personal Connection skill to read parameters from (the scratch skill when given). */
  skillId: string | undefined;
}

const seen = (id: string, observed: unknown, evidence: DoctorEvidence[], note?: string): Observation => ({
  id,
  observed: observed === undefined ? null : observed,
  evidence,
  ...(note ? { note } : {}),
});

const untold = (id: string, note: string, evidence: DoctorEvidence[] = []): Observation =>
  seen(id, null, evidence, note);

const PHONE_CALL = 4;
const UNKNOWN_TENANT = "00000000-0000-4000-8000-000000000000";
const UNKNOWN_SKILL = "999999999999";
const ORDER_KEYS = ["contactStartDate", "lastUpdateTime", "contactId"] as const;

/** The adapter's own endpoint group of a path: probes share its rate limits with it. */
function groupOf(path: string): EndpointGroup {
  if (path.startsWith("/contacts/completed")) return "outcomes";
  if (path.startsWith("/skills/summary") || path.startsWith("/wfm-data")) return "analytics";
  if (/^\/skills\/[^/]+\/parameters/.test(path)) return "dialer";
  if (path.startsWith("/tags") || path.startsWith("/contacts/")) return "dispositions";
  return "campaigns";
}

function get(
  ctx: ReadContext,
  path: string,
  endpoint: string,
  query?: ProbeAnswerQuery,
  headers?: Record<string, string>,
) {
  return probeCall(
    ctx.api,
    {
      method: "GET",
      path,
      endpoint,
      group: groupOf(path),
      ...(query ? { query } : {}),
      ...(headers ? { headers } : {}),
    },
    ctx.signal,
  );
}
type ProbeAnswerQuery = Record<string, string | number | boolean | undefined>;

/** The tenant's clock when it sent one (its `Date` header), else ours. */
function serverNow(answer: ProbeAnswer): number {
  const sent = Date.parse(answer.headers.date ?? "");
  return Number.isFinite(sent) ? sent : Date.now();
}

/** Discovery: the client auth methods listed, and what an unknown tenant gets. */
export async function probeDiscovery(ctx: ReadContext): Promise<Observation[]> {
  const session = ctx.api.session;
  const issuer = session.connection.issuer;
  const out: Observation[] = [];
  const openId = await session.openIdConfiguration(ctx.signal);
  const methods = openId.authMethods;
  const basic = methods.includes("client_secret_basic");
  const post = methods.includes("client_secret_post");
  out.push(
    seen(
      "advertisedClientAuth",
      basic && post ? "both" : basic ? "basic" : post ? "post" : null,
      [
        {
          request: `GET ${issuer}/.well-known/openid-configuration`,
          status: 200,
          answer: { token_endpoint_auth_methods_supported: methods },
        },
      ],
      methods.length === 0 ? "the document lists no client auth method" : undefined,
    ),
  );
  // The document the session discovered the API with (read again only when cxone.baseUrl skipped it).
  const own = await session.discovery(ctx.signal).catch(() => undefined);
  if (own?.area) ctx.info.area = own.area;
  const request = `GET ${issuer}/.well-known/cxone-configuration?tenantId=${UNKNOWN_TENANT}`;
  try {
    const doc = await session.tenantConfiguration(UNKNOWN_TENANT, ctx.signal);
    out.push(
      seen("unknownTenant", "serve", [{ request, status: 200, answer: { api_endpoint: doc.apiEndpoint } }]),
    );
  } catch (error) {
    if (error instanceof CxoneError && error.status === 404)
      out.push(seen("unknownTenant", "404", [{ request, status: 404 }]));
    else if (error instanceof CxoneError && error.status === 200)
      // A document without an api_endpoint: served, but empty.
      out.push(seen("unknownTenant", "serve", [{ request, status: 200 }]));
    else throw error;
  }
  return out;
}

/** The facts the business unit's read tells. */
export const BUSINESS_UNIT_FACTS = [
  "allowPredictiveDialing",
  "enableSkillAbandonRate",
  "abandonRateScope",
  "apiPublishedLimit",
  "numbersAsStrings",
  "stringly",
];

/** The business unit: its dialing fields, its zone, and how it types numbers and booleans. */
export async function probeBusinessUnit(ctx: ReadContext, info: TenantInfo): Promise<Observation[]> {
  const answer = await get(ctx, "/business-unit", "GET /business-unit");
  if (!ok(answer)) return refusedAll(answer, info, BUSINESS_UNIT_FACTS);
  const row = listOf(answer.body, "businessUnits")[0] ?? {};
  info.timeZone = ianaZoneOf(text(row.defaultTimeZone));
  const zones = await get(ctx, "/timezones", "GET /timezones");
  if (ok(zones)) info.zoneNames = listOf(zones.body, "timeZones").flatMap((z) => text(z.standardName) ?? []);
  const fields = [
    "businessUnitId",
    "defaultTimeZone",
    "isActive",
    "allowPredictiveDialing",
    "enableSkillAbandonRate",
    "abandonRateScope",
    "apiPublishedLimit",
  ];
  const evidence = [
    evidenceOf(answer, Object.fromEntries(fields.filter((f) => f in row).map((f) => [f, row[f]]))),
  ];
  const absent = (field: string) => (field in row ? undefined : `the business unit has no ${field} field`);
  const id = row.businessUnitId;
  const active = row.isActive;
  return [
    seen(
      "allowPredictiveDialing",
      bool(row.allowPredictiveDialing),
      evidence,
      absent("allowPredictiveDialing"),
    ),
    seen(
      "enableSkillAbandonRate",
      bool(row.enableSkillAbandonRate),
      evidence,
      absent("enableSkillAbandonRate"),
    ),
    seen("abandonRateScope", text(row.abandonRateScope), evidence, absent("abandonRateScope")),
    seen("apiPublishedLimit", num(row.apiPublishedLimit), evidence, absent("apiPublishedLimit")),
    seen(
      "numbersAsStrings",
      typeof id === "number" ? false : typeof id === "string" && /^-?\d+$/.test(id) ? true : null,
      evidence,
    ),
    seen(
      "stringly",
      typeof active === "boolean"
        ? false
        : typeof active === "string"
          ? /^(true|false)$/i.test(active)
          : null,
      evidence,
    ),
  ];
}

/** A request without a JSON Accept header, and the error layout of an unknown id. */
export async function probeRequestHandling(ctx: ReadContext): Promise<Observation[]> {
  const bare = await get(ctx, "/business-unit", "GET /business-unit", undefined, { accept: "" });
  const refused = !ok(bare);
  const out = [
    seen("requireAccept", refused, [evidenceOf(bare, refused ? undefined : null)]),
    refused && [406, 415, 400].includes(bare.status)
      ? seen("acceptStatus", bare.status, [evidenceOf(bare)])
      : untold("acceptStatus", refused ? `refused with ${bare.status}` : "not refused"),
  ];
  const unknown = await get(ctx, pathOf`/skills/${UNKNOWN_SKILL}`, "GET /skills/{skillId}");
  const body = isObject(unknown.body) ? unknown.body : undefined;
  const layout = ok(unknown)
    ? null
    : body && "error" in body && "errorDescription" in body
      ? "cxone"
      : body && "error" in body && "error_description" in body
        ? "oauth"
        : body && "message" in body
          ? "message"
          : unknown.description
            ? "header"
            : null;
  out.push(
    seen(
      "errorBody",
      layout,
      [
        evidenceOf(unknown, {
          keys: body ? Object.keys(body) : [],
          icStatusDescription: unknown.description ?? null,
        }),
      ],
      layout === null
        ? `an unknown skill answered ${unknown.status} in a layout none of the known ones`
        : undefined,
    ),
  );
  return out;
}

/** A completed contact as the probes need it. */
interface Contact {
  id: string;
  startMs: number;
  updateMs: number;
}

function contactOf(row: Raw): Contact | undefined {
  const id = text(row.contactId);
  const startMs = Date.parse(text(row.contactStartDate) ?? text(row.contactStart) ?? "");
  const updateMs = Date.parse(text(row.lastUpdateTime) ?? "");
  if (!id || !Number.isFinite(startMs)) return undefined;
  return { id, startMs, updateMs: Number.isFinite(updateMs) ? updateMs : startMs };
}

const iso = (ms: number) => new Date(ms).toISOString();
const DAY_MS = 86_400_000;

/** `/contacts/completed`: orderBy keys, the page cap, the date filter, the lag, "nothing new", one contact's envelope. */
export async function probeCompleted(ctx: ReadContext): Promise<Observation[]> {
  const out: Observation[] = [];
  const completed = (query: ProbeAnswerQuery) =>
    get(ctx, "/contacts/completed", "GET /contacts/completed", query);
  const rows = (answer: ProbeAnswer) => listOf(answer.body, "completedContacts");
  const total = (answer: ProbeAnswer) => num(isObject(answer.body) ? answer.body.totalRecords : undefined);

  // orderBy: each key the adapter may send, over the last day, one record each.
  const first = await completed({ startDate: iso(Date.now() - DAY_MS), endDate: iso(Date.now()), top: 1 });
  const now = serverNow(first);
  const day = { startDate: iso(now - DAY_MS), endDate: iso(now) };
  const accepted: string[] = [];
  const orderEvidence: DoctorEvidence[] = [];
  let dayTotal: number | undefined;
  for (const key of ORDER_KEYS) {
    const answer = await completed({ ...day, orderBy: `${key} asc`, top: 1 });
    orderEvidence.push(evidenceOf(answer, ok(answer) ? { totalRecords: total(answer) ?? null } : undefined));
    if (ok(answer)) {
      accepted.push(key);
      dayTotal ??= total(answer) ?? rows(answer).length;
    }
  }
  out.push(seen("orderByKeys", accepted, orderEvidence));

  // The newest listed contact: the warehouse lag, and a contact to probe the date filter with.
  let newest: Contact | undefined;
  if (accepted.includes("contactStartDate") && dayTotal !== undefined && dayTotal > 0) {
    const answer = await completed({ ...day, orderBy: "contactStartDate asc", skip: dayTotal - 1, top: 1 });
    const row = rows(answer)[0];
    newest = row ? contactOf(row) : undefined;
    if (newest) {
      const age = Math.round((now - newest.startMs) / 1000);
      const evidence = [
        evidenceOf(answer, { contactStartDate: iso(newest.startMs), totalRecords: dayTotal }),
      ];
      out.push(
        dayTotal < 100
          ? untold(
              "warehouseLagS",
              `only ${dayTotal} contacts in the last day: the newest one's age (${age} s) may be a quiet period, not the lag`,
              evidence,
            )
          : seen("warehouseLagS", age, evidence),
      );
    } else
      out.push(
        untold("warehouseLagS", "the newest contact of the last day could not be read", [evidenceOf(answer)]),
      );
  } else
    out.push(
      untold(
        "warehouseLagS",
        dayTotal === 0
          ? "no contact completed in the last day"
          : "contactStartDate is not an accepted orderBy key here",
      ),
    );

  // Which timestamp the dates filter, then whether endDate includes its instant.
  if (newest && newest.updateMs - newest.startMs >= 1000) {
    const onUpdate = await completed({
      startDate: iso(newest.updateMs),
      endDate: iso(newest.updateMs + 1000),
      top: 100,
    });
    const found = rows(onUpdate).some((r) => text(r.contactId) === newest.id);
    const field = ok(onUpdate) ? (found ? "lastUpdateTime" : "contactStartDate") : null;
    out.push(seen("dateFilterField", field, [evidenceOf(onUpdate, { contactId: newest.id, listed: found })]));
    if (field) {
      const at = field === "lastUpdateTime" ? newest.updateMs : newest.startMs;
      const ending = await completed({ startDate: iso(at - 1000), endDate: iso(at), top: 100 });
      const listed = rows(ending).some((r) => text(r.contactId) === newest.id);
      out.push(
        seen("endDateInclusive", ok(ending) ? listed : null, [
          evidenceOf(ending, { contactId: newest.id, listed }),
        ]),
      );
    } else out.push(untold("endDateInclusive", "the date filter's field is not known"));
  } else {
    const why = newest
      ? "the newest contact was updated within a second of its start"
      : "no contact to probe with";
    out.push(untold("dateFilterField", why), untold("endDateInclusive", why));
  }

  // Nothing new since now: 304, or an empty 204.
  const unchanged = await completed({ updatedSince: iso(now), orderBy: "lastUpdateTime asc", top: 1 });
  out.push(
    [304, 204].includes(unchanged.status)
      ? seen("unchangedStatus", unchanged.status, [evidenceOf(unchanged, null)])
      : untold(
          "unchangedStatus",
          `answered ${unchanged.status}${rows(unchanged).length > 0 ? " with records (changes since now?)" : ""}`,
          [evidenceOf(unchanged, null)],
        ),
  );

  out.push(...(await probePageCap(ctx, completed, rows, total)));

  // One contact's own read: its envelope.
  if (newest) {
    const answer = await get(ctx, pathOf`/contacts/${newest.id}`, "GET /contacts/{contactId}");
    const body = isObject(answer.body) ? answer.body : {};
    const envelope = !ok(answer)
      ? null
      : isObject(body.contactId)
        ? "wrapped"
        : Array.isArray(body.contacts)
          ? "contacts"
          : Array.isArray(body.completedContacts)
            ? "completedContacts"
            : "contactId" in body
              ? "flat"
              : null;
    out.push(seen("contactEnvelope", envelope, [evidenceOf(answer, { keys: Object.keys(body) })]));
  } else out.push(untold("contactEnvelope", "no completed contact to read"));
  return out;
}

/** Sizes to try when a page above the cap is refused: the configured one, then smaller. */
const FALLBACK_SIZES = [1000, 500, 100, 50, 10];

async function probePageCap(
  ctx: ReadContext,
  completed: (query: ProbeAnswerQuery) => Promise<ProbeAnswer>,
  rows: (answer: ProbeAnswer) => Raw[],
  total: (answer: ProbeAnswer) => number | undefined,
): Promise<Observation[]> {
  const all = { startDate: iso(Date.now() - 30 * DAY_MS), endDate: iso(Date.now()), fields: "contactId" };
  const above = await completed({ ...all, top: 10_001 });
  const evidence = [
    evidenceOf(
      above,
      ok(above) ? { records: rows(above).length, totalRecords: total(above) ?? null } : undefined,
    ),
  ];
  if (ok(above)) {
    const n = rows(above).length;
    const t = total(above) ?? n;
    if (n > 10_000)
      return [
        untold(
          "topCap",
          "a page of 10,001 came back whole: the cap is above the documented 10,000",
          evidence,
        ),
        untold("topOverCap", "not reached"),
      ];
    if (n < Math.min(10_001, t)) return [seen("topCap", n, evidence), seen("topOverCap", "clamp", evidence)];
    return [
      untold("topCap", `only ${t} contacts in 30 days: fewer than the cap`, evidence),
      untold("topOverCap", "not reached", evidence),
    ];
  }
  // Refused: find a size it takes, from the configured one down (a lower bound on the cap).
  for (const size of [...new Set([ctx.settings.pageSize, ...FALLBACK_SIZES])].sort((a, b) => b - a)) {
    const answer = await completed({ ...all, top: size });
    evidence.push(evidenceOf(answer, ok(answer) ? { records: rows(answer).length } : undefined));
    if (ok(answer))
      return [
        size >= ctx.settings.pageSize
          ? untold(
              "topCap",
              `a page of 10,001 is refused and one of ${size} (the configured page size) taken: the cap is between them`,
              evidence,
            )
          : seen(
              "topCap",
              size,
              evidence,
              `pages of ${size} are taken; the exact cap is between ${size} and the next size tried`,
            ),
        seen("topOverCap", "reject", evidence),
      ];
  }
  return [
    untold("topCap", "every page size tried was refused", evidence),
    seen("topOverCap", "reject", evidence),
  ];
}

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

/** Skills: the single-skill envelope and the type of aggressiveness in the combined parameters read. */
export async function probeSkills(
  ctx: ReadContext,
  info: TenantInfo,
  numbersAsStrings: boolean,
): Promise<Observation[]> {
  let skillId = info.skillId;
  const evidence: DoctorEvidence[] = [];
  if (!skillId) {
    const list = await get(ctx, "/skills", "GET /skills", {
      mediaTypeId: PHONE_CALL,
      outboundStrategy: "Personal Connection",
      top: 100,
    });
    evidence.push(evidenceOf(list, ok(list) ? { skills: listOf(list.body, "skills").length } : undefined));
    skillId = text(listOf(list.body, "skills").find((s) => bool(s.isOutbound) !== false)?.skillId);
    info.skillId = skillId;
  }
  if (!skillId)
    return [
      untold("skillWrapped", "no Personal Connection skill on this tenant", evidence),
      untold("aggressivenessType", "no Personal Connection skill on this tenant", evidence),
    ];
  const one = await get(ctx, pathOf`/skills/${skillId}`, "GET /skills/{skillId}");
  const body = isObject(one.body) ? one.body : {};
  const out = [
    seen("skillWrapped", ok(one) ? Array.isArray(body.skills) : null, [
      evidenceOf(one, { keys: Object.keys(body) }),
    ]),
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
  return out;
}

/** A calling list's download: the key style of its records. */
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
    return [seen("listRecordKeys", pascal > keys.length / 2 ? "pascal" : "camel", evidence)];
  }
  return [untold("listRecordKeys", "no calling list with records among the first three", evidence)];
}

/** Today's skill summary: whether the role may read it, its counts, and its abandonRate's unit. */
export async function probeSummary(ctx: ReadContext, info: TenantInfo): Promise<Observation[]> {
  const end = Date.now();
  const start = DateTime.fromMillis(end, { zone: info.timeZone ?? "UTC" })
    .startOf("day")
    .toJSDate();
  const answer = await get(ctx, "/skills/summary", "GET /skills/summary", {
    startDate: start.toISOString(),
    endDate: iso(end),
  });
  if (answer.status === 403) info.refused.push("GET /skills/summary");
  const status = ok(answer) ? 200 : answer.status;
  const out = [
    seen("summaryStatus", [200, 403, 404].includes(status) ? status : null, [
      evidenceOf(answer, ok(answer) ? null : undefined),
    ]),
  ];
  if (!ok(answer))
    return [
      ...out,
      untold("summaryCounts", `answered ${answer.status}`),
      untold("summaryAbandonRateUnit", `answered ${answer.status}`),
    ];
  const answeredEnd = Date.parse(text(isObject(answer.body) ? answer.body.endDate : undefined) ?? "");
  info.summaryBehindS =
    Number.isFinite(answeredEnd) && answeredEnd < end - 1000 ? Math.round((end - answeredEnd) / 1000) : null;
  const rows = listOf(answer.body, "skillSummaries");
  const counted = rows.filter((r) => "connects" in r || "abandonCount" in r || "abandonCounts" in r);
  out.push(
    seen("summaryCounts", rows.length === 0 ? null : counted.length > 0, [
      evidenceOf(answer, { rows: rows.length, withCounts: counted.length }),
    ]),
  );
  // The unit from a row that says both: abandonRate beside abandonCount / connects.
  for (const row of rows) {
    const connects = num(row.connects);
    const abandons = num(row.abandonCount) ?? num(row.abandonCounts);
    const rate = num(row.abandonRate);
    if (!connects || !abandons || rate === undefined) continue;
    const fraction = abandons / connects;
    const unit =
      Math.abs(rate - 100 * fraction) <= 0.6
        ? "percent"
        : Math.abs(rate - fraction) <= 0.006
          ? "fraction"
          : null;
    out.push(
      seen(
        "summaryAbandonRateUnit",
        unit,
        [evidenceOf(answer, { skillId: row.skillId, abandonRate: rate, abandonCount: abandons, connects })],
        unit === null ? "abandonRate matches neither unit of abandonCount / connects" : undefined,
      ),
    );
    return out;
  }
  out.push(
    untold(
      "summaryAbandonRateUnit",
      "no skill has both abandons and connects today to compare abandonRate with",
    ),
  );
  return out;
}

/** The WFM dialer report: its array key and interval length. */
export async function probeWfm(ctx: ReadContext): Promise<Observation[]> {
  const end = Date.now();
  const answer = await get(ctx, "/wfm-data/skills/dialer-contacts", "GET /wfm-data/skills/dialer-contacts", {
    startDate: iso(end - 3 * 3_600_000),
    endDate: iso(end),
    mediaTypeId: PHONE_CALL,
  });
  if (!ok(answer))
    return [
      untold("wfmArrayKey", `answered ${answer.status}`, [evidenceOf(answer)]),
      untold("wfmIntervalMinutes", `answered ${answer.status}`),
    ];
  const body = isObject(answer.body) ? answer.body : {};
  const key = "outboundStats" in body ? "outboundStats" : "wfM_OB_StatsV9" in body ? "wfM_OB_StatsV9" : null;
  const rows = key ? listOf(body, key) : [];
  const starts = [
    ...new Set(rows.map((r) => Date.parse(text(r.intervalStartDate) ?? "")).filter(Number.isFinite)),
  ].sort((a, b) => a - b);
  let step: number | undefined;
  for (let i = 1; i < starts.length; i++) {
    const gap = (starts[i]! - starts[i - 1]!) / 60_000;
    if (gap > 0 && (step === undefined || gap < step)) step = gap;
  }
  const evidence = [
    evidenceOf(answer, {
      keys: Object.keys(body),
      rows: rows.length,
      intervalStarts: starts.slice(0, 3).map(iso),
    }),
  ];
  return [
    seen("wfmArrayKey", key, evidence),
    step !== undefined && [15, 30, 60].includes(step)
      ? seen("wfmIntervalMinutes", step, evidence)
      : untold(
          "wfmIntervalMinutes",
          step === undefined
            ? "fewer than two intervals in the last three hours"
            : `intervals ${step} minutes apart`,
          evidence,
        ),
  ];
}

/** Every fact of an answer the role was refused, as untold (and the refusal noted). */
function refusedAll(answer: ProbeAnswer, info: TenantInfo, ids: string[]): Observation[] {
  if (answer.status === 403) info.refused.push(`${answer.request.method} ${answer.request.path}`);
  return ids.map((id) =>
    untold(id, `${answer.request.method} ${answer.request.path} answered ${answer.status}`, [
      evidenceOf(answer),
    ]),
  );
}
