import { findKnownCampaign, type KnownCampaign, listKnownCampaigns } from "../campaigns/known-campaigns.ts";
import type { PacingSpec } from "../campaigns/spec.ts";
import type { InternalClient } from "../client.ts";
import { realDelayMs } from "../core/clock/schedule-clock.ts";
import type { Logger } from "../core/logging/index.ts";
import { actingAs, type Store } from "../core/store/index.ts";
import { type LedgerView, ledgerView } from "../dialer/abandonment/board-figure.ts";
import {
  type BudgetGuardState,
  type GuardSettings,
  guardStep,
  initialGuardState,
  isGuardState,
} from "../dialer/live-pacing/budget-guard.ts";
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
import { PACING_GUARD, PACING_STATE } from "../dialer/live-pacing/store-keys.ts";
import { type WindowBudget, windowFigures } from "../dialer/live-pacing/window-budget.ts";
import { missingEstimateNotice } from "../dialer/pacing/amd-estimate.ts";
import { DEFAULT_LIMITS, type PacingLimits } from "../dialer/pacing/types.ts";
import { applySettings } from "../dialer/settings/apply.ts";
import { settingsOperations } from "../dialer/settings/operations.ts";
import type { DialerSettings } from "../platform/ports/dialer.ts";
import type { SkillLiveSnapshot } from "../platform/ports/live.ts";
import type { CampaignBoard, PacingView } from "./campaign-board.ts";
import { type AutomationSetting, setAutomation, stoppedCampaigns } from "./pacing-automation.ts";

/**
 * Live pacing in `cxo serve` (the leader only): every campaign whose spec says
 * `pacing: { mode: auto }` has its dial ratio set by a pacing controller from its live counters
 * (src/dialer/live-pacing), applied through the dialer-settings lifecycle (journaled and
 * audited like `cxo dialer apply`). The window's budget lives in the store (key-value namespace
 * `pacing.state`), so a restart or a failover to another instance resumes it.
 *
 * Where the platform refuses live dial-ratio control (`dialer.livePacing`: NICE's production
 * platform, whose Personal Connection paces the calls itself), the same spec runs the BUDGET
 * GUARD instead (src/dialer/live-pacing/budget-guard.ts): the skill's counts of today from the
 * live port feed the window's budget (namespace `pacing.guard`), and when it runs short the
 * skill's abandon target (or its maximum ratio) is lowered through the same lifecycle, and
 * raised back, bounded, when the budget recovers.
 */
export { PACING_GUARD, PACING_STATE };

