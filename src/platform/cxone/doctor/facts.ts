import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import type { ProductionApiSettings } from "../../../core/config/schema.ts";
import { InputError } from "../../../core/input-error.ts";
import type { DoctorProbeKind } from "../../ports/doctor.ts";
import { JSON_BODY_LABEL_FACT, QUERY_NAME_CASE_FACT } from "./acceptance-probes.ts";
import { SKILL_DISPOSITIONS_VERSION_FACT } from "./skill-dispositions-probe.ts";

/**
 * The facts `cxo doctor` checks: each one the public record leaves open about NICE's production
 * API (docs/platforms.md), named as the tenant profile and the production emulator's knob name
 * it. For each: what the project assumes when nothing says otherwise (the emulator's default),
 * the profile value's type, and — for the facts that change what the adapter sends or how it
 * reads — the setting it settles.
 */
export interface FactSpec {
  id: string;
  title: string;
  probe: DoctorProbeKind;
  value: z.ZodType;
  /** The project's assumption; undefined: none (any value agrees, the profile records it). */
  assumption: unknown;
  setting?: {
    /** Under `cxone.productionApi`. */
    key: keyof ProductionApiSettings;
    /** The fact's value the current setting stands for. */
    assumed(settings: ProductionApiSettings): unknown;
    /** The setting's value an observation calls for. */
    follows(observed: unknown, settings: ProductionApiSettings): unknown;
  };
  /** Whether an observation agrees with the assumption (default: equal). */
  agrees?(observed: unknown, assumed: unknown, settings: ProductionApiSettings): boolean;
  /** What to do about a difference, when it is more than recording it. */
  advice?(observed: unknown): string | undefined;
  /** A warning the observation calls for, which does not fail the run (the fact still agrees). */
  warning?(observed: unknown): string | undefined;
}

const sameSet = (a: unknown, b: unknown) =>
  Array.isArray(a) && Array.isArray(b) && isDeepStrictEqual([...a].sort(), [...b].sort());

