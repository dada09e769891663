import { clockNowMs } from "../../core/clock/now.ts";
import { createRng } from "../random.ts";
import { type ContactFacts, ContactWarehouse } from "./data/contacts.ts";
import { type DncGroupState, seedDncGroups } from "./data/dnc-groups.ts";
import type {
  ActiveContact,
  AuditEntry,
  CallingList,
  Disposition,
  ReportingCampaign,
  Skill,
  Tag,
  UploadJob,
} from "./data/model.ts";
import type { Lookups } from "./data/wire.ts";
import { buildWorld, type World } from "./data/world.ts";
import type { Knobs } from "./knobs.ts";
import type { CxoneResolvedOptions } from "./options.ts";
import { type CallbackDialer, newCallbackDialer, type ScheduledCallback } from "./scheduled-callbacks.ts";
/**
 * The production-API emulator's mutable world. `reset()` rebuilds it from the seed; the
 * completed contacts' window stays anchored at the emulator's start so ids and times do not
 * move under a client.
 */
export class CxoneState {
  readonly options: CxoneResolvedOptions;
  readonly startedAtMs: number;
  knobs!: Knobs;
  world!: World;
  skills = new Map<number, Skill>();
  dispositions = new Map<number, Disposition>();
  tags = new Map<number, Tag>();
  /** A skill's tags (`GET/POST/DELETE skills/{id}/tags`): seeded with the active tags on every Personal Connection skill (assumed). */
  skillTags = new Map<number, Set<number>>();
  campaigns = new Map<number, ReportingCampaign>();
  lists = new Map<number, CallingList>();
  jobs = new Map<number, UploadJob>();
  audit = new Map<number, AuditEntry[]>();
  /** The tenant's DNC groups (issue 62 §2), by id. */
  dncGroups = new Map<number, DncGroupState>();
  active = new Map<number, ActiveContact>();
  /** Scheduled callbacks by id, and the dialer that calls them at their time (scheduled-callbacks.ts). */
  scheduledCallbacks = new Map<number, ScheduledCallback>();
  callbackDialer: CallbackDialer = newCallbackDialer();
  /** Agent session id → agent id. */
  sessions = new Map<string, number>();
  /** Agents logged out by the end of a session joined to them (knob `joinedSessionEnd`). */
  loggedOutAgents = new Set<number>();
  warehouse!: ContactWarehouse;
  /** Dispositions set on active contacts (they move to the warehouse when they end). */
  activeDispositions = new Map<
    number,
    { primary: number; secondary: number | null; notes: string; agentId: number | null; atMs: number }
  >();
  /** Tags attached to active contacts (knob `liveContactTags: "accept"`); they move to the warehouse too. */
  activeTags = new Map<number, number[]>();
  /** Concurrent-edit faults: skill id → GETs of its parameters still to serve before the edit. */
  pendingEdits = new Map<number, { afterReads: number; patch: Record<string, unknown> | null }>();
  /**
   * Refusal faults, kept until the faults are cleared: DNC numbers (ten digits) a records POST
   * refuses item by item, and external ids `removeProspects` leaves in the list, each with the
   * words the item's answer carries; DNC groups a read of their own cannot find.
   */
  refusals = {
    dncRecords: new Map<string, string>(),
    removals: new Map<string, string>(),
    /** DNC groups whose `GET dnc-groups/{id}` answers this status (204 or 404), still searchable. */
    unreadableGroups: new Map<number, 204 | 404>(),
  };
  private nextIds = { skill: 0, tag: 0, list: 0, job: 0, contact: 0, dncGroup: 0, callback: 0 };
  /** Knob listingChurn's draws: one sequence per `listingChurnSeed`, restarted by reset(). */
  private churn: { seed: number; next: () => number } | null = null;

  constructor(options: CxoneResolvedOptions, startedAtMs = clockNowMs()) {
    this.options = options;
    this.startedAtMs = startedAtMs;
    this.reset();
  }

  reset(): void {
    const world = buildWorld(this.options.seed);
    this.world = world;
    this.knobs = structuredClone(this.options.knobs);
    const clone = <T>(items: T[]) => items.map((item) => structuredClone(item));
    this.skills = new Map(clone(world.skills).map((s) => [s.skillId, s]));
    this.dispositions = new Map(clone(world.dispositions).map((d) => [d.dispositionId, d]));
    this.tags = new Map(clone(world.tags).map((t) => [t.tagId, t]));
    const activeTagIds = world.tags.filter((t) => t.isActive).map((t) => t.tagId);
    this.skillTags = new Map(
      world.skills
        .filter((s) => s.outboundStrategy === "Personal Connection")
        .map((s) => [s.skillId, new Set(activeTagIds)]),
    );
    this.campaigns = new Map(clone(world.campaigns).map((c) => [c.id, c]));
    this.lists = new Map(clone(world.lists).map((l) => [l.listId, l]));
    this.audit = new Map([...world.audit].map(([id, entries]) => [id, clone(entries)]));
    this.dncGroups = seedDncGroups(this.options.seed, world.skills, world.dncPhones);
    this.jobs = new Map();
    this.scheduledCallbacks = new Map();
    this.callbackDialer = newCallbackDialer();
    this.sessions = new Map();
    this.loggedOutAgents = new Set();
    this.activeDispositions = new Map();
    this.activeTags = new Map();
    this.pendingEdits = new Map();
    this.refusals = { dncRecords: new Map(), removals: new Map(), unreadableGroups: new Map() };
    this.warehouse = new ContactWarehouse({
      seed: this.options.seed,
      total: this.options.contacts,
      windowEndMs: this.startedAtMs,
      days: this.options.days,
      anyHour: this.options.history === "any-hour",
      skillIds: world.contactSkillIds,
      skills: this.skills,
      dispositions: this.dispositions,
      tagIds: world.tags.map((t) => t.tagId),
      agents: world.agents,
    });
    const maxOf = (ids: Iterable<number>) => Math.max(0, ...ids);
    this.nextIds = {
      skill: maxOf(this.skills.keys()) + 1,
      tag: maxOf(this.tags.keys()) + 1,
      list: maxOf(this.lists.keys()) + 1,
      job: 770 + (this.options.seed % 100),
      contact: this.warehouse.idBase + this.options.contacts + 1000,
      dncGroup: maxOf(this.dncGroups.keys()) + 1,
      callback: 5100 + (this.options.seed % 100),
    };
    this.active = new Map();
    this.churn = null;
    this.seedActiveContacts();
  }

