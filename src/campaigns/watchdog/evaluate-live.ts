import { scrubSecrets } from "../../core/logging/index.ts";
import type { SkillLiveSnapshot } from "../../platform/ports/live.ts";
import type { WatchdogCore } from "./core.ts";
import {
  LIVE_RULE_DEFAULTS,
  type LiveRule,
  type LiveRulesConfig,
  liveBreach,
  liveStreak,
} from "./live-rules.ts";
import { type Evaluation, openIncident } from "./state.ts";

/**
 * The live rules of one watchdog: each live snapshot of the primary is judged (live-rules.ts),
 * and the `breaches`-th reading in a row that breaks a live rule (any of them) opens an incident
 * and fails over — within a few readings, not after the warehouse lag. The streak is reset
 * while an incident is open and after it fails over.
 */
export class LiveJudge {
  private readonly core: WatchdogCore;
  private readonly rules: LiveRulesConfig;
  private streak: { rule: LiveRule | null; count: number } = { rule: null, count: 0 };
  private lastObservedAt: string | undefined;

  constructor(core: WatchdogCore) {
    this.core = core;
    this.rules = core.parts.config.live ?? LIVE_RULE_DEFAULTS;
  }

  /** Judges one snapshot; undefined when it was seen already or the watchdog could not start. */
  async evaluate(live: SkillLiveSnapshot): Promise<Evaluation | undefined> {
    const { core, rules } = this;
    const { config, signal, events } = core.parts;
    // The same confirmation seen twice (a 304 re-confirms at a later time) counts once per time.
    if (live.observedAt === this.lastObservedAt) return undefined;
    this.lastObservedAt = live.observedAt;
    const at = core.now();
    try {
      await core.ready;
    } catch {
      return undefined;
    }
    const breach = liveBreach(live, rules);
    const incidentOpen = openIncident(core.current()) !== undefined;
    this.streak = incidentOpen ? { rule: null, count: 0 } : liveStreak(this.streak, breach);
    const streak = this.streak.count;
    let evaluation: Evaluation = {
      ...core.nothingDone(at, "live"),
      verdict: breach ? "breach" : "healthy",
      live: {
        rule: breach?.rule ?? null,
        reason: breach?.reason ?? null,
        streak,
        observedAt: live.observedAt,
        source: live.source,
      },
    };
    try {
      if (!incidentOpen && breach && streak >= rules.breaches) {
        const last = core.current().lastEvaluation?.primary;
        const trigger = {
          rule: breach.rule,
          reason: `${breach.reason}, observed ${live.observedAt}, ${streak} readings in a row broke a live rule`,
          successRate: last?.successRate ?? 0,
          callsInWindow: last?.callsInWindow ?? null,
          threshold: config.threshold,
          minSample: config.minSample,
          breaches: rules.breaches,
        };
        this.streak = { rule: null, count: 0 };
        evaluation = { ...evaluation, action: "failover" };
        await core.openAndFailOver(at, trigger, evaluation, {
          fields: { rule: breach.rule },
          message: "failover incident opened by a live rule",
        });
      }
      evaluation = { ...evaluation, incident: core.incidentRef() };
    } catch (error) {
      evaluation = {
        ...evaluation,
        error: signal.aborted ? "stopped" : scrubSecrets(core.fail(error).message),
      };
    }
    events.emit("evaluation", evaluation);
    return evaluation;
  }
}
