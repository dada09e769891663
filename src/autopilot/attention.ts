import type { Store } from "../core/store/index.ts";
import { journalCampaignEvent } from "./campaign-event.ts";
import type { CampaignState, PassingEpisode, StepName } from "./types.ts";

/** The escalation limit when the job gives none (docs/autopilot.md). */
export const DEFAULT_ESCALATE_AFTER_MINUTES = 30;

/**
 * A failure that passes, followed across runs: a CXone DNC route answering 503
 * for 12 hours, a skill unreadable for 4 — every run exited 0, nothing reached the board, only
 * `retried` lines in the evening's report. An episode starts at a run's first passing failure and
 * ends at the first run without one; one that lasts longer than `escalateAfterMinutes` of the
 * clock becomes an attention item — once per episode: an audit record and a signed
 * `autopilot.attention` event — shown by the status and the board, and `run --once` exits 1 while
 * it is open. Answers the episode when this run escalated it.
 */
export async function followPassing(
  store: Store,
  state: CampaignState,
  failure: { step: StepName; code: string; text: string } | undefined,
  now: { ms: number; iso: string },
  escalateAfterMinutes = DEFAULT_ESCALATE_AFTER_MINUTES,
): Promise<PassingEpisode | undefined> {
  if (failure === undefined) {
    delete state.passing;
    return undefined;
  }
  const episode: PassingEpisode = { ...(state.passing ?? { since: now.iso }), ...failure, lastAt: now.iso };
  state.passing = episode;
  if (episode.escalatedAt !== undefined) return undefined;
  if (now.ms - Date.parse(episode.since) < escalateAfterMinutes * 60_000) return undefined;
  episode.escalatedAt = now.iso;
  await journalCampaignEvent(store, "autopilot.attention", "autopilot.attention", {
    campaign: state.campaign,
    attention: episode,
  });
  return episode;
}

/** The open attention item of a campaign (an escalated episode), if any. */
export function openAttention(state: CampaignState): PassingEpisode | undefined {
  return state.passing?.escalatedAt === undefined ? undefined : state.passing;
}
