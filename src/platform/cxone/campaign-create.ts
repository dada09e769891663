import { clockNowMs } from "../../core/clock/now.ts";
import type { ProductionApiSettings } from "../../core/config/schema.ts";
import { DeadlineExceededError } from "../../core/deadline-error.ts";
import { ConflictError, cxoneWords, NotFoundError, ValidationError } from "../../core/http/errors.ts";
import { InputError } from "../../core/input-error.ts";
import { waitFor } from "../../core/waiter.ts";
import type { CampaignsPort, CampaignWrite, CreateHooks } from "../ports/campaigns.ts";
import type { ProductionApi } from "./api.ts";
import { downloadListWithMapping, recordsAsCsv } from "./call-lists.ts";
import { closedDaysOf, notesWithClosedDays } from "./closed-days.ts";
import { uploadListRecords } from "./list-upload.ts";
import { allItems } from "./paging.ts";
import { putParameterBlock, readParameterBlocks, wholeBlocks } from "./parameter-blocks.ts";
import { skillActions } from "./skill-actions.ts";
import { presentedCallerIdOf } from "./skill-caller-id.ts";
import { campaignSettingsBlocks } from "./skill-settings.ts";
import { cxoneNameOf } from "./time-zones.ts";
import { bool, isObject, listOf, num, type Raw, text } from "./tolerant.ts";

/**
 * Creating a campaign on the production API: a Personal Connection skill, found again by the
 * idempotency key it carries in its notes (the platform has no idempotency keys, and `POST
 * /skills` returns no id), completed step by step — its parameter blocks (whole, as read), its
 * list (re-uploaded with the skill: the only way to bind one), its start — so a create that
 * stopped half way is finished by running it again.
 */
const PHONE_CALL = 4;
export const IDEM_MARKER = "cxo-idem:";
/** The business unit's outbound Personal Connection skills: the listing request (`GET /skills`). */
export const PERSONAL_CONNECTION_SKILLS = {
  path: "/skills",
  endpoint: "GET /skills",
  group: "campaigns",
  key: "skills",
  query: { mediaTypeId: PHONE_CALL, outboundStrategy: "Personal Connection" },
} as const;
/** Days a list uploaded to bind it to a new skill stays dialable (the upload requires a date). */
const LIST_EXPIRY_DAYS = 365;
/**
 * Looks for a just-created skill (MCP sees new objects after about 2.5 s): from 500 ms apart
 * growing to 4 s (with jitter), for 7.5 s in all — the pauses 500, 1000, 2000 and 4000 ms had.
 */
export const FIND_CREATED_WAIT = { minDelayMs: 500, maxDelayMs: 4_000, maxWaitMs: 7_500 } as const;

/** What the create workflow needs from the campaign reads. */
export interface CampaignReads {
  readSkill(skillId: string, signal?: AbortSignal): Promise<Raw>;
  /** The campaign as written, with the request's figures. */
  written(
    skillId: string,
    replayed: boolean,
    attempts: number,
    requestId: string | undefined,
    warnings: string[],
    signal?: AbortSignal,
  ): Promise<CampaignWrite>;
}

type CampaignDefinition = Parameters<CampaignsPort["create"]>[0];

/** What the create steps share: the API, the settings, the reads, and the tenant's zone names. */
interface Context {
  api: ProductionApi;
  options: ProductionApiSettings;
  reads: CampaignReads;
  post: ReturnType<typeof skillActions>["post"];
  /** The tenant's zone names (`GET /timezones`), read once; forgotten when the read fails. */
  zoneNames?: Promise<string[]> | undefined;
  /** The capability's judgement before the skill starts (its caller id). */
  hooks?: CreateHooks | undefined;
}

export function productionCampaignCreate(
  api: ProductionApi,
  options: ProductionApiSettings,
  reads: CampaignReads,
): CampaignsPort["create"] {
  const ctx: Context = { api, options, reads, post: skillActions(api).post };
  return (definition, idempotencyKey, signal, hooks) =>
    create({ ...ctx, hooks }, definition, idempotencyKey, signal);
}

const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

