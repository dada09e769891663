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

const iso = (ms: number) => new Date(ms).toISOString();

export function contactRecord(facts: ContactFacts, version: number, look: Lookups): Record<string, unknown> {
  const skill = look.skills.get(facts.skillId);
  const campaign = skill ? look.campaigns.get(skill.campaignId) : undefined;
  const modern = version >= V33;
  const tags = facts.tagIds.map((tagId) => {
    const tagName = look.tags.get(tagId)?.tagName ?? "";
    return modern
      ? { contactId: facts.contactId, tagId, tagName }
      : { Contact_Id: facts.contactId, TagId: tagId, TagName: tagName };
  });
  return {
    contactId: facts.contactId,
    masterContactId: facts.contactId,
    [modern ? "contactStartDate" : "contactStart"]: iso(facts.contactStartMs),
    lastUpdateTime: iso(facts.lastUpdateMs),
    skillId: facts.skillId,
    skillName: skill?.skillName ?? "",
    campaignId: campaign?.id ?? null,
    campaignName: campaign?.name ?? "",
    agentId: facts.agentId,
    teamId: facts.teamId,
    isOutbound: facts.isOutbound,
    [modern ? "fromAddress" : "fromAddr"]: facts.fromAddress,
    [modern ? "toAddress" : "toAddr"]: facts.toAddress,
    [modern ? "mediaTypeId" : "mediaType"]: facts.mediaTypeId,
    mediaTypeName: "Phone Call",
    primaryDispositionId: facts.primaryDispositionId,
    secondaryDispositionId: facts.secondaryDispositionId,
    dispositionNotes: facts.dispositionNotes,
    endReason: facts.endReason,
    abandoned: facts.abandoned,
    abandonSeconds: facts.abandonSeconds,
    agentSeconds: facts.agentSeconds,
    acwSeconds: facts.acwSeconds,
    holdSeconds: facts.holdSeconds,
    inQueueSeconds: facts.inQueueSeconds,
    [modern ? "conferenceSeconds" : "confSeconds"]: 0,
    totalDurationSeconds: facts.totalDurationSeconds,
    callbackTime: 0,
    isWarehoused: true,
    tags,
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
