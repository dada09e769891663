import { type KnownCampaign, listKnownCampaigns } from "../campaigns/known-campaigns.ts";
import type { PacingSpec } from "../campaigns/spec.ts";
import type { InternalClient } from "../client.ts";
import type { Logger } from "../core/logging/index.ts";
import type { Store } from "../core/store/index.ts";
import {
  type BudgetGuardState,
  type GuardSettings,
  guardStep,
  initialGuardState,
  isGuardState,
} from "../dialer/live-pacing/budget-guard.ts";
import { PACING_LATEST, type PacingDecision } from "../dialer/live-pacing/latest.ts";
import {
  initialPacingState,
  LivePacer,
  type LivePacingState,
  type LivePacingStep,
} from "../dialer/live-pacing/live-pacer.ts";
import { DEFAULT_LIMITS, type PacingLimits } from "../dialer/pacing/types.ts";
import { applySettings } from "../dialer/settings/apply.ts";
import { settingsOperations } from "../dialer/settings/operations.ts";
import type { DialerSettings } from "../platform/ports/dialer.ts";
import type { SkillLiveSnapshot } from "../platform/ports/live.ts";
import type { CampaignBoard, PacingView } from "./campaign-board.ts";
import { stoppedCampaigns } from "./pacing-automation.ts";

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
export const PACING_STATE = "pacing.state";
export const PACING_GUARD = "pacing.guard";

