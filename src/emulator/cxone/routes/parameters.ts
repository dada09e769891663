import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { clockNowDate } from "../../../core/clock/now.ts";
import type { CxoneContext } from "../context.ts";
import type { ParameterBlocks, Skill } from "../data/model.ts";
import { CxoneError, invalid, parseOr400 } from "../errors.ts";
import { type ApiCall, apiRoute, sendEmpty, sendJson } from "../http.ts";
import type { Knobs } from "../knobs.ts";
import type { CxoneState } from "../state.ts";
import { skillOr404 } from "./skills.ts";

/**
 * §C2 #20–21: a PC skill's dialer parameters. GET returns every block (in the GET model's types,
 * without the DNC-holiday flags: conformance §6); each block has its own GET (flat; general
 * settings' is complete and in the PUT model's types) and PUT (wrapped: `{"generalSettings":{…}}`,
 * the PUT model's types under knob `parameterTypes: "strict"`), a partial update with range checks
 * (knob `parameterPut: "replace"`: the body becomes the whole block, unsent fields are gone;
 * knob `maximumRatioUnit: "percent"`: `maximumRatio` is 100 × lines per agent on the wire).
 * No version, no ETag, synchronous (reference §0.3). A pending `concurrentEdit` fault changes
 * the settings after a read, as a supervisor editing in the UI would.
 */
const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

/** A field the PUT model types one way and the combined GET another (knob `parameterTypes`). */
function putTyped<T extends z.ZodType>(knobs: Knobs, strict: T, lenient: z.ZodType): z.ZodType {
  return knobs.parameterTypes === "strict" ? strict : z.union([strict, lenient]);
}

const TRUE_FALSE = z.enum(["True", "False"]).transform((v) => v === "True");
/** A whole number of seconds, minutes, days or attempts (0 = off, where the model allows it). */
const COUNT = z.number().int().min(0).max(1_000_000);
const SECONDS = z.number().min(0).max(3600);

/** calljacob's delivery-preferences PUT model (the 19 fields NICE's SDK model has too). */
const deliverySchema = z.strictObject({
  confirmationRequiredDisabled: z.boolean(),
  confirmationRequiredDeliveryType: COUNT,
  confirmationRequiredTimeout: COUNT,
  confirmationRequiredTimeoutSubsequent: COUNT,
  confirmationRequiredDefaultAccept: z.boolean(),
  confirmationRequiredDefault: z.boolean(),
  complianceRecordsDisabled: z.boolean(),
  complianceRecordsDeliveryType: COUNT,
  complianceRecordsTimeout: COUNT,
  complianceRecordsTimeoutSubsequent: COUNT,
  complianceRecordsDefaultAccept: z.boolean(),
  showComplianceButtonReschedule: z.boolean(),
  showComplianceButtonRequeue: z.boolean(),
  showComplianceButtonSnooze: z.boolean(),
  showComplianceButtonDisposition: z.boolean(),
  showPreviewButtonReschedule: z.boolean(),
  showPreviewButtonRequeue: z.boolean(),
  showPreviewButtonSnooze: z.boolean(),
  showPreviewButtonDisposition: z.boolean(),
});

/** calljacob's cpa-management PUT model (the 24 fields NICE's SDK model has too). */
function cpaSchema(knobs: Knobs) {
  return z.strictObject({
    abandonTimeout: z.number().int().min(1).max(30),
    abandonMessagePath: z.string().max(500),
    abandonMsgMode: COUNT,
    ansMachineDetMode: COUNT,
    ansMachineMsg: z.string().max(500),
    ansMachineOverrideSeconds: SECONDS,
    exceptions: z.array(z.record(z.string(), z.unknown())).max(100),
    treatProgressAsRinging: z.boolean(),
    preConnectCPAEnabled: z.boolean(),
    agentOverrideOptionFax: z.boolean(),
    agentOverrideOptionAnsweringMachine: z.boolean(),
    agentOverrideOptionBadNumber: z.boolean(),
    utteranceMinimumSeconds: SECONDS,
    customerLiveSilenceSeconds: SECONDS,
    machineMinimumWithAgentSeconds: SECONDS,
    machineMinimumWithoutAgentSeconds: SECONDS,
    machineEndSilenceSeconds: SECONDS,
    machineEndTimeoutSeconds: SECONDS,
    agentResponseUtteranceMinimumSeconds: SECONDS,
    agentNoResponseSeconds: SECONDS,
    agentVoiceThreshold: z.number().min(0).max(100),
    customerVoiceThreshold: z.number().min(0).max(100),
    preConnectCPARecording: z.boolean(),
    // A boolean in the PUT model, "True"/"False" in the combined GET.
    enableCPALogging: putTyped(knobs, z.boolean(), TRUE_FALSE),
  });
}