async function create(
  ctx: Context,
  definition: CampaignDefinition,
  idempotencyKey: string,
  signal?: AbortSignal,
): Promise<CampaignWrite> {
  // A skill with our marker is this create, run before: finish whatever it did not.
  const existing = await findByMarker(ctx.api, definition.name, idempotencyKey, signal);
  if (existing) {
    const warnings = await complete(ctx, existing, definition, signal);
    return ctx.reads.written(existing, true, 1, undefined, warnings, signal);
  }
  // The list upload names the zone CXone's way: a zone it cannot name is refused before any write.
  await uploadZoneName(ctx, definition.compliance.timeZone, signal);
  const campaignId = await reportingCampaign(ctx, signal);
  const created = await ctx.api.request({
    method: "POST",
    path: "/skills",
    endpoint: "POST /skills",
    group: "campaigns",
    body: {
      skills: [
        {
          skillName: definition.name,
          mediaTypeId: PHONE_CALL,
          isOutbound: true,
          outboundStrategy: "Personal Connection",
          campaignId,
          requireDisposition: true,
          // The number its calls present, as CXone writes NANP numbers (10 digits).
          ...(definition.callerId ? { callerIdOverride: definition.callerId.replace(/^\+1/, "") } : {}),
          notes: `${IDEM_MARKER}${idempotencyKey}${definition.description ? ` ${definition.description}` : ""}`,
        },
      ],
    },
    ...withSignal(signal),
  });
  const result = listOf(created.body, "skillsResults")[0];
  if (result && bool(result.success) === false)
    throw new ValidationError(`POST /skills: ${text(result.error) ?? "the skill was refused"}`, {
      status: created.status,
      endpoint: "POST /skills",
      body: created.body,
    });
  const skillId =
    text(result?.skillId) ?? (await findCreated(ctx.api, definition.name, idempotencyKey, signal));
  const warnings = await complete(ctx, skillId, definition, signal);
  return ctx.reads.written(skillId, false, created.attempts, created.requestId, warnings, signal);
}

async function findByMarker(
  api: ProductionApi,
  name: string,
  key: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  // `searchString` appears in no public source (conformance §3): filter by name here.
  const skills = await allItems(api, { ...PERSONAL_CONNECTION_SKILLS, signal });
  const marker = `${IDEM_MARKER}${key}`;
  const found = skills.find(
    (skill) => text(skill.skillName) === name && (text(skill.notes) ?? "").split(/\s+/).includes(marker),
  );
  return text(found?.skillId);
}

/**
 * `POST /skills` answers without the new skill's id (conformance §3): find it by its marker,
 * looking again on the client's clock (core/waiter.ts) while the skill list catches up; not
 * found in time, a DeadlineExceededError (the same create run again finds it and finishes it).
 */
async function findCreated(
  api: ProductionApi,
  name: string,
  key: string,
  signal?: AbortSignal,
): Promise<string> {
  const result = await waitFor(
    (pollSignal) => findByMarker(api, name, key, pollSignal),
    (id) => (id ? "success" : "retry"),
    { ...FIND_CREATED_WAIT, signal, clock: api.clock() },
  );
  if (result.state === "success" && result.last) return result.last;
  if (result.state === "aborted") throw signal?.reason;
  throw new DeadlineExceededError(FIND_CREATED_WAIT.maxWaitMs, {
    scope: "wait",
    message: `POST /skills: skill "${name}" was not found within ${FIND_CREATED_WAIT.maxWaitMs} ms after creating it (the wait's bound); run the same create again to finish it (it is found by its marker)`,
  });
}

/** The reporting campaign a new skill goes in: the configured one, else the tenant's "Default Campaign". */
async function reportingCampaign(ctx: Context, signal?: AbortSignal): Promise<number | string> {
  const { reportingCampaignId } = ctx.options;
  if (reportingCampaignId) return num(reportingCampaignId) ?? reportingCampaignId;
  const campaigns = await allItems(ctx.api, {
    path: "/campaigns",
    endpoint: "GET /campaigns",
    group: "campaigns",
    key: "campaigns",
    signal,
  });
  const byName = campaigns.find((c) => /^default campaign$/i.test(text(c.name ?? c.campaignName) ?? ""));
  const id = text(byName?.id ?? byName?.campaignId);
  if (id === undefined)
    throw new InputError({
      field: "cxone.productionApi.reportingCampaignId",
      rule: 'is required: no reporting campaign to put the new skill in (no "Default Campaign" found)',
    });
  return num(id) ?? id;
}

