import type { ContactFacts } from "./contacts.ts";
import type { Disposition, ReportingCampaign, Skill, Tag } from "./model.ts";

/**
 * Completed and active contacts as the wire shows them. v33 and later use the v33 names; older
 * versions the v23 names (`contactStart`, `fromAddr`, `toAddr`, `mediaType`, `confSeconds`,
 * tags `{Contact_Id, TagId, TagName}`), per the reference §0.5.
 */
export interface Lookups {
  skills: Map<number, Skill>;
  campaigns: Map<number, ReportingCampaign>;
  tags: Map<number, Tag>;
  dispositions: Map<number, Disposition>;
  businessUnitId: number;
}

export const V33 = 33;

/**
 * `new Date(ms).toISOString()`, at half its cost: two of these per contact, 10,000 contacts a
 * page. A page's contacts are in time order, so the date part is worked out once per day.
 */
let dayStart = Number.NaN;
let dayPrefix = "";
const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));

export function iso(ms: number): string {
  if (!(ms >= dayStart && ms < dayStart + 86_400_000)) {
    if (!Number.isSafeInteger(ms)) return new Date(ms).toISOString();
    const start = Math.floor(ms / 86_400_000) * 86_400_000;
    const prefix = new Date(start).toISOString().slice(0, 11);
    // Years outside 0000-9999 are written another way: leave them to Date.
    if (!/^\d{4}-\d{2}-\d{2}T$/.test(prefix)) return new Date(ms).toISOString();
    dayStart = start;
    dayPrefix = prefix;
  }
  let t = ms - dayStart;
  const milli = t % 1000;
  t = (t - milli) / 1000;
  const second = t % 60;
  t = (t - second) / 60;
  const minute = t % 60;
  const hour = (t - minute) / 60;
  return `${dayPrefix}${TWO[hour]}:${TWO[minute]}:${TWO[second]}.${THREE[milli]}Z`;
}

export function contactRecord(facts: ContactFacts, version: number, look: Lookups): Record<string, unknown> {
  // Two literal shapes (no computed keys): V8 keeps them fast objects, which matters at 10,000 a page.
  return version >= V33 ? modernRecord(facts, look) : legacyRecord(facts, look);
}

function names(facts: ContactFacts, look: Lookups) {
  const skill = look.skills.get(facts.skillId);
  const campaign = skill ? look.campaigns.get(skill.campaignId) : undefined;
  return {
    skillName: skill?.skillName ?? "",
    campaignId: campaign?.id ?? null,
    campaignName: campaign?.name ?? "",
  };
}

function modernRecord(f: ContactFacts, look: Lookups): Record<string, unknown> {
  const n = names(f, look);
  return {
    contactId: f.contactId,
    masterContactId: f.contactId,
    contactStartDate: iso(f.contactStartMs),
    lastUpdateTime: iso(f.lastUpdateMs),
    skillId: f.skillId,
    skillName: n.skillName,
    campaignId: n.campaignId,
    campaignName: n.campaignName,
    agentId: f.agentId,
    teamId: f.teamId,
    isOutbound: f.isOutbound,
    fromAddress: f.fromAddress,
    toAddress: f.toAddress,
    mediaTypeId: f.mediaTypeId,
    mediaTypeName: "Phone Call",
    primaryDispositionId: f.primaryDispositionId,
    secondaryDispositionId: f.secondaryDispositionId,
    dispositionNotes: f.dispositionNotes,
    endReason: f.endReason,
    abandoned: f.abandoned,
    abandonSeconds: f.abandonSeconds,
    agentSeconds: f.agentSeconds,
    acwSeconds: f.acwSeconds,
    holdSeconds: f.holdSeconds,
    inQueueSeconds: f.inQueueSeconds,
    conferenceSeconds: 0,
    totalDurationSeconds: f.totalDurationSeconds,
    callbackTime: 0,
    isWarehoused: true,
    tags: f.tagIds.map((tagId) => ({
      contactId: f.contactId,
      tagId,
      tagName: look.tags.get(tagId)?.tagName ?? "",
    })),
  };
}

function legacyRecord(f: ContactFacts, look: Lookups): Record<string, unknown> {
  const n = names(f, look);
  return {
    contactId: f.contactId,
    masterContactId: f.contactId,
    contactStart: iso(f.contactStartMs),
    lastUpdateTime: iso(f.lastUpdateMs),
    skillId: f.skillId,
    skillName: n.skillName,
    campaignId: n.campaignId,
    campaignName: n.campaignName,
    agentId: f.agentId,
    teamId: f.teamId,
    isOutbound: f.isOutbound,
    fromAddr: f.fromAddress,
    toAddr: f.toAddress,
    mediaType: f.mediaTypeId,
    mediaTypeName: "Phone Call",
    primaryDispositionId: f.primaryDispositionId,
    secondaryDispositionId: f.secondaryDispositionId,
    dispositionNotes: f.dispositionNotes,
    endReason: f.endReason,
    abandoned: f.abandoned,
    abandonSeconds: f.abandonSeconds,
    agentSeconds: f.agentSeconds,
    acwSeconds: f.acwSeconds,
    holdSeconds: f.holdSeconds,
    inQueueSeconds: f.inQueueSeconds,
    confSeconds: 0,
    totalDurationSeconds: f.totalDurationSeconds,
    callbackTime: 0,
    isWarehoused: true,
    tags: f.tagIds.map((tagId) => ({
      Contact_Id: f.contactId,
      TagId: tagId,
      TagName: look.tags.get(tagId)?.tagName ?? "",
    })),
  };
}

/** `fields=a,b,c` keeps those keys (the version's names, any case); unknown names are ignored. */
export function project(record: Record<string, unknown>, fields: string[] | null): Record<string, unknown> {
  if (!fields) return record;
  const wanted = new Set(fields.map((f) => f.toLowerCase()));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) if (wanted.has(key.toLowerCase())) out[key] = record[key];
  return out;
}
