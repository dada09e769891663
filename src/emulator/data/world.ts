import { createRng, type Rng } from "../random.ts";
import { ALL_SCOPES, OUTCOMES_SCOPES, READ_ONLY_SCOPES } from "../scopes.ts";
import type {
  AuditEntry,
  Campaign,
  CampaignStatus,
  Client,
  ContactList,
  DialerSettings,
  Interaction,
  InteractionDisposition,
} from "./model.ts";
import {
  CAMPAIGN_SPECIFIC_CODES,
  COMMON_CODES,
  type CodeWithStats,
  INTERACTION_DISPOSITIONS,
} from "./vocabulary.ts";

/**
 * The seeded starting world: clients, contact lists, campaigns with their disposition matrices,
 * interactions, dialer settings and some audit history. Everything here is drawn from the seed
 * in a fixed order, so the same seed gives the same ids and secrets.
 */
export interface World {
  clients: Client[];
  contactLists: ContactList[];
  campaigns: Campaign[];
  interactions: Interaction[];
  dialerSettings: DialerSettings;
  audit: AuditEntry[];
  /** Campaign pairs for failover demos: the backup dials the same list. */
  failoverPairs: { primaryId: string; backupId: string }[];
}

interface CampaignPlan {
  name: string;
  list: number;
  timeZone: string;
  extra: string[];
  status: CampaignStatus;
  failover: boolean;
}

const PLANS: CampaignPlan[] = [
  {
    name: "Solar Leads East",
    list: 0,
    timeZone: "America/New_York",
    extra: ["SITE_SURVEY_BOOKED"],
    status: "active",
    failover: true,
  },
  {
    name: "Solar Leads East (backup)",
    list: 0,
    timeZone: "America/New_York",
    extra: ["SITE_SURVEY_BOOKED"],
    status: "paused",
    failover: false,
  },
  {
    name: "Auto Insurance Renewals",
    list: 1,
    timeZone: "America/Chicago",
    extra: ["QUOTE_SENT", "LANGUAGE_BARRIER"],
    status: "active",
    failover: false,
  },
  {
    name: "Medicare Advantage Outreach",
    list: 2,
    timeZone: "America/Denver",
    extra: ["ALREADY_ENROLLED", "LANGUAGE_BARRIER"],
    status: "active",
    failover: false,
  },
  {
    name: "Card Retention",
    list: 3,
    timeZone: "America/Los_Angeles",
    extra: ["RETAINED"],
    status: "paused",
    failover: false,
  },
  {
    name: "Home Security Upsell",
    list: 4,
    timeZone: "America/Phoenix",
    extra: [],
    status: "active",
    failover: false,
  },
];

const LIST_NAMES = [
  "Solar prospects",
  "Auto policy holders",
  "Medicare eligible",
  "Card holders at risk",
  "Security customers",
];

export function matrixFor(extra: readonly string[]): CodeWithStats[] {
  const codes: CodeWithStats[] = [...COMMON_CODES];
  for (const id of extra) {
    const code = CAMPAIGN_SPECIFIC_CODES[id];
    if (code) codes.push(code);
  }
  return codes;
}

/**
 * How a campaign's simulated success rate moves (a base rate and the phase of its daily swing),
 * drawn from the campaign's own random stream right after its id.
 */
export function campaignSimulation(rng: Rng): Campaign["simulation"] {
  return { baseSuccessRate: 0.2 + rng.next() * 0.15, phase: rng.next() * Math.PI * 2 };
}

/**
 * The random streams of a route that creates campaigns: the n-th campaign it creates draws from
 * `${stream}:${n}`, so one seed and one order of creates give the same ids every run.
 */
export function creationStreams(seed: number, stream: string): () => Rng {
  let created = 0;
  return () => {
    created += 1;
    return createRng(seed, `${stream}:${created}`);
  };
}

export function etagFor(id: string, version: number, seed: number): string {
  const rng = createRng(seed, `etag:${id}:${version}`);
  return `W/"${rng.hex(16)}"`;
}

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** One API client per scope set the seeds exercise: everything, read-only, and seed 004's. */
function seedClients(rng: Rng): Client[] {
  return [
    {
      clientId: `cxo-admin-${rng.hex(8)}`,
      clientSecret: rng.hex(40),
      scopes: [...ALL_SCOPES],
      description: "every scope",
    },
    {
      clientId: `cxo-reader-${rng.hex(8)}`,
      clientSecret: rng.hex(40),
      scopes: [...READ_ONLY_SCOPES],
      description: "read-only: no write scope",
    },
    {
      clientId: `cxo-outcomes-${rng.hex(8)}`,
      clientSecret: rng.hex(40),
      scopes: [...OUTCOMES_SCOPES],
      description: "seed 004's scopes only",
    },
  ];
}

function seedContactLists(rng: Rng): ContactList[] {
  return LIST_NAMES.map((name, listIndex) => ({
    id: rng.uuid(),
    name,
    size: rng.int(6, 30) * 100,
    listIndex,
  }));
}