export interface PacingLoop {
  /** One round now (tests drive the loop with it; the timer calls it too). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/** How often the loop looks for work; each campaign is read at its own `intervalSeconds`. */
const LOOP_MS = 1000;

type Due = { campaign: KnownCampaign; spec: PacingSpec };

/**
 * What the loop's phases share: its collaborators, and what it remembers from round to round
 * (controllers and due times by campaign, warnings already given). One object handed to each
 * phase, so the phases are plain functions that can be read one at a time.
 */
interface LoopState {
  store: Store;
  client: InternalClient;
  board: CampaignBoard;
  logger: Logger;
  now: () => number;
  abort: AbortController;
  /** The seed pacer's controller per campaign, kept while its spec is unchanged. */
  pacers: Map<string, { pacer: LivePacer; spec: PacingSpec; dueAt: number }>;
  /** The production guard's next reading per campaign. */
  guards: Map<string, { spec: PacingSpec; dueAt: number }>;
  /** Campaigns already warned about (no counters, preview skill): one warning each, not one a round. */
  warned: Set<string>;
  toldGuard: boolean;
  /** Settings rows a killed leader left pending have been finished (once, before the first round). */
  redriven: boolean;
  /** The note last recorded for a campaign refused on a tenant-wide dialer. */
  refusedNoted: Map<string, string>;
}

export function startPacing(options: {
  store: Store;
  client: InternalClient;
  board: CampaignBoard;
  logger: Logger;
  now?: () => number;
  /** Start the timer (default); tests call tick() themselves. */
  timer?: boolean;
}): PacingLoop {
  const loop: LoopState = {
    store: options.store,
    client: options.client,
    board: options.board,
    logger: options.logger,
    now: options.now ?? Date.now,
    abort: new AbortController(),
    pacers: new Map(),
    guards: new Map(),
    warned: new Set(),
    toldGuard: false,
    redriven: false,
    refusedNoted: new Map(),
  };
  let running: Promise<void> | null = null;
  const tick = async () => {
    // One round at a time: a slow settings operation delays the next round, never doubles it.
    if (running) return running;
    running = round(loop).finally(() => {
      running = null;
    });
    return running;
  };

  const timer = options.timer === false ? undefined : setInterval(() => void tick(), realDelayMs(LOOP_MS)); // LOOP_MS of the installed clock (CXO_CLOCK)
  timer?.unref();
  return {
    tick,
    async stop() {
      if (timer) clearInterval(timer);
      loop.abort.abort();
      await running?.catch(() => {});
      loop.warned = new Set();
    },
  };
}

/** One round: every paced campaign in turn (seed pacer), then the guarded ones due (production). */
async function round(loop: LoopState): Promise<void> {
  const { store, client, board, logger } = loop;
  await redriveSettingsRows(loop);
  const campaigns = await listKnownCampaigns(store);
  const refusal = client.port.support.unsupported("dialer.livePacing");
  const due: Due[] = [];
  // An operator stopped the automation for these (pacing-automation.ts): leave their settings be.
  const stopped = await stoppedCampaigns(store);
  const paced = campaigns
    .filter((c) => c.pacing?.mode === "auto")
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  const owner = !refusal && tenantWide(loop) ? paced[0] : undefined;
  for (const campaign of paced) {
    const spec = campaign.pacing as PacingSpec;
    const hold = stopped.get(campaign.id);
    if (owner && campaign.id !== owner.id) {
      await refuseSecond(loop, campaign, spec, owner);
      continue;
    }
    if (hold) board.recordPacingAutomation(campaign.id, hold);
    if (hold && refusal) continue;
    if (refusal) {
      if (!loop.toldGuard) logger.info({ reason: refusal.message }, "pacing: running the budget guard");
      loop.toldGuard = true;
      const entry = loop.guards.get(campaign.id);
      if (!entry || !sameSpec(entry.spec, spec) || loop.now() >= entry.dueAt) due.push({ campaign, spec });
      continue;
    }
    try {
      await paceOne(loop, campaign, spec, hold);
    } catch (error) {
      if (loop.abort.signal.aborted) return;
      logger.warn(
        { campaignId: campaign.id, err: error },
        "pacing: round failed; trying again next interval",
      );
    }
  }
  try {
    await guardDue(loop, due);
  } catch (error) {
    if (loop.abort.signal.aborted) return;
    logger.warn({ err: error }, "pacing guard: live reading failed; trying again next interval");
  }
}

/**
 * Settings steps a killed leader left `pending` (a snapshot, a PUT) are finished before the
 * first round: `pending` means "will be finished", and the next change must not race them.
 */
async function redriveSettingsRows(loop: LoopState): Promise<void> {
  if (loop.redriven) return;
  const report = await loop.store.journal.redrivePending(
    settingsOperations(loop.client.port.dialer) as never[],
  );
  loop.redriven = true;
  if (report.redriven > 0 || report.leftPending.length > 0)
    loop.logger.info(
      {
        redriven: report.redriven,
        done: report.done,
        failed: report.failed,
        leftPending: report.leftPending,
      },
      "pacing: settings steps left pending by an earlier run were finished",
    );
}

/** The seed API's dialer settings are one object for the whole tenant (docs/pacing.md). */
const tenantWide = (loop: LoopState) => loop.client.port.support.name !== "cxone";

/** Production settings are per skill; the seed API's are the tenant's (no scope). */
const scopeOf = (loop: LoopState, campaignId: string) =>
  loop.client.port.support.name === "cxone" ? { campaignId } : undefined;

/** Warns once per campaign about why it is left alone, not once a round. */
function warnOnce(loop: LoopState, campaignId: string, message: string): void {
  if (!loop.warned.has(campaignId)) loop.logger.warn({ campaignId }, message);
  loop.warned.add(campaignId);
}

/**
 * On a tenant-wide dialer two paced campaigns would fight over one ratio: the first paced
 * campaign (oldest, then lowest id) owns it; the others are refused, with a note on their card.
 */
async function refuseSecond(
  loop: LoopState,
  campaign: KnownCampaign,
  spec: PacingSpec,
  owner: KnownCampaign,
): Promise<void> {
  const note = `not paced: the seed API has one dial ratio for the whole tenant and it is paced for ${owner.name ?? owner.id} (${owner.id}); pace one campaign at a time (set pacing.mode: off on one of them)`;
  if (loop.refusedNoted.get(campaign.id) === note) return;
  loop.refusedNoted.set(campaign.id, note);
  loop.logger.warn({ campaignId: campaign.id, pacedCampaign: owner.id }, `pacing: ${note}`);
  const state = initialPacingState(limitsOf(spec));
  await recordDecision(loop, campaign.id, {
    ...quietView(spec, state, loop.now()),
    tenantWide: true,
    notPaced: note,
    reason: note,
  });
}

/** The board's pacing line, and the same decision in the store for every other reader. */
async function recordDecision(
  loop: LoopState,
  campaignId: string,
  decision: PacingDecision & { automation?: AutomationSetting | null },
): Promise<void> {
  const { automation, ...withoutLedger } = decision;
  const stored = { ...withoutLedger, ledger: await ledgerOf(loop, campaignId, decision) };
  loop.board.recordPacing(campaignId, { ...decision, ledger: stored.ledger });
  await loop.store.kv.set(PACING_LATEST, campaignId, stored);
}

/** The ledger's figure for the board: the regime the campaign is paced under, from the window kept in the store. */
async function ledgerOf(
  loop: LoopState,
  campaignId: string,
  decision: PacingDecision,
): Promise<LedgerView | null> {
  const namespace = decision.mode === "guard" ? PACING_GUARD : PACING_STATE;
  const saved = await loop.store.kv.get<{ budget?: WindowBudget }>(namespace, campaignId);
  const known = await findKnownCampaign(loop.store, campaignId);
  return ledgerView(saved?.budget, decision.window, known?.pacing?.machines?.falsePositive, loop.now());
}

/**
 * One change of the dialer algorithm through the settings lifecycle (snapshot, version check,
 * the whole settings as read with only `change` applied, verify; journaled and audited), for
 * the seed pacer and the production guard alike.
 */
async function applyAlgorithm(
  loop: LoopState,
  scope: { campaignId: string } | undefined,
  campaignId: string,
  change: (algorithm: DialerSettings["algorithm"]) => DialerSettings["algorithm"],
) {
  const { client, abort } = loop;
  const current = await client.port.dialer.getSettings(scope ?? {}, abort.signal);
  const requested: DialerSettings = { ...current.settings, algorithm: change(current.settings.algorithm) };
  return applySettings(
    {
      port: client.port.dialer,
      scope,
      // Audited with the automation as the actor, not the API client id.
      store: actingAs(loop.store, `pacing:${campaignId}`),
      wait: { minDelayMs: 100, maxDelayMs: 1_000, maxWaitMs: 60_000 },
      signal: abort.signal,
    },
    requested,
  );
}

// ---- The seed pacer: the loop sets the dial ratio itself ----

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
async function paceOne(
  loop: LoopState,
  campaign: KnownCampaign,
  spec: PacingSpec,
  held?: AutomationSetting,
): Promise<void> {
  const { store, now } = loop;
  const pacer = dueController(loop, campaign, spec);
  if (!pacer) return;
  const metrics = await loop.client.port.campaigns.metrics(campaign.id, 5, loop.abort.signal);
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

// ---- The production budget guard: the platform paces, the loop bounds its settings ----

/** The guarded campaigns due now: one live reading for all of them, then each in turn. */
async function guardDue(loop: LoopState, due: Due[]): Promise<void> {
  if (due.length === 0) return;
  for (const { campaign, spec } of due)
    loop.guards.set(campaign.id, { spec, dueAt: loop.now() + spec.intervalSeconds * 1000 });
  const reading = await loop.client.port.live.read(
    due.map((d) => d.campaign.id),
    loop.abort.signal,
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
  const current = await loop.client.port.dialer.getSettings({ campaignId }, loop.abort.signal);
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

function limitsOf(spec: PacingSpec): PacingLimits {
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

/** Specs come fresh from the store every round: compared by value. */
const sameSpec = (a: PacingSpec, b: PacingSpec) => JSON.stringify(a) === JSON.stringify(b);

/** The skill's settings as the guard sees them; no abandon target set: the campaign's. */
function settingsOf(settings: DialerSettings, spec: PacingSpec): GuardSettings {
  const a = settings.algorithm;
  return {
    abandonTarget: a.abandonmentTarget > 0 ? a.abandonmentTarget : spec.target,
    maximumRatio: a.type === "progressive" ? 1 : a.dialRatio,
  };
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
function quietView(spec: PacingSpec, state: LivePacingState, at: number): PacingDecision {
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