export const FACTS: readonly FactSpec[] = [
  // Discovery and login
  {
    id: "advertisedClientAuth",
    title: "client authentication methods the OpenID discovery document lists",
    probe: "read",
    value: z.enum(["both", "basic", "post"]),
    assumption: "both",
  },
  {
    id: "unknownTenant",
    title: "what cxone-configuration answers for a tenant that does not exist",
    probe: "read",
    value: z.enum(["404", "serve"]),
    assumption: "404",
  },
  // The business unit
  {
    id: "allowPredictiveDialing",
    title: "the business unit may dial predictively",
    probe: "read",
    value: z.boolean(),
    assumption: true,
    advice: (observed) =>
      observed === false
        ? "this business unit may not dial predictively: give campaigns dialingMode Progressive or Preview, or ask NICE to enable it"
        : undefined,
  },
  {
    id: "enableSkillAbandonRate",
    title: "skills may set their own abandon rate",
    probe: "read",
    value: z.boolean(),
    assumption: true,
    advice: (observed) =>
      observed === false
        ? "skills' abandonRateThreshold is not used by this business unit (its own rate applies): `cxo dialer apply` still writes it, but the unit's setting governs"
        : undefined,
  },
  {
    id: "abandonRateScope",
    title: "the scope of the abandon rate (business unit field)",
    probe: "read",
    value: z.string().min(1),
    assumption: undefined,
  },
  {
    id: "apiPublishedLimit",
    title: "the business unit's apiPublishedLimit (no unit or window is public)",
    probe: "read",
    value: z.number().int().min(0),
    assumption: undefined,
  },
  {
    // Not a difference cxo can settle (its own checks do not rely on CXone's suppression), so it
    // agrees either way; but off, every scrub CXone's dialer does is gone, which a user must hear.
    id: "callSuppression",
    title: "the business unit's call suppression is on (callSuppression)",
    probe: "read",
    value: z.boolean(),
    assumption: true,
    agrees: () => true,
    warning: (observed) =>
      observed === false
        ? "the business unit's call suppression is off: CXone skips every DNC and suppression scrub (every DNC group, on every skill of this unit), so a number cxo adds to consent.cxoneDncGroup (a revocation) is still dialled by CXone; switch it on in CXone (Business Unit settings)"
        : undefined,
  },
  {
    id: "numbersAsStrings",
    title: "numbers sent as text",
    probe: "read",
    value: z.boolean(),
    assumption: false,
  },
  {
    id: "stringly",
    title: 'booleans sent as "True"/"False"',
    probe: "read",
    value: z.boolean(),
    assumption: false,
  },
  // Request handling
  {
    id: "requireAccept",
    title: "a request without a JSON Accept header is refused",
    probe: "read",
    value: z.boolean(),
    assumption: true,
  },
  {
    id: "acceptStatus",
    title: "the status of that refusal",
    probe: "read",
    value: z.union([z.literal(406), z.literal(415), z.literal(400)]),
    assumption: 406,
  },
  {
    id: "errorBody",
    title: "the layout of an error answer (an unknown skill id)",
    probe: "read",
    value: z.enum(["cxone", "oauth", "message", "header"]),
    assumption: "cxone",
  },
  // Completed contacts
  {
    id: "orderByKeys",
    title: "orderBy keys /contacts/completed accepts",
    probe: "read",
    value: z.array(z.string().min(1)),
    assumption: ["contactStartDate", "lastUpdateTime", "contactId"],
    agrees: sameSet,
    advice: (observed) =>
      Array.isArray(observed) && !observed.includes("lastUpdateTime")
        ? "the incremental export orders by lastUpdateTime: without it, `cxo outcomes export --updated-since` cannot page safely on this tenant"
        : undefined,
  },
  {
    id: "topOverCap",
    title: "a page size above the cap: clamped or refused",
    probe: "read",
    value: z.enum(["clamp", "reject"]),
    assumption: "clamp",
  },
  {
    id: "topCap",
    title: "records a /contacts/completed page holds at most",
    probe: "read",
    value: z.number().int().min(1),
    assumption: 10_000,
    setting: {
      key: "pageSize",
      assumed: (s) => s.pageSize,
      follows: (observed, s) => Math.min(s.pageSize, observed as number),
    },
    agrees: (observed, _assumed, s) => (observed as number) >= s.pageSize,
  },
  {
    id: "endDateInclusive",
    title: "endDate includes its own instant",
    probe: "read",
    value: z.boolean(),
    assumption: false,
  },
  {
    id: "dateFilterField",
    title: "the timestamp startDate/endDate filter on",
    probe: "read",
    value: z.enum(["contactStartDate", "lastUpdateTime"]),
    assumption: "contactStartDate",
  },
  {
    id: "unchangedStatus",
    title: "the status of an incremental listing with nothing new",
    probe: "read",
    value: z.union([z.literal(304), z.literal(204)]),
    assumption: 304,
  },
  {
    id: "warehouseLagS",
    title: "seconds before a completed contact can be listed (the newest one's age)",
    probe: "read",
    value: z.number().int().min(0),
    assumption: 1800,
    setting: {
      key: "warehouseLagMinutes",
      assumed: (s) => s.warehouseLagMinutes * 60,
      follows: (observed) => Math.min(1440, Math.ceil((observed as number) / 60)),
    },
    // The newest contact is at least the lag old, and older by the gap since the contact before
    // (a few minutes on a tenant busy enough to be measured: 100 or more contacts a day).
    agrees: (observed, assumed) =>
      (observed as number) <= (assumed as number) + Math.max(600, 0.25 * (assumed as number)),
  },
  {
    id: "contactEnvelope",
    title: "the envelope of GET /contacts/{id}",
    probe: "read",
    value: z.enum(["wrapped", "flat", "contacts", "completedContacts"]),
    assumption: "wrapped",
  },
  // Admin lists
  {
    id: "adminTopCap",
    title: "items an admin list (/tags) pages at most",
    probe: "read",
    value: z.number().int().min(1),
    assumption: 100,
    agrees: (observed) => (observed as number) >= 1,
  },
  {
    id: "ignoreSkip",
    title: "an admin list ignores skip",
    probe: "read",
    value: z.boolean(),
    assumption: false,
  },
  {
    id: "listRecordKeys",
    title: "the key style of a call-list download's records",
    probe: "read",
    value: z.enum(["camel", "pascal"]),
    assumption: "camel",
  },
  // Answer shapes the independent sources disagree on (issue 75 §4). The adapter reads every
  // one of them (answer-shapes.ts), so any observation agrees; the profile records which one the
  // tenant sends, for the production emulator (`--profile`) and the reader of the report.
  {
    id: "listRecordLayout",
    title:
      "the layout of a call-list download's records (phoneNumber/customFields or destinations/otherFields)",
    probe: "read",
    value: z.enum(["flat", "destinations"]),
    assumption: "flat",
    agrees: () => true,
  },
  {
    id: "dncEnvelope",
    title: "the envelope of GET /dnc-groups/{id} (resultSet.dncGroups[] or dncGroups[])",
    probe: "read",
    value: z.enum(["resultSet", "flat"]),
    assumption: "resultSet",
    agrees: () => true,
  },
  {
    id: "dncRecordsKey",
    title: "the array key of GET /dnc-groups/{id}/records",
    probe: "read",
    value: z.enum(["dncRecords", "dncGroupRecords"]),
    assumption: "dncRecords",
    agrees: () => true,
  },
  {
    id: "zoneNameKey",
    title: "the key naming a timeZoneSettings row's zone (name, standardName or timeZone)",
    probe: "read",
    value: z.enum(["name", "standardName", "timeZone"]),
    assumption: "name",
    agrees: () => true,
  },
  {
    id: "skillWrapped",
    title: "GET /skills/{id} wrapped as {skills:[…]}",
    probe: "read",
    value: z.boolean(),
    assumption: false,
  },
  {
    id: "skillCallerIdField",
    title: "the field of GET /skills/{id} showing the skill's outbound caller id (callerIdOverride), or none",
    probe: "read",
    value: z.enum(["callerIdOverride", "absent"]),
    assumption: "callerIdOverride",
    advice: (observed) =>
      observed === "absent"
        ? "this tenant's skill records show no caller id, so cxo cannot tell the number a call presents and refuses a telemarketing push (47 CFR 64.1601(e)); give the API user's role the full view of skills"
        : undefined,
  },
  {
    id: "aggressivenessType",
    title: "the type of aggressiveness in the combined parameters read",
    probe: "read",
    value: z.enum(["number", "string"]),
    assumption: "number",
  },
  // Live figures and reports
  {
    id: "summaryStatus",
    title: "the status of /skills/summary for this role",
    probe: "read",
    value: z.union([z.literal(200), z.literal(403), z.literal(404)]),
    assumption: 200,
    advice: (observed) =>
      observed === 403
        ? "the role may not read skill summaries: live pacing and the watchdog's today figures are unavailable until it may"
        : undefined,
  },
  {
    id: "summaryCounts",
    title: "/skills/summary rows carry the counts (connects, abandonCount)",
    probe: "read",
    value: z.boolean(),
    assumption: true,
  },
  {
    id: "summaryAbandonRateUnit",
    title: "the unit of abandonRate in /skills/summary",
    probe: "read",
    value: z.enum(["percent", "fraction"]),
    assumption: "percent",
    setting: {
      key: "liveAbandonRateUnit",
      assumed: (s) => s.liveAbandonRateUnit,
      follows: (observed) => observed,
    },
  },
  {
    id: "wfmArrayKey",
    title: "the array key of wfm-data/skills/dialer-contacts",
    probe: "read",
    value: z.enum(["outboundStats", "wfM_OB_StatsV9"]),
    assumption: "outboundStats",
  },
  {
    id: "wfmIntervalMinutes",
    title: "the WFM interval length (minutes)",
    probe: "read",
    value: z.union([z.literal(15), z.literal(30), z.literal(60)]),
    assumption: 15,
  },
  // What `cxo why` reads that no public source settles (issue 65)
  {
    id: "listRecordExpiry",
    title: "a call-list download shows each record's expirationDate",
    probe: "read",
    value: z.enum(["shown", "hidden"]),
    assumption: "shown",
    advice: (observed) =>
      observed === "hidden"
        ? "cxo why cannot tell an expired record on this tenant (it says so in its evidence once the profile records it)"
        : undefined,
  },
  {
    id: "recordTimeRangeColumns",
    title: "the custom fields a record's allowable time range is kept in (HH:mm), as a download shows them",
    probe: "scratch",
    value: z.object({ start: z.string().min(1), end: z.string().min(1) }),
    assumption: { start: "AllowedStart", end: "AllowedEnd" },
    agrees: (observed, assumed) => isDeepStrictEqual(observed, assumed),
    advice: (observed) =>
      observed === null
        ? "the tenant does not keep the time-range fields push writes: name its own in the profile (fact recordTimeRangeColumns) before pushing plans"
        : undefined,
  },
  {
    id: "callbackCap",
    title:
      "an upload of callbacks over the per-skill cap (50 + 100 per agent per 15 minutes) is rejected whole",
    probe: "scratch",
    value: z.enum(["enforced", "off"]),
    assumption: "enforced",
  },
  {
    id: "attemptsDeliveredAsCallback",
    title: "a dial on GET /lists/call-lists/{id}/attempts says whether it was delivered as a callback",
    probe: "read",
    value: z.enum(["shown", "hidden"]),
    assumption: "shown",
    advice: (observed) =>
      observed === "hidden"
        ? "this tenant's attempts do not say how a dial was delivered: a push's records cannot be checked to have been dialled as predictive work after the fact"
        : undefined,
  },
  {
    id: "attemptsFinalized",
    title: "what finalized=true keeps on GET /lists/call-lists/{id}/attempts",
    probe: "read",
    value: z.enum(["records", "attempts", "ignored"]),
    assumption: "records",
    // Either reading names the same finalised records; only a tenant that ignores it misleads.
    agrees: (observed) => observed !== "ignored",
    advice: (observed) =>
      observed === "ignored"
        ? "this tenant ignores finalized: cxo why must not read it, or every dialled record looks final"
        : undefined,
  },
  {
    id: "scheduleTimeZone",
    title: "the zone a skill's weekly schedule names (schedule-settings timeZone)",
    probe: "read",
    value: z.string().min(1),
    assumption: undefined,
  },
  // Writes on the scratch skill
  {
    id: "parameterTypes",
    title: "a parameter PUT in the GET's types is refused",
    probe: "scratch",
    value: z.enum(["strict", "lenient"]),
    assumption: "strict",
  },
  {
    id: "parameterPut",
    title: "a parameter-block PUT merges into the block or replaces it",
    probe: "scratch",
    value: z.enum(["merge", "replace"]),
    assumption: "merge",
  },
  {
    id: "abandonRateUnit",
    title: "the unit of abandonRateThreshold",
    probe: "scratch",
    value: z.enum(["percent", "fraction"]),
    assumption: "percent",
    setting: { key: "abandonRateUnit", assumed: (s) => s.abandonRateUnit, follows: (observed) => observed },
  },
  {
    id: "maximumRatioUnit",
    title: "the unit of maximumRatio",
    probe: "scratch",
    value: z.enum(["ratio", "percent"]),
    assumption: "ratio",
    setting: { key: "maximumRatioUnit", assumed: (s) => s.maximumRatioUnit, follows: (observed) => observed },
  },
  {
    id: "startStopStatus",
    title: "the status of skills/{id}/start and stop",
    probe: "scratch",
    value: z.union([z.literal(200), z.literal(202)]),
    assumption: 202,
  },
  {
    id: "startWhenRunning",
    title: "start on a running skill: a no-op or refused",
    probe: "scratch",
    value: z.enum(["noop", "reject"]),
    assumption: "noop",
  },
  {
    id: "scheduleInactiveDays",
    title: "a skill's weekly schedule with a day off (<day>IsActive false) is taken",
    probe: "scratch",
    value: z.enum(["accept", "reject"]),
    assumption: "reject",
    setting: {
      key: "inactiveScheduleDays",
      assumed: (s) => (s.inactiveScheduleDays === "accepted" ? "accept" : "reject"),
      follows: (observed) => (observed === "accept" ? "accepted" : "refused"),
    },
  },
  {
    id: "requestTypes",
    title:
      "a DNC record POST takes phoneNumber as a JSON number and a date-only expiredDate (lenient), or only text and an instant (strict)",
    probe: "scratch",
    value: z.enum(["lenient", "strict"]),
    assumption: "lenient",
    // cxo sends ten digits of text and an instant with an offset, which either reading takes: the
    // profile records the tenant's reading for the production emulator's knob of this name.
    agrees: () => true,
  },
  {
    id: "scheduledCallbackRoutes",
    title:
      "the scheduled-callback routes are served (a skill's listing, schedule, delete): what `cxo callbacks` and `consent honour` use",
    probe: "scratch",
    value: z.enum(["served", "absent"]),
    assumption: "served",
    advice: (observed) =>
      observed === "absent"
        ? "this tenant (or role) has no scheduled-callback routes: `cxo callbacks` and the callback sweep of `cxo consent honour` will fail; ask NICE, or give the API user's role scheduled-callback access"
        : undefined,
  },
  // A test agent's live contact
  {
    id: "dispositionCode",
    title: "what set-disposition's dispositionCode holds",
    probe: "agent",
    value: z.enum(["id", "name", "either"]),
    assumption: "id",
    // The adapter sends the id, then the name on a 400: either works, one request more for "name".
    agrees: (observed, assumed) => observed === assumed || observed === "either",
  },
  {
    id: "liveContactTags",
    title: "a live contact takes tags",
    probe: "agent",
    value: z.enum(["accept", "reject"]),
    assumption: "accept",
  },
  {
    id: "joinedSessionEnd",
    title: "ending a joined agent session logs the agent out",
    probe: "agent",
    value: z.enum(["logout", "leave"]),
    assumption: "logout",
    setting: {
      key: "endJoinedSessions",
      assumed: (s) => (s.endJoinedSessions ? "leave" : "logout"),
      follows: (observed, s) => (observed === "logout" ? false : s.endJoinedSessions),
    },
    // Not ending sessions is safe on either tenant; ending them is safe only where they leave.
    agrees: (observed, assumed) => observed === "leave" || assumed === "logout",
  },
  // Issue 75: the version a skill's dispositions are read at (its own file, for the probe beside it).
  SKILL_DISPOSITIONS_VERSION_FACT,
  // Issue 75 §4: what the tenant accepts where NICE's SDK and the documents disagree.
  QUERY_NAME_CASE_FACT,
  JSON_BODY_LABEL_FACT,
];

