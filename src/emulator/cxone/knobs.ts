import { z } from "zod";

/**
 * Knobs: one per fact the production-API reference (`cxone-production-api.md`) marks as not
 * confirmed on a live tenant. Each default is the reference's assumption, so an adapter is
 * tested against the likely platform by default and against the alternative by turning a knob.
 * Set at start (`startEmulator({ platform: "cxone", knobs })`, `--knob name=value`) or live
 * (`POST /_emulator/knobs`); `POST /_emulator/reset` restores the start values.
 */
export const knobsSchema = z.strictObject({
  /** §A2/§C2 #10, §F1: set-disposition on a completed contact ("reject" = 400 InvalidParameter, as HELP-SETDISP suggests; "ignore" = 200 and nothing changes). */
  closedContact: z.enum(["reject", "accept", "ignore"]).default("reject"),
  /** Conformance §3 (AGENT-SDK `saveTags`): tags on a live contact are taken ("accept"), or refused until it ends (404). */
  liveContactTags: z.enum(["accept", "reject"]).default("accept"),
  /** Conformance §3 (HELP-SD): skills not configured for disposition by script; set-disposition on them fails with `SkillNotConfiguredForDispositionViaScript`. */
  noScriptDispositionSkills: z.array(z.number().int()).default([]),
  /**
   * Conformance §6: GEN declares a required query `contactId` on `POST
   * /contacts/{contactId}/set-disposition` (FULL declares none). `required`: a request without
   * it, or with another id than the path's, is a 400 InvalidParameter naming `contactId`.
   */
  setDispositionContactIdQuery: z.enum(["optional", "required"]).default("optional"),
  /** §A2, §F1: what set-disposition's `dispositionCode` holds: the disposition id, its name, or either. */
  dispositionCode: z.enum(["id", "name", "either"]).default("id"),
  /** §A2, §F2: the `GET /contacts/{id}` envelope (CJ's `{businessUnitId,lastPollTime,contactId:{…}}` = "wrapped"). */
  contactEnvelope: z.enum(["wrapped", "flat", "contacts", "completedContacts"]).default("wrapped"),
  /** §A2: the agent field of `GET /contacts/{id}/disposition` (CJ's typo, or the SDK's spelling). */
  dispositionAgentField: z
    .enum(["dispositionByAgendId", "dispositionedByAgendId"])
    .default("dispositionByAgendId"),
  /** §C2 #13: `GET /contacts/{id}/disposition` when none is set: 204, or 404. */
  noDispositionStatus: z.union([z.literal(204), z.literal(404)]).default(204),
  /** §C1, §F3: the `top` cap of paged lists. */
  topCap: z.number().int().min(1).max(1_000_000).default(10_000),
  /** Conformance §3 (MCP): admin lists (`/dispositions`, `/tags`, `/skills`…) silently page at most this many. */
  adminTopCap: z.number().int().min(1).max(1_000_000).default(100),
  /**
   * Conformance §6: a tenant that ignores `skip` (GEN's `/tags` declares no query): every paged
   * list answers from its start whatever `skip` asks, so a client that pages blindly loops or
   * reads the first page again and again.
   */
  ignoreSkip: z.boolean().default(false),
  /** §C1: paged envelopes carry `_links` (self/next/previous); off, only `totalRecords` tells the end. */
  pageLinks: z.boolean().default(true),
  /** §C1, §F3: a `top` above the cap is clamped, or refused with 400. */
  topOverCap: z.enum(["clamp", "reject"]).default("clamp"),
  /** §A4, §F3: `orderBy` keys `/contacts/completed` accepts (others: 400). */
  orderByKeys: z.array(z.string().min(1)).default(["contactStartDate", "lastUpdateTime", "contactId"]),
  /** Conformance §3 (AGENT-SDK): `/contacts/completed?updatedSince=` with nothing changed: 304, or an empty 204. */
  unchangedStatus: z.union([z.literal(304), z.literal(204)]).default(304),
  /**
   * Conformance §6 ("skip paging on a moving order"): after each page of an incremental listing
   * (`updatedSince` + `orderBy=lastUpdateTime`), this many of the listed contacts change (a
   * supervisor's edit, a late tag): their lastUpdateTime moves to now, so they move to the end of
   * the order and every later row shifts back one place. Which ones: seeded by
   * `listingChurnSeed`. 0 = the data holds still while it is listed.
   */
  listingChurn: z.number().int().min(0).max(10_000).default(0),
  listingChurnSeed: z.number().int().min(0).default(1),
  /** §A4, §F3: whether `endDate` is exclusive (`[start,end)`, the reference's guess) or inclusive. */
  endDateInclusive: z.boolean().default(false),
  /** §A4, §F3: which timestamp `startDate`/`endDate` filter. */
  dateFilterField: z.enum(["contactStartDate", "lastUpdateTime"]).default("contactStartDate"),
  /** §A4: seconds after its start before a completed contact appears (warehousing, OFF-DX "up to 30 minutes"). */
  warehouseLagS: z.number().int().min(0).max(86_400).default(1800),
  /** §A5, §F9: whether `POST /skills` results carry the new `skillId` (conformance §3: GEN's model has none). */
  skillCreateReturnsId: z.boolean().default(false),
  /** §A5, §C2 #18: `GET /skills/{id}` wrapped as `{skills:[…]}` (MCP saw both). */
  skillWrapped: z.boolean().default(false),
  /**
   * Whether `GET /skills[/{id}]` carries the skill's outbound caller id as `callerIdOverride`
   * (calljacob/nice-cxone-api AdminSkillsService.ts), or leaves the field out (`absent`, *assumed*:
   * a tenant or role that does not show it).
   */
  skillCallerIdField: z.enum(["callerIdOverride", "absent"]).default("callerIdOverride"),
  /** §A5 [S MCP]: every `PUT …/schedule-settings` is refused with a bare 400 InvalidParameter. */
  scheduleRejects: z.boolean().default(false),
  /**
   * A live finding (outboundani/cxone-mcp `src/tools.js`, configure_outbound_skill: "any inactive
   * day is rejected as InvalidParameter, however encoded"): a `PUT …/schedule-settings` that
   * names a day `<day>IsActive: false` is refused with a 400 naming that day (`reject`, the
   * default); `accept` takes it, for a tenant shown to (an emulator profile may set it as a fact;
   * the adapter's own setting is `inactiveScheduleDays`).
   */
  scheduleInactiveDays: z.enum(["reject", "accept"]).default("reject"),
  /**
   * The answer of `POST`/`DELETE dnc-groups/{id}/records`: `{errorCount, recordResults[…]}` at the
   * top (`flat`, the emulator's first answer) or inside `resultSet` (`resultSet`: the generated
   * client's model, calljacob `AdminListsService`). A reader must find a refused record in either.
   */
  dncRecordResults: z.enum(["flat", "resultSet"]).default("flat"),
  /**
   * How request values' types are read (request-types.ts): `lenient` takes what the independent
   * clients send and the platform takes (quoted numbers and booleans, `""` for an optional field,
   * a phone number or an external id as a JSON number, a date-only expiry, the DNC search's phone
   * number in the body); `strict` only the generated models' JSON types, for a tenant shown to be.
   */
  requestTypes: z.enum(["lenient", "strict"]).default("lenient"),
  /**
   * The business unit's `callSuppression` (outboundani/cxone-mcp `src/tools.js`,
   * get_business_unit): the unit-wide switch that, off, turns every call suppression off at once.
   */
  callSuppression: z.boolean().default(true),
  /**
   * The status of an accepted call-list upload: 202, as NICE's QA automation expects it
   * (walterplaza/protractor `src/test-data/inContact/apis/Admin/calling-dnc-group-management/
   * upload-new-records-to-a-call-list/upload-new-records-to-a-call-list-v12.0.json`: 202
   * "Accepted. Upload job queued"), or 200 (the emulator's earlier answer).
   */
  listUploadStatus: z.union([z.literal(200), z.literal(202)]).default(202),
  /** §A5, §F4: the status of start/stop (202 per the reference's table, or 200). */
  startStopStatus: z.union([z.literal(200), z.literal(202)]).default(202),
  /** §A5, §F4: start on a running skill: a no-op (the reference's guess), or 400. */
  startWhenRunning: z.enum(["noop", "reject"]).default("noop"),
  /** §A5, §F4: `stop?force=true` ends the skill's active contacts (false: force changes nothing). */
  forceEndsActive: z.boolean().default(true),
  /** §C2 #20: `GET /skills/{id}/parameters` on a non-PC skill: 400 or 404. */
  nonPcParametersStatus: z.union([z.literal(400), z.literal(404)]).default(400),
  /** §A6, §F6: unit of `abandonRateThreshold`/`abandonRateCutoff`: percent (0–100) or fraction (0–1). */
  abandonRateUnit: z.enum(["percent", "fraction"]).default("percent"),
  /**
   * Conformance §3/§5: unit of `maximumRatio` on the wire: lines per agent (`ratio`: 2.5), or the
   * same as a percentage (`percent`: 250). The emulator keeps lines per agent and converts.
   */
  maximumRatioUnit: z.enum(["ratio", "percent"]).default("ratio"),
  /** §A6, §F6: the accepted range of `maximumRatio` in lines per agent (the reference's mapping: 1 = progressive). */
  maximumRatioRange: z.tuple([z.number().min(0), z.number().positive()]).default([1, 10]),
  /** Conformance §3: whether a parameter-block PUT merges into the block or replaces it (fields not sent are gone); not public. */
  parameterPut: z.enum(["merge", "replace"]).default("merge"),
  /**
   * Conformance §6: the PUT models type `aggressiveness` as text, `waitTimeFactor` as a number and
   * `enableCPALogging` as a boolean, where the combined GET shows a number, a boolean and
   * "True"/"False". `strict` refuses a PUT that sends them in the GET's types; `lenient` takes either.
   */
  parameterTypes: z.enum(["strict", "lenient"]).default("strict"),
  /** §A6: `aggressiveness` is a number in one CJ model and a string in another: how the combined GET shows it. */
  aggressivenessType: z.enum(["number", "string"]).default("number"),
  /**
   * Conformance §6: a list upload's `defaultTimeZone` in CXone's naming ("Eastern Standard Time",
   * as `GET /timezones` lists them): `cxone` refuses any other name (an IANA one) with a 400;
   * `any` takes whatever is sent.
   */
  uploadTimeZoneNames: z.enum(["cxone", "any"]).default("cxone"),
  /**
   * Not public: when within a record's call-request window
   * (`[callRequestTime, + callRequestStaleMins]`) the list dialer dials it. `jitter` (today's
   * behaviour): within the window's first 5 minutes; `early`: at its start; `late`: at its last
   * instant; `random`: uniform over the whole window. A plan must be legal under each.
   * `POST /_emulator/lists/:listId/dial {until, timing}` overrides it for one advance.
   */
  listDialTiming: z.enum(["jitter", "early", "late", "random"]).default("jitter"),
  /**
   * What holds the list dialer back. `platform` (default): everything a Personal
   * Connection skill applies — the skill active and running, agents logged in and available, the
   * abandonment cap, calling hours per record zone (the skill's time-zone settings; a record
   * without a zone is held back), expiry, maximum attempts with retries of non-fresh records only
   * when `loadNonFresh`, DNC groups. `timing-only`: the emulator's first dialer (call-request times,
   * staleness and DNC groups only), for tests of a plan's timing alone.
   */
  listDialRules: z.enum(["platform", "timing-only"]).default("platform"),
  /**
   * How the list dialer answers the dials it makes when a read moves its clock on (a client's
   * attempts listing, a removal): `seeded` (default: drawn from the seed), `all`, `none`, or
   * `{rates: {E.164: p}}` (each number answered with its chance, drawn from the seed per record
   * and attempt). `POST /_emulator/lists/:listId/dial {answer}` overrides it for one advance. A
   * bench running `cxo serve` on a running clock sets the hour's answer model here, so the dials
   * its reads make answer as the bench's own do.
   */
  listDialAnswer: z
    .union([
      z.enum(["seeded", "all", "none"]),
      z.strictObject({ rates: z.record(z.string().regex(/^\+1\d{10}$/), z.number().min(0).max(1)) }),
    ])
    .default("seeded"),
  /**
   * Dials per hour the list dialer makes at most (`platform` rules only); 0: no pace,
   * every due record is dialled at once. With a pace, each dial takes the first record (list
   * order) dialable at that instant, one every 3600/pace seconds.
   */
  listDialPacePerHour: z.number().min(0).max(100_000).default(0),
  /**
   * Round 7 (public: NICE help "Timed Call Requests"): records uploaded with a call-request time
   * are callbacks, at most `callbackCapBase` + `callbackCapPerAgent` × agents logged in to the
   * skill per `callbackCapPeriodMinutes` per skill; an upload over it is rejected whole.
   * `off`: no cap (the emulator before round 7). The period's alignment (clock quarters of the
   * call-request times) and the agents counted (logged in when the upload is processed) are assumed.
   */
  callbackCap: z.enum(["enforced", "off"]).default("enforced"),
  /**
   * Scheduled callbacks (not public): whether the callback dialer skips a callback whose number
   * is in an active DNC group scrubbing its skill at its time. Off by default: nothing public
   * says CXone scrubs a callback, so a client must delete one to a number that revoked consent.
   */
  scheduledCallbackDncScrub: z.boolean().default(false),
  /**
   * Scheduled callbacks (not public): the zone a `scheduleDate` without an offset is read in (a
   * live client sends `2026-12-02 09:30:00`); "" = the business unit's `defaultTimeZone`.
   */
  scheduledCallbackZone: z.string().default(""),
  /**
   * Whether the tenant serves the scheduled-callback routes (`POST
   * scheduled-callbacks`, `GET skills/{id}/…` and `agents/{id}/scheduled-callbacks`, `GET`/`PUT`/
   * `DELETE scheduled-callbacks/{id}`): `absent` answers each 404 as an unknown route does (no
   * public document shows them; a tenant or role may not have them). `cxo doctor
   * --scratch-skill` probes it (fact of the same name).
   */
  scheduledCallbackRoutes: z.enum(["served", "absent"]).default("served"),
  /**
   * Round 7 (public in the generated models, FULL's `contactAttempts[]`; whether a tenant fills
   * it is not): the attempts listing shows `deliveredAsCallback` and `confirmReq` on each dial
   * (`shown`), or leaves them out (`hidden`). `cxo doctor` reads which.
   */
  attemptsDeliveredAsCallback: z.enum(["shown", "hidden"]).default("shown"),
  /**
   * Where the sources disagree (doctor probes both): query names read in any case
   * (`insensitive`: NICE's SDK sends `orderby` and the platform it runs against answers it) or
   * only as documented (`exact`: another spelling is ignored, as the emulator did before).
   */
  queryNameCase: z.enum(["insensitive", "exact"]).default("insensitive"),
  /**
   * A JSON body is read whatever its label (`any`: NICE's SDK posts JSON as
   * `text/plain`), or only when labelled `application/json` (`json`: anything else is a 415).
   */
  jsonBodyLabel: z.enum(["any", "json"]).default("any"),
  /**
   * Round 7 (public: NICE help "Set the Allowable Time Range for Proactive Dialing"; the names and
   * format are not): the custom fields that carry a record's allowable time range, `HH:mm` local to
   * the record's zone. A record with both is dialled only inside them (and the skill's hours).
   */
  recordTimeRangeColumns: z
    .strictObject({ start: z.string().min(1), end: z.string().min(1) })
    .default({ start: "AllowedStart", end: "AllowedEnd" }),
  callbackCapBase: z.number().int().min(0).max(1_000_000).default(50),
  callbackCapPerAgent: z.number().int().min(0).max(1_000_000).default(100),
  callbackCapPeriodMinutes: z.number().int().min(1).max(1440).default(15),
  /**
   * Not public: whether a call-list download's records show their `expirationDate`
   * (the upload takes one; no public download model has it). `hidden`: `cxo why` cannot tell an
   * expired record, and says so where `cxo doctor` recorded it.
   */
  listRecordExpiry: z.enum(["shown", "hidden"]).default("shown"),
  /**
   * Not public: what `finalized=true|false` on `GET …/attempts` keeps: the attempts
   * of records the dialer finalised (`records`), only each record's finalising attempt
   * (`attempts`), or nothing (`ignored`: the parameter changes nothing).
   */
  attemptsFinalized: z.enum(["records", "attempts", "ignored"]).default("records"),
  /**
   * Not public: the zone a skill's weekly schedule's times are read in. Empty (the
   * default): the business unit's zone, and the schedule block names none; a zone name: the
   * times are read there and the block shows it as `timeZone`.
   */
  scheduleTimeZone: z.string().default(""),
  /**
   * The array key of `GET /dnc-groups/{id}/records`.
   * calljacob's generated model and DZ's sample both say `dncRecords` (the default);
   * `dncGroupRecords` is cxo's first reading (the key of the POST body on the same route).
   */
  dncRecordsKey: z.enum(["dncRecords", "dncGroupRecords"]).default("dncRecords"),
  /**
   * The type of `phoneNumber` on `GET dnc-groups/{id}/records`: ten digits as text, or a
   * JSON integer as calljacob/nice-cxone-api `src/services/admin/AdminListsService.ts` types a DNC
   * record's `phoneNumber` (and outboundani/cxone-mcp `src/tools.js` sends it, verified live).
   */
  dncRecordPhoneType: z.enum(["text", "number"]).default("text"),
  /**
   * The envelope of `GET /dnc-groups/{id}` and of its
   * records. `resultSet` (calljacob, DZ; the default): `{resultSet:{dncGroups:[…]}}` and
   * `{resultSet:{totalRecords, dncRecords:[…]}}`; `flat`: the emulator's first shapes,
   * `{dncGroups:[…]}` and `{totalRecords, _links, …, dncGroupRecords:[…]}` at the top.
   */
  dncEnvelope: z.enum(["resultSet", "flat"]).default("resultSet"),
  /**
   * A call-list download's record layout. `flat` (the
   * default): `phoneNumber` and `customFields: {column: value}`; `destinations`: DZ's and FULL's
   * `destinations[{formattedDestination, …}]` and `otherFields[{fieldName, fieldMapping,
   * fieldValue}]`, no `phoneNumber`, no `customFields`. Not confirmed on a tenant either way
   * (docs/emulator-cxone.md says why `flat` stays the default); `cxo doctor` records it.
   */
  listRecordLayout: z.enum(["flat", "destinations"]).default("flat"),
  /**
   * The name of the zone in a `timeZoneSettings` row of
   * the combined `GET /skills/{id}/parameters` and of `GET …/parameters/time-zones`. calljacob's
   * GET model says `name` (the default), its PUT model `standardName`; `timeZone` is the
   * emulator's first reading. A PUT takes any of the three.
   */
  zoneNameKey: z.enum(["name", "standardName", "timeZone"]).default("name"),
  /** §A5, §F7: key style of `contactRecords` in a call-list download. */
  listRecordKeys: z.enum(["camel", "pascal"]).default("camel"),
  /** §A5: records a call-list download holds at most (0 = no cap); above → 400. */
  listDownloadCap: z.number().int().min(0).default(0),
  /** §A6, §F10: the array key of `wfm-data/skills/dialer-contacts`. */
  wfmArrayKey: z.enum(["outboundStats", "wfM_OB_StatsV9"]).default("outboundStats"),
  /** §A6: the WFM interval length in minutes. */
  wfmIntervalMinutes: z.union([z.literal(15), z.literal(30), z.literal(60)]).default(15),
  /**
   * Conformance §6: what `DELETE /agent-sessions/{id}` does to the agent when the session was
   * joined (`POST /agent-sessions/join`). NICE's agent SDK logs an agent out by ending the very
   * session id it joined, so by default ending a joined session logs the agent out
   * (`logout`), whatever `forceLogoff` says; `leave` ends only the joiner's part.
   */
  joinedSessionEnd: z.enum(["logout", "leave"]).default("logout"),
  /**
   * Conformance §6: the unit of `abandonRate` in `/skills/summary` (TAP types it as an integer
   * percent; FULL and DZ give a bare number).
   */
  summaryAbandonRateUnit: z.enum(["percent", "fraction"]).default("percent"),
  /**
   * `/skills/summary` (and `/skills/{id}/summary`) for a role or tenant that may not read it:
   * 200 (served), 403 (the role lacks the permission) or 404 (the tenant has no such report).
   */
  summaryStatus: z.union([z.literal(200), z.literal(403), z.literal(404)]).default(200),
  /** Whether `/skills/summary` rows carry the counts (`dials`, `connects`, `abandonCount`), or only the rate. */
  summaryCounts: z.boolean().default(true),
  /** §C2 #11: the status of an agent-session disposition (202, or 200). */
  agentDispositionStatus: z.union([z.literal(200), z.literal(202)]).default(202),
  /**
   * `resultSet.errorCount` of `POST
   * /contacts/{id}/tags` as text ("0", the default: NICE's agent SDK counts the tagging done only
   * when it is the string '0') or as a number (the emulator's answer before).
   */
  tagErrorCount: z.enum(["string", "number"]).default("string"),
  /**
   * The API user's role and the Skills View permission.
   * `v33.0` (default): `GET skills/{id}/dispositions` is served at every version. `v12.0`: a role
   * without Skills View: v33.0 and later answer 403 and only the earlier versions serve it, as
   * NICE's agent SDK expects (it reads v12.0 "so agent with no View permission on Skills will
   * not get stuck", core-sdk `api-uri-constants.js:78-80`). Doctor's fact of the same name.
   */
  skillDispositionsVersion: z.enum(["v33.0", "v12.0"]).default("v33.0"),
  /** §C1 [C SDK]: `errorCount` as the string "0" and booleans as "True"/"False". */
  stringly: z.boolean().default(false),
  /** "Numbers … sent as strings": every number in an API answer as its decimal text. */
  numbersAsStrings: z.boolean().default(false),
  /** §C1, §F8: a missing or non-JSON `Accept` is refused (406 text "No known way to render data"). */
  requireAccept: z.boolean().default(true),
  /** §C1, §F8: the status of that refusal. */
  acceptStatus: z.union([z.literal(406), z.literal(415), z.literal(400)]).default(406),
  /**
   * Conformance §2 (§C1, §F8): error layout (401 included): GEN's `{error, errorDescription}`
   * with the text also in the `icStatusDescription` header ("cxone"), RFC 6749's
   * `{error, error_description}` ("oauth"), `{message}`, or the header alone ("header", TAP).
   */
  errorBody: z.enum(["cxone", "oauth", "message", "header"]).default("cxone"),
  /** §B step 3: token error bodies: RFC 6749 `error_description`, or CJ's `errorDescription`. */
  tokenErrorDescriptionKey: z.enum(["error_description", "errorDescription"]).default("error_description"),
  /**
   * Conformance §1: the client-auth methods OpenID discovery lists (GEN's schema lists only
   * `client_secret_basic`; "both" lists `client_secret_basic` and `client_secret_post`).
   */
  advertisedClientAuth: z.enum(["both", "basic", "post"]).default("both"),
  /**
   * Conformance §1: how the registered application authenticates at the token endpoint: either
   * way, or only the method it was registered for (`post` = client id/secret in the form body).
   */
  appClientAuth: z.enum(["any", "basic", "post"]).default("any"),
  /** §C2 #2: `cxone-configuration` for an unknown tenant: 404, or the document anyway. */
  unknownTenant: z.enum(["404", "serve"]).default("404"),
  /**
   * Conformance §6: the business unit's dialing fields (`GET /business-unit`, FULL and DZ):
   * whether the unit may dial predictively at all, whether skills may set their own abandon
   * rate, the abandon rate's scope, and `apiPublishedLimit` (a number; its window is not public).
   */
  allowPredictiveDialing: z.boolean().default(true),
  enableSkillAbandonRate: z.boolean().default(true),
  abandonRateScope: z.string().min(1).default("Skill"),
  apiPublishedLimit: z.number().int().min(0).default(10_000),
  /** §B step 4: `icBUId` "may be negative". */
  negativeBusinessUnitId: z.boolean().default(false),
});

export type Knobs = z.infer<typeof knobsSchema>;
export type KnobsInput = z.input<typeof knobsSchema>;

/**
 * Knobs changed live: the given ones over the current ones, validated as a whole (a partial
 * schema would fill every absent knob with its default).
 */
export function mergeKnobs(current: Knobs, patch: unknown): ReturnType<typeof knobsSchema.safeParse> {
  if (!patch || typeof patch !== "object" || Array.isArray(patch)) return knobsSchema.safeParse(null);
  return knobsSchema.safeParse({ ...current, ...patch });
}

export const DEFAULT_KNOBS: Knobs = knobsSchema.parse({});
