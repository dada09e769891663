/**
 * The conformance table: every inContactAPI endpoint the production adapter may call, as the
 * PUBLIC record describes it (not as the adapter happens to call it), with the source of each
 * fact, and the type of each field (`types`, over the shared `FIELD_TYPES`) as GEN and FULL type
 * it. It is test data (nothing the package ships uses it): schemas.ts turns each entry into JSON
 * Schemas for the request and the answer's fields, and the tests validate with ajv. Tests hold the adapter's requests (the emulator's request log during the capability
 * suite) and the emulator's answers against it, so the adapter, the emulator and the public
 * record cannot drift apart silently.
 *
 * Source keys (see docs/platforms.md and the reference `cxone-production-conformance.md`):
 * - GEN: `calljacob/nice-cxone-api`, TypeScript services generated from NICE's OpenAPI
 *   documents (`src/services/<area>/*.ts`). Its generator drops some query parameters: a
 *   parameter present there is real; one missing proves nothing.
 * - AGENT-SDK: `nice-devone/nice-cxone-agent-sdk`, NICE's own agent SDK.
 * - MCP: `outboundani/cxone-mcp` (`src/cxone.js`, `src/tools.js`), a client used on live tenants.
 * - TAP: `singer-io/tap-nice-incontact` (`tap_nice_incontact/streams.py`, `schemas/*.json`),
 *   a Singer tap run against live tenants.
 * - HELP-SD: NICE's Studio help for SETDISPOSITION.
 * - DX: NICE's developer portal (Data Extraction, UserHub getting started).
 *
 * Paths are relative to `{api_endpoint}/inContactAPI/services/{version}`; `{name}` is a path
 * parameter. `body` and `response` name fields as dotted paths (`skills[].skillName`).
 */
export interface EndpointFact {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  /** The version the route is served at when it is not the pinned one (`v27.0`). */
  version?: string;
  /** Query parameter names the public record lists. */
  query: readonly string[];
  /** Request body field names (dotted) the public record lists. */
  body: readonly string[];
  /** Response fields the adapter relies on (dotted; `[]` marks an array's items). */
  response: readonly string[];
  /** Where each fact comes from. */
  sources: readonly string[];
  /** What the record leaves open (kept as an emulator knob). */
  open?: string;
  /** Types of this endpoint's fields where they differ from FIELD_TYPES (by name or dotted path). */
  types?: Readonly<Record<string, FieldType | readonly FieldType[]>>;
}

/**
 * A field's type as the sources give it. Query values travel as text: a query `integer` is
 * digits, a `boolean` is true/false, a `date-time` an ISO 8601 instant. `any` marks a field the
 * sources list without a type (GEN drops types below two levels).
 */
export type FieldType =
  | "integer"
  | "number"
  | "string"
  | "boolean"
  | "date-time"
  | "object"
  | "array"
  | "any";

/** The types GEN and FULL give fields by name, shared by every endpoint that lists them. */
export const FIELD_TYPES: Readonly<Record<string, FieldType | readonly FieldType[]>> = {
  // Paging and filters (GEN: numbers, booleans, date-time strings).
  skip: "integer",
  top: "integer",
  mediaTypeId: "integer",
  skillId: "integer",
  campaignId: "integer",
  contactId: "integer",
  agentId: "integer",
  stateId: "integer",
  teamId: "integer",
  listId: "integer",
  jobId: "integer",
  tagId: "integer",
  dispositionId: "integer",
  businessUnitId: "integer",
  totalRecords: "integer",
  startDate: "date-time",
  endDate: "date-time",
  updatedSince: "date-time",
  lastUpdateTime: "string",
  contactStartDate: "string",
  orderBy: "string",
  fields: "string",
  searchString: "string",
  outboundStrategy: "string",
  tagName: "string",
  notes: "string",
  isActive: "boolean",
  isOutbound: "boolean",
  IsOutbound: "boolean",
  tags: "boolean",
  includeRecords: "boolean",
  finalized: "boolean",
  force: "boolean",
  forceLogoff: "boolean",
  endContacts: "boolean",
  ignorePersonalQueue: "boolean",
  includeTrustedBusinessUnits: "boolean",
  // FULL types asAgentId as text, DZ as a number.
  asAgentId: ["string", "integer"],
  sessionId: "string",
  skillName: "string",
  dispositionName: "string",
  standardName: "string",
  displayName: "string",
  primaryDispositionId: "integer",
  secondaryDispositionId: "integer",
  primaryDispositionNotes: "string",
};

