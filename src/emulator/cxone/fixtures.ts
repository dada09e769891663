import type { CxoneContext } from "./context.ts";

/**
 * What a test (or an adapter author) needs to drive the production-API emulator: the issuer,
 * the tenant, the registered app, the access keys, skill/disposition/tag/list ids, completed
 * contact ids (`contacts` of them, spread over the window), active contact ids, agents.
 */
export function buildCxoneFixtures(ctx: CxoneContext, origin: string, contactCount = 20) {
  const { state } = ctx;
  const w = state.warehouse;
  const visible = w.firstAt(state.visibleUntilMs(), true);
  const sample: number[] = [];
  const n = Math.min(contactCount, visible);
  for (let i = 0; i < n; i++) sample.push(Math.floor(((i + 0.5) * visible) / n));
  return {
    platform: "cxone" as const,
    seed: state.options.seed,
    issuer: origin,
    /** Where the access-key login (no registered application) posts: CXONE_ACCESS_KEY_URL. */
    accessKeyUrl: `${origin}/authentication/v1/token/access-key`,
    apiEndpoint: origin,
    apiBase: `${origin}/inContactAPI/services/v33.0`,
    tenant: {
      tenantId: state.world.tenant.tenantId,
      tenantName: state.world.tenant.tenantName,
      businessUnitId: state.businessUnitId,
      businessUnitName: state.world.tenant.businessUnitName,
      clusterId: state.world.tenant.clusterId,
      area: state.world.tenant.area,
      defaultTimeZone: state.world.tenant.defaultTimeZone,
    },
    client: {
      clientId: state.world.clients[0]?.clientId ?? "",
      clientSecret: state.world.clients[0]?.clientSecret ?? "",
    },
    accessKeys: state.world.accessKeys.map((k) => ({
      accessKeyId: k.accessKeyId,
      accessKeySecret: k.accessKeySecret,
      role: k.role.legacyId,
      readOnly: k.readOnly,
      agentId: k.agentId,
      description: k.description,
    })),
    agents: state.world.agents.map((a) => ({
      agentId: a.agentId,
      name: `${a.firstName} ${a.lastName}`,
      teamId: a.teamId,
    })),
    skills: [...state.skills.values()].map((s) => ({
      skillId: s.skillId,
      skillName: s.skillName,
      isOutbound: s.isOutbound,
      outboundStrategy: s.outboundStrategy,
      isRunning: s.isRunning,
      isActive: s.isActive,
      campaignId: s.campaignId,
      dispositionIds: [...s.dispositionIds],
      callingListIds: [...s.callingListIds],
    })),
    dispositions: [...state.dispositions.values()].map((d) => ({
      dispositionId: d.dispositionId,
      dispositionName: d.dispositionName,
      isActive: d.isActive,
      classification: d.classification,
    })),
    tags: [...state.tags.values()].map((t) => ({ tagId: t.tagId, tagName: t.tagName })),
    campaigns: [...state.campaigns.values()].map((c) => ({ id: c.id, name: c.name })),
    callingLists: [...state.lists.values()].map((l) => ({
      listId: l.listId,
      listName: l.listName,
      size: l.records?.filter((r) => r.removedAtMs === undefined).length ?? l.seededSize,
      skillIds: [...l.skillIds],
    })),
    dncPhones: [...state.world.dncPhones],
    /** The tenant's DNC groups: which skills each scrubs, and its numbers (ten digits). */
    dncGroups: [...state.dncGroups.values()].map((g) => ({
      dncGroupId: g.dncGroupId,
      dncGroupName: g.dncGroupName,
      isActive: g.isActive,
      scrubbedSkillIds: [...g.scrubbedSkills],
      contributingSkillIds: [...g.contributingSkills],
      phones: [...g.records.keys()],
    })),
    completed: {
      total: w.total,
      /** Visible now (older than the warehouse lag). */
      visible,
      windowStart: new Date(w.windowStartMs).toISOString(),
      windowEnd: new Date(w.windowStartMs + w.spanMs).toISOString(),
      warehouseLagS: state.knobs.warehouseLagS,
      perSkill: w.skillIds.map((skillId) => ({
        skillId,
        isOutbound: state.skills.get(skillId)?.isOutbound ?? false,
      })),
      sample: sample.map((p) => {
        const f = w.facts(p);
        return {
          contactId: f.contactId,
          skillId: f.skillId,
          contactStartDate: new Date(f.contactStartMs).toISOString(),
          primaryDispositionId: f.primaryDispositionId,
          isOutbound: f.isOutbound,
        };
      }),
    },
    activeContacts: [...state.active.values()].map((a) => ({
      contactId: a.contactId,
      skillId: a.skillId,
      agentId: a.agentId,
    })),
    knobs: state.knobs,
  };
}

export type CxoneFixtures = ReturnType<typeof buildCxoneFixtures>;