/**
 * A `time-zones` row: calljacob's PUT model names the zone `standardName`, its GET model `name`,
 * the emulator's first reading `timeZone`; any one of them is taken and kept as `timeZone`.
 */
const zoneRowSchema = z
  .strictObject({
    name: z.string().min(1).optional(),
    standardName: z.string().min(1).optional(),
    timeZone: z.string().min(1).optional(),
    description: z.string().max(200).optional(),
    overrideTime: z.boolean().optional(),
    timeZoneActiveToCall: z.boolean().optional(),
    startTime: HHMM,
    endTime: HHMM,
  })
  .refine((row) => (row.standardName ?? row.name ?? row.timeZone) !== undefined, {
    message: "names no zone (standardName, name or timeZone)",
  })
  .transform(({ name, standardName, timeZone, ...rest }) => ({
    timeZone: (standardName ?? name ?? timeZone) as string,
    ...rest,
  }));

function generalSchema(knobs: Knobs) {
  const rateMax = knobs.abandonRateUnit === "percent" ? 100 : 1;
  const scale = knobs.maximumRatioUnit === "percent" ? 100 : 1;
  const [ratioMin, ratioMax] = knobs.maximumRatioRange.map((x) => x * scale) as [number, number];
  return z.strictObject({
    maximumRatio: z.number().min(ratioMin).max(ratioMax),
    // Text in the PUT model, a number in the combined GET; stored as a number either way.
    aggressiveness: putTyped(knobs, z.string().regex(/^\d+$/).transform(Number), z.number()).pipe(
      z.number().int().min(0).max(10),
    ),
    abandonRateThreshold: z.number().min(0).max(rateMax),
    abandonRateCutoff: z.number().min(0).max(rateMax),
    overrideBusinessUnitAbandonRate: z.boolean(),
    maximumRingingDuration: z.number().int().min(10).max(120),
    maximumAttempts: z.number().int().min(1).max(99),
    minimumRetryMinutes: z.number().int().min(1).max(10_080),
    maxConcurrentCallsPerAgent: z.number().int().min(1).max(10),
    loadNonFresh: z.boolean(),
    // Issue 75: the rest of calljacob's general-settings PUT model (AdminSkills_UpdateSkillGenral).
    defaultContactExpiration: COUNT,
    getPriorityContactsOnContactInsertion: z.boolean(),
    loadCallbacks: z.boolean(),
    loadFresh: z.boolean(),
    beginDampenPercentage: z.number().min(0).max(100),
    inactiveBlenderTimer: COUNT,
    endOfListNotificationsDelay: COUNT,
    notifyAgentsWhenListIsEmpty: z.boolean(),
    percentageOfAgentsBeforeOverdial: z.number().min(0).max(100),
    blockMultipleCalls: z.boolean(),
    consecutiveAttemptsWithoutALiveConnect: COUNT,
    enableDialingByProficiency: z.boolean(),
    proficiencyFactor: z.number().min(0),
    maxWaitTimeSeconds: COUNT,
    // A number in the PUT model, a boolean in the combined GET (which cannot say which number).
    waitTimeFactor: putTyped(
      knobs,
      z.number().min(0).max(10),
      z.boolean().transform((on) => (on ? 1 : 0)),
    ),
    deliverCallbacksOnDNCHolidays: z.boolean(),
    deliverPrioritiesOnDNCHolidays: z.boolean(),
  });
}

