import type { KnownCampaign } from "../campaigns/known-campaigns.ts";
import type { PacingSpec } from "../campaigns/spec.ts";
import { actingAs } from "../core/store/index.ts";
import {
  type OutsideChange,
  type OutsideChangeRule,
  outsideChangeText,
  PACING_LATEST,
  type PacingDecision,
} from "../dialer/live-pacing/latest.ts";
import {
  initialPacingState,
  LivePacer,
  type LivePacingState,
  type LivePacingStep,
} from "../dialer/live-pacing/live-pacer.ts";
import { PACING_STATE } from "../dialer/live-pacing/store-keys.ts";
import { windowFigures } from "../dialer/live-pacing/window-budget.ts";
import { missingEstimateNotice } from "../dialer/pacing/amd-estimate.ts";
import { DEFAULT_LIMITS, type PacingLimits } from "../dialer/pacing/types.ts";
import type { PacingView } from "./campaign-board.ts";
import { type AutomationSetting, setAutomation } from "./pacing-automation.ts";
import {
  applyAlgorithm,
  type LoopState,
  recordDecision,
  sameSpec,
  scopeOf,
  tenantWide,
  warnOnce,
} from "./pacing-context.ts";

// The seed pacer: the loop sets the dial ratio itself. A controller per campaign steps the ratio
// from the campaign's dialer counters within the window's abandonment budget; a ratio someone
// else set is met by the spec's one rule (hand over, or write the loop's ratio back); while an
// operator holds the automation the loop only reads. (The production platform paces its calls
// itself: pacing-budget-guard.ts.)

/** The campaign's controller, new only for a changed spec; null while its interval runs. */
function dueController(loop: LoopState, campaign: KnownCampaign, spec: PacingSpec): LivePacer | null {
  let entry = loop.pacers.get(campaign.id);
  // Specs come fresh from the store every round: a new controller only for a changed spec.
  if (!entry || !sameSpec(entry.spec, spec)) {
    entry = { pacer: new LivePacer(optionsOf(spec)), spec, dueAt: 0 };
    loop.pacers.set(campaign.id, entry);
    // Under Ofcom's window without the operator's estimate of the people the detector hangs up
    // on: a warning with each controller made (a spec changed), no assumed share (issue 67 §3).
    const notice = missingEstimateNotice(spec.window, spec.machines?.falsePositive);
    if (notice) loop.logger.warn({ campaignId: campaign.id }, `pacing: ${notice}`);
  }
  if (loop.now() < entry.dueAt) return null;
  entry.dueAt = loop.now() + spec.intervalSeconds * 1000;
  return entry.pacer;
}

/**
 * One read of a paced campaign's dialer, and what follows from it. The ratio in force is the
 * one the platform reports (its counters carry it), never the loop's memory of what it set:
 * that is what the board shows. When it is not what the loop last set, someone changed it
 * outside the loop (a rollback, an edit in CXone's UI) and the spec's ONE rule applies
 * (`onOutsideChange`: the loop hands over and stops by default, or writes its ratio back).
 * While an operator holds the automation (`held`), the loop only reads: the ratio in force is
 * shown and adopted, so a resume carries on from it.
 */
