import { type KnownCampaign, listKnownCampaigns } from "../campaigns/known-campaigns.ts";
import type { PacingSpec } from "../campaigns/spec.ts";
import { clockNowMs } from "../core/clock/now.ts";
import { realDelayMs } from "../core/clock/schedule-clock.ts";
import type { Logger } from "../core/logging/index.ts";
import type { Store } from "../core/store/index.ts";
import { initialPacingState } from "../dialer/live-pacing/live-pacer.ts";
import { PACING_GUARD, PACING_STATE } from "../dialer/live-pacing/store-keys.ts";
import type { PacingHost } from "../sdk/pacing-host.ts";
import type { CampaignBoard } from "./campaign-board.ts";
import { stoppedCampaigns } from "./pacing-automation.ts";
import { guardDue } from "./pacing-budget-guard.ts";
import { type Due, type LoopState, recordDecision, sameSpec, tenantWide } from "./pacing-context.ts";
import { limitsOf, paceOne, quietView } from "./pacing-dial-ratio.ts";

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
 *
 * This file runs the rounds and decides which campaign is paced which way; the seed pacer is
 * pacing-dial-ratio.ts, the budget guard pacing-budget-guard.ts, and what they share (the loop's
 * state, recording a decision, one settings change) pacing-context.ts.
 */
export { PACING_GUARD, PACING_STATE };

export interface PacingLoop {
  /** One round now (tests drive the loop with it; the timer calls it too). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/** How often the loop looks for work; each campaign is read at its own `intervalSeconds`. */
const LOOP_MS = 1000;

export function startPacing(options: {
  store: Store;
  /** The client's part the pacer is given (sdk/pacing-host.ts: `pacingHostOf(client, store)`). */
  host: PacingHost;
  board: CampaignBoard;
  logger: Logger;
  now?: () => number;
  /** Start the timer (default); tests call tick() themselves. */
  timer?: boolean;
}): PacingLoop {
  const loop: LoopState = {
    store: options.store,
    host: options.host,
    board: options.board,
    logger: options.logger,
    now: options.now ?? clockNowMs,
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

  // A round that fails outside a campaign's own try (the store not answering while it lists the
  // campaigns) is tried again at the next beat; left unhandled, the rejection ended `cxo serve`.
  const beat = () =>
    void tick().catch((error: unknown) => {
      if (!loop.abort.signal.aborted)
        loop.logger.warn({ err: error }, "pacing: round failed; trying again next interval");
    });
  const timer = options.timer === false ? undefined : setInterval(beat, realDelayMs(LOOP_MS)); // LOOP_MS of the installed clock (CXO_CLOCK)
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
  const { store, host, board, logger } = loop;
  await redriveSettingsRows(loop);
  const campaigns = await listKnownCampaigns(store);
  const refusal = host.unsupported("dialer.livePacing");
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
  const report = await loop.host.redrivePendingSettings();
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
