import { clockNowDate } from "../../core/clock/now.ts";
import type { ProductionApiSettings } from "../../core/config/schema.ts";
import { ConflictError, UnreadableAnswerError } from "../../core/http/errors.ts";
import { contactListing } from "../decoded-listing.ts";
import { NotSupportedError } from "../errors.ts";
import type { CampaignsPort, CampaignWrite, CreateHooks, TenantCampaign } from "../ports/campaigns.ts";
import type { OutcomesPort } from "../ports/outcomes.ts";
import type { Campaign, CampaignLiveMetrics, CampaignStatus, Contact } from "../types.ts";
import type { ProductionApi } from "./api.ts";
import { businessUnitZone } from "./business-unit.ts";
import { contactFilter, contactOf, downloadList, sortContacts } from "./call-lists.ts";
import {
  type CampaignReads,
  PERSONAL_CONNECTION_SKILLS,
  productionCampaignCreate,
} from "./campaign-create.ts";
import { checkCampaignSkill, checkSkillId, readSkillParameters, readSkillRecord } from "./campaign-skill.ts";
import { skipTopPages } from "./paging.ts";
import { skillActions } from "./skill-actions.ts";
import { presentedCallerIdOf } from "./skill-caller-id.ts";
import { bool, isObject, listOf, num, type Raw, text } from "./tolerant.ts";

/**
 * Seed 002 over the production API: a campaign is a Personal Connection skill. The platform has
 * no idempotency keys, pause, live metrics, list query or webhooks, so: create is its own
 * workflow (campaign-create.ts: found again by its key, finished step by step); status changes
 * read first (the same state is `already_in_state`); "paused" = stopped and active, "stopped" =
 * stopped and inactive; metrics are counted from active and completed contacts; a list is
 * downloaded and filtered here; subscribe is not supported.
 */
const PHONE_CALL = 4;

export { IDEM_MARKER } from "./campaign-create.ts";

export const SUBSCRIBE_UNSUPPORTED = {
  platform: "cxone",
  operation: "campaigns.subscribe",
  why: "CXone has no webhook subscription API for ACD or dialer events",
  alternative:
    "poll instead: `cxo serve` polls campaign metrics (service.pollIntervalSeconds) and `cxo outcomes export` reads completed contacts; a Studio script's REST action can push events",
} as const;

export const CONSENT_UNSUPPORTED = {
  platform: "cxone",
  operation: "campaigns.listContacts (consent only)",
  why: "CXone calling lists have no consent flag of their own",
  alternative:
    "name the list's custom column that holds call consent in cxone.productionApi.consentColumn, or list the contacts with a `filter` on that column (column==Y)",
} as const;

export function statusOfSkill(skill: Raw): CampaignStatus {
  if (bool(skill.isActive) === false) return "stopped";
  return bool(skill.isRunning) === true ? "active" : "paused";
}

/** What the port's methods share. */
interface Context {
  api: ProductionApi;
  options: ProductionApiSettings;
  outcomes: OutcomesPort;
  zone: (signal?: AbortSignal) => Promise<string>;
  actions: ReturnType<typeof skillActions>;
}

export function productionCampaigns(
  api: ProductionApi,
  options: ProductionApiSettings,
  outcomes: OutcomesPort,
  /** The business unit's zone, shared with the other readers of one client. */
  zone: (signal?: AbortSignal) => Promise<string> = businessUnitZone(api, "campaigns"),
): CampaignsPort {
  const ctx: Context = { api, options, outcomes, zone, actions: skillActions(api) };
  const contactPages: CampaignsPort["contactPages"] = (contactListId, query, signal) =>
    listContactPages(ctx, contactListId, query, signal);
  return {
    create: productionCampaignCreate(api, options, {
      // The skill behind a campaign id: a malformed id, or an inbound skill, is bad input.
      readSkill: (skillId, signal) => readSkillRecord(api, skillId, signal),
      written: writtenOf(ctx),
    }),
    get: (campaignId, signal) => getCampaign(ctx, campaignId, signal),
    listTenant: (signal) => listTenantSkills(api, signal),
    setStatus: (campaignId, status, _idempotencyKey, signal, hooks) =>
      setStatus(ctx, campaignId, status, signal, hooks),
    metrics: (campaignId, windowMinutes, signal) => liveMetrics(ctx, campaignId, windowMinutes, signal),
    async subscribe() {
      throw new NotSupportedError(SUBSCRIBE_UNSUPPORTED);
    },
    contactPages,
    listContacts(contactListId, query, signal) {
      const pages = contactPages(contactListId, query, signal); // refuses an unsupported query now
      return contactListing(() => pages);
    },
  };
}