const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
const scheduleSchema = z.strictObject({
  isScheduled: z.boolean(),
  // Shown on a tenant whose schedule names its zone (knob scheduleTimeZone); sent back, ignored.
  timeZone: z.string().optional(),
  ...Object.fromEntries(
    DAYS.flatMap((d) => [
      [`${d}StartTime`, HHMM],
      [`${d}EndTime`, HHMM],
      [`${d}IsActive`, z.boolean()],
    ]),
  ),
});

interface Block {
  /** The body's wrapper key and the block's key in `GET …/parameters`. */
  key: keyof ParameterBlocks;
  schema: (knobs: Knobs) => z.ZodType;
  array?: boolean;
}

const BLOCKS: Record<string, Block> = {
  "general-settings": { key: "generalSettings", schema: generalSchema },
  "schedule-settings": { key: "scheduleSettings", schema: () => scheduleSchema },
  "retry-settings": {
    key: "retrySettings",
    schema: () =>
      // calljacob's retry-settings PUT model.
      z.strictObject({
        loadNonFresh: z.boolean(),
        finalizeWhenExhausted: z.boolean(),
        maximumAttempts: z.number().int().min(1).max(99),
        minimumRetryMinutes: z.number().int().min(1).max(10_080),
        maximumNumberOfHandledCalls: COUNT,
        restrictedCallingMinutes: z.number().int().min(0).max(1440),
        restrictedCallingMaxAttempts: COUNT,
        generalStaleMinutes: COUNT,
        callbackRestMinutes: COUNT,
        releaseAgentSpecificCalls: z.boolean(),
        maximumNumberOfCallbacks: COUNT,
        callbackStaleMinutes: COUNT,
      }),
  },
  "delivery-preferences": { key: "deliveryPreferences", schema: () => deliverySchema },
  "cpa-management": { key: "cpaSettings", schema: cpaSchema },
  "time-zones": { key: "timeZoneSettings", array: true, schema: () => z.array(zoneRowSchema).max(50) },
};

function pcSkill(state: CxoneState, call: ApiCall): Skill & { parameters: ParameterBlocks } {
  const skill = skillOr404(state, call);
  if (!skill.parameters) {
    const status = state.knobs.nonPcParametersStatus;
    throw status === 404
      ? new CxoneError(404, "NotFound", `skill ${skill.skillId} has no dialer parameters`)
      : invalid("skillId", "is not a Personal Connection skill");
  }
  return skill as Skill & { parameters: ParameterBlocks };
}

/** A "UI edit": the given general settings, or a nudge of the ratio and aggressiveness. */
export function touchParameters(skill: Skill, patch: Record<string, unknown> | null): void {
  if (!skill.parameters) return;
  const general = skill.parameters.generalSettings;
  if (patch) Object.assign(general, patch);
  else {
    general.maximumRatio = general.maximumRatio === 2 ? 2.5 : 2;
    general.aggressiveness = ((Number(general.aggressiveness) || 0) % 10) + 1;
  }
  skill.lastUpdateTime = clockNowDate().toISOString();
}

/** Conformance §6: general settings the combined GET leaves out (only the block's own GET has them). */
const OWN_GET_ONLY = ["deliverCallbacksOnDNCHolidays", "deliverPrioritiesOnDNCHolidays"];
/** Conformance §6: fields kept in both general and retry settings; a write to one shows in the other. */
const SHARED_FIELDS = ["maximumAttempts", "minimumRetryMinutes", "loadNonFresh"];

/**
 * The blocks as the combined `GET …/parameters` shows them: a copy in the GET model's types
 * (`aggressiveness` a number or text per knob, `waitTimeFactor` a boolean, `enableCPALogging`
 * "True"/"False") without the two DNC-holiday flags.
 */
