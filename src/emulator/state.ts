import { randomUUID } from "node:crypto";
import { clockNowMs } from "../core/clock/now.ts";
import { CallStore } from "./data/calls.ts";
import { type Contact, generateContact } from "./data/contacts.ts";
import type {
  AuditEntry,
  Campaign,
  Client,
  ContactList,
  DialerSettings,
  DialerSettingsBody,
  Interaction,
} from "./data/model.ts";
import { buildWorld, type World } from "./data/world.ts";
import type { DialerTwin } from "./dialer-twin.ts";
import type { ResolvedOptions } from "./options.ts";
/**
 * The emulator's mutable world. `reset()` rebuilds it from the seed; the call records' time
 * window stays anchored at the emulator's start so ids and times do not move under a client.
 */
export interface Operation {
  operationId: string;
  status: "IN_PROGRESS" | "COMPLETED" | "FAILED";
  versionTag: string;
  createdAt: string;
  completedAt: string | null;
  errorDetails: { code: string; message: string } | null;
  requested: DialerSettingsBody;
  requestedBy: string;
}

export interface OmniWebhook {
  id: string;
  name: string;
  callbackUrl: string;
  events: string[];
  enabled: boolean;
  headers: Record<string, string>;
  secret: string | null;
  createdAt: string;
}

export interface IntegrationWebhook {
  id: string;
  name: string;
  url: string;
  events: string[];
  auth: { type: string; token?: string; username?: string; password?: string } | null;
  retryPolicy: { maxRetries: number; backoffMultiplier: number; timeoutSec: number } | null;
  secret: string | null;
  createdAt: string;
}

export interface StoredResponse {
  fingerprint: string;
  status: number;
  body: unknown;
}

export interface ForcedMetrics {
  successRate: number;
  activeCalls: number | null;
  at: string;
}

export const RETENTION_MS = 90 * 86_400_000;

export class EmulatorState {
  readonly options: ResolvedOptions;
  readonly startedAtMs: number;
  world!: World;
  clients = new Map<string, Client>();
  campaigns = new Map<string, Campaign>();
  contactLists = new Map<string, ContactList>();
  interactions = new Map<string, Interaction>();
  dialerSettings!: DialerSettings;
  pendingOperationId: string | null = null;
  operations = new Map<string, Operation>();
  audit: AuditEntry[] = [];
  omniWebhooks: OmniWebhook[] = [];
  integrationWebhooks: IntegrationWebhook[] = [];
  idempotency = new Map<string, StoredResponse>();
  forcedMetrics = new Map<string, ForcedMetrics>();
  /** The live dialer twins, per campaign (dialer-twin.ts). */
  twins = new Map<string, DialerTwin>();
  calls!: CallStore;
  private contactCache = new Map<string, Contact[]>();

  constructor(options: ResolvedOptions, startedAtMs = clockNowMs()) {
    this.options = options;
    this.startedAtMs = startedAtMs;
    this.reset();
  }

  reset(): void {
    const world = buildWorld(this.options.seed, this.startedAtMs);
    this.world = world;
    this.clients = new Map(world.clients.map((client) => [client.clientId, client]));
    this.campaigns = new Map(world.campaigns.map((campaign) => [campaign.id, campaign]));
    this.contactLists = new Map(world.contactLists.map((list) => [list.id, list]));
    this.interactions = new Map(world.interactions.map((interaction) => [interaction.id, interaction]));
    this.dialerSettings = world.dialerSettings;
    this.pendingOperationId = null;
    this.operations = new Map();
    this.audit = [...world.audit];
    this.omniWebhooks = [];
    this.integrationWebhooks = [];
    this.idempotency = new Map();
    this.forcedMetrics = new Map();
    this.twins = new Map();
    this.viewCache?.clear();
    this.calls = new CallStore({
      seed: this.options.seed,
      total: this.options.calls,
      windowStartMs: this.startedAtMs - RETENTION_MS,
      spanMs: RETENTION_MS,
      campaigns: world.campaigns.map((campaign) => {
        const list = this.contactLists.get(campaign.contactListId ?? "") as ContactList;
        return {
          id: campaign.id,
          listIndex: list.listIndex,
          listSize: list.size,
          codes: campaign.dispositionCodes,
        };
      }),
    });
  }

  /** A generated list added at run time (admin API); it lasts until the next reset. */
  addContactList(size: number, name?: string): ContactList {
    const listIndex = Math.max(...this.world.contactLists.map((l) => l.listIndex)) + 1;
    const list: ContactList = {
      id: randomUUID(),
      name: name ?? `generated list ${listIndex}`,
      size,
      listIndex,
    };
    this.world.contactLists.push(list);
    this.contactLists.set(list.id, list);
    return list;
  }

  /**
   * The last few filtered + sorted views of lists, so paging through a large list sorts it once
   * instead of once per page.
   */
  readonly viewCache = new Map<string, Contact[]>();

  /** A list's contacts, generated on first use and kept (a few thousand per list). */
  contactsOf(list: ContactList): Contact[] {
    let contacts = this.contactCache.get(list.id);
    if (!contacts) {
      contacts = [];
      for (let position = 0; position < list.size; position++) {
        contacts.push(generateContact(this.options.seed, list.listIndex, position, this.startedAtMs));
      }
      this.contactCache.set(list.id, contacts);
    }
    return contacts;
  }
}