const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

async function getCampaign(ctx: Context, campaignId: string, signal?: AbortSignal): Promise<Campaign> {
  const { api } = ctx;
  // Before the reads below start together: a malformed id is refused with nothing sent (the
  // parameters read and the zone read would otherwise go out beside the refused skill read).
  checkSkillId(campaignId);
  const [skill, parameters, timeZone] = await Promise.all([
    readSkillRecord(api, campaignId, signal),
    readSkillParameters(api, campaignId, signal),
    ctx.zone(signal),
  ]);
  if (!isObject(skill) || text(skill.skillId) === undefined)
    throw new UnreadableAnswerError(`GET /skills/${campaignId}`, "a skill (an object with a skillId)", {
      body: skill,
    });
  const lists = Array.isArray(parameters.callingLists) ? parameters.callingLists.filter(isObject) : [];
  return {
    id: text(skill.skillId) ?? campaignId,
    name: text(skill.skillName) ?? "",
    status: statusOfSkill(skill),
    contactListId: text(lists[0]?.id ?? lists[0]?.listId) ?? "",
    timeZone,
    createdAt: text(skill.createDate) ?? undefined,
    updatedAt: text(skill.lastUpdateTime) ?? undefined,
    // Per-contact caps are a calling-list rule on this platform, not a skill parameter.
    contactCaps: undefined,
    raw: skill,
  };
}

/** The campaign as written (read again), with the write's figures. */
function writtenOf(ctx: Context): CampaignReads["written"] {
  return async (skillId, replayed, attempts, requestId, warnings, signal) => {
    const campaign = await getCampaign(ctx, skillId, signal);
    return { campaign, replayed, requestId, attempts, ...(warnings.length > 0 ? { warnings } : {}) };
  };
}

/** The list is downloaded whole (the platform has no paged contact query), then paged here. */
function listContactPages(
  ctx: Context,
  contactListId: string,
  query: Parameters<CampaignsPort["contactPages"]>[1],
  signal?: AbortSignal,
): ReturnType<CampaignsPort["contactPages"]> {
  const { api, options } = ctx;
  if (query.consentOnly && !options.consentColumn) throw new NotSupportedError(CONSENT_UNSUPPORTED);
  const keep = contactFilter(query.filter);
  const pageSize = query.pageSize ?? 1000;
  return (async function* () {
    const records = await downloadList(api, contactListId, signal);
    let contacts = records
      .map((r) => contactOf(r, options.consentColumn, options.consentDateColumn))
      .filter(keep);
    if (query.consentOnly) contacts = contacts.filter((c) => c.consent.call === true);
    contacts = sortContacts(contacts, query);
    for (let index = 0, at = 0; at < contacts.length || index === 0; index += 1, at += pageSize) {
      const items = contacts.slice(at, at + pageSize);
      yield { count: items.length, contact: (i: number) => items[i] as Contact, index, cursor: index + 1 };
    }
  })();
}

/** The business unit's outbound Personal Connection skills (`GET /skills`, paged). */
async function* listTenantSkills(api: ProductionApi, signal?: AbortSignal): AsyncGenerator<TenantCampaign> {
  for await (const items of skipTopPages(api, { ...PERSONAL_CONNECTION_SKILLS, signal }))
    for (const skill of items) {
      const id = text(skill.skillId);
      // A tenant that ignores the filter still lists its inbound skills: they are no campaign.
      if (id === undefined || bool(skill.isOutbound) === false) continue;
      const strategy = text(skill.outboundStrategy);
      if (strategy !== undefined && strategy !== "Personal Connection") continue;
      yield {
        id,
        name: text(skill.skillName) ?? "",
        status: statusOfSkill(skill),
        createdAt: text(skill.createDate),
      };
    }
}