export async function paceOne(
  loop: LoopState,
  campaign: KnownCampaign,
  spec: PacingSpec,
  held?: AutomationSetting,
): Promise<void> {
  const { store, now } = loop;
  const pacer = dueController(loop, campaign, spec);
  if (!pacer) return;
  const metrics = await loop.host.campaignMetrics(campaign.id, 5, { signal: loop.abort.signal });
  if (!metrics.dialer) {
    warnOnce(
      loop,
      campaign.id,
      "pacing: this platform reports no dialer counters for the campaign; not pacing it",
    );
    return;
  }
  const readAt = new Date(now()).toISOString();
  const inForce = metrics.dialer.dialRatio;
  const saved = await store.kv.get<LivePacingState>(PACING_STATE, campaign.id);
  let state = saved && saved.budget.window === spec.window ? saved : initialPacingState(limitsOf(spec));
  const rule: OutsideChangeRule = spec.onOutsideChange ?? "hand-over";
  const facts = { tenantWide: tenantWide(loop), onOutsideChange: rule, ratioReadAt: readAt };
  if (held) {
    await adoptWhileHeld(loop, campaign.id, spec, state, inForce, facts, held);
    return;
  }
  // A change the loop asked for that came into force late is its own.
  if (state.pending != null && !differs(inForce, state.pending))
    state = { ...state, ratio: state.pending, pending: null };
  if (state.ratio !== null && differs(inForce, state.ratio)) {
    await outsideChange(loop, campaign.id, spec, state, inForce, readAt, rule);
    return;
  }
  const step = pacer.step({ ...state, ratio: state.ratio === null ? null : inForce }, metrics.dialer, now());
  let next = step.state;
  let ratio = inForce;
  if (step.apply !== null) {
    next = await applyRatio(loop, campaign.id, step, state);
    if (next.pending == null) ratio = step.apply;
  }
  await store.kv.set(PACING_STATE, campaign.id, next);
  await recordDecision(loop, campaign.id, {
    ...viewOf(spec, next, step, now()),
    ...facts,
    ratio,
    atCap: ratio >= spec.maxLinesPerAgent,
    ratioReadAt: new Date(now()).toISOString(),
  });
}

/** While an operator holds the automation: the ratio in force is shown and adopted, nothing written. */
async function adoptWhileHeld(
  loop: LoopState,
  campaignId: string,
  spec: PacingSpec,
  saved: LivePacingState,
  inForce: number,
  facts: { tenantWide: boolean; onOutsideChange: OutsideChangeRule; ratioReadAt: string },
  held: AutomationSetting,
): Promise<void> {
  const { store, now } = loop;
  const state = { ...saved, ratio: inForce, pending: null };
  await store.kv.set(PACING_STATE, campaignId, state);
  const previous = await store.kv.get<PacingDecision>(PACING_LATEST, campaignId);
  await recordDecision(loop, campaignId, {
    ...(previous ?? quietView(spec, state, now())),
    ...facts,
    ...figuresOf(state, now(), spec),
    ratio: inForce,
    atCap: inForce >= spec.maxLinesPerAgent,
    notPaced: null,
    automation: held,
  });
}

/** The loop's one rule for a ratio it did not set (docs/pacing.md "Changes made outside the loop"). */
async function outsideChange(
  loop: LoopState,
  campaignId: string,
  spec: PacingSpec,
  state: LivePacingState,
  inForce: number,
  at: string,
  rule: OutsideChangeRule,
): Promise<void> {
  const { store, now, logger } = loop;
  const lastSet = state.ratio as number;
  const change: OutsideChange = {
    inForce,
    lastSet,
    at,
    action: rule === "reassert" ? "re-asserted" : "handed-over",
  };
  const previous = await store.kv.get<PacingDecision>(PACING_LATEST, campaignId);
  const base = { ...(previous ?? quietView(spec, state, now())), ...figuresOf(state, now(), spec) };
  const facts = { tenantWide: tenantWide(loop), onOutsideChange: rule, ratioReadAt: at, outside: change };
  if (rule === "hand-over") {
    const setting = await handOver(loop, campaignId, state, change);
    await recordDecision(loop, campaignId, {
      ...base,
      ...facts,
      ratio: inForce,
      atCap: inForce >= spec.maxLinesPerAgent,
      lastSet,
      reason: setting.reason as string,
      at,
      automation: setting,
    });
    return;
  }
  const result = await applyAlgorithm(loop, scopeOf(loop, campaignId), campaignId, (algorithm) => ({
    ...algorithm,
    dialRatio: lastSet,
  }));
  const ratio = result.ok ? lastSet : inForce;
  const reason = result.ok
    ? outsideChangeText(change)
    : `changed outside the pacing loop: ${inForce.toFixed(2)} in force, the loop last set ${lastSet.toFixed(2)}; writing it back failed: ${result.message}`;
  logger.warn({ campaignId, inForce, lastSet, outcome: result.outcome }, `pacing: ${reason}`);
  await store.kv.set(PACING_STATE, campaignId, result.ok ? state : { ...state, pending: lastSet });
  await recordDecision(loop, campaignId, {
    ...base,
    ...facts,
    ratio,
    atCap: ratio >= spec.maxLinesPerAgent,
    lastSet,
    reason,
    at,
  });
}