  /** The draw knob listingChurn picks the changed contacts with (seeded by listingChurnSeed). */
  churnDraw(): () => number {
    const seed = this.knobs.listingChurnSeed;
    if (this.churn?.seed !== seed) this.churn = { seed, next: createRng(seed, "cxone-churn").next };
    return this.churn.next;
  }

  /** Three live calls per running outbound skill, each held by an agent. */
  private seedActiveContacts(): void {
    const rng = createRng(this.options.seed, "cxone-active");
    const now = Math.max(clockNowMs(), this.startedAtMs);
    let agent = 0;
    for (const skill of this.skills.values()) {
      if (!skill.isRunning || !skill.isOutbound) continue;
      for (let i = 0; i < 3; i++)
        this.addActive(
          skill.skillId,
          this.world.agents[agent++ % this.world.agents.length]!.agentId,
          now,
          rng.int(0, 9999),
        );
    }
  }

  addActive(skillId: number, agentId: number, nowMs: number, suffix: number): ActiveContact {
    const contact: ActiveContact = {
      contactId: this.nextId("contact"),
      skillId,
      agentId,
      toAddress: `612555${String(suffix).padStart(4, "0")}`,
      contactStartMs: nowMs,
      stateName: "Active",
    };
    this.active.set(contact.contactId, contact);
    return contact;
  }

  /** A live contact as a completed-contact record shows it (a disposition set while live included). */
  activeFacts(contact: ActiveContact, nowMs = clockNowMs()): ContactFacts {
    const set = this.activeDispositions.get(contact.contactId);
    const seconds = Math.max(0, Math.round((nowMs - contact.contactStartMs) / 1000));
    return {
      contactId: contact.contactId,
      skillId: contact.skillId,
      contactStartMs: contact.contactStartMs,
      lastUpdateMs: set?.atMs ?? contact.contactStartMs,
      agentId: contact.agentId,
      teamId: this.world.agents.find((a) => a.agentId === contact.agentId)?.teamId ?? null,
      isOutbound: true,
      fromAddress: this.skills.get(contact.skillId)?.callerId ?? "",
      toAddress: contact.toAddress,
      mediaTypeId: 4,
      primaryDispositionId: set?.primary ?? null,
      secondaryDispositionId: set?.secondary ?? null,
      dispositionNotes: set?.notes ?? "",
      dispositionAgentId: set?.agentId ?? null,
      endReason: "",
      abandoned: false,
      abandonSeconds: 0,
      agentSeconds: seconds,
      acwSeconds: 0,
      holdSeconds: 0,
      inQueueSeconds: 0,
      totalDurationSeconds: seconds,
      tagIds: [...(this.activeTags.get(contact.contactId) ?? [])],
    };
  }

  /** An active contact ends: it joins the warehouse (after the lag, like every other). */
  endActive(contactId: number, nowMs = clockNowMs()): boolean {
    const contact = this.active.get(contactId);
    if (!contact) return false;
    const facts = this.activeFacts(contact, nowMs);
    this.active.delete(contactId);
    this.activeDispositions.delete(contactId);
    this.activeTags.delete(contactId);
    // Ended contacts follow the generated ones in start order (even with a `windowEnd` ahead of now).
    const last = this.warehouse.ended.at(-1)?.contactStartMs ?? 0;
    this.warehouse.ended.push({
      ...facts,
      contactStartMs: Math.max(contact.contactStartMs, last, this.startedAtMs),
      lastUpdateMs: nowMs,
      endReason: "Contact Hung Up",
      agentSeconds: Math.max(1, facts.agentSeconds),
      totalDurationSeconds: Math.max(1, facts.totalDurationSeconds),
    });
    return true;
  }

  nextId(kind: "skill" | "tag" | "list" | "job" | "contact" | "dncGroup" | "callback"): number {
    const id = this.nextIds[kind];
    this.nextIds[kind] = id + 1;
    return id;
  }

  /** The business unit id as the wire shows it (the knob may make it negative). */
  get businessUnitId(): number {
    const id = this.world.tenant.businessUnitId;
    return this.knobs.negativeBusinessUnitId ? -id : id;
  }

  lookups(): Lookups {
    return {
      skills: this.skills,
      campaigns: this.campaigns,
      tags: this.tags,
      dispositions: this.dispositions,
      businessUnitId: this.businessUnitId,
    };
  }

  /** Contacts that started at or before this instant are warehoused. */
  visibleUntilMs(nowMs = clockNowMs()): number {
    return nowMs - this.knobs.warehouseLagS * 1000;
  }
}