export interface PacingLoop {
  /** One round now (tests drive the loop with it; the timer calls it too). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/** How often the loop looks for work; each campaign is read at its own `intervalSeconds`. */
const LOOP_MS = 1000;

export function startPacing(options: {
  store: Store;
  client: InternalClient;
  board: CampaignBoard;
  logger: Logger;
  now?: () => number;
  /** Start the timer (default); tests call tick() themselves. */
  timer?: boolean;
}): PacingLoop {
  const { store, client, board, logger } = options;
  const now = options.now ?? Date.now;
  const pacers = new Map<string, { pacer: LivePacer; spec: PacingSpec; dueAt: number }>();
  const guards = new Map<string, { spec: PacingSpec; dueAt: number }>();
  const abort = new AbortController();
  let running: Promise<void> | null = null;
  let warnedNoCounters = new Set<string>();
  let toldGuard = false;

  async function paceOne(campaign: KnownCampaign, spec: PacingSpec): Promise<void> {
    let entry = pacers.get(campaign.id);
    // Specs come fresh from the store every round: a new controller only for a changed spec.
    if (!entry || !sameSpec(entry.spec, spec)) {
      entry = { pacer: new LivePacer(optionsOf(spec)), spec, dueAt: 0 };
      pacers.set(campaign.id, entry);
    }
    if (now() < entry.dueAt) return;
    entry.dueAt = now() + spec.intervalSeconds * 1000;
    const metrics = await client.port.campaigns.metrics(campaign.id, 5, abort.signal);
    if (!metrics.dialer) {
      if (!warnedNoCounters.has(campaign.id))
        logger.warn(
          { campaignId: campaign.id },
          "pacing: this platform reports no dialer counters for the campaign; not pacing it",
        );
      warnedNoCounters.add(campaign.id);
      return;
    }
    const limits = limitsOf(spec);
    const saved = await store.kv.get<LivePacingState>(PACING_STATE, campaign.id);
    const state = saved && saved.budget.window === spec.window ? saved : initialPacingState(limits);
    const step = entry.pacer.step(state, metrics.dialer, now());
    let next = step.state;
    if (step.apply !== null) next = await applyRatio(campaign.id, step, state);
    await store.kv.set(PACING_STATE, campaign.id, next);
    await recordDecision(campaign.id, viewOf(spec, next, step, now()));
  }

  /**
   * One change of the dialer algorithm through the settings lifecycle (snapshot, version check,
   * the whole settings as read with only `change` applied, verify; journaled and audited), for
   * the seed pacer and the production guard alike.
   */
  async function applyAlgorithm(
    scope: { campaignId: string } | undefined,
    change: (algorithm: DialerSettings["algorithm"]) => DialerSettings["algorithm"],
  ) {
    const current = await client.port.dialer.getSettings(scope ?? {}, abort.signal);
    const requested: DialerSettings = { ...current.settings, algorithm: change(current.settings.algorithm) };
    return applySettings(
      {
        port: client.port.dialer,
        scope,
        store,
        wait: { minDelayMs: 100, maxDelayMs: 1_000, maxWaitMs: 60_000 },
        signal: abort.signal,
      },
      requested,
    );
  }

  /** Applies the step's ratio; on failure the state keeps the old ratio (and tries again later). */
  async function applyRatio(campaignId: string, step: LivePacingStep, before: LivePacingState) {
    const ratio = step.apply as number;
    const scope = client.port.support.name === "cxone" ? { campaignId } : undefined;
    const result = await applyAlgorithm(scope, (algorithm) => ({ ...algorithm, dialRatio: ratio }));
    if (result.ok) {
      logger.info(
        { campaignId, ratio, from: before.ratio, versionTag: result.versionTag, reason: step.reason },
        "pacing: dial ratio changed",
      );
      return step.state;
    }
    logger.warn(
      { campaignId, ratio, outcome: result.outcome },
      `pacing: ratio not applied: ${result.message}`,
    );
    return { ...step.state, ratio: before.ratio, changedAtMs: before.changedAtMs };
  }

  /** The guarded campaigns due now: one live reading for all of them, then each in turn. */
  async function guardDue(due: Array<{ campaign: KnownCampaign; spec: PacingSpec }>): Promise<void> {
    if (due.length === 0) return;
    for (const { campaign, spec } of due)
      guards.set(campaign.id, { spec, dueAt: now() + spec.intervalSeconds * 1000 });
    const reading = await client.port.live.read(
      due.map((d) => d.campaign.id),
      abort.signal,
    );
    for (const { campaign, spec } of due) {
      try {
        await guardOne(
          campaign,
          spec,
          reading.snapshots.find((s) => s.campaignId === campaign.id),
        );
      } catch (error) {
        if (abort.signal.aborted) return;
        logger.warn(
          { campaignId: campaign.id, err: error },
          "pacing guard: round failed; trying again next interval",
        );
      }
    }
  }

  async function guardOne(
    campaign: KnownCampaign,
    spec: PacingSpec,
    snapshot: SkillLiveSnapshot | undefined,
  ): Promise<void> {
    const today = snapshot?.today;
    if (!today || today.connects === undefined || today.abandons === undefined) {
      if (!warnedNoCounters.has(campaign.id))
        logger.warn(
          { campaignId: campaign.id },
          "pacing guard: the platform gives no live answers and abandons of today for this skill yet; not guarding it",
        );
      warnedNoCounters.add(campaign.id);
      return;
    }
    const saved = await store.kv.get<BudgetGuardState>(PACING_GUARD, campaign.id);
    const state =
      isGuardState(saved) && saved.budget.window === spec.window && saved.budget.target === spec.target
        ? saved
        : initialGuardState(spec.window, spec.target);
    const scope = { campaignId: campaign.id };
    // The skill's own settings are read once, the first time: the ceiling the guard raises back to.
    let found: GuardSettings | null = state.baseline;
    if (!found) {
      const current = await client.port.dialer.getSettings(scope, abort.signal);
      if (current.settings.algorithm.type === "preview") {
        if (!warnedNoCounters.has(campaign.id))
          logger.warn(
            { campaignId: campaign.id },
            "pacing guard: a preview skill abandons nothing; not guarding it",
          );
        warnedNoCounters.add(campaign.id);
        return;
      }
      found = settingsOf(current.settings, spec);
    }
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
    if (step.apply) next = await applyGuard(campaign.id, step.apply, step.reason, next, state);
    await store.kv.set(PACING_GUARD, campaign.id, next);
    const shown = next.applied ?? next.baseline;
    await recordDecision(campaign.id, {
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

  /** Writes the guard's settings; on failure the state keeps the previous decision (tried again later). */
  async function applyGuard(
    campaignId: string,
    wanted: GuardSettings,
    reason: string,
    decided: BudgetGuardState,
    before: BudgetGuardState,
  ): Promise<BudgetGuardState> {
    const result = await applyAlgorithm({ campaignId }, (algorithm) => ({
      ...algorithm,
      type: wanted.maximumRatio > 1 ? "predictive" : "progressive",
      dialRatio: wanted.maximumRatio,
      abandonmentTarget: wanted.abandonTarget,
    }));
    if (result.ok) {
      logger.info(
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
    logger.warn(
      { campaignId, ...wanted, outcome: result.outcome },
      `pacing guard: settings not applied: ${result.message}`,
    );
    return { ...decided, applied: before.applied, changedAtMs: before.changedAtMs };
  }

  /**
   * Settings steps a killed leader left `pending` (a snapshot, a PUT) are finished before the
   * first round: `pending` means "will be finished", and the next change must not race them.
   */
  let redriven = false;
  async function redriveSettingsRows(): Promise<void> {
    if (redriven) return;
    const report = await store.journal.redrivePending(settingsOperations(client.port.dialer) as never[]);
    redriven = true;
    if (report.redriven > 0 || report.leftPending.length > 0)
      logger.info(
        {
          redriven: report.redriven,
          done: report.done,
          failed: report.failed,
          leftPending: report.leftPending,
        },
        "pacing: settings steps left pending by an earlier run were finished",
      );
  }

  /** The board's pacing line, and the same decision in the store for every other reader. */
  async function recordDecision(campaignId: string, decision: PacingDecision): Promise<void> {
    board.recordPacing(campaignId, decision);
    await store.kv.set(PACING_LATEST, campaignId, decision);
  }

  async function round(): Promise<void> {
    await redriveSettingsRows();
    const campaigns = await listKnownCampaigns(store);
    const refusal = client.port.support.unsupported("dialer.livePacing");
    const due: Array<{ campaign: KnownCampaign; spec: PacingSpec }> = [];
    // An operator stopped the automation for these (pacing-automation.ts): leave their settings be.
    const stopped = await stoppedCampaigns(store);
    for (const campaign of campaigns) {
      const spec = campaign.pacing;
      if (spec?.mode !== "auto") continue;
      const hold = stopped.get(campaign.id);
      if (hold) {
        board.recordPacingAutomation(campaign.id, hold);
        continue;
      }
      if (refusal) {
        if (!toldGuard) logger.info({ reason: refusal.message }, "pacing: running the budget guard");
        toldGuard = true;
        const entry = guards.get(campaign.id);
        if (!entry || !sameSpec(entry.spec, spec) || now() >= entry.dueAt) due.push({ campaign, spec });
        continue;
      }
      try {
        await paceOne(campaign, spec);
      } catch (error) {
        if (abort.signal.aborted) return;
        logger.warn(
          { campaignId: campaign.id, err: error },
          "pacing: round failed; trying again next interval",
        );
      }
    }
    try {
      await guardDue(due);
    } catch (error) {
      if (abort.signal.aborted) return;
      logger.warn({ err: error }, "pacing guard: live reading failed; trying again next interval");
    }
  }

  const tick = async () => {
    // One round at a time: a slow settings operation delays the next round, never doubles it.
    if (running) return running;
    running = round().finally(() => {
      running = null;
    });
    return running;
  };

  const timer = options.timer === false ? undefined : setInterval(() => void tick(), LOOP_MS);
  timer?.unref();
  return {
    tick,
    async stop() {
      if (timer) clearInterval(timer);
      abort.abort();
      await running?.catch(() => {});
      warnedNoCounters = new Set();
    },
  };
}

function limitsOf(spec: PacingSpec): PacingLimits {
  return {
    ...DEFAULT_LIMITS,
    target: spec.target,
    window: spec.window,
    maxLinesPerAgent: spec.maxLinesPerAgent,
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
