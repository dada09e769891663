import { scrubSecrets } from "../../core/logging/index.ts";
import type { CampaignLiveMetrics } from "../../platform/types.ts";
import type { WatchdogCore } from "./core.ts";
import { type Counters, decide } from "./decision.ts";
import {
  type Evaluation,
  type Incident,
  type MetricsSnapshot,
  openIncident,
  saveState,
  withIncident,
} from "./state.ts";
import { recordMilestone } from "./steps.ts";

/**
 * One success-rate evaluation of the primary (polled, or a sample the webhook receiver pushed):
 * the pure decision (decision.ts) on the sample, then what it calls for — open an incident and
 * fail over, fail back, close an incident whose primary someone resumed, or just count — with
 * the backup's health while an incident is open. Never throws: a failure is the evaluation's
 * `error`.
 */
export async function evaluateMetrics(
  core: WatchdogCore,
  source: Evaluation["source"],
  pushed?: CampaignLiveMetrics,
): Promise<Evaluation> {
  const { config, port, store, signal, events } = core.parts;
  const at = core.now();
  try {
    await core.ready;
  } catch (error) {
    // The store could not be read (or re-driven): nothing can be decided safely.
    const message = scrubSecrets(error instanceof Error ? error.message : String(error));
    return {
      ...core.nothingDone(at, source, { breaches: 0, healthy: 0 }),
      error: `watchdog start-up failed: ${message}`,
    };
  }
  const base = core.nothingDone(at, source);
  let evaluation = base;
  try {
    const finished = await core.finishOpenIncident();
    const metrics = pushed ?? (await port.metrics(config.primary, config.windowMinutes, signal));
    const sample = snapshot(metrics, at);
    let incident = openIncident(core.current());
    const counters: Counters = {
      breaches: core.current().breaches,
      healthy: core.current().healthy,
      incidentOpen: incident !== undefined,
    };
    const decision = decide(
      counters,
      { successRate: metrics.successRate, callsInWindow: metrics.callsInWindow },
      config,
    );
    let action: Evaluation["action"] = finished ?? decision.action;
    let backup: MetricsSnapshot | null = null;
    if (incident) {
      backup = await port
        .metrics(config.backup, config.windowMinutes, signal)
        .then((m) => snapshot(m, at))
        .catch(() => null);
    }
    core.state = {
      ...core.current(),
      breaches: decision.counters.breaches,
      healthy: decision.counters.healthy,
    };
    if (incident?.phase === "failed-over" && decision.action === "none") {
      // Someone resumed the primary by hand: the incident is over, watch it afresh.
      const primary = await port.get(config.primary, signal);
      if (primary.status === "active") {
        const closed: Incident = { ...incident, phase: "closed", closedAt: at, closedBy: "primary-resumed" };
        core.state = withIncident({ ...core.current(), breaches: 0, healthy: 0 }, closed);
        await recordMilestone(store, "closed", { incident: closed, state: core.state });
        incident = undefined;
        action = "closed";
      }
    }
    evaluation = {
      ...base,
      primary: sample,
      verdict: decision.verdict,
      breaches: core.current().breaches,
      healthy: core.current().healthy,
      action,
      backup,
    };
    core.state = {
      ...core.current(),
      evaluations: core.current().evaluations + 1,
      lastEvaluation: evaluation,
    };
    if (decision.action === "failover") {
      const trigger = {
        successRate: metrics.successRate,
        callsInWindow: metrics.callsInWindow ?? null,
        threshold: config.threshold,
        minSample: config.minSample,
        breaches: config.breaches,
      };
      await core.openAndFailOver(at, trigger, evaluation, {
        fields: { successRate: metrics.successRate },
        message: "failover incident opened",
      });
    } else if (decision.action === "fail-back" && incident) {
      await core.failBack(incident);
    } else {
      await saveState(store, core.current());
    }
    evaluation = { ...evaluation, incident: core.incidentRef() };
  } catch (error) {
    // A stop aborts the metrics request in flight: that is not a failure worth reporting.
    const message = signal.aborted ? "stopped" : scrubSecrets(core.fail(error).message);
    evaluation = { ...evaluation, incident: core.incidentRef(), error: message };
  }
  events.emit("evaluation", evaluation);
  return evaluation;
}

function snapshot(metrics: CampaignLiveMetrics, at: string): MetricsSnapshot {
  return {
    campaignId: metrics.campaignId,
    successRate: metrics.successRate,
    callsInWindow: metrics.callsInWindow ?? null,
    activeCalls: metrics.activeCalls,
    at,
  };
}
