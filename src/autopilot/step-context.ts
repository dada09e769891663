import path from "node:path";
import { ensureRealDirectory } from "../core/safe-write.ts";
import type { Store } from "../core/store/index.ts";
import type { CxoneBaseClient } from "../sdk/client-types.ts";
import type { ListAttemptsSource } from "./day-dials.ts";
import type { Recorder } from "./failure-step.ts";
import type { CampaignFiles } from "./morning.ts";
import type { AutopilotJob, CampaignDay, CampaignState } from "./types.ts";

/**
 * What each step of a campaign's run is given (run.ts orders the steps): the client and the
 * store, the job and the campaign's files, the campaign's state, the run's instant, how a step
 * is recorded, and the run's signal — its deadline, `cxo serve`'s stop — which every SDK call of
 * the step carries.
 */
export interface RunContext {
  client: CxoneBaseClient;
  /** The day's lists' dials, each list read once this run (day-dials.ts attemptsOnceARun). */
  dials: ListAttemptsSource;
  store: Store;
  job: AutopilotJob;
  files: CampaignFiles;
  state: CampaignState;
  nowMs: number;
  record: Recorder;
  signal?: AbortSignal | undefined;
}

/** The day of the state (a step runs only once the run has opened it). */
export function dayOf(ctx: RunContext): CampaignDay {
  return ctx.state.day as CampaignDay;
}

/** A new plan file of the day in the data dir's `autopilot/` folder. */
export function planFileOf(ctx: RunContext, why: string): string {
  const day = dayOf(ctx);
  const dir = path.join(ctx.client.dataDir, "autopilot");
  ensureRealDirectory(dir, { field: "dataDir" });
  const safe = ctx.files.job.campaign.replace(/[^A-Za-z0-9_-]/g, "_");
  return path.join(dir, `${safe}-${day.date}-${day.plans.length + 1}-${why}.ndjson`);
}