function seedCampaign(rng: Rng, plan: CampaignPlan, list: ContactList, epochMs: number): Campaign {
  return {
    id: rng.uuid(),
    name: plan.name,
    description: `${plan.name} (seeded)`,
    status: plan.status,
    contactListId: list.id,
    timeZone: plan.timeZone,
    queueId: `queue-${rng.hex(6)}`,
    dialerConfig: {
      type: "predictive",
      predictiveSettings: {
        answerRatio: 0.85,
        maxCallsInFlight: 50,
        callRate: 12,
        abandonmentThreshold: 0.03,
      },
    },
    complianceConfig: {
      timeZone: plan.timeZone,
      dialingRules: {
        startTime: "08:00:00",
        endTime: "21:00:00",
        allowedDays: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
      },
      rateLimits: { maxCallsPerContactPerDay: 1, maxCallsPerContactPerWeek: 3, maxCallsPerDay: 5000 },
    },
    failoverConfig: plan.failover
      ? { enabled: true, thresholdType: "success_rate", thresholdValue: 0.15, evaluationWindowMinutes: 30 }
      : null,
    dialer: null,
    dispositionCodes: matrixFor(plan.extra),
    createdAt: iso(epochMs - 120 * DAY_MS),
    updatedAt: iso(epochMs - 30 * DAY_MS),
    simulation: campaignSimulation(rng),
  };
}

/** 40 closed calls spread over the last 30 days; about 70% already carry an agent's disposition. */
function seedInteractions(
  rng: Rng,
  seed: number,
  campaigns: Campaign[],
  contactLists: ContactList[],
  epochMs: number,
): Interaction[] {
  const primary = INTERACTION_DISPOSITIONS.filter((d) => d.code.startsWith("1"));
  const secondary = INTERACTION_DISPOSITIONS.filter((d) => d.code.startsWith("2"));
  const interactions: Interaction[] = [];
  for (let n = 0; n < 40; n++) {
    const campaign = campaigns[n % campaigns.length] as Campaign;
    const list = contactLists.find((l) => l.id === campaign.contactListId) as ContactList;
    const start = epochMs - rng.int(1, 30 * 24 * 60) * 60_000;
    const agentId = `agent-${String(rng.int(1, 60)).padStart(3, "0")}`;
    const roll = rng.next();
    const dispositions: InteractionDisposition[] = [];
    if (roll < 0.7) {
      const chosen = rng.pick(roll < 0.5 ? primary : secondary);
      dispositions.push({
        code: chosen.code,
        description: chosen.description,
        agent_id: agentId,
        timestamp: iso(start + 300_000),
        source: "agent",
      });
    }
    const id = rng.uuid();
    interactions.push({
      id,
      campaignId: campaign.id,
      contactId: `ct-${list.listIndex + 1}-${String(rng.int(1, list.size)).padStart(6, "0")}`,
      agentId,
      channel: "voice",
      direction: "outbound",
      status: "closed",
      startTime: iso(start),
      endTime: iso(start + rng.int(60, 900) * 1000),
      dispositions,
      version: 1,
      etag: etagFor(id, 1, seed),
      lastModifiedTime: iso(start + 300_000),
    });
  }
  return interactions;
}

function seedDialerSettings(rng: Rng, epochMs: number): DialerSettings {
  return {
    versionTag: `v1-${rng.hex(8)}`,
    name: "Tenant default dialer",
    type: "predictive",
    concurrency: { max_agents: 40, max_simultaneous_calls: 120, call_spacing_ms: 200 },
    algorithm: {
      type: "predictive",
      abandonment_rate_target: 0.025,
      agent_availability_estimate: 0.8,
      dial_ratio: 2.5,
      warm_line_timeout_sec: 10,
    },
    updatedAt: iso(epochMs - 10 * DAY_MS),
  };
}

/** 150 entries, one every 9 hours, so audit paging has more than one page from the start. */
function seedAuditHistory(rng: Rng, campaigns: Campaign[], clients: Client[], epochMs: number): AuditEntry[] {
  const audit: AuditEntry[] = [];
  const actions = ["settings.updated", "campaign.activated", "campaign.paused", "settings.validated"];
  for (let n = 0; n < 150; n++) {
    const action = rng.pick(actions);
    const onCampaign = action.startsWith("campaign");
    const campaign = rng.pick(campaigns);
    audit.push({
      id: `aud-${rng.hex(12)}`,
      timestamp: iso(epochMs - (150 - n) * 9 * 3_600_000),
      entity: onCampaign ? "campaign" : "dialer",
      action,
      actor: rng.pick(clients).clientId,
      versionTag: onCampaign ? null : `v0-${rng.hex(8)}`,
      details: onCampaign ? { campaignId: campaign.id } : { note: "seeded history" },
    });
  }
  return audit;
}

export function buildWorld(seed: number, epochMs: number): World {
  // One random stream drawn in this fixed order: reordering the steps changes every id.
  const rng = createRng(seed, "world");
  const clients = seedClients(rng);
  const contactLists = seedContactLists(rng);
  const campaigns = PLANS.map((plan) =>
    seedCampaign(rng, plan, contactLists[plan.list] as ContactList, epochMs),
  );
  const interactions = seedInteractions(rng, seed, campaigns, contactLists, epochMs);
  const dialerSettings = seedDialerSettings(rng, epochMs);
  const audit = seedAuditHistory(rng, campaigns, clients, epochMs);
  const primary = campaigns[0] as Campaign;
  const backup = campaigns[1] as Campaign;
  return {
    clients,
    contactLists,
    campaigns,
    interactions,
    dialerSettings,
    audit,
    failoverPairs: [{ primaryId: primary.id, backupId: backup.id }],
  };
}
