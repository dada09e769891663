import { randomUUID } from "node:crypto";
import type { Clock } from "../../core/clock/clock.ts";
import { CxoError } from "../../core/cxo-error.ts";
import { type Logger, scrubSecrets } from "../../core/logging/index.ts";
import { actingAs } from "../../core/store/acting-as.ts";
import type { Store } from "../../core/store/index.ts";
import type { CampaignsPort } from "../../platform/ports/campaigns.ts";
import { campaignOperations } from "../operations.ts";
import type { WatchdogConfig } from "./config.ts";
import { WatchdogStepError } from "./errors.ts";
import type { WatchdogEvents } from "./events.ts";
import {
  type Evaluation,
  type Incident,
  loadState,
  openIncident,
  saveState,
  type WatchdogState,
  withIncident,
} from "./state.ts";
import { FAILBACK_STEPS, FAILOVER_STEPS, recordMilestone, runSteps, type StepOutcome } from "./steps.ts";

export type WatchdogPort = Pick<CampaignsPort, "get" | "setStatus" | "metrics">;

/** What every part of one watchdog shares: its settings, its ports, and its state. */
export interface WatchdogParts {
  config: WatchdogConfig;
  port: WatchdogPort;
  store: Pick<Store, "journal" | "kv">;
  clock: Clock;
  logger: Logger;
  /** Aborted when the watchdog stops. */
  signal: AbortSignal;
  events: WatchdogEvents;
}

/**
 * One watchdog's state and its incidents: loading the state at start-up (after re-driving what
 * an earlier run left pending), opening an incident and failing over, failing back, and
 * finishing an incident a crash left half done. The evaluations (evaluate-metrics.ts,
 * evaluate-live.ts) decide; this carries the decision out, journaled step by step.
 */
export class WatchdogCore {
  readonly parts: WatchdogParts;
  /** The state, once loaded; every evaluation replaces it. */
  state: WatchdogState | undefined;
  /** Resolves once start-up recovery (re-drive, unfinished incident steps) has run. */
  readonly ready: Promise<void>;

  constructor(parts: WatchdogParts) {
    this.parts = parts;
    const { store, port, config } = parts;
    this.ready = (async () => {
      // Operations an earlier run left pending (a crash between a PUT and its bookkeeping) are
      // re-driven with their stored idempotency keys before anything new is decided.
      await store.journal.redrivePending(campaignOperations(port));
      this.state = await loadState(store, config.primary, config.backup);
      try {
        await this.finishOpenIncident();
      } catch (error) {
        this.fail(error);
      }
    })();
    // Callers that never await `ready` (manual mode) must not get an unhandled rejection; the
    // failure still reaches every evaluation and the "error" listeners.
    this.ready.catch((error: unknown) => this.fail(error));
  }

  current(): WatchdogState {
    if (!this.state) throw new Error("watchdog state not loaded yet");
    return this.state;
  }

  /** Now, as an incident or evaluation timestamp. */
  now(): string {
    return new Date(this.parts.clock.epochMs()).toISOString();
  }

  /**
   * Logs a failure and tells the "error" listeners; returns it as an Error (an SDK error as it
   * is, anything else as a WatchdogStepError whose cause it is).
   */
  fail(error: unknown): Error {
    const wrapped =
      error instanceof CxoError
        ? error
        : new WatchdogStepError(
            `watchdog step failed: ${scrubSecrets(error instanceof Error ? error.message : String(error))}`,
            { cause: error },
          );
    this.parts.logger.warn({ err: wrapped }, "watchdog step failed");
    this.parts.events.emit("error", wrapped);
    return wrapped;
  }

  /**
   * An evaluation at `at` that has decided and done nothing yet, with the state's counts (passed
   * in when the state could not be read).
   */
  nothingDone(
    at: string,
    source: Evaluation["source"],
    { breaches, healthy }: { breaches: number; healthy: number } = this.current(),
  ): Evaluation {
    return {
      at,
      source,
      primary: null,
      verdict: null,
      breaches,
      healthy,
      action: "none",
      incident: null,
      backup: null,
      error: null,
    };
  }