/** The tenant's zone names (`GET /timezones`), read once; none when the tenant has no such read. */
function tenantZoneNames(ctx: Context, signal?: AbortSignal): Promise<string[]> {
  ctx.zoneNames ??= ctx.api
    .request({
      method: "GET",
      path: "/timezones",
      endpoint: "GET /timezones",
      group: "campaigns",
      ...withSignal(signal),
    })
    .then(
      (r) => listOf(r.body, "timeZones").flatMap((z) => text(z.standardName) ?? []),
      (error: unknown) => {
        ctx.zoneNames = undefined;
        if (error instanceof NotFoundError || error instanceof ValidationError) return [];
        throw error;
      },
    );
  return ctx.zoneNames;
}

/**
 * A list upload's `defaultTimeZone` in CXone's naming ("Eastern Standard Time"), never the
 * spec's IANA name; a zone CXone has no name for is the spec's mistake, found before any write.
 */
async function uploadZoneName(ctx: Context, iana: string, signal?: AbortSignal): Promise<string> {
  const names = await tenantZoneNames(ctx, signal);
  const name = cxoneNameOf(iana, names);
  if (name) return name;
  throw new InputError({
    field: "compliance.timeZone",
    rule: `"${iana}" has no CXone time zone name${names.length > 0 ? ` (this tenant lists: ${names.join(", ")})` : ""}: use a zone CXone can name for the list upload`,
  });
}

/**
 * Completes a campaign's skill: its parameter blocks (whole, as read), its list (when not bound
 * yet) and its start. Each step is idempotent, so a create that stopped half way is finished
 * by running it again. A block CXone refuses fails the create before the skill is started
 * (a skill dialling without the spec's safeguards is worse than no campaign): the error names
 * the block, CXone's words and what was written, and the journal keeps it; the same create run
 * again after the fix finds the skill by its marker and finishes it.
 */
async function complete(
  ctx: Context,
  skillId: string,
  definition: CampaignDefinition,
  signal?: AbortSignal,
): Promise<string[]> {
  const { api, reads } = ctx;
  const warnings = await keepClosedDays(ctx, skillId, definition, signal);
  const changes = campaignSettingsBlocks(definition, ctx.options);
  const { fullest: parameters } = await readParameterBlocks(
    api,
    skillId,
    "campaigns",
    changes.map(([block]) => block),
    signal,
  );
  const written: string[] = [];
  for (const [block, body] of wholeBlocks(parameters, changes)) {
    try {
      await putParameterBlock(api, skillId, "campaigns", block, body, signal);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      throw blockRefused(skillId, block, written, error);
    }
    written.push(block);
  }
  const bound = (Array.isArray(parameters.callingLists) ? parameters.callingLists.filter(isObject) : []).some(
    (l) => text(l.id ?? l.listId) === definition.contactListId,
  );
  const openDays = daysCxoneKeepsOpen(ctx, definition);
  if (openDays.length > 0) return closedDaysNotKept(skillId, definition, openDays, bound, warnings);
  if (!bound) {
    const skill = await reads.readSkill(skillId, signal);
    // An upload to a running skill dials its records at once (MCP): only when the spec says so.
    if (bool(skill.isRunning) === true && definition.allowUploadWhileRunning !== true)
      throw new ConflictError(
        `skill ${skillId} is running: uploading list ${definition.contactListId} to it would start dialing at once; pause the campaign, then run the create again (or set allowUploadWhileRunning: true in the spec to dial the list now)`,
        { status: 409, body: { error: "skill_running" } },
      );
    await attachList(ctx, definition.contactListId, skillId, definition.compliance.timeZone, signal);
  }
  if (definition.status !== "active") return warnings;
  const skill = await reads.readSkill(skillId, signal);
  if (bool(skill.isRunning) === true) return warnings;
  // 47 CFR 64.1601(e): the number its calls will present, judged before it dials (a refusal leaves it stopped).
  warnings.push(...((await ctx.hooks?.beforeStart?.(skillId, presentedCallerIdOf(skill, skillId))) ?? []));
  await ctx.post(skillId, "start", undefined, signal);
  return warnings;
}

/** The days the spec closes that this tenant's schedule keeps open (none where it takes an inactive day). */
function daysCxoneKeepsOpen(ctx: Context, definition: CampaignDefinition): string[] {
  if (ctx.options.inactiveScheduleDays === "accepted") return [];
  return closedDaysOf(definition.compliance.allowedDays);
}

/**
 * Issue 100: on a tenant that refuses an inactive schedule day, CXone's schedule is open on the
 * days the spec closes, and a bound list carries no per-record window: uploading it (or starting
 * a skill it is already bound to) would have CXone dial it on those days. Like a refused block,
 * that means a skill not started: the list is not bound, and a spec asking `status: active` fails
 * (exit 1) saying how to dial on the open days only — through a plan, whose records each carry
 * their window. A `status: paused` spec is created as asked, with the same words as a warning.
 */
