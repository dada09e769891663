import type { CodeWithStats } from "./vocabulary.ts";

/** The shapes of the emulator's mutable world (what `POST /_emulator/reset` restores). */

export interface Client {
  clientId: string;
  clientSecret: string;
  scopes: string[];
  description: string;
}

export interface ContactList {
  id: string;
  name: string;
  size: number;
  listIndex: number;
}

export type CampaignStatus = "active" | "paused" | "stopped";

export interface Campaign {
  id: string;
  name: string;
  description: string;
  status: CampaignStatus;
  contactListId: string | null;
  timeZone: string;
  queueId: string | null;
  dialerConfig: unknown;
  complianceConfig: unknown;
  failoverConfig: {
    enabled: boolean;
    thresholdType: string;
    thresholdValue: number;
    evaluationWindowMinutes: number;
  } | null;
  /** Seed 003's campaign shape, when created through /api/v1/campaigns. */
  dialer: unknown;
  dispositionCodes: CodeWithStats[];
  createdAt: string;
  updatedAt: string;
  /** Baseline of the success-rate simulation, and its phase. */
  simulation: { baseSuccessRate: number; phase: number };
}

export interface InteractionDisposition {
  code: string;
  description: string;
  agent_id: string;
  timestamp: string;
  source: string;
}

export interface Interaction {
  id: string;
  campaignId: string;
  contactId: string;
  agentId: string;
  channel: "voice";
  direction: "outbound";
  status: "closed";
  startTime: string;
  endTime: string;
  dispositions: InteractionDisposition[];
  version: number;
  etag: string;
  lastModifiedTime: string;
}

export interface DialerSettingsBody {
  name: string;
  type: string;
  concurrency: Record<string, number>;
  algorithm: Record<string, string | number>;
}

export interface DialerSettings extends DialerSettingsBody {
  versionTag: string;
  updatedAt: string;
}

export interface AuditEntry {
  id: string;
  timestamp: string;
  entity: string;
  action: string;
  actor: string;
  versionTag: string | null;
  details: Record<string, unknown>;
}
