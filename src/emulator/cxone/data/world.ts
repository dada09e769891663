import { createRng, type Rng } from "../../random.ts";
import { defaultParameters } from "./default-parameters.ts";
import type {
  AccessKey,
  Agent,
  AppClient,
  AuditEntry,
  CallingList,
  Disposition,
  ReportingCampaign,
  Skill,
  Tag,
  Tenant,
} from "./model.ts";
import { FIRST, LAST, phone } from "./vocabulary.ts";

/**
 * The seeded tenant: everything but the completed contacts (generated from their index in
 * `contacts.ts`) and what clients create at run time. One seed always gives one world.
 */
export interface World {
  tenant: Tenant;
  clients: AppClient[];
  accessKeys: AccessKey[];
  agents: Agent[];
  dispositions: Disposition[];
  tags: Tag[];
  campaigns: ReportingCampaign[];
  skills: Skill[];
  /** Skills that own completed contacts, in slot order (contact i belongs to slot i % n). */
  contactSkillIds: number[];
  lists: CallingList[];
  audit: Map<number, AuditEntry[]>;
  dncPhones: string[];
}

const DISPOSITIONS: readonly [string, string, string, boolean, boolean][] = [
  // name, classification, systemOutcome, right party, no agent
  ["Sale", "Success", "Completed", true, false],
  ["Appointment Set", "Success", "Completed", true, false],
  ["Interested", "Success", "Completed", true, false],
  ["Callback Requested", "Neutral", "Callback", true, false],
  ["Not Interested", "Failure", "Completed", true, false],
  ["Do Not Call", "Failure", "Completed", true, false],
  ["Wrong Number", "Failure", "Completed", false, false],
  ["Left Voicemail", "Neutral", "Completed", false, false],
  ["Busy", "System", "Busy", false, true],
  ["No Answer", "System", "NoAnswer", false, true],
  ["Answering Machine", "System", "Machine", false, true],
  ["Disconnected", "System", "Invalid", false, true],
];

const CLASSIFICATION_IDS: Record<string, number> = { Success: 1, Neutral: 2, Failure: 3, System: 4 };

const TAG_NAMES = ["vip", "callback", "escalated", "spanish", "survey", "complaint"];