function closedDaysNotKept(
  skillId: string,
  definition: CampaignDefinition,
  openDays: readonly string[],
  bound: boolean,
  warnings: string[],
): string[] {
  const days = openDays.join(", ");
  const list = bound
    ? `list ${definition.contactListId} is already bound to it (its records carry no window of their own)`
    : `list ${definition.contactListId} is NOT bound to it (its records carry no window of their own)`;
  const how = `dial through a plan, whose records each carry their window: cxo strategy plan --campaign ${skillId} … then cxo strategy push, then cxo campaigns resume ${skillId}; or close ${days} in CXone (ACD > Contact Settings > Skills > Schedule) and set cxone.productionApi.inactiveScheduleDays: accepted`;
  if (definition.status !== "active")
    return [
      ...warnings,
      `skill ${skillId} is left paused and ${list}: CXone would dial them on ${days}; ${how}`,
    ];
  throw new ConflictError(
    `skill ${skillId} is NOT started: this tenant refuses an inactive schedule day, so CXone's schedule is open on ${days}, which the spec closes, and ${list}; started, CXone would dial it on ${days}. The skill's settings are written; ${how}`,
    { status: 409, body: { error: "closed_days_open" } },
  );
}

/** A parameter block CXone refused: the create fails, saying which, why, and what is written. */
function blockRefused(skillId: string, block: string, written: string[], error: ValidationError) {
  return new ValidationError(
    `CXone refused skill ${skillId}'s ${block}${cxoneWords(error) || ` (${error.message})`}: the skill is NOT started; written before it: ${written.join(", ") || "no parameter block"}. Fix the spec (or the tenant), then run the same create again: it finds skill ${skillId} by its marker and finishes it`,
    {
      ...(error.status === undefined ? {} : { status: error.status }),
      method: "PUT",
      endpoint: `PUT /skills/{skillId}/parameters/${block}`,
      body: error.body,
      cause: error,
    },
  );
}

/**
 * On a tenant that refuses an inactive schedule day (setting `inactiveScheduleDays`), the days
 * the spec closes go in the skill's notes before its schedule is opened on every day, so no read
 * of the skill ever finds them open (closed-days.ts). Answers what the create then says.
 */
async function keepClosedDays(
  ctx: Context,
  skillId: string,
  definition: CampaignDefinition,
  signal?: AbortSignal,
): Promise<string[]> {
  if (ctx.options.inactiveScheduleDays === "accepted") return [];
  const closed = closedDaysOf(definition.compliance.allowedDays);
  const notes = text((await ctx.reads.readSkill(skillId, signal)).notes);
  const wanted = notesWithClosedDays(notes, closed);
  if (wanted !== (notes ?? "")) await skillActions(ctx.api).setNotes(skillId, wanted, signal);
  if (closed.length === 0) return [];
  return [
    `CXone's weekly schedule for skill ${skillId} is open on ${closed.join(", ")} as well (this tenant refuses an inactive day; setting inactiveScheduleDays): cxo keeps those days closed for what it plans and pushes (strategy plan, strategy push, cxo why read the skill's notes); a list dialled outside strategy push is dialled on them unless the days are closed in CXone (ACD > Contact Settings > Skills > Schedule)`,
  ];
}

/**
 * Binds the list to the skill the only way the platform offers: re-uploading its records with
 * the skill, in the list's own column mapping, with the `expirationDate` the upload requires.
 * The skill must not be running (an upload to a running skill dials at once).
 */
async function attachList(
  ctx: Context,
  listId: string,
  skillId: string,
  timeZone: string,
  signal?: AbortSignal,
): Promise<void> {
  const { api } = ctx;
  const defaultTimeZone = await uploadZoneName(ctx, timeZone, signal);
  const { records, mapping } = await downloadListWithMapping(api, listId, signal);
  if (records.length === 0) return;
  await uploadListRecords(
    api,
    listId,
    {
      csv: await recordsAsCsv(records, mapping),
      fileName: `cxo-skill-${skillId}.csv`,
      skillId,
      defaultTimeZone,
      expirationDate: new Date(clockNowMs() + LIST_EXPIRY_DAYS * 86_400_000).toISOString(),
    },
    signal,
  );
}
