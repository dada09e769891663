import type { KnownCampaign } from "../campaigns/known-campaigns.ts";
import type { PacingSpec } from "../campaigns/spec.ts";
import {
  type BudgetGuardState,
  type GuardSettings,
  guardStep,
  initialGuardState,
  isGuardState,
} from "../dialer/live-pacing/budget-guard.ts";
import { PACING_GUARD } from "../dialer/live-pacing/store-keys.ts";
import type { DialerSettings } from "../platform/ports/dialer.ts";
import type { SkillLiveSnapshot } from "../platform/ports/live.ts";
import { applyAlgorithm, type Due, type LoopState, recordDecision, warnOnce } from "./pacing-context.ts";

// The production budget guard: the platform paces the calls (NICE's Personal Connection refuses
// live dial-ratio control), and the loop bounds its settings. The skill's counts of today feed
// the window's budget; when it runs short the skill's abandon target (or its maximum ratio) is
// lowered through the settings lifecycle, and raised back, bounded, as the budget recovers.

/** The guarded campaigns due now: one live reading for all of them, then each in turn. */
export async function guardDue(loop: LoopState, due: Due[]): Promise<void> {
  if (due.length === 0) return;
  for (const { campaign, spec } of due)
    loop.guards.set(campaign.id, { spec, dueAt: loop.now() + spec.intervalSeconds * 1000 });
  const reading = await loop.host.liveRead(
    due.map((d) => d.campaign.id),
    { signal: loop.abort.signal },
  );
  for (const { campaign, spec } of due) {
    try {
      await guardOne(
        loop,
        campaign,
        spec,
        reading.snapshots.find((s) => s.campaignId === campaign.id),
      );
    } catch (error) {
      if (loop.abort.signal.aborted) return;
      loop.logger.warn(
        { campaignId: campaign.id, err: error },
        "pacing guard: round failed; trying again next interval",
      );
    }
  }
}

async function guardOne(
  loop: LoopState,
  campaign: KnownCampaign,
  spec: PacingSpec,
  snapshot: SkillLiveSnapshot | undefined,
): Promise<void> {
  const { store, now } = loop;
  const today = snapshot?.today;
  if (!today || today.connects === undefined || today.abandons === undefined) {
    warnOnce(
      loop,
      campaign.id,
      "pacing guard: the platform gives no live answers and abandons of today for this skill yet; not guarding it",
    );
    return;
  }
  const saved = await store.kv.get<BudgetGuardState>(PACING_GUARD, campaign.id);
  const state =
    isGuardState(saved) && saved.budget.window === spec.window && saved.budget.target === spec.target
      ? saved
      : initialGuardState(spec.window, spec.target);
  const found = state.baseline ?? (await guardBaseline(loop, campaign.id, spec));
  if (!found) return;
  const step = guardStep(
    {
      target: spec.target,
      window: spec.window,
      maxRatioStep: spec.maxStep,
      minIntervalMs: spec.intervalSeconds * 1000,
    },
    state,
    { since: today.since, connects: today.connects, abandons: today.abandons },
    found,
    now(),
  );
  let next = step.state;
  if (step.apply) next = await applyGuard(loop, campaign.id, step.apply, step.reason, next, state);
  await store.kv.set(PACING_GUARD, campaign.id, next);
  const shown = next.applied ?? next.baseline;
  await recordDecision(loop, campaign.id, {
    mode: "guard",
    window: spec.window,
    target: spec.target,
    ratio: shown?.maximumRatio ?? null,
    cap: null,
    atCap: false,
    abandonTarget: shown?.abandonTarget ?? null,
    abandonment: step.figures.abandonment,
    liveAnswers: step.figures.liveAnswers,
    budgetLeft: step.figures.budgetLeft,
    reason: step.reason,
    at: new Date(now()).toISOString(),
  });
}

/**
 * The skill's own settings, read once, the first time: the ceiling the guard raises back to.
 * Null for a preview skill, which abandons nothing and is not guarded.
 */
async function guardBaseline(
  loop: LoopState,
  campaignId: string,
  spec: PacingSpec,
): Promise<GuardSettings | null> {
  const current = await loop.host.dialerSettings({ campaignId }, { signal: loop.abort.signal });
  if (current.settings.algorithm.type === "preview") {
    warnOnce(loop, campaignId, "pacing guard: a preview skill abandons nothing; not guarding it");
    return null;
  }
  return settingsOf(current.settings, spec);
}

/** Writes the guard's settings; on failure the state keeps the previous decision (tried again later). */
async function applyGuard(
  loop: LoopState,
  campaignId: string,
  wanted: GuardSettings,
  reason: string,
  decided: BudgetGuardState,
  before: BudgetGuardState,
): Promise<BudgetGuardState> {
  const result = await applyAlgorithm(loop, { campaignId }, campaignId, (algorithm) => ({
    ...algorithm,
    type: wanted.maximumRatio > 1 ? "predictive" : "progressive",
    dialRatio: wanted.maximumRatio,
    abandonmentTarget: wanted.abandonTarget,
  }));
  if (result.ok) {
    loop.logger.info(
      {
        campaignId,
        abandonTarget: wanted.abandonTarget,
        maximumRatio: wanted.maximumRatio,
        versionTag: result.versionTag,
        reason,
      },
      "pacing guard: skill settings changed",
    );
    return decided;
  }
  loop.logger.warn(
    { campaignId, ...wanted, outcome: result.outcome },
    `pacing guard: settings not applied: ${result.message}`,
  );
  return { ...decided, applied: before.applied, changedAtMs: before.changedAtMs };
}

/** The skill's settings as the guard sees them; no abandon target set: the campaign's. */
function settingsOf(settings: DialerSettings, spec: PacingSpec): GuardSettings {
  const a = settings.algorithm;
  return {
    abandonTarget: a.abandonmentTarget > 0 ? a.abandonmentTarget : spec.target,
    maximumRatio: a.type === "progressive" ? 1 : a.dialRatio,
  };
}