/** A fixed instant so a seed's world does not depend on the day it is built. */
const EPOCH = Date.parse("2025-01-06T09:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();

function key(rng: Rng, length: number): string {
  // Access keys are base32-like and end in "====", which a client must form-encode.
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[rng.int(0, alphabet.length - 1)];
  return `${out}====`;
}

function seedTenant(rng: Rng): Tenant {
  return {
    tenantId: rng.uuid(),
    tenantName: rng.pick(["Acme Outbound", "Northwind Dialing", "Globex Contact"]),
    businessUnitId: rng.int(4_000_000, 4_999_999),
    businessUnitName: "Acme",
    clusterId: rng.pick(["E1", "B32", "C7"]),
    area: "na1",
    defaultTimeZone: "Eastern Standard Time",
  };
}

function seedClients(rng: Rng): AppClient[] {
  return [
    {
      clientId: `${rng.hex(8)}-${rng.hex(4)}-emu-app`,
      clientSecret: rng.hex(40),
      description: "the registered back-end application",
    },
  ];
}

function seedAgents(agentBase: number): Agent[] {
  return Array.from({ length: 8 }, (_, i) => ({
    agentId: agentBase + i,
    firstName: FIRST[i % FIRST.length] as string,
    lastName: LAST[i % LAST.length] as string,
    teamId: 20 + (i % 2),
  }));
}

/** An administrator's key (its secret holds "+/", which a client must form-encode) and a read-only one. */
function seedAccessKeys(rng: Rng, agentBase: number): AccessKey[] {
  return [
    {
      accessKeyId: key(rng, 36),
      accessKeySecret: `${key(rng, 40)}+/`,
      userId: rng.uuid(),
      agentId: agentBase,
      role: { legacyId: "Administrator", id: rng.uuid(), secondaryRoles: [] },
      readOnly: false,
      description: "API user with the Administrator role",
    },
    {
      accessKeyId: key(rng, 36),
      accessKeySecret: key(rng, 40),
      userId: rng.uuid(),
      agentId: agentBase + 1,
      role: { legacyId: "ReadOnly", id: rng.uuid(), secondaryRoles: [] },
      readOnly: true,
      description: "API user with a read-only role (writes answer 403)",
    },
  ];
}

/** The active codes of DISPOSITIONS, then one retired code that lists must filter out. */
function seedDispositions(dispositionBase: number): Disposition[] {
  const dispositions: Disposition[] = DISPOSITIONS.map(
    ([name, classification, systemOutcome, rightParty, noAgent], i) => ({
      dispositionId: dispositionBase + i + 1,
      dispositionName: name,
      classification,
      classificationId: CLASSIFICATION_IDS[classification] as number,
      reportingGroup: classification === "System" ? "System" : "Completed",
      systemOutcome,
      isActive: true,
      rightParty,
      noAgent,
      notes: "",
      lastUpdated: iso(EPOCH + i * 3_600_000),
    }),
  );
  dispositions.push({
    dispositionId: dispositionBase + DISPOSITIONS.length + 1,
    dispositionName: "Legacy Promo",
    classification: "Success",
    classificationId: 1,
    reportingGroup: "Completed",
    systemOutcome: "Completed",
    isActive: false,
    rightParty: true,
    noAgent: false,
    notes: "retired",
    lastUpdated: iso(EPOCH),
  });
  return dispositions;
}

function seedTags(tagBase: number): Tag[] {
  return TAG_NAMES.map((tagName, i) => ({ tagId: tagBase + i, tagName, isActive: true, notes: "" }));
}

function seedReportingCampaigns(campaignBase: number): ReportingCampaign[] {
  return ["Default Campaign", "Spring Promo", "Renewals"].map((name, i) => ({
    id: campaignBase + i,
    name,
    isActive: true,
    description: `${name} (reporting group)`,
    notes: "",
    lastUpdateTime: iso(EPOCH + i * 86_400_000),
  }));
}

interface SkillSpec {
  name: string;
  pc: boolean;
  running: boolean;
  active: boolean;
  /** Index into the reporting campaigns. */
  campaign: number;
  codes: string[];
  lists: number[];
}

/**
 * Three Personal Connection skills (one running with a list, one stopped with a list, one running
 * without), an inactive one, and an inbound skill that outbound operations must refuse.
 */
function skillSpecs(listBase: number): SkillSpec[] {
  const common = ["Busy", "No Answer", "Answering Machine", "Disconnected", "Not Interested", "Wrong Number"];
  return [
    {
      name: "PC Sales",
      pc: true,
      running: true,
      active: true,
      campaign: 1,
      codes: ["Sale", "Appointment Set", "Interested", "Callback Requested", "Do Not Call", ...common],
      lists: [listBase],
    },
    {
      name: "PC Renewals",
      pc: true,
      running: false,
      active: true,
      campaign: 2,
      codes: ["Sale", "Callback Requested", "Left Voicemail", ...common],
      lists: [listBase + 1],
    },
    {
      name: "PC Collections",
      pc: true,
      running: true,
      active: true,
      campaign: 0,
      codes: ["Callback Requested", "Do Not Call", "Left Voicemail", ...common],
      lists: [],
    },
    { name: "PC Survey", pc: true, running: false, active: false, campaign: 0, codes: [], lists: [] },
    {
      name: "Inbound Support",
      pc: false,
      running: false,
      active: true,
      campaign: 0,
      codes: ["Interested", "Not Interested", "Callback Requested"],
      lists: [],
    },
  ];
}

function seedSkills(
  specs: SkillSpec[],
  skillBase: number,
  dispositions: Disposition[],
  campaigns: ReportingCampaign[],
): Skill[] {
  const ids = (names: string[]) =>
    names.map((n) => dispositions.find((d) => d.dispositionName === n)!.dispositionId);
  return specs.map((spec, i) => ({
    skillId: skillBase + i,
    skillName: spec.name,
    mediaTypeId: 4,
    mediaTypeName: "Phone Call",
    isOutbound: spec.pc,
    outboundStrategy: spec.pc ? "Personal Connection" : null,
    isRunning: spec.running,
    isActive: spec.active,
    campaignId: (campaigns[spec.campaign] as ReportingCampaign).id,
    notes: "",
    requireDisposition: true,
    callerId: `800555${String(100 + i).padStart(4, "0")}`,
    dispositionIds: ids(spec.codes),
    parameters: spec.pc ? defaultParameters() : null,
    callingListIds: spec.lists,
    lastUpdateTime: iso(EPOCH + i * 60_000),
  }));
}

function seedLists(listBase: number, sales: Skill, renewals: Skill): CallingList[] {
  return [
    { name: "March leads", size: 500, skills: [sales.skillId] },
    { name: "Renewals Q2", size: 1500, skills: [renewals.skillId] },
    { name: "Unassigned", size: 50, skills: [] },
  ].map((spec, i) => ({
    listId: listBase + i,
    listName: spec.name,
    status: "Active",
    externalIdColumn: "ExternalId",
    mappings: [
      { fieldName: "PhoneNumber", fieldValue: "PhoneNumber" },
      { fieldName: "FirstName", fieldValue: "FirstName" },
      { fieldName: "LastName", fieldValue: "LastName" },
    ],
    records: null,
    seededSize: spec.size,
    seededIndex: i,
    skillIds: spec.skills,
    createDate: iso(EPOCH - 10 * 86_400_000 + i * 3_600_000),
    uploadDate: iso(EPOCH - 9 * 86_400_000 + i * 3_600_000),
    updateDate: iso(EPOCH - 9 * 86_400_000 + i * 3_600_000),
  }));
}

/** Two edits (the name out of draft, then activation) on the first two reporting campaigns. */
function seedAudit(campaigns: ReportingCampaign[], modifiedBy: number): Map<number, AuditEntry[]> {
  const audit = new Map<number, AuditEntry[]>();
  let auditId = 1;
  for (const campaign of campaigns.slice(0, 2)) {
    audit.set(
      campaign.id,
      [
        ["Name", `${campaign.name} (draft)`, campaign.name],
        ["IsActive", "False", "True"],
      ].map(([columnName, oldValue, newValue], j) => ({
        auditHistoryId: auditId++,
        columnName: columnName as string,
        oldValue: oldValue as string,
        newValue: newValue as string,
        date: iso(EPOCH - 5 * 86_400_000 + j * 3_600_000),
        modifiedBy,
        modifiedByName: "Admin",
      })),
    );
  }
  return audit;
}

export function buildWorld(seed: number): World {
  // One random stream drawn in this fixed order: reordering the draws changes every id and key.
  const rng = createRng(seed, "cxone-world");
  const tenant = seedTenant(rng);
  const clients = seedClients(rng);
  const agentBase = rng.int(30, 39) * 100 + 1;
  const agents = seedAgents(agentBase);
  const accessKeys = seedAccessKeys(rng, agentBase);
  const dispositions = seedDispositions(rng.int(1, 9) * 10);
  const tags = seedTags(rng.int(1, 9));
  const campaigns = seedReportingCampaigns(rng.int(5, 9));
  const skillBase = rng.int(1, 8) * 100 + 1;
  const listBase = rng.int(5, 9) * 10 + 1;
  const skills = seedSkills(skillSpecs(listBase), skillBase, dispositions, campaigns);
  const [sales, renewals, collections, , inbound] = skills as [Skill, Skill, Skill, Skill, Skill];
  const lists = seedLists(listBase, sales, renewals);
  const audit = seedAudit(campaigns, agentBase);
  const dncPhones = Array.from({ length: 10 }, () => phone(rng));
  return {
    tenant,
    clients,
    accessKeys,
    agents,
    dispositions,
    tags,
    campaigns,
    skills,
    contactSkillIds: [sales.skillId, renewals.skillId, collections.skillId, inbound.skillId],
    lists,
    audit,
    dncPhones,
  };
}