function shown(state: CxoneState, parameters: ParameterBlocks): ParameterBlocks {
  const copy = structuredClone(parameters);
  const general = copy.generalSettings;
  unitsToWire(state.knobs, general);
  if (state.knobs.aggressivenessType === "string" && general.aggressiveness !== undefined)
    general.aggressiveness = String(general.aggressiveness);
  if (typeof general.waitTimeFactor === "number") general.waitTimeFactor = general.waitTimeFactor > 0;
  for (const field of OWN_GET_ONLY) delete general[field];
  const logging = copy.cpaSettings.enableCPALogging;
  if (typeof logging === "boolean") copy.cpaSettings.enableCPALogging = logging ? "True" : "False";
  // Kept under `timeZone`; shown under the knob's name (`name`: calljacob's GET model).
  copy.timeZoneSettings = copy.timeZoneSettings.map(({ timeZone, ...row }) => ({
    [state.knobs.zoneNameKey]: timeZone,
    ...row,
  }));
  const schedule = copy.scheduleSettings as Record<string, unknown> | undefined;
  if (schedule) {
    delete schedule.timeZone;
    if (state.knobs.scheduleTimeZone) schedule.timeZone = state.knobs.scheduleTimeZone;
  }
  return copy;
}

/**
 * Kept in one unit whatever the wire's (lines per agent; abandon rates in percent), converted on
 * the way out and in (knobs `maximumRatioUnit`, `abandonRateUnit`): the same tenant read in
 * either unit holds the same settings, and what it serves it takes back.
 */
const round = (value: number) => Math.round(value * 1e6) / 1e6;

function unitsToWire(knobs: Knobs, general: Record<string, unknown>): void {
  if (knobs.maximumRatioUnit === "percent" && typeof general.maximumRatio === "number")
    general.maximumRatio = round(general.maximumRatio * 100);
  if (knobs.abandonRateUnit === "fraction")
    for (const field of ["abandonRateThreshold", "abandonRateCutoff"])
      if (typeof general[field] === "number") general[field] = round(general[field] / 100);
}

function unitsFromWire(knobs: Knobs, general: Record<string, unknown>): void {
  if (knobs.maximumRatioUnit === "percent" && typeof general.maximumRatio === "number")
    general.maximumRatio = general.maximumRatio / 100;
  if (knobs.abandonRateUnit === "fraction")
    for (const field of ["abandonRateThreshold", "abandonRateCutoff"])
      if (typeof general[field] === "number") general[field] = round(general[field] * 100);
}

/** `GET …/parameters/general-settings`: flat, complete, `aggressiveness` as text (conformance §6). */
function shownGeneral(state: CxoneState, parameters: ParameterBlocks): Record<string, unknown> {
  const general = structuredClone(parameters.generalSettings);
  unitsToWire(state.knobs, general);
  if (general.aggressiveness !== undefined) general.aggressiveness = String(general.aggressiveness);
  return general;
}

/** After a served read, a pending concurrent edit may fire. */
function afterRead(state: CxoneState, skill: Skill): void {
  const pending = state.pendingEdits.get(skill.skillId);
  if (!pending) return;
  pending.afterReads -= 1;
  if (pending.afterReads > 0) return;
  state.pendingEdits.delete(skill.skillId);
  touchParameters(skill, pending.patch);
}

