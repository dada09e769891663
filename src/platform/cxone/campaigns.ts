import type { ProductionApiSettings } from "../../core/config/schema.ts";
import { ConflictError, CxoneError, NotFoundError, ValidationError } from "../../core/http/errors.ts";
import { pathOf } from "../../core/http/http-client.ts";
import { contactListing } from "../decoded-listing.ts";
import { NotSupportedError } from "../errors.ts";
import type { CampaignsPort, CampaignWrite } from "../ports/campaigns.ts";
import type { OutcomesPort } from "../ports/outcomes.ts";
import type { Campaign, CampaignStatus, Contact } from "../types.ts";
import type { ProductionApi } from "./api.ts";
import { businessUnitZone } from "./business-unit.ts";
import { contactFilter, contactOf, downloadList, sortContacts } from "./call-lists.ts";
import { productionCampaignCreate } from "./campaign-create.ts";
import { checkCampaignSkill, checkSkillId, readSkillRecord } from "./campaign-skill.ts";
import { skipTopPages } from "./paging.ts";
import { skillActions } from "./skill-actions.ts";
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
    "name the list's custom column that holds call consent in cxone.productionApi.consentColumn, or filter on that column with --query column==Y",
} as const;

export function statusOfSkill(skill: Raw): CampaignStatus {
  if (bool(skill.isActive) === false) return "stopped";
  return bool(skill.isRunning) === true ? "active" : "paused";
}

export function productionCampaigns(
  api: ProductionApi,
  options: ProductionApiSettings,
  outcomes: OutcomesPort,
  /** The business unit's zone, shared with the other readers of one client. */
  zone: (signal?: AbortSignal) => Promise<string> = businessUnitZone(api, "campaigns"),
): CampaignsPort {
  const s = (signal?: AbortSignal) => (signal ? { signal } : {});

  /** The skill behind a campaign id: a malformed id, or an inbound skill, is bad input. */
  const readSkill = (skillId: string, signal?: AbortSignal): Promise<Raw> =>
    readSkillRecord(api, skillId, signal);

  const get = async (campaignId: string, signal?: AbortSignal): Promise<Campaign> => {
    // Before the reads below start together: a malformed id is refused with nothing sent (the
    // parameters read and the zone read would otherwise go out beside the refused skill read).
    checkSkillId(campaignId);
    const [skill, parameters, timeZone] = await Promise.all([
      readSkill(campaignId, signal),
      api
        .request({
          method: "GET",
          path: pathOf`/skills/${campaignId}/parameters`,
          endpoint: "GET /skills/{skillId}/parameters",
          group: "campaigns",
          ...s(signal),
        })
        .then((r) => (isObject(r.body) ? r.body : {}))
        .catch((error: unknown) => {
          if (error instanceof ValidationError || error instanceof NotFoundError) return {} as Raw;
          throw error;
        }),
      zone(signal),
    ]);
    if (!isObject(skill) || text(skill.skillId) === undefined)
      throw new CxoneError(`GET /skills/${campaignId}: the answer is not a skill`);
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
  };

  const write = async (
    skillId: string,
    replayed: boolean,
    attempts: number,
    requestId: string | undefined,
    warnings: string[],
    signal?: AbortSignal,
  ): Promise<CampaignWrite> => {
    const campaign = await get(skillId, signal);
    return { campaign, replayed, requestId, attempts, ...(warnings.length > 0 ? { warnings } : {}) };
  };

  /** The list is downloaded whole (the platform has no paged contact query), then paged here. */
  const contactPages: CampaignsPort["contactPages"] = (contactListId, query, signal) => {
    if (query.consentOnly && !options.consentColumn) throw new NotSupportedError(CONSENT_UNSUPPORTED);
    const keep = contactFilter(query.filter);
    const pageSize = query.pageSize ?? 1000;
    return (async function* () {
      const records = await downloadList(api, contactListId, signal);
      let contacts = records.map((r) => contactOf(r, options.consentColumn)).filter(keep);
      if (query.consentOnly) contacts = contacts.filter((c) => c.consent.call === true);
      contacts = sortContacts(contacts, query);
      for (let index = 0, at = 0; at < contacts.length || index === 0; index += 1, at += pageSize) {
        const items = contacts.slice(at, at + pageSize);
        yield { count: items.length, contact: (i: number) => items[i] as Contact, index, cursor: index + 1 };
      }
    })();
  };

  const { post, setActive } = skillActions(api);
  const create = productionCampaignCreate(api, options, { readSkill, written: write });

  return {
    create,
    get,

    /** The business unit's outbound Personal Connection skills (`GET /skills`, paged). */
    async *listTenant(signal) {
      for await (const items of skipTopPages(api, {
        path: "/skills",
        endpoint: "GET /skills",
        group: "campaigns",
        key: "skills",
        query: { mediaTypeId: PHONE_CALL, outboundStrategy: "Personal Connection" },
        signal,
      }))
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
    },

    async setStatus(campaignId, status, _idempotencyKey, signal) {
      const skill = await readSkill(campaignId, signal);
      const current = statusOfSkill(skill);
      if (current === status)
        throw new ConflictError(`campaign ${campaignId} is already ${status}`, {
          status: 409,
          body: { error: "already_in_state" },
        });
      if (status === "active") {
        if (current === "stopped") await setActive(campaignId, true, signal);
        await post(campaignId, "start", undefined, signal);
      } else if (status === "paused") {
        if (current === "stopped") await setActive(campaignId, true, signal);
        else await post(campaignId, "stop", undefined, signal);
      } else {
        if (current === "active") await post(campaignId, "stop", { force: true }, signal);
        await setActive(campaignId, false, signal);
      }
      return write(campaignId, false, 1, undefined, [], signal);
    },

    async metrics(campaignId, windowMinutes, signal) {
      await checkCampaignSkill(api, campaignId, signal);
      // Complete data only: the window ends where the warehouse lag begins.
      const now = new Date();
      const to = new Date(now.getTime() - options.warehouseLagMinutes * 60_000);
      const from = new Date(to.getTime() - windowMinutes * 60_000);
      const active = await api.request({
        method: "GET",
        path: "/contacts/active",
        endpoint: "GET /contacts/active",
        group: "campaigns",
        query: { skillId: campaignId, mediaTypeId: PHONE_CALL, top: 1 },
        ...s(signal),
      });
      const activeCalls =
        active.status === 204
          ? 0
          : (num((active.body as Raw | undefined)?.totalRecords) ??
            listOf(active.body, "activeContacts").length);
      const success = new Set(options.successDispositions);
      let calls = 0;
      let successes = 0;
      for await (const page of outcomes.callPages(
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
    },

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
