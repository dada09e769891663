import type { Store } from "../core/store/index.ts";
import type { CxoneBaseClient as CxoneClient } from "../sdk/client-types.ts";
import { journalCampaignEvent } from "./campaign-event.ts";
import { type Failure, REFUSALS_BEFORE_STOP } from "./failures.ts";
import type { CampaignDay, CampaignState, StepName } from "./types.ts";

/** Notes a step of the run: what it did, and whether it went well. */
export type Recorder = (step: StepName, ok: boolean, text: string) => void;

/*
 * What a run does with a step's failure (failures.ts says which kind it is): a passing one is
 * retried at the next run, a refused plan dropped (the third refusal of a day stops the
 * campaign), one it cannot judge stops the campaign at once.
 */

export async function onFailure(
  client: CxoneClient,
  store: Store,
  state: CampaignState,
  step: StepName,
  failure: Failure,
  at: string,
  record: Recorder,
  signal?: AbortSignal,
): Promise<void> {
  const day = state.day as CampaignDay;
  record(step, false, failure.text);
  if (failure.kind === "passing") {
    day.retried.push({ at, step, text: failure.text });
    return;
  }
  if (failure.kind === "refused") {
    day.refused.push({ at, step, text: failure.text });
    // A refused plan is not pushed again as it was: the next run plans afresh from the facts then.
    for (const plan of day.plans) if (plan.pushedAt === undefined) day.planned -= plan.rows;
    day.plans = day.plans.filter((plan) => plan.pushedAt !== undefined);
    if (!day.plans.some((plan) => plan.why === "morning")) delete day.morningAt;
    if (day.refused.length < REFUSALS_BEFORE_STOP) return;
  }
  const reason =
    failure.kind === "refused"
      ? `refused ${day.refused.length} times today, last: ${failure.text}`
      : `${step} could not be judged: ${failure.text}`;
  await stopCampaign(client, store, state, { at, code: failure.code, reason }, signal);
}

/**
 * Stops a campaign: no plan or push until `cxo autopilot resume`; the skill paused in CXone (so
 * nothing already on its lists is dialled on facts cxo cannot judge); audited, on the board and
 * a signed `autopilot.stopped` event to the campaigns destination.
 */
async function stopCampaign(
  client: CxoneClient,
  store: Store,
  state: CampaignState,
  stopped: NonNullable<CampaignState["stopped"]>,
  signal?: AbortSignal,
): Promise<void> {
  state.stopped = stopped;
  const day = state.day as CampaignDay;
  let paused = "the skill paused in CXone";
  try {
    await client.campaigns.pause(state.campaign, { signal });
  } catch (error) {
    paused = `the skill could not be paused (${(error as Error).message}): pause it by hand`;
  }
  day.interventions.push({
    at: stopped.at,
    step: "watch",
    text: `campaign stopped: ${stopped.reason}; ${paused}`,
  });
  await journalCampaignEvent(store, "autopilot.stop", "autopilot.stopped", {
    campaign: state.campaign,
    stopped,
    paused,
  });
}