export const FACT_IDS = FACTS.map((f) => f.id);

/** A profile's facts, checked: an unknown name or a value of the wrong type is bad input naming it. */
export function checkProfileFacts(facts: Record<string, unknown>, file: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(facts)) {
    const spec = FACTS.find((f) => f.id === id);
    if (!spec)
      throw new InputError({
        field: `cxone.tenantProfile facts.${id}`,
        rule: `is not a fact cxo doctor knows (${file}); known: ${FACT_IDS.join(", ")}`,
      });
    const checked = spec.value.safeParse(value);
    if (!checked.success)
      throw new InputError({
        field: `cxone.tenantProfile facts.${id}`,
        rule: `${checked.error.issues[0]?.message ?? "invalid value"} (${file})`,
      });
    out[id] = checked.data;
  }
  return out;
}

/** What the adapter assumes about `spec` now: its setting, else the profile, else the project's default. */
export function assumedOf(
  spec: FactSpec,
  settings: ProductionApiSettings,
  profile: Record<string, unknown>,
): unknown {
  if (spec.setting) return spec.setting.assumed(settings);
  return spec.id in profile ? profile[spec.id] : spec.assumption;
}

export function agreesWith(
  spec: FactSpec,
  observed: unknown,
  assumed: unknown,
  settings: ProductionApiSettings,
): boolean {
  if (observed === null || observed === undefined) return true;
  if (assumed === undefined) return true;
  return spec.agrees ? spec.agrees(observed, assumed, settings) : isDeepStrictEqual(observed, assumed);
}