const PAGED = ["skip", "top"] as const;

export const ENDPOINTS: readonly EndpointFact[] = [
  {
    method: "GET",
    path: "/contacts/completed",
    query: [
      "startDate",
      "endDate",
      "updatedSince",
      "fields",
      "top",
      "skip",
      "orderBy",
      "mediaTypeId",
      "skillId",
      "campaignId",
      "agentId",
      "tags",
    ],
    body: [],
    response: [
      "completedContacts[].contactId",
      "completedContacts[].skillId",
      "completedContacts[].contactStartDate",
      "completedContacts[].primaryDispositionId",
      "completedContacts[].lastUpdateTime",
      "totalRecords",
    ],
    sources: [
      "GEN src/services/reporting/ReportingReportingService.ts (query names, completedContacts, tags=true)",
      "TAP streams.py (updatedSince + orderBy=lastUpdateTime asc; 'limited to 10K records per response')",
      "AGENT-SDK util-worker (updatedSince = previous lastPollTime; 304 = no change)",
      "DX (data lags up to 30 minutes)",
    ],
    open: "which orderBy keys work; what startDate/endDate filter on",
  },
  {
    method: "GET",
    path: "/contacts/{contactId}",
    query: ["fields"],
    body: [],
    response: ["contactId.contactId", "contactId.skillId"],
    sources: [
      "GEN src/services/reporting/ReportingReportingService.ts ({businessUnitId, lastPollTime, contactId:{…}})",
    ],
    open: "the envelope (knob contactEnvelope)",
  },
  {
    method: "GET",
    path: "/contacts/{contactId}/disposition",
    version: "v27.0",
    query: [],
    body: [],
    response: ["contactId", "dispositionId"],
    sources: [
      "GEN src/services/admin/AdminContactsService.ts (V27.0; dispositionByAgendId spelled so)",
      "AGENT-SDK api-uri-constants (V27.0)",
    ],
  },
  {
    method: "GET",
    path: "/contacts/active",
    query: ["skillId", "mediaTypeId", "stateId", "contactId", "updatedSince", "fields", ...PAGED],
    body: [],
    response: ["activeContacts[].contactId", "activeContacts[].skillId"],
    // GEN types contactId as text here, contactStartDate as a number (conformance §6).
    types: { "activeContacts[].contactId": ["integer", "string"] },
    sources: ["GEN src/services/realtime/RealtimedataRealtimeService.ts (filters, activeContacts)"],
  },
  {
    method: "POST",
    path: "/contacts/{contactId}/set-disposition",
    query: ["contactId"],
    body: [
      "dispositionInfo",
      "dispositionInfo.skill",
      "dispositionInfo.dispositionCode",
      "dispositionInfo.callbackNumber",
      "dispositionInfo.callbackTime",
      "dispositionInfo.commitmentAmount",
      "dispositionInfo.notes",
    ],
    response: [],
    // GEN's SetDisposition model: skill and dispositionCode as text.
    types: {
      "dispositionInfo.skill": "string",
      "dispositionInfo.dispositionCode": "string",
      "dispositionInfo.callbackNumber": "string",
      "dispositionInfo.callbackTime": "string",
      "dispositionInfo.commitmentAmount": "number",
      "dispositionInfo.notes": "string",
    },
    sources: [
      "GEN src/services/admin/AdminContactsService.ts (body; a required query contactId, number)",
      "FULL (no query)",
      "HELP-SD (only while connected; SkillNotRunning, SkillNotConfiguredForDispositionViaScript)",
    ],
    open: "whether dispositionCode takes an id or a name (knob dispositionCode); whether the contactId query is required (knob setDispositionContactIdQuery)",
  },
  {
    method: "POST",
    path: "/agent-sessions/join",
    query: ["asAgentId"],
    body: ["asAgentId"],
    response: ["sessionId"],
    sources: [
      "GEN src/services/agent/SessionsService.ts (query)",
      "AGENT-SDK core-sdk acd-session-manager.js:505-512 (JSON body; issue 75: sent in both)",
    ],
  },
  {
    method: "DELETE",
    path: "/agent-sessions/{sessionId}",
    query: ["forceLogoff", "endContacts", "ignorePersonalQueue"],
    body: ["forceLogoff", "endContacts", "ignorePersonalQueue"],
    response: [],
    sources: [
      "GEN src/services/agent/SessionsService.ts (endSession; query)",
      "AGENT-SDK core-sdk acd-session-manager.js:566-590 (JSON body; issue 75: sent in both)",
    ],
    open: "what ending a joined session does to the agent's own session (sent with forceLogoff, endContacts and ignorePersonalQueue false)",
  },
  {
    method: "POST",
    path: "/agent-sessions/{sessionId}/interactions/{contactId}/disposition",
    version: "v27.0",
    query: [],
    body: ["primaryDispositionId", "primaryDispositionNotes", "secondaryDispositionId"],
    response: [],
    sources: ["GEN src/services/agent/SessionsService.ts", "AGENT-SDK disposition-service"],
  },
  {
    method: "GET",
    path: "/tags",
    query: ["searchString", "isActive", ...PAGED, "orderBy", "fields", "updatedSince"],
    body: [],
    response: ["tags[].tagId", "tags[].tagName"],
    sources: ["GEN src/services/admin/AdminGeneralService.ts ({tags:[{tagId, tagName, isActive, notes}]})"],
  },
  {
    method: "POST",
    path: "/tags",
    query: ["tagName", "notes"],
    body: [],
    response: ["tagId"],
    sources: ["GEN src/services/admin/AdminGeneralService.ts (POST /tags?tagName=&notes= → {tagId})"],
  },
  {
    method: "POST",
    path: "/contacts/{contactId}/tags",
    query: [],
    body: ["tags", "tags[].tagId"],
    response: [],
    sources: [
      "GEN src/services/admin/AdminContactsService.ts",
      "AGENT-SDK saveTags (tags on a live contact)",
    ],
  },
  {
    method: "GET",
    path: "/dispositions",
    query: ["isActive", "searchString", "fields", "orderBy", "updatedSince", ...PAGED],
    body: [],
    response: ["dispositions[].dispositionId", "dispositions[].dispositionName", "totalRecords"],
    sources: ["GEN src/services/admin/AdminSkillsService.ts", "MCP (admin lists page at most 100)"],
  },
  {
    method: "GET",
    path: "/skills/{skillId}/dispositions",
    query: ["isActive", "searchString", "fields", "orderBy", ...PAGED],
    body: [],
    response: ["dispositions[].dispositionId", "dispositions[].dispositionName"],
    sources: [
      "GEN src/services/admin/AdminSkillsService.ts",
      "AGENT-SDK (v12/v33/v34; NICE reads v12.0 for roles without Skills View, api-uri-constants.js:78-80: the adapter retries a 403 there, issue 75)",
    ],
  },
  {
    method: "GET",
    path: "/skills",
    query: ["mediaTypeId", "outboundStrategy", "isActive", "fields", "orderBy", "updatedSince", ...PAGED],
    body: [],
    response: ["skills[].skillId", "skills[].skillName", "totalRecords"],
    sources: [
      "GEN src/services/admin/AdminSkillsService.ts (filters mediaTypeId, outboundStrategy; no searchString)",
    ],
  },
  {
    method: "GET",
    path: "/skills/{skillId}",
    query: ["fields"],
    body: [],
    response: ["skillId", "skillName", "isActive", "isOutbound"],
    sources: ["GEN src/services/admin/AdminSkillsService.ts", "MCP (sometimes wrapped as {skills:[…]})"],
  },
  {
    method: "POST",
    path: "/skills",
    query: [],
    body: [
      "skills",
      "skills[].skillName",
      "skills[].mediaTypeId",
      "skills[].isOutbound",
      "skills[].outboundStrategy",
      "skills[].campaignId",
      "skills[].requireDisposition",
      "skills[].notes",
    ],
    types: { "skills[].requireDisposition": "boolean" },
    response: ["skillsResults[].success"],
    sources: [
      "GEN src/services/admin/AdminSkillsService.ts ({errorCount, skillsResults:[{success, error}]}; no skillId)",
    ],
  },
  {
    method: "PUT",
    path: "/skills/{skillId}",
    query: [],
    body: ["skill", "skill.isActive", "skill.skillName", "skill.notes", "skill.campaignId"],
    response: [],
    sources: ["GEN src/services/admin/AdminSkillsService.ts ({skill:{isActive}} → {success, skillId})"],
  },
  {
    method: "POST",
    path: "/skills/{skillId}/start",
    query: [],
    body: [],
    response: [],
    sources: ["GEN src/services/admin/AdminSkillsService.ts"],
    open: "status codes",
  },
  {
    method: "POST",
    path: "/skills/{skillId}/stop",
    query: ["force"],
    body: [],
    response: [],
    sources: ["GEN src/services/admin/AdminSkillsService.ts"],
    open: "status codes; what force does",
  },
  {
    method: "GET",
    path: "/skills/{skillId}/parameters",
    query: [],
    body: [],
    response: ["generalSettings"],
    sources: ["GEN src/services/admin/AdminSkillsService.ts"],
  },
  {
    method: "GET",
    path: "/skills/{skillId}/parameters/general-settings",
    query: [],
    body: [],
    response: ["deliverCallbacksOnDNCHolidays", "deliverPrioritiesOnDNCHolidays", "aggressiveness"],
    sources: [
      "FULL (flat answer; aggressiveness text; the two DNC-holiday flags the combined GET lacks)",
      "DZ nice/sdk/json (sample without the flags)",
    ],
  },
  {
    method: "GET",
    path: "/skills/{skillId}/parameters/schedule-settings",
    query: [],
    body: [],
    response: ["mondayStartTime"],
    sources: ["GEN src/services/admin/AdminSkillsService.ts (the flat keys the PUT takes)"],
  },
  ...(
    [
      "general-settings",
      "delivery-preferences",
      "cpa-management",
      "retry-settings",
      "schedule-settings",
    ] as const
  ).map(
    (block): EndpointFact => ({
      method: "PUT",
      path: `/skills/{skillId}/parameters/${block}`,
      query: [],
      // Wrapped bodies: the block's own key, then its fields (whole block, as read).
      body: [wrapperOf(block), `${wrapperOf(block)}.*`],
      response: [],
      // FULL's PUT models (conformance §6): text, a number and a boolean where the GET differs.
      types: {
        [`${wrapperOf(block)}.aggressiveness`]: "string",
        [`${wrapperOf(block)}.waitTimeFactor`]: "number",
        [`${wrapperOf(block)}.enableCPALogging`]: "boolean",
      },
      sources: [
        "GEN src/services/admin/AdminSkillsService.ts (wrapped bodies; aggressiveness number in one model, string in another)",
      ],
      open: "merge or replace (send the whole block as read); units of abandonRateThreshold and maximumRatio",
    }),
  ),
  {
    method: "GET",
    path: "/lists/call-lists/{listId}",
    query: ["includeRecords", "finalized"],
    body: [],
    response: ["resultSet.contactRecords"],
    sources: ["GEN src/services/admin/AdminListsService.ts (records untyped)"],
    open: "record keys of a download",
  },
  {
    method: "POST",
    path: "/lists/call-lists/{listId}/upload",
    query: [],
    body: [
      "listFile",
      "fileName",
      "skillId",
      "defaultTimeZone",
      "expirationDate",
      "forceOverwrite",
      "startSkill",
      "sendEmail",
    ],
    response: ["jobId"],
    types: {
      listFile: "string",
      fileName: "string",
      defaultTimeZone: "string",
      expirationDate: "date-time",
      forceOverwrite: "boolean",
      startSkill: "boolean",
      sendEmail: "boolean",
    },
    sources: [
      "GEN src/services/admin/AdminListsService.ts (expirationDate required; forceOverwrite, startSkill, sendEmail)",
      "MCP (uploading to a running skill starts dialing at once)",
      'QA upload-new-records-to-a-call-list-v12.0.json (202 "Accepted. Upload job queued"; the adapter reads the jobId under 200 or 202)',
    ],
  },
  {
    method: "GET",
    path: "/lists/call-lists",
    query: ["skip", "top"],
    body: [],
    response: ["callingLists[]"],
    sources: ["GEN src/services/admin/AdminListsService.ts (callingLists[]: listId, listName, …)"],
    open: "paging parameters: GEN lists none; the admin lists' skip/top are sent",
  },
  {
    method: "POST",
    path: "/lists/call-lists",
    query: [
      "listName",
      "externalIdColumn",
      "listExpirationDate",
      "scoreColumn",
      "customer1Column",
      "customer2Column",
      "callerIdColumn",
      "priorityColumn",
      "complianceReqColumn",
      "firstNameColumn",
      "lastNameColumn",
      "addressColumn",
      "cityColumn",
      "stateColumn",
      "zipColumn",
      "timeZoneColumn",
      "confirmReqColumn",
      "overrideFinalizationColumn",
      "agentIdColumn",
      "callRequestTimeColumn",
      "callRequestStaleColumn",
      "notesColumn",
      "expirationDateColumn",
    ],
    body: ["destinationMappings", "destinationMappings[].fieldName", "destinationMappings[].fieldValue"],
    response: ["listId"],
    sources: [
      "GEN src/services/admin/AdminListsService.ts (postListsCallLists: the column mapping query, listId answered)",
      "FULL (contact records carry callRequestTime string, callRequestStaleMins number)",
    ],
    open: "the time format a call-request column is parsed in; whether a stale request is skipped or dialled late",
  },
  {
    method: "GET",
    path: "/lists/call-lists/jobs",
    query: [],
    body: [],
    response: ["uploadJobs[]"],
    sources: ["GEN src/services/admin/AdminListsService.ts (getListJob: uploadJobs[] with listId)"],
  },
  {
    method: "GET",
    path: "/lists/call-lists/{listId}/attempts",
    query: ["finalized", "updatedSince", "fields", "skip", "top", "orderBy"],
    body: [],
    response: ["resultSet.contactAttempts"],
    sources: [
      "GEN src/services/admin/AdminListsService.ts (finalized; contactAttempts untyped)",
      "FULL (contactAttempts[]: externalId, formattedPhone, dateOfCall, systemClassName, agentDispDesc, agentId, callRequestDate)",
      "DZ (query updatedSince, finalized, fields, skip, top, orderBy)",
    ],
  },
  {
    method: "GET",
    path: "/lists/call-lists/jobs/{jobId}",
    query: [],
    body: [],
    response: ["uploadJobs[]"],
    sources: ["GEN src/services/admin/AdminListsService.ts"],
  },
  {
    method: "GET",
    path: "/wfm-data/skills/dialer-contacts",
    query: ["startDate", "endDate", "mediaTypeId"],
    body: [],
    response: [],
    sources: [
      "GEN src/services/reporting (array key wfM_OB_StatsV9, mediaTypeId required)",
      "TAP schemas/wfm_skills_dialer_contacts.json (array key outboundStats; no mediaTypeId)",
    ],
    open: "the array key (accept both); the interval length",
  },
  {
    method: "GET",
    path: "/campaigns",
    query: ["searchString", "isActive", "fields", ...PAGED],
    body: [],
    response: ["campaigns[]"],
    sources: [
      "GEN src/services/admin/AdminGeneralService.ts",
      "MCP (v30 campaigns[{campaignId, campaignName}])",
    ],
  },
  {
    method: "GET",
    path: "/campaigns/{campaignId}/audit-history",
    query: [],
    body: [],
    response: ["auditHistoryEntries[]"],
    sources: ["GEN src/services/admin/AdminGeneralService.ts"],
  },
  {
    method: "GET",
    path: "/skills/activity",
    // GEN spells the filter `IsOutbound`; query names are case-insensitive on the platform.
    query: ["IsOutbound", "isOutbound", "mediaTypeId", "updatedSince", "fields"],
    body: [],
    response: ["skillActivity[].skillId", "skillActivity[].agentsACW", "lastPollTime"],
    sources: [
      "GEN src/services/realtime/RealtimedataRealtimeService.ts (IsOutbound, agentsACW)",
      "AGENT-SDK (polled with updatedSince = lastPollTime; 304 = no change)",
    ],
    types: { isOutbound: "boolean", lastPollTime: "string" },
  },
  {
    method: "GET",
    path: "/skills/summary",
    query: ["startDate", "endDate", "mediaTypeId", "isOutbound", "fields"],
    body: [],
    response: ["skillSummaries[].skillId"],
    sources: [
      "GEN src/services/reporting (startDate, endDate required; skillSummaries[]: agentsAcw, abandonCount, abandonRate)",
      "TAP (abandonRate, serviceLevel: integers, percent)",
    ],
    open: "the unit of abandonRate (knob summaryAbandonRateUnit); whether counts come back (knob summaryCounts)",
  },
  {
    method: "GET",
    path: "/timezones",
    query: [],
    body: [],
    response: ["timeZones[].standardName", "timeZones[].displayName"],
    sources: ["FULL (timeZones[{displayName, standardName, offset}])", "DZ nice/sdk/json"],
  },
  {
    method: "GET",
    path: "/business-unit",
    // GEN's only query; `fields` is not in any source (conformance §6), so it is never sent.
    query: ["includeTrustedBusinessUnits"],
    body: [],
    response: ["businessUnits[]"],
    sources: ["GEN src/services/admin/AdminGeneralService.ts"],
  },
  // Issue 62 §2: the tenant's DNC groups (reference cxone-api-overview.md §4.4, CJ's AdminDncGroupsService).
  {
    method: "GET",
    path: "/dnc-groups",
    query: [...PAGED],
    body: [],
    response: [
      "resultSet.dncGroups[].dncGroupId",
      "resultSet.dncGroups[].dncGroupName",
      "resultSet.dncGroups[].isActive",
    ],
    sources: [
      "CJ AdminDncGroupsService (list: resultSet {totalGroups, dncGroups[{dncGroupId, dncGroupName, validRecords, isActive, isRemoved}]})",
    ],
    open: "paging parameters: the admin lists' skip/top are sent; the listing's envelope may be flat (read both)",
    types: { dncGroupId: "integer", dncGroupName: "string", validRecords: "integer", isRemoved: "boolean" },
  },
  {
    method: "GET",
    path: "/dnc-groups/{groupId}",
    query: [],
    body: [],
    response: [
      "resultSet.dncGroups[].dncGroupId",
      "resultSet.dncGroups[].dncGroupName",
      "resultSet.dncGroups[].isActive",
    ],
    sources: [
      "CJ AdminLists_getDNCGroupResponseById ({resultSet:{dncGroups:[…]}}); DZ GetDoNotCallGroupResponse_Lists (issue 75; independent-clients.md)",
    ],
    open: "older readings: {dncGroups:[group]} or the group flat (read too; emulator knob dncEnvelope)",
    types: { dncGroupId: "integer", dncGroupName: "string", validRecords: "integer", isRemoved: "boolean" },
  },
  {
    method: "GET",
    path: "/dnc-groups/{groupId}/scrubbed-skills",
    query: [],
    body: [],
    response: ["scrubbedSkills[].skillId"],
    sources: ["CJ AdminDncGroupsService (GET …/scrubbed-skills)"],
    open: "the answer's array key is not public: scrubbedSkills[] (or skills[]) read; 204 when none",
  },
  {
    method: "GET",
    path: "/dnc-groups/{groupId}/records",
    query: [...PAGED],
    body: [],
    response: ["resultSet.dncRecords[].phoneNumber"],
    sources: [
      "CJ AdminLists_getDNCGroupRecordsResponseById ({resultSet:{totalRecords, dncRecords[]}}); DZ GetRecordsDoNotCallGroupResponse_Lists (issue 75; independent-clients.md)",
    ],
    open: "paging is not public (skip/top as the admin lists); the older key dncGroupRecords, inside resultSet or not, is read too (emulator knob dncRecordsKey)",
    types: { phoneNumber: "string", expiredDate: ["string", "any"] },
  },
  {
    method: "POST",
    path: "/dnc-groups/{groupId}/records",
    query: [],
    body: ["dncGroupRecords", "dncGroupRecords[].phoneNumber", "dncGroupRecords[].expiredDate"],
    response: [],
    sources: ["CJ AdminDncGroupsService (body {dncGroupRecords:[{phoneNumber, expiredDate?}]})"],
    types: { phoneNumber: "string", expiredDate: "string" },
  },
  {
    method: "POST",
    path: "/dnc-groups/search",
    query: ["phoneNumber"],
    body: [],
    response: ["searchResults[].dncGroupId", "searchResults[].dncGroupName"],
    sources: [
      "CJ AdminDncGroupsService (searchResults[{dncGroupId, dncGroupName, formattedPhone, expiredDate, dateCollected, lastUpdateTime}]; 204 when none)",
    ],
    types: { phoneNumber: "string", dncGroupId: "integer", dncGroupName: "string" },
  },
  // Scheduled callbacks: NICE's QA automation (walterplaza/protractor, src/apis/admin/
  // scheduled-callbacks-management/scheduled-callbacks-management-v12.ts, v12.0) and a client of a
  // live tenant (CtrlAltWilson/Commitment-Automation-backend, src/rc.py, v13.0). Neither types a
  // field: QA quotes every value, CAB sends JSON numbers and text.
  {
    method: "POST",
    path: "/scheduled-callbacks",
    query: [],
    body: ["firstName", "lastName", "phoneNumber", "skillId", "targetAgentId", "scheduleDate", "notes"],
    response: ["callbackId"],
    sources: ["QA createsAScheduledCallback (reads callbackId from the answer)", "CAB createCommit"],
    open: "the zone a scheduleDate without an offset is read in; the answer's status (QA expects 200)",
    types: {
      phoneNumber: ["string", "integer"],
      skillId: ["string", "integer"],
      targetAgentId: ["string", "integer"],
      scheduleDate: "string",
      callbackId: ["string", "integer"],
    },
  },
  {
    method: "GET",
    path: "/skills/{skillId}/scheduled-callbacks",
    query: [],
    body: [],
    response: [
      "callbacks[].callbackId",
      "callbacks[].firstName",
      "callbacks[].lastName",
      "callbacks[].dialNumber",
      "callbacks[].callbackTime",
    ],
    sources: ["QA returnsScheduledCallbacksForASkill", "CAB getCommits, checkCommits (reads these five)"],
    open: "whether an empty listing is 200 with [] or 204; callbackTime's zone (CAB reads it as UTC)",
    types: { callbackId: ["string", "integer"], dialNumber: "string", callbackTime: "string" },
  },
  {
    method: "GET",
    path: "/agents/{agentId}/scheduled-callbacks",
    query: [],
    body: [],
    response: ["callbacks[].callbackId", "callbacks[].dialNumber"],
    sources: ["QA returnsScheduledCallbacksForAnAgent (status only: the shape is assumed as the skill's)"],
    types: { callbackId: ["string", "integer"], dialNumber: "string" },
  },
  {
    method: "GET",
    path: "/scheduled-callbacks/{callbackId}",
    query: [],
    body: [],
    response: ["callbacks[].callbackId"],
    sources: ["assumed: the listing's envelope with one callback (no public client reads one)"],
    types: { callbackId: ["string", "integer"] },
  },
  {
    method: "DELETE",
    path: "/scheduled-callbacks/{callbackId}",
    query: ["description"],
    body: ["callbackId"],
    response: [],
    sources: [
      "QA deletesAScheduledCallback (?description=; expects 200)",
      "CAB deleteCommit (JSON body {callbackId})",
    ],
    types: { description: "string", callbackId: ["string", "integer"] },
  },
];