/** The default rule: the loop stops its automation and adopts the ratio the outside set. */
async function handOver(
  loop: LoopState,
  campaignId: string,
  state: LivePacingState,
  change: OutsideChange,
): Promise<AutomationSetting> {
  const { store } = loop;
  const actor = `pacing:${campaignId}`;
  const setting: AutomationSetting = {
    state: "stopped",
    by: actor,
    at: change.at,
    reason: outsideChangeText(change),
  };
  await setAutomation(
    actingAs(store, actor),
    campaignId,
    setting,
    `pacing-hand-over-${campaignId}-${change.at}`,
  );
  await store.kv.set(PACING_STATE, campaignId, { ...state, ratio: change.inForce, pending: null });
  loop.logger.warn(
    { campaignId, inForce: change.inForce, lastSet: change.lastSet },
    `pacing: ${setting.reason}`,
  );
  return setting;
}

/** Applies the step's ratio; on failure the state keeps the old ratio (and tries again later). */
async function applyRatio(
  loop: LoopState,
  campaignId: string,
  step: LivePacingStep,
  before: LivePacingState,
) {
  const ratio = step.apply as number;
  const result = await applyAlgorithm(loop, scopeOf(loop, campaignId), campaignId, (algorithm) => ({
    ...algorithm,
    dialRatio: ratio,
  }));
  if (result.ok) {
    loop.logger.info(
      { campaignId, ratio, from: before.ratio, versionTag: result.versionTag, reason: step.reason },
      "pacing: dial ratio changed",
    );
    return { ...step.state, pending: null };
  }
  loop.logger.warn(
    { campaignId, ratio, outcome: result.outcome },
    `pacing: ratio not applied: ${result.message}`,
  );
  // Not confirmed: should it come into force later, it is still the loop's own change.
  return { ...step.state, ratio: before.ratio, changedAtMs: before.changedAtMs, pending: ratio };
}

export function limitsOf(spec: PacingSpec): PacingLimits {
  return {
    ...DEFAULT_LIMITS,
    target: spec.target,
    window: spec.window,
    maxLinesPerAgent: spec.maxLinesPerAgent,
    ...(spec.machines ? { amdFalsePositive: spec.machines.falsePositive } : {}),
  };
}

function optionsOf(spec: PacingSpec) {
  return { limits: limitsOf(spec), maxStep: spec.maxStep, minIntervalMs: spec.intervalSeconds * 1000 };
}

function viewOf(
  spec: PacingSpec,
  state: LivePacingState,
  step: LivePacingStep,
  at: number,
): Omit<PacingView, "history"> {
  return {
    mode: "auto",
    window: spec.window,
    target: spec.target,
    ratio: state.ratio,
    wish: step.proposed === null ? null : Math.round(step.proposed * 100) / 100,
    lastSet: state.ratio,
    outside: null,
    notPaced: null,
    cap: spec.maxLinesPerAgent,
    atCap: state.ratio !== null && state.ratio >= spec.maxLinesPerAgent,
    abandonTarget: null,
    abandonment: step.figures.abandonment,
    liveAnswers: step.figures.liveAnswers,
    budgetLeft: step.figures.budgetLeft,
    reason: step.reason,
    at: new Date(at).toISOString(),
  };
}

/** Two ratios are the same setting when they round to the same hundredth (the settings' precision). */
const differs = (a: number, b: number) => Math.abs(a - b) >= 0.005;

function figuresOf(state: LivePacingState, at: number, spec: PacingSpec) {
  const figures = windowFigures(state.budget, at, spec.machines?.falsePositive);
  return {
    abandonment: figures.abandonment,
    liveAnswers: figures.liveAnswers,
    budgetLeft: figures.budgetLeft,
    lastSet: state.ratio,
  };
}

/** A decision with no step behind it (held, refused): the window's figures and nothing decided. */
export function quietView(spec: PacingSpec, state: LivePacingState, at: number): PacingDecision {
  return {
    mode: "auto",
    window: spec.window,
    target: spec.target,
    ratio: null,
    wish: null,
    cap: spec.maxLinesPerAgent,
    atCap: false,
    abandonTarget: null,
    ...figuresOf(state, at, spec),
    reason: "automation stopped: the loop reads, it does not write",
    at: new Date(at).toISOString(),
  };
}
