import { clockNowMs } from "../../core/clock/now.ts";
import type { ProductionApiSettings } from "../../core/config/schema.ts";
import { pathOf } from "../../core/http/http-client.ts";
import { UnreadableAnswerError } from "../errors.ts";
import type { DiagnosisPort, ListRecordState, SkillState, WeeklySchedule } from "../ports/diagnosis.ts";
import {
  blockIn,
  booleanField,
  listIn,
  listRecordPhoneOf,
  numberField,
  objectIn,
  zoneRowsIn,
} from "./answer-shapes.ts";
import type { ProductionApi } from "./api.ts";
import { e164Of, LIST_ROUTE } from "./call-lists.ts";
import { readSkillParameters, readSkillRecord } from "./campaign-skill.ts";
import { statusOfSkill } from "./campaigns.ts";
import { closedDaysIn, scheduleWithClosedDays } from "./closed-days.ts";
import { presentedCallerIdOf } from "./skill-caller-id.ts";
import { abandonRateIn } from "./skill-settings.ts";
import { ianaZoneOf } from "./time-zones.ts";
import { bool, isObject, num, pick, text } from "./tolerant.ts";
/**
 * `cxo why` on NICE's production API (issue 65). Four reads, none written:
 * - `GET /skills/{id}`: `isActive`, `isRunning`;
 * - `GET /skills/{id}/parameters`: `callingLists[]`, `generalSettings.maximumAttempts`,
 *   `loadNonFresh`, `abandonRateThreshold` (unit: setting `abandonRateUnit`, not confirmed),
 *   `timeZoneSettings[]` (the skill's own calling hours per zone);
 * - `GET /lists/call-lists/{id}?includeRecords=true` (finalised ones included): each record's
 *   zone, `callRequestTime`, `callRequestStaleMins` and, where the tenant shows it,
 *   `expirationDate` (not in any public model: shared/reference, conformance §6);
 * - `GET /lists/call-lists/{id}/attempts`, all and `finalized=true`: dials per record, the last
 *   hour's pace, and which records the platform finalised.
 */
export function productionDiagnosis(
  api: ProductionApi,
  options: Pick<ProductionApiSettings, "abandonRateUnit">,
  zone: (signal?: AbortSignal) => Promise<string>,
  profileFacts: Record<string, unknown> = {},
): DiagnosisPort {
  const tenant = tenantFactsOf(profileFacts);
  return {
    skill: (campaignId, signal) => skillState(api, options, zone, tenant, campaignId, signal),
    records: (_campaignId, listId, signal) => recordStates(api, listId, tenant, signal),
  };
}

/**
 * What `cxo doctor` settled about this tenant for a diagnosis (its profile's facts, docs/campaigns.md
 * "What the public record does not show"): whether downloads show each record's expiry, what
 * `finalized=true` keeps, and the zone the weekly schedule is read in.
 */
interface TenantFacts {
  expiryHidden: boolean;
  finalizedIgnored: boolean;
  scheduleZone: string | undefined;
}

function tenantFactsOf(facts: Record<string, unknown>): TenantFacts {
  const zone = typeof facts.scheduleTimeZone === "string" ? ianaZoneOf(facts.scheduleTimeZone) : undefined;
  return {
    expiryHidden: facts.listRecordExpiry === "hidden",
    finalizedIgnored: facts.attemptsFinalized === "ignored",
    scheduleZone: zone,
  };
}

const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

async function skillState(
  api: ProductionApi,
  options: Pick<ProductionApiSettings, "abandonRateUnit">,
  zone: (signal?: AbortSignal) => Promise<string>,
  tenant: TenantFacts,
  campaignId: string,
  signal?: AbortSignal,
): Promise<SkillState> {
  const skill = await readSkillRecord(api, campaignId, signal);
  const [parameters, timeZone] = await Promise.all([
    readSkillParameters(api, campaignId, signal),
    zone(signal),
  ]);
  const general = blockIn(parameters, "generalSettings", PARAMETERS) ?? {};
  const retry = blockIn(parameters, "retrySettings", PARAMETERS) ?? {};
  const lists = Array.isArray(parameters.callingLists) ? parameters.callingLists.filter(isObject) : [];
  const cap = numberField(general, "abandonRateThreshold", PARAMETERS);
  const maxAttempts =
    numberField(retry, "maximumAttempts", PARAMETERS) ?? numberField(general, "maximumAttempts", PARAMETERS);
  const loadNonFresh =
    booleanField(retry, "loadNonFresh", PARAMETERS) ?? booleanField(general, "loadNonFresh", PARAMETERS);
  const minRetryMinutes =
    numberField(retry, "minimumRetryMinutes", PARAMETERS) ??
    numberField(general, "minimumRetryMinutes", PARAMETERS);
  const status = statusOfSkill(skill);
  // The days a campaign's spec closes, kept in the skill's notes where the tenant refuses an
  // inactive schedule day, are closed in the schedule as cxo reads it (closed-days.ts).
  const schedule = scheduleWithClosedDays(
    await scheduleOfSkill(
      api,
      campaignId,
      parameters.scheduleSettings,
      { tenant: timeZone, profile: tenant.scheduleZone },
      signal,
    ),
    closedDaysIn(text(skill.notes)),
    tenant.scheduleZone ?? timeZone,
  );
  return {
    campaignId,
    timeZone,
    active: bool(skill.isActive),
    running: bool(skill.isRunning),
    listIds: lists.flatMap((l) => text(l.id ?? l.listId) ?? []),
    maxAttempts,
    loadNonFresh,
    minRetryMinutes,
    outboundStrategy: text(skill.outboundStrategy),
    abandonCap: cap === undefined ? undefined : abandonRateIn(cap, options.abandonRateUnit),
    zoneHours: zoneHoursOf(parameters),
    schedule,
    callerId: presentedCallerIdOf(skill, campaignId),
    evidence: `GET /skills/${campaignId}: isActive ${String(skill.isActive)}, isRunning ${String(skill.isRunning)} (${status}); GET /skills/${campaignId}/parameters: maximumAttempts, minimumRetryMinutes, loadNonFresh, abandonRateThreshold (${options.abandonRateUnit}), timeZoneSettings`,
  };
}

