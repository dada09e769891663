import type { ProductionApiSettings } from "../../core/config/schema.ts";
import { ConflictError, CxoneError, NotFoundError, ValidationError } from "../../core/http/errors.ts";
import { pathOf } from "../../core/http/http-client.ts";
import { InputError } from "../../core/input-error.ts";
import { contactListing } from "../decoded-listing.ts";
import { NotSupportedError } from "../errors.ts";
import type { CampaignsPort, CampaignWrite } from "../ports/campaigns.ts";
import type { OutcomesPort } from "../ports/outcomes.ts";
import type { Campaign, CampaignStatus, Contact } from "../types.ts";
import type { ProductionApi } from "./api.ts";
import { businessUnitZone } from "./business-unit.ts";
import {
  contactFilter,
  contactOf,
  downloadList,
  downloadListWithMapping,
  recordsAsCsv,
  sortContacts,
} from "./call-lists.ts";
import { checkCampaignSkill, checkSkillId, readSkillRecord } from "./campaign-skill.ts";
import { allItems } from "./paging.ts";
import { readParameterBlocks, wholeBlocks } from "./parameter-blocks.ts";
import { campaignSettingsBlocks } from "./skill-settings.ts";
import { cxoneNameOf } from "./time-zones.ts";
import { bool, isObject, listOf, num, type Raw, text } from "./tolerant.ts";

/**
 * Seed 002 over the production API: a campaign is a Personal Connection skill. The platform has
 * no idempotency keys, pause, live metrics, list query or webhooks, so: create finds a skill
 * carrying the key in its notes before creating one (and then finishes it: blocks, list, start),
 * and finds the skill it created the same way (`POST /skills` returns no id); status changes read first (the same
 * state is `already_in_state`); "paused" = stopped and active, "stopped" = stopped and
 * inactive; metrics are counted from active and completed contacts; a list is downloaded and
 * filtered here; subscribe is not supported.
 */