/** Moves the skill to the state: "paused" = stopped and active, "stopped" = stopped and inactive. */
async function setStatus(
  ctx: Context,
  campaignId: string,
  status: CampaignStatus,
  signal?: AbortSignal,
  hooks?: CreateHooks,
): Promise<CampaignWrite> {
  const { post, setActive } = ctx.actions;
  const skill = await readSkillRecord(ctx.api, campaignId, signal);
  const current = statusOfSkill(skill);
  if (current === status)
    throw new ConflictError(`campaign ${campaignId} is already ${status}`, {
      status: 409,
      body: { error: "already_in_state" },
    });
  const warnings: string[] = [];
  if (status === "active") {
    // 47 CFR 64.1601(e): the number its calls will present, judged before it dials (a refusal
    // leaves the skill as it was, nothing sent), as a create's start is.
    warnings.push(
      ...((await hooks?.beforeStart?.(campaignId, presentedCallerIdOf(skill, campaignId))) ?? []),
    );
    if (current === "stopped") await setActive(campaignId, true, signal);
    await post(campaignId, "start", undefined, signal);
  } else if (status === "paused") {
    if (current === "stopped") await setActive(campaignId, true, signal);
    else await post(campaignId, "stop", undefined, signal);
  } else {
    if (current === "active") await post(campaignId, "stop", { force: true }, signal);
    await setActive(campaignId, false, signal);
  }
  return writtenOf(ctx)(campaignId, false, 1, undefined, warnings, signal);
}

/** Live metrics counted from the skill's active contacts and its completed ones in the window. */
async function liveMetrics(
  ctx: Context,
  campaignId: string,
  windowMinutes: number,
  signal?: AbortSignal,
): Promise<CampaignLiveMetrics> {
  const { api, options } = ctx;
  await checkCampaignSkill(api, campaignId, signal);
  // Complete data only: the window ends where the warehouse lag begins.
  const now = clockNowDate();
  const to = new Date(now.getTime() - options.warehouseLagMinutes * 60_000);
  const from = new Date(to.getTime() - windowMinutes * 60_000);
  const active = await api.request({
    method: "GET",
    path: "/contacts/active",
    endpoint: "GET /contacts/active",
    group: "campaigns",
    query: { skillId: campaignId, mediaTypeId: PHONE_CALL, top: 1 },
    ...withSignal(signal),
  });
  const activeCalls =
    active.status === 204
      ? 0
      : (num((active.body as Raw | undefined)?.totalRecords) ?? listOf(active.body, "activeContacts").length);
  const { calls, successes } = await countSuccesses(ctx, campaignId, from, to, signal);
  return {
    campaignId,
    windowMinutes,
    successRate: calls === 0 ? 0 : successes / calls,
    activeCalls,
    callsInWindow: calls,
    failoverTriggered: false,
    lastUpdated: text((active.body as Raw | undefined)?.lastPollTime) ?? now.toISOString(),
    windowEndsAt: to.toISOString(),
  };
}

/**
 * The completed calls in [from, to) and how many succeeded: a configured success disposition,
 * or, with none configured, a call that was not abandoned and reached an agent.
 */
async function countSuccesses(
  ctx: Context,
  campaignId: string,
  from: Date,
  to: Date,
  signal?: AbortSignal,
): Promise<{ calls: number; successes: number }> {
  const success = new Set(ctx.options.successDispositions);
  let calls = 0;
  let successes = 0;
  for await (const page of ctx.outcomes.callPages(
    { campaignId, from: from.toISOString(), to: to.toISOString() },
    signal,
  )) {
    for (let i = 0; i < page.count; i++) {
      const call = page.call(i);
      calls += 1;
      const won =
        success.size > 0
          ? call.dispositionCode !== undefined && success.has(call.dispositionCode)
          : bool(call.raw.abandoned) !== true && (num(call.raw.agentSeconds) ?? 0) > 0;
      if (won) successes += 1;
    }
  }
  return { calls, successes };
}