const PARAMETERS = "GET /skills/{skillId}/parameters";
const SCHEDULE = "GET /skills/{skillId}/parameters/schedule-settings";

/** "HH:MM[:SS]" → minutes after midnight. */
const minutes = (clock: string | undefined) => {
  const m = /^(\d{1,2}):(\d{2})/.exec(clock ?? "");
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
};

const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/**
 * The skill's weekly schedule: `scheduleSettings` with `isScheduled` true and the flat
 * `mondayStartTime`/`mondayEndTime`/`mondayIsActive` keys. The combined GET shows
 * `{isScheduled, schedules[]}` on CXone (conformance §parameter blocks), whose layout is not
 * public: then the block's own GET (`…/parameters/schedule-settings`, flat keys) is read instead.
 * Not scheduled, or no day readable: undefined (no hold is claimed). Which zone CXone reads the
 * times in is not public either: the block's own `timeZone` where it shows one, else the zone
 * `cxo doctor` recorded (fact `scheduleTimeZone`), else the tenant's zone; the evidence says which.
 */
async function scheduleOfSkill(
  api: ProductionApi,
  skillId: string,
  combined: unknown,
  zones: { tenant: string; profile: string | undefined },
  signal?: AbortSignal,
): Promise<WeeklySchedule | undefined> {
  if (combined === undefined || combined === null) return undefined;
  if (!isObject(combined)) throw new UnreadableAnswerError(PARAMETERS, "an object under scheduleSettings");
  if (booleanField(combined, "isScheduled", PARAMETERS) !== true) return undefined;
  let block: Record<string, unknown> = combined;
  let source = `GET /skills/${skillId}/parameters: scheduleSettings`;
  let route = PARAMETERS;
  if (combined.mondayIsActive === undefined) {
    const own = await api.request({
      method: "GET",
      path: pathOf`/skills/${skillId}/parameters/schedule-settings`,
      endpoint: "GET /skills/{skillId}/parameters/schedule-settings",
      group: "campaigns",
      ...withSignal(signal),
    });
    // A scheduled skill whose schedule cannot be read is not "no schedule" (issue 75 §1).
    block = objectIn(own, SCHEDULE, "the schedule settings as an object");
    source = `GET /skills/${skillId}/parameters/schedule-settings`;
    route = SCHEDULE;
  }
  if (DAYS.every((day) => block[`${day}IsActive`] === undefined))
    throw new UnreadableAnswerError(
      route,
      "<day>IsActive, <day>StartTime and <day>EndTime on a scheduled skill",
    );
  const days = DAYS.map((day) => {
    if (booleanField(block, `${day}IsActive`, route) !== true) return null;
    const start = minutes(text(block[`${day}StartTime`]));
    const end = minutes(text(block[`${day}EndTime`]));
    if (start === undefined || end === undefined)
      throw new UnreadableAnswerError(route, `${day}StartTime and ${day}EndTime as HH:MM on an active day`);
    return { startMinute: start, endMinute: end };
  });
  const shown = ianaZoneOf(text(block.timeZone));
  const zone = shown ?? zones.profile ?? zones.tenant;
  const how = shown
    ? `read in ${zone}, the zone the block names`
    : zones.profile
      ? `read in ${zone}, the zone cxo doctor recorded for this tenant's schedules`
      : `read in the tenant's zone ${zone}, which CXone does not document (cxo doctor's fact scheduleTimeZone settles it)`;
  return { zone, days, evidence: `${source} (isScheduled, <day>StartTime/EndTime/IsActive; ${how})` };
}