const PHONE_CALL = 4;
export const IDEM_MARKER = "cxo-idem:";
/** Days a list uploaded to bind it to a new skill stays dialable (the upload requires a date). */
const LIST_EXPIRY_DAYS = 365;
/** Pauses between looks for a just-created skill (MCP sees new objects after about 2.5 s). */
const FIND_DELAYS_MS = [500, 1000, 2000, 4000];

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

  const findByMarker = async (
    name: string,
    key: string,
    signal?: AbortSignal,
  ): Promise<string | undefined> => {
    const skills = await allItems(api, {
      path: "/skills",
      endpoint: "GET /skills",
      group: "campaigns",
      key: "skills",
      // `searchString` appears in no public source (conformance §3): filter by name here.
      query: { mediaTypeId: PHONE_CALL, outboundStrategy: "Personal Connection" },
      signal,
    });
    const marker = `${IDEM_MARKER}${key}`;
    const found = skills.find(
      (skill) => text(skill.skillName) === name && (text(skill.notes) ?? "").split(/\s+/).includes(marker),
    );
    return text(found?.skillId);
  };

  const reportingCampaign = async (signal?: AbortSignal): Promise<number | string> => {
    if (options.reportingCampaignId) return num(options.reportingCampaignId) ?? options.reportingCampaignId;
    const campaigns = await allItems(api, {
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
  };

  const put = (skillId: string, block: string, body: unknown, signal?: AbortSignal) =>
    api.request({
      method: "PUT",
      path: pathOf`/skills/${skillId}/parameters/${block}`,
      endpoint: `PUT /skills/{skillId}/parameters/${block}`,
      group: "campaigns",
      body,
      ...s(signal),
    });

  const post = (
    skillId: string,
    action: "start" | "stop",
    query?: Record<string, string | boolean>,
    signal?: AbortSignal,
  ) =>
    api.request({
      method: "POST",
      path: pathOf`/skills/${skillId}/${action}`,
      endpoint: `POST /skills/{skillId}/${action}`,
      group: "campaigns",
      ...(query ? { query } : {}),
      // Starting a running skill or stopping a stopped one changes nothing: safe to retry.
      idempotencyKey: true,
      ...s(signal),
    });

  const setActive = (skillId: string, isActive: boolean, signal?: AbortSignal) =>
    api.request({
      method: "PUT",
      path: pathOf`/skills/${skillId}`,
      endpoint: "PUT /skills/{skillId}",
      group: "campaigns",
      body: { skill: { isActive } },
      ...s(signal),
    });

  /**
   * Binds the list to the skill the only way the platform offers: re-uploading its records with
   * the skill, in the list's own column mapping, with the `expirationDate` the upload requires.
   * The skill must not be running (an upload to a running skill dials at once).
   */
  /** The tenant's zone names (`GET /timezones`), read once; none when the tenant has no such read. */
  let zoneNames: Promise<string[]> | undefined;
  const tenantZoneNames = (signal?: AbortSignal): Promise<string[]> => {
    zoneNames ??= api
      .request({
        method: "GET",
        path: "/timezones",
        endpoint: "GET /timezones",
        group: "campaigns",
        ...s(signal),
      })
      .then(
        (r) => listOf(r.body, "timeZones").flatMap((z) => text(z.standardName) ?? []),
        (error: unknown) => {
          zoneNames = undefined;
          if (error instanceof NotFoundError || error instanceof ValidationError) return [];
          throw error;
        },
      );
    return zoneNames;
  };

  /**
   * A list upload's `defaultTimeZone` in CXone's naming ("Eastern Standard Time"), never the
   * spec's IANA name; a zone CXone has no name for is the spec's mistake, found before any write.
   */
  const uploadZoneName = async (iana: string, signal?: AbortSignal): Promise<string> => {
    const names = await tenantZoneNames(signal);
    const name = cxoneNameOf(iana, names);
    if (name) return name;
    throw new InputError({
      field: "compliance.timeZone",
      rule: `"${iana}" has no CXone time zone name${names.length > 0 ? ` (this tenant lists: ${names.join(", ")})` : ""}: use a zone CXone can name for the list upload`,
    });
  };

  const attachList = async (listId: string, skillId: string, timeZone: string, signal?: AbortSignal) => {
    const defaultTimeZone = await uploadZoneName(timeZone, signal);
    const { records, mapping } = await downloadListWithMapping(api, listId, signal);
    if (records.length === 0) return;
    const upload = await api.request({
      method: "POST",
      path: pathOf`/lists/call-lists/${listId}/upload`,
      endpoint: "POST /lists/call-lists/{listId}/upload",
      group: "campaigns",
      body: {
        listFile: Buffer.from(await recordsAsCsv(records, mapping)).toString("base64"),
        fileName: `cxo-skill-${skillId}.csv`,
        skillId: num(skillId) ?? skillId,
        defaultTimeZone,
        expirationDate: new Date(Date.now() + LIST_EXPIRY_DAYS * 86_400_000).toISOString(),
        forceOverwrite: false,
        startSkill: false,
        sendEmail: false,
      },
      ...s(signal),
    });
    const jobId = text((upload.body as { jobId?: unknown } | undefined)?.jobId);
    if (!jobId) throw new CxoneError("POST /lists/call-lists/{listId}/upload: no jobId in the answer");
    for (let poll = 0, delay = 100; poll < 60; poll += 1, delay = Math.min(delay * 2, 2000)) {
      const job = await api.request({
        method: "GET",
        path: pathOf`/lists/call-lists/jobs/${jobId}`,
        endpoint: "GET /lists/call-lists/jobs/{jobId}",
        group: "campaigns",
        ...s(signal),
      });
      const state = listOf(job.body, "uploadJobs")[0] ?? (isObject(job.body) ? job.body : {});
      if (bool(state.isCancelled) === true)
        throw new CxoneError(`call-list upload job ${jobId} was cancelled`);
      if (bool(state.isComplete) === true) return;
      await api.sleep(delay, signal);
    }
    throw new CxoneError(`call-list upload job ${jobId} did not complete in time`);
  };

  /**
   * `POST /skills` answers without the new skill's id (conformance §3): find it by its marker,
   * retrying a few times on the client's clock while the skill list catches up.
   */
  const findCreated = async (name: string, key: string, signal?: AbortSignal): Promise<string> => {
    for (let attempt = 0; ; attempt += 1) {
      const id = await findByMarker(name, key, signal);
      if (id) return id;
      if (attempt >= FIND_DELAYS_MS.length)
        throw new CxoneError(
          `POST /skills: skill "${name}" was not found after creating it; run the same create again to finish it (it is found by its marker)`,
        );
      await api.sleep(FIND_DELAYS_MS[attempt] as number, signal);
    }
  };

  /**
   * Completes a campaign's skill: its parameter blocks (whole, as read), its list (when not bound
   * yet) and its start. Each step is idempotent, so a create that stopped half way is finished
   * by running it again.
   */
  const complete = async (
    skillId: string,
    definition: Parameters<CampaignsPort["create"]>[0],
    signal?: AbortSignal,
  ): Promise<string[]> => {
    const warnings: string[] = [];
    const changes = campaignSettingsBlocks(definition, options);
    const { fullest: parameters } = await readParameterBlocks(
      api,
      skillId,
      "campaigns",
      changes.map(([block]) => block),
      signal,
    );
    for (const [block, body] of wholeBlocks(parameters, changes)) {
      try {
        await put(skillId, block, body, signal);
      } catch (error) {
        // Some tenants refuse schedule-settings with a bare InvalidParameter: the skill exists,
        // so say what was not applied rather than fail the whole create.
        if (!(error instanceof ValidationError)) throw error;
        warnings.push(`${block} not applied: ${error.message}`);
      }
    }
    const bound = (
      Array.isArray(parameters.callingLists) ? parameters.callingLists.filter(isObject) : []
    ).some((l) => text(l.id ?? l.listId) === definition.contactListId);
    if (!bound) {
      const skill = await readSkill(skillId, signal);
      // An upload to a running skill dials its records at once (MCP): only when the spec says so.
      if (bool(skill.isRunning) === true && definition.allowUploadWhileRunning !== true)
        throw new ConflictError(
          `skill ${skillId} is running: uploading list ${definition.contactListId} to it would start dialing at once; pause the campaign, then run the create again (or set allowUploadWhileRunning: true in the spec to dial the list now)`,
          { status: 409, body: { error: "skill_running" } },
        );
      await attachList(definition.contactListId, skillId, definition.compliance.timeZone, signal);
    }
    if (definition.status === "active" && bool((await readSkill(skillId, signal)).isRunning) !== true)
      await post(skillId, "start", undefined, signal);
    return warnings;
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

  return {
    async create(definition, idempotencyKey, signal) {
      // A skill with our marker is this create, run before: finish whatever it did not.
      const existing = await findByMarker(definition.name, idempotencyKey, signal);
      if (existing) {
        const warnings = await complete(existing, definition, signal);
        return write(existing, true, 1, undefined, warnings, signal);
      }
      // The list upload names the zone CXone's way: a zone it cannot name is refused before any write.
      await uploadZoneName(definition.compliance.timeZone, signal);
      const campaignId = await reportingCampaign(signal);
      const created = await api.request({
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
              notes: `${IDEM_MARKER}${idempotencyKey}${definition.description ? ` ${definition.description}` : ""}`,
            },
          ],
        },
        ...s(signal),
      });
      const result = listOf(created.body, "skillsResults")[0];
      if (result && bool(result.success) === false)
        throw new ValidationError(`POST /skills: ${text(result.error) ?? "the skill was refused"}`, {
          status: created.status,
          endpoint: "POST /skills",
          body: created.body,
        });
      const skillId = text(result?.skillId) ?? (await findCreated(definition.name, idempotencyKey, signal));
      const warnings = await complete(skillId, definition, signal);
      return write(skillId, false, created.attempts, created.requestId, warnings, signal);
    },

    get,

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