export function registerParameterRoutes(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;

  apiRoute(app, { method: "GET", path: "/skills/:skillId/parameters", group: "parameters" }, (call) => {
    const skill = pcSkill(state, call);
    const answer = sendJson(ctx, call.reply, {
      skillName: skill.skillName,
      skillNo: skill.skillId,
      ...shown(state, skill.parameters),
      callingLists: skill.callingListIds.map((id) => ({ id, name: state.lists.get(id)?.listName ?? "" })),
    });
    afterRead(state, skill);
    return answer;
  });

  for (const [segment, block] of Object.entries(BLOCKS)) {
    apiRoute(
      app,
      { method: "GET", path: `/skills/:skillId/parameters/${segment}`, group: "parameters" },
      (call) => {
        const skill = pcSkill(state, call);
        const answer = sendJson(
          ctx,
          call.reply,
          segment === "general-settings"
            ? shownGeneral(state, skill.parameters)
            : shown(state, skill.parameters)[block.key],
        );
        afterRead(state, skill);
        return answer;
      },
    );

    apiRoute(
      app,
      { method: "PUT", path: `/skills/:skillId/parameters/${segment}`, group: "parameters" },
      (call) => {
        const skill = pcSkill(state, call);
        if (segment === "schedule-settings" && state.knobs.scheduleRejects) {
          throw new CxoneError(400, "InvalidParameter", "InvalidParameter");
        }
        if (segment === "schedule-settings") refuseInactiveDays(state.knobs, call.body);
        const wrapper = parseOr400(z.strictObject({ [block.key]: z.unknown() }), call.body, "body");
        const value = wrapper[block.key];
        if (value === undefined) throw invalid(block.key, "is required");
        const schema = block.schema(state.knobs);
        if (block.array) {
          const list = parseOr400(schema, value, block.key) as Record<string, unknown>[];
          skill.parameters.timeZoneSettings = list;
        } else {
          const partial = parseOr400((schema as z.ZodObject).partial(), value, block.key) as Record<
            string,
            unknown
          >;
          if (segment === "general-settings") unitsFromWire(state.knobs, partial);
          prefixErrors(block.key, () =>
            checkOrder(segment, { ...(skill.parameters[block.key] as object), ...partial }),
          );
          if (state.knobs.parameterPut === "replace")
            (skill.parameters as unknown as Record<string, unknown>)[block.key] = partial;
          else Object.assign(skill.parameters[block.key] as Record<string, unknown>, partial);
          syncSharedFields(skill.parameters, block.key);
        }
        skill.lastUpdateTime = clockNowDate().toISOString();
        return sendEmpty(call.reply, 200);
      },
    );
  }
}

/** A write to general or retry settings shows in the other block's copy of the shared fields. */
function syncSharedFields(parameters: ParameterBlocks, written: keyof ParameterBlocks): void {
  const other =
    written === "generalSettings" ? "retrySettings" : written === "retrySettings" ? "generalSettings" : null;
  if (!other) return;
  for (const field of SHARED_FIELDS)
    if (parameters[written] && field in (parameters[written] as Record<string, unknown>))
      (parameters[other] as Record<string, unknown>)[field] = (
        parameters[written] as Record<string, unknown>
      )[field];
}

/**
 * Knob `scheduleInactiveDays: reject` (the default): a schedule that names any day inactive is
 * refused, however the flag is written (`false`, "False", 0), as the MCP found live tenants do.
 * Days the body leaves out are not judged: a PUT of other fields of a block is taken.
 */
function refuseInactiveDays(knobs: Knobs, body: unknown): void {
  if (knobs.scheduleInactiveDays === "accept") return;
  const block = (body as { scheduleSettings?: unknown } | null)?.scheduleSettings;
  if (typeof block !== "object" || block === null) return;
  for (const day of DAYS) {
    const flag = (block as Record<string, unknown>)[`${day}IsActive`];
    if (flag === false || flag === 0 || (typeof flag === "string" && /^(false|0)$/i.test(flag.trim())))
      throw invalid(`scheduleSettings.${day}IsActive`);
  }
}

/** Cross-field rules: a day's start before its end; a cutoff not below the threshold. */
function checkOrder(segment: string, merged: Record<string, unknown>): void {
  if (segment === "schedule-settings") {
    for (const day of DAYS) {
      const start = merged[`${day}StartTime`];
      const end = merged[`${day}EndTime`];
      if (typeof start === "string" && typeof end === "string" && start >= end)
        throw invalid(`${day}EndTime`, "is not after the start time");
    }
  }
  if (segment === "general-settings") {
    const threshold = Number(merged.abandonRateThreshold);
    const cutoff = Number(merged.abandonRateCutoff);
    if (cutoff < threshold) throw invalid("abandonRateCutoff", "is below abandonRateThreshold");
  }
}

function prefixErrors(prefix: string, check: () => void): void {
  try {
    check();
  } catch (error) {
    if (error instanceof CxoneError)
      throw new CxoneError(error.status, error.code, `${prefix}.${error.message}`);
    throw error;
  }
}
