import type { Store } from "../core/store/index.ts";
import type { CampaignDay, CampaignState, DayReport } from "./types.ts";

/** The kv namespaces the autopilot owns (docs/autopilot.md). */
export const AUTOPILOT_STATE = "autopilot.campaigns";
export const AUTOPILOT_REPORTS = "autopilot.day-reports";

export async function loadState(store: Store, campaign: string): Promise<CampaignState> {
  return (await store.kv.get<CampaignState | null>(AUTOPILOT_STATE, campaign)) ?? { campaign };
}

export async function saveState(store: Store, state: CampaignState): Promise<void> {
  await store.kv.set(AUTOPILOT_STATE, state.campaign, state);
}

export async function allStates(store: Store): Promise<CampaignState[]> {
  return (await store.kv.list(AUTOPILOT_STATE)).map((row) => row.value as CampaignState);
}

export function freshDay(date: string): CampaignDay {
  return {
    date,
    plans: [],
    planned: 0,
    pushed: 0,
    lists: [],
    blocked: {},
    refused: [],
    held: [],
    drifts: [],
    interventions: [],
    retried: [],
    honoured: 0,
  };
}

export const reportKey = (campaign: string, date: string) => `${campaign}@${date}`;

/** The day reports kept, newest first (for one campaign when named). */
export async function dayReports(store: Store, campaign?: string): Promise<DayReport[]> {
  const rows = await store.kv.list(AUTOPILOT_REPORTS);
  return rows
    .map((row) => row.value as DayReport)
    .filter((report) => campaign === undefined || report.campaign === campaign)
    .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.campaign.localeCompare(b.campaign)));
}