  /** The open incident as an evaluation names it. */
  incidentRef(): Evaluation["incident"] {
    const open = this.state ? openIncident(this.state) : undefined;
    return open ? { id: open.id, phase: open.phase } : null;
  }

  /** Opens an incident with `trigger` (the evaluation that completed the streak) and fails over. */
  async openAndFailOver(
    at: string,
    trigger: Incident["trigger"],
    evaluation: Evaluation,
    log: { fields: Record<string, unknown>; message: string },
  ): Promise<void> {
    const { config, store, logger } = this.parts;
    const opened: Incident = {
      id: `inc_${randomUUID().replaceAll("-", "")}`,
      primary: config.primary,
      backup: config.backup,
      openedAt: at,
      trigger,
      phase: "failing-over",
      failedOverAt: null,
      closedAt: null,
      closedBy: null,
    };
    this.state = withIncident({ ...this.current(), breaches: 0 }, opened);
    await recordMilestone(store, "opened", { incident: opened, state: this.state, details: { evaluation } });
    logger.info({ incidentId: opened.id, ...log.fields }, log.message);
    await this.completeFailover(opened);
  }

  /** Finishes a failover/fail-back that an earlier run (or evaluation) left half done. */
  async finishOpenIncident(): Promise<"failover" | "fail-back" | null> {
    const incident = openIncident(this.current());
    if (!incident) return null;
    if (incident.phase === "failing-over") {
      await this.completeFailover(incident);
      return "failover";
    }
    if (incident.phase === "failing-back") {
      await this.completeFailBack(incident);
      return "fail-back";
    }
    return null;
  }

  /** Marks the open, failed-over incident as failing back (saved first), then fails back. */
  async failBack(incident: Incident, actor?: string): Promise<Incident> {
    const failingBack: Incident = { ...incident, phase: "failing-back" };
    this.state = withIncident(this.current(), failingBack);
    await saveState(this.parts.store, this.current());
    return this.completeFailBack(failingBack, actor);
  }

  private async completeFailover(incident: Incident): Promise<void> {
    const { port, store, logger, events } = this.parts;
    const steps = await runSteps(port, store, incident, FAILOVER_STEPS);
    const done: Incident = { ...incident, phase: "failed-over", failedOverAt: this.now() };
    this.state = withIncident(this.current(), done);
    await recordMilestone(store, "failed-over", {
      incident: done,
      state: this.state,
      details: { steps: stepSummary(steps) },
    });
    logger.info({ incidentId: done.id, backup: done.backup }, "failed over to the backup campaign");
    events.emit("failover", { incident: done, kind: "failover", steps });
  }

  private async completeFailBack(incident: Incident, actor?: string): Promise<Incident> {
    const { port, store, logger, events } = this.parts;
    const acting = actor === undefined ? store : actingAs(store, actor);
    const steps = await runSteps(port, acting, incident, FAILBACK_STEPS);
    const closed: Incident = { ...incident, phase: "closed", closedAt: this.now(), closedBy: "fail-back" };
    this.state = withIncident({ ...this.current(), breaches: 0, healthy: 0 }, closed);
    await recordMilestone(acting, "closed", {
      incident: closed,
      state: this.state,
      details: { steps: stepSummary(steps), ...(actor === undefined ? {} : { requestedBy: actor }) },
    });
    logger.info({ incidentId: closed.id }, "failed back to the primary campaign");
    events.emit("fail-back", { incident: closed, kind: "fail-back", steps });
    return closed;
  }
}

function stepSummary(steps: StepOutcome[]) {
  return steps.map((step) => ({
    step: step.step,
    campaignId: step.campaignId,
    ...(step.result === "skipped"
      ? { skipped: true }
      : { changed: step.result.changed, replayed: step.result.replayed, status: step.result.status }),
  }));
}