function wrapperOf(block: string): string {
  const named: Record<string, string> = {
    "general-settings": "generalSettings",
    "delivery-preferences": "deliveryPreferences",
    "cpa-management": "cpaSettings",
    "retry-settings": "retrySettings",
    "schedule-settings": "scheduleSettings",
  };
  return named[block] ?? block;
}

/** The table entry a request matches (method and path template), or undefined. */
export function endpointOf(method: string, path: string): EndpointFact | undefined {
  // A literal segment wins over a parameter (`/contacts/active` is not `/contacts/{contactId}`).
  const params = (entry: EndpointFact) => entry.path.split("{").length;
  return ENDPOINTS.filter((entry) => entry.method === method && templateMatches(entry.path, path)).sort(
    (a, b) => params(a) - params(b),
  )[0];
}

function templateMatches(template: string, path: string): boolean {
  const want = template.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return false;
  return want.every((part, i) => (part.startsWith("{") ? (got[i] ?? "") !== "" : part === got[i]));
}

/** Whether a dotted field name is one the entry lists (`x.*` allows any field under `x`). */
export function listsBodyField(entry: EndpointFact, field: string): boolean {
  return entry.body.some((known) =>
    known.endsWith(".*")
      ? field.startsWith(known.slice(0, -1)) || field === known.slice(0, -2)
      : known === field,
  );
}