/**
 * `timeZoneSettings: [{name | standardName | timeZone, startTime, endTime}]` → minutes after local
 * midnight per IANA zone (calljacob's GET names the zone `name`, its PUT `standardName`; cxo's
 * first reading `timeZone`: answer-shapes.ts reads each). A row whose hours cannot be read is an
 * UnreadableAnswerError; a zone name with no IANA equivalent is left out (the engine's own law
 * still applies there). A row switched off (`timeZoneActiveToCall: false`, calljacob's models)
 * is read as a zone the skill does not call at all: closed all day, the safe reading.
 */
function zoneHoursOf(parameters: Record<string, unknown>): SkillState["zoneHours"] {
  const rows = zoneRowsIn(parameters, PARAMETERS);
  if (rows === undefined) return undefined;
  return rows.flatMap(({ zone: name, startTime, endTime, row }) => {
    const zone = ianaZoneOf(name);
    const startMinute = minutes(startTime);
    const endMinute = minutes(endTime);
    if (startMinute === undefined || endMinute === undefined)
      throw new UnreadableAnswerError(
        PARAMETERS,
        `startTime and endTime as HH:MM in timeZoneSettings (${name})`,
      );
    if (!zone) return [];
    if (booleanField(row, "timeZoneActiveToCall", PARAMETERS) === false)
      return [{ zone, startMinute: 0, endMinute: 0 }];
    return [{ zone, startMinute, endMinute }];
  });
}

async function recordStates(api: ProductionApi, listId: string, tenant: TenantFacts, signal?: AbortSignal) {
  const [list, all, finalized] = await Promise.all([
    api.request({
      method: "GET",
      path: pathOf`/lists/call-lists/${listId}`,
      endpoint: "GET /lists/call-lists/{listId}",
      group: "campaigns",
      query: { includeRecords: true },
      ...withSignal(signal),
    }),
    attempts(api, listId, undefined, signal),
    // A tenant that ignores `finalized` (cxo doctor) would make every dialled record look final.
    tenant.finalizedIgnored ? Promise.resolve([]) : attempts(api, listId, true, signal),
  ]);
  const counts = new Map<string, number>();
  const hourAgo = clockNowMs() - 3_600_000;
  let lastHour = 0;
  for (const attempt of all) {
    const id = text(pick(attempt, "externalId", "ExternalId"));
    if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
    const at = Date.parse(text(attempt.dateOfCall) ?? "");
    if (at >= hourAgo) lastHour++;
  }
  const done = new Set(finalized.map((a) => text(pick(a, "externalId", "ExternalId"))));
  const records: ListRecordState[] = [];
  for (const record of listIn(list, LIST_ROUTE, ["contactRecords"]).items) {
    const phone = listRecordPhoneOf(record);
    const id = text(pick(record, "externalId", "ExternalId")) ?? phone;
    if (!phone || !id)
      throw new UnreadableAnswerError(
        LIST_ROUTE,
        "a phone number on every record (phoneNumber, or destinations[].formattedDestination)",
      );
    const callAt = Date.parse(text(pick(record, "callRequestTime", "CallRequestTime")) ?? "");
    const expires = Date.parse(text(pick(record, "expirationDate", "ExpirationDate")) ?? "");
    const zoneName = text(pick(record, "timeZone", "TimeZone"));
    records.push({
      id,
      phone: e164Of(phone),
      zone: zoneName ? ianaZoneOf(zoneName) : undefined,
      state: text(pick(record, "state", "State")),
      callAtMs: Number.isNaN(callAt) ? undefined : callAt,
      staleMinutes: num(pick(record, "callRequestStaleMins", "CallRequestStaleMins")),
      expiresAtMs: Number.isNaN(expires) ? undefined : expires,
      attempts: counts.get(id) ?? 0,
      finalized: done.has(id),
    });
  }
  return {
    listId,
    records,
    dialsLastHour: lastHour,
    evidence: `GET /lists/call-lists/${listId}?includeRecords=true (timeZone, callRequestTime, callRequestStaleMins, ${tenant.expiryHidden ? "no expirationDate: this tenant's downloads do not show it (cxo doctor), so an expired record cannot be told" : "expirationDate where shown"}) and GET /lists/call-lists/${listId}/attempts (dials per record; ${tenant.finalizedIgnored ? "finalized=true not read: this tenant ignores it (cxo doctor), so only maximum attempts tell a finalised record" : "finalized=true"})`,
  };
}

async function attempts(
  api: ProductionApi,
  listId: string,
  finalized: boolean | undefined,
  signal?: AbortSignal,
) {
  const response = await api.request({
    method: "GET",
    path: pathOf`/lists/call-lists/${listId}/attempts`,
    endpoint: "GET /lists/call-lists/{listId}/attempts",
    group: "campaigns",
    query: finalized === undefined ? {} : { finalized },
    ...withSignal(signal),
  });
  return listIn(response, "GET /lists/call-lists/{listId}/attempts", ["contactAttempts"]).items;
}
