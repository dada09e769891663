import { clockNowDate } from "../../core/clock/now.ts";
import type { Store } from "../../core/store/index.ts";
/**
 * The watchdog's persisted state, one kv entry per (primary, backup) pair: the streak counters,
 * the open incident and the recent incident history. It is written after every evaluation, and
 * incident milestones are written through the journal (in the same transaction as their audit
 * record and outbox event), so a restart resumes mid-incident instead of repeating or
 * forgetting it. Which failover STEPS are done is not taken from here but from the journal
 * (each step has a deterministic idempotency key per incident).
 */
export const WATCHDOG_STATE = "campaigns.watchdog";
const MAX_INCIDENTS_KEPT = 50;

export type IncidentPhase = "failing-over" | "failed-over" | "failing-back" | "closed";

export interface Incident {
  id: string;
  primary: string;
  backup: string;
  openedAt: string;
  /** The sample that completed the streak, and the rules it broke. */
  trigger: {
    /** Which rule completed the streak: the success rate (default) or a live rule. */
    rule?: "success-rate" | "agents-logged-out" | "contacts-stopped" | "abandon-rate";
    /** A live rule's reason, with the figures, their source and age. */
    reason?: string;
    successRate: number;
    callsInWindow: number | null;
    threshold: number;
    minSample: number;
    breaches: number;
  };
  phase: IncidentPhase;
  failedOverAt: string | null;
  closedAt: string | null;
  /** fail-back: the watchdog moved traffic back; primary-resumed: someone resumed the primary. */
  closedBy: "fail-back" | "primary-resumed" | null;
}

export interface MetricsSnapshot {
  campaignId: string;
  successRate: number;
  callsInWindow: number | null;
  activeCalls: number;
  at: string;
}

export interface Evaluation {
  at: string;
  /** poll: fetched by the watchdog; webhook: pushed through `observe`; live: `observeLive`. */
  source: "poll" | "webhook" | "live";
  primary: MetricsSnapshot | null;
  verdict: "breach" | "healthy" | "insufficient" | null;
  breaches: number;
  healthy: number;
  action: "none" | "failover" | "fail-back" | "closed";
  incident: { id: string; phase: IncidentPhase } | null;
  /** The backup's health, reported while an incident is open. */
  backup: MetricsSnapshot | null;
  error: string | null;
  /** A live evaluation: the rule broken (null = none), readings in a row breaking any live rule, and the figures' time. */
  live?: { rule: string | null; reason: string | null; streak: number; observedAt: string; source: string };
}

export interface WatchdogState {
  primary: string;
  backup: string;
  breaches: number;
  healthy: number;
  evaluations: number;
  openIncidentId: string | null;
  /** Oldest first, the last 50. */
  incidents: Incident[];
  lastEvaluation: Evaluation | null;
  updatedAt: string;
}

export const pairKey = (primary: string, backup: string) => `${primary}>${backup}`;

export function freshState(primary: string, backup: string): WatchdogState {
  return {
    primary,
    backup,
    breaches: 0,
    healthy: 0,
    evaluations: 0,
    openIncidentId: null,
    incidents: [],
    lastEvaluation: null,
    updatedAt: clockNowDate().toISOString(),
  };
}

export async function loadState(store: Pick<Store, "kv">, primary: string, backup: string) {
  return (
    (await store.kv.get<WatchdogState>(WATCHDOG_STATE, pairKey(primary, backup))) ??
    freshState(primary, backup)
  );
}

export function saveState(store: Pick<Store, "kv">, state: WatchdogState): Promise<void> {
  return store.kv.set(WATCHDOG_STATE, pairKey(state.primary, state.backup), state);
}

export function openIncident(state: WatchdogState): Incident | undefined {
  return state.openIncidentId === null
    ? undefined
    : state.incidents.find((incident) => incident.id === state.openIncidentId);
}

/** A copy of `state` with `incident` replaced (or appended), keeping the history bounded. */
export function withIncident(state: WatchdogState, incident: Incident): WatchdogState {
  const others = state.incidents.filter((item) => item.id !== incident.id);
  return {
    ...state,
    openIncidentId: incident.phase === "closed" ? null : incident.id,
    incidents: [...others, incident]
      .sort((a, b) => (a.openedAt < b.openedAt ? -1 : a.openedAt > b.openedAt ? 1 : 0))
      .slice(-MAX_INCIDENTS_KEPT),
    updatedAt: clockNowDate().toISOString(),
  };
}

/** Every pair's watchdog state in this store (for the dashboard). */
export async function readWatchdogStates(store: Pick<Store, "kv">): Promise<WatchdogState[]> {
  return (await store.kv.list(WATCHDOG_STATE)).map((row) => row.value as WatchdogState);
}

/** Every incident of every watched pair, newest first (for the dashboard and `status`). */
export async function readIncidents(store: Pick<Store, "kv">): Promise<Incident[]> {
  const states = await readWatchdogStates(store);
  return states
    .flatMap((state) => state.incidents)
    .sort((a, b) => (a.openedAt < b.openedAt ? 1 : a.openedAt > b.openedAt ? -1 : 0));
}
