import { randomUUID } from "node:crypto";
import { z } from "zod";
import { type Clock, systemClock } from "../../core/http/clock.ts";
import { type Logger, scrubSecrets, silentLogger } from "../../core/logging/index.ts";
import { actingAs } from "../../core/store/acting-as.ts";
import type { Store } from "../../core/store/index.ts";
import type { CampaignsPort } from "../../platform/ports/campaigns.ts";
import type { LivePort, SkillLiveSnapshot } from "../../platform/ports/live.ts";
import type { CampaignLiveMetrics } from "../../platform/types.ts";
import { campaignOperations } from "../operations.ts";
import { type Counters, decide } from "./decision.ts";
import { LIVE_RULE_DEFAULTS, type LiveRule, liveBreach, liveRulesSchema, liveStreak } from "./live-rules.ts";
import {
  type Evaluation,
  freshState,
  type Incident,
  loadState,
  type MetricsSnapshot,
  openIncident,
  saveState,
  type WatchdogState,
  withIncident,
} from "./state.ts";
import { FAILBACK_STEPS, FAILOVER_STEPS, recordMilestone, runSteps, type StepOutcome } from "./steps.ts";

/**
 * The failover watchdog: a reusable worker (the CLI's `cxo campaigns watch` and the service's
 * background job both run it). Every interval it samples the primary's metrics (and takes
 * samples pushed by the webhook receiver through `observe`), feeds them to the pure decision
 * (decision.ts), and on the K-th consecutive trusted breach opens an incident and fails over:
 * pause the primary, activate the backup — each once per incident, through the journal.
 *
 * Evaluations run one at a time (a queue), so a pushed sample and a poll never interleave.
 * It never holds a token: every call goes through the port, whose HTTP core refreshes tokens,
 * so it can run for weeks. It keeps watching after a failover (reporting the backup's health),
 * closes the incident when someone resumes the primary, and fails back only when asked to.
 */

export const watchdogConfigSchema = z
  .strictObject({
    primary: z.string().min(1, "is required"),
    backup: z.string().min(1, "is required"),
    threshold: z
      .number()
      .gt(0, "must be greater than 0 (a success-rate fraction)")
      .lt(1, "must be less than 1 (a success-rate fraction)"),
    windowMinutes: z
      .number()
      .int("must be a whole number of minutes")
      .min(1, "must be at least 1")
      .max(1440, "must be at most 1440"),
    intervalSeconds: z.number().min(0.01, "must be at least 0.01 s").max(86_400, "must be at most 86400 s"),
    minSample: z.number().int("must be a whole number of calls").min(0, "must be 0 or more"),
    breaches: z
      .number()
      .int("must be a whole number")
      .min(1, "must be at least 1")
      .max(100, "must be at most 100"),
    failBack: z.boolean(),
    /** Live rules (live-rules.ts), judged on snapshots pushed through `observeLive`. */
    live: liveRulesSchema.optional(),
  })
  .refine((config) => config.primary !== config.backup, {
    path: ["backup"],
    message: "must differ from the primary",
  });

export type WatchdogConfig = z.infer<typeof watchdogConfigSchema>;

export { WATCHDOG_DEFAULTS } from "./defaults.ts";

type WatchdogPort = Pick<CampaignsPort, "get" | "setStatus" | "metrics">;

export interface StartWatchdogOptions {
  /** A CXone client (or just its campaigns port). */
  client: { campaigns: WatchdogPort } | WatchdogPort;
  store: Pick<Store, "journal" | "kv">;
  config: WatchdogConfig;
  logger?: Logger;
  signal?: AbortSignal;
  /** loop (default): evaluate every interval. manual: only `evaluateNow`/`observe` (cron, tests). */
  mode?: "loop" | "manual";
  /** Time for the interval and the incident timestamps (tests: a virtual clock). */
  clock?: Clock;
  /**
   * Where a standalone watchdog (`cxo campaigns watch`, the SDK's `campaigns.watch`) reads the
   * primary's live snapshot itself, once per interval before the success-rate evaluation, for
   * the live rules. The service passes none: its live poller reads every campaign at once and
   * pushes the snapshots through `observeLive`. Ignored in manual mode (a streak needs readings
   * in a row from one process).
   */
  live?: LivePort;
}

export interface FailoverReport {
  incident: Incident;
  kind: "failover" | "fail-back";
  steps: StepOutcome[];
}

interface Listeners {
  evaluation: (evaluation: Evaluation) => void;
  failover: (report: FailoverReport) => void;
  "fail-back": (report: FailoverReport) => void;
  error: (error: Error) => void;
}

export interface Watchdog {
  /** Samples the primary now (after any queued evaluation) and returns the evaluation. */
  evaluateNow(): Promise<Evaluation>;
  /** A metrics sample pushed by the webhook receiver; counted like a fetched one. */
  observe(metrics: CampaignLiveMetrics): void;
  /**
   * A live snapshot of the primary (the service's live poller pushes one per reading): judged
   * by the live rules, which fail over within a few readings, not after the warehouse lag.
   */
  observeLive(snapshot: SkillLiveSnapshot): Promise<Evaluation | undefined>;
  state(): WatchdogState;
  /** Resolves once start-up recovery (re-drive, unfinished incident steps) has run. */
  ready: Promise<void>;
  on<E extends keyof Listeners>(event: E, listener: Listeners[E]): () => void;
  /**
   * Fails back now (pause the backup, then resume the primary; journaled, audited as `actor`),
   * after any queued evaluation; resolves with the closed incident, or null when no incident is
   * failed over. The steps' idempotency keys are the incident's, as for an automatic fail back.
   */
  failBack(options?: { actor?: string }): Promise<Incident | null>;
  /** Stops the loop, waits for the evaluation in progress; does not close the client or store. */
  stop(): Promise<void>;
}

export function startWatchdog(options: StartWatchdogOptions): Watchdog {
  const config = watchdogConfigSchema.parse(options.config);
  const port: WatchdogPort = "campaigns" in options.client ? options.client.campaigns : options.client;
  const { store } = options;
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger).child({ component: "watchdog", primary: config.primary });
  const controller = new AbortController();
  const stopOn = () => controller.abort();
  options.signal?.addEventListener("abort", stopOn, { once: true });
  if (options.signal?.aborted) controller.abort();
  const { signal } = controller;

  const listeners: { [E in keyof Listeners]: Set<Listeners[E]> } = {
    evaluation: new Set(),
    failover: new Set(),
    "fail-back": new Set(),
    error: new Set(),
  };
  const emit = <E extends keyof Listeners>(event: E, value: Parameters<Listeners[E]>[0]) => {
    for (const listener of listeners[event]) {
      try {
        (listener as (v: typeof value) => void)(value);
      } catch (error) {
        logger.warn({ err: error, event }, "watchdog listener threw");
      }
    }
  };

  let state: WatchdogState | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(job: () => Promise<T>): Promise<T> => {
    const run = queue.then(job, job);
    queue = run.catch(() => undefined);
    return run;
  };

  const current = (): WatchdogState => {
    if (!state) throw new Error("watchdog state not loaded yet");
    return state;
  };

  const fail = (error: unknown): Error => {
    const wrapped = error instanceof Error ? error : new Error(String(error));
    logger.warn({ err: wrapped }, "watchdog step failed");
    emit("error", wrapped);
    return wrapped;
  };

  /** Finishes a failover/fail-back that an earlier run (or evaluation) left half done. */
  async function finishOpenIncident(): Promise<"failover" | "fail-back" | null> {
    const incident = openIncident(current());
    if (!incident) return null;
    if (incident.phase === "failing-over") {
      await completeFailover(incident);
      return "failover";
    }
    if (incident.phase === "failing-back") {
      await completeFailBack(incident);
      return "fail-back";
    }
    return null;
  }

  async function completeFailover(incident: Incident): Promise<void> {
    const steps = await runSteps(port, store, incident, FAILOVER_STEPS);
    const done: Incident = {
      ...incident,
      phase: "failed-over",
      failedOverAt: new Date(clock.epochMs()).toISOString(),
    };
    state = withIncident(current(), done);
    await recordMilestone(store, "failed-over", {
      incident: done,
      state,
      details: { steps: stepSummary(steps) },
    });
    logger.info({ incidentId: done.id, backup: done.backup }, "failed over to the backup campaign");
    emit("failover", { incident: done, kind: "failover", steps });
  }

  async function completeFailBack(incident: Incident, actor?: string): Promise<Incident> {
    const acting = actor === undefined ? store : actingAs(store, actor);
    const steps = await runSteps(port, acting, incident, FAILBACK_STEPS);
    const closed: Incident = {
      ...incident,
      phase: "closed",
      closedAt: new Date(clock.epochMs()).toISOString(),
      closedBy: "fail-back",
    };
    state = withIncident({ ...current(), breaches: 0, healthy: 0 }, closed);
    await recordMilestone(acting, "closed", {
      incident: closed,
      state,
      details: { steps: stepSummary(steps), ...(actor === undefined ? {} : { requestedBy: actor }) },
    });
    logger.info({ incidentId: closed.id }, "failed back to the primary campaign");
    emit("fail-back", { incident: closed, kind: "fail-back", steps });
    return closed;
  }

  /** An operator's fail back of the open, failed-over incident (null: there is none). */
  const failBack = (options: { actor?: string } = {}) =>
    enqueue(async () => {
      await ready;
      const incident = openIncident(current());
      if (incident?.phase !== "failed-over") return null;
      const failingBack: Incident = { ...incident, phase: "failing-back" };
      state = withIncident(current(), failingBack);
      await saveState(store, current());
      return completeFailBack(failingBack, options.actor);
    });

  const ready = (async () => {
    // Operations an earlier run left pending (a crash between a PUT and its bookkeeping) are
    // re-driven with their stored idempotency keys before anything new is decided.
    await store.journal.redrivePending(campaignOperations(port));
    state = await loadState(store, config.primary, config.backup);
    try {
      await finishOpenIncident();
    } catch (error) {
      fail(error);
    }
  })();
  // Callers that never await `ready` (manual mode) must not get an unhandled rejection; the
  // failure still reaches every evaluation and the "error" listeners.
  ready.catch((error: unknown) => fail(error));

  /**
   * An evaluation at `at` that has decided and done nothing yet, with the state's counts (passed
   * in when the state could not be read).
   */
  function nothingDone(
    at: string,
    source: Evaluation["source"],
    { breaches, healthy }: { breaches: number; healthy: number } = current(),
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

  async function evaluate(source: Evaluation["source"], pushed?: CampaignLiveMetrics): Promise<Evaluation> {
    const at = new Date(clock.epochMs()).toISOString();
    try {
      await ready;
    } catch (error) {
      // The store could not be read (or re-driven): nothing can be decided safely.
      const message = scrubSecrets(error instanceof Error ? error.message : String(error));
      return {
        ...nothingDone(at, source, { breaches: 0, healthy: 0 }),
        error: `watchdog start-up failed: ${message}`,
      };
    }
    const base = nothingDone(at, source);
    let evaluation = base;
    try {
      const finished = await finishOpenIncident();
      const metrics = pushed ?? (await port.metrics(config.primary, config.windowMinutes, signal));
      const sample = snapshot(metrics, at);
      let incident = openIncident(current());
      const counters: Counters = {
        breaches: current().breaches,
        healthy: current().healthy,
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
      state = { ...current(), breaches: decision.counters.breaches, healthy: decision.counters.healthy };
      if (incident?.phase === "failed-over" && decision.action === "none") {
        // Someone resumed the primary by hand: the incident is over, watch it afresh.
        const primary = await port.get(config.primary, signal);
        if (primary.status === "active") {
          const closed: Incident = {
            ...incident,
            phase: "closed",
            closedAt: at,
            closedBy: "primary-resumed",
          };
          state = withIncident({ ...current(), breaches: 0, healthy: 0 }, closed);
          await recordMilestone(store, "closed", { incident: closed, state });
          incident = undefined;
          action = "closed";
        }
      }
      evaluation = {
        ...base,
        primary: sample,
        verdict: decision.verdict,
        breaches: current().breaches,
        healthy: current().healthy,
        action,
        backup,
      };
      state = { ...current(), evaluations: current().evaluations + 1, lastEvaluation: evaluation };
      if (decision.action === "failover") {
        const opened: Incident = {
          id: `inc_${randomUUID().replaceAll("-", "")}`,
          primary: config.primary,
          backup: config.backup,
          openedAt: at,
          trigger: {
            successRate: metrics.successRate,
            callsInWindow: metrics.callsInWindow ?? null,
            threshold: config.threshold,
            minSample: config.minSample,
            breaches: config.breaches,
          },
          phase: "failing-over",
          failedOverAt: null,
          closedAt: null,
          closedBy: null,
        };
        state = withIncident({ ...current(), breaches: 0 }, opened);
        await recordMilestone(store, "opened", { incident: opened, state, details: { evaluation } });
        logger.info({ incidentId: opened.id, successRate: metrics.successRate }, "failover incident opened");
        await completeFailover(opened);
      } else if (decision.action === "fail-back" && incident) {
        const failingBack: Incident = { ...incident, phase: "failing-back" };
        state = withIncident(current(), failingBack);
        await saveState(store, current());
        await completeFailBack(failingBack);
      } else {
        await saveState(store, current());
      }
      const open = openIncident(current());
      evaluation = { ...evaluation, incident: open ? { id: open.id, phase: open.phase } : null };
    } catch (error) {
      // A stop aborts the metrics request in flight: that is not a failure worth reporting.
      const message = signal.aborted ? "stopped" : scrubSecrets(fail(error).message);
      const open = state ? openIncident(state) : undefined;
      evaluation = {
        ...evaluation,
        incident: open ? { id: open.id, phase: open.phase } : null,
        error: message,
      };
    }
    emit("evaluation", evaluation);
    return evaluation;
  }

  let streak: { rule: LiveRule | null; count: number } = { rule: null, count: 0 };
  let lastLiveAt: string | undefined;
  const liveRules = config.live ?? LIVE_RULE_DEFAULTS;

  async function evaluateLive(live: SkillLiveSnapshot): Promise<Evaluation | undefined> {
    // The same confirmation seen twice (a 304 re-confirms at a later time) counts once per time.
    if (live.observedAt === lastLiveAt) return undefined;
    lastLiveAt = live.observedAt;
    const at = new Date(clock.epochMs()).toISOString();
    try {
      await ready;
    } catch {
      return undefined;
    }
    const breach = liveBreach(live, liveRules);
    const incidentOpen = openIncident(current()) !== undefined;
    streak = incidentOpen ? { rule: null, count: 0 } : liveStreak(streak, breach);
    let evaluation: Evaluation = {
      ...nothingDone(at, "live"),
      verdict: breach ? "breach" : "healthy",
      live: {
        rule: breach?.rule ?? null,
        reason: breach?.reason ?? null,
        streak: streak.count,
        observedAt: live.observedAt,
        source: live.source,
      },
    };
    try {
      if (!incidentOpen && breach && streak.count >= liveRules.breaches) {
        const opened: Incident = {
          id: `inc_${randomUUID().replaceAll("-", "")}`,
          primary: config.primary,
          backup: config.backup,
          openedAt: at,
          trigger: {
            rule: breach.rule,
            reason: `${breach.reason}, observed ${live.observedAt}, ${streak.count} readings in a row`,
            successRate: current().lastEvaluation?.primary?.successRate ?? 0,
            callsInWindow: current().lastEvaluation?.primary?.callsInWindow ?? null,
            threshold: config.threshold,
            minSample: config.minSample,
            breaches: liveRules.breaches,
          },
          phase: "failing-over",
          failedOverAt: null,
          closedAt: null,
          closedBy: null,
        };
        streak = { rule: null, count: 0 };
        evaluation = { ...evaluation, action: "failover" };
        state = withIncident({ ...current(), breaches: 0 }, opened);
        await recordMilestone(store, "opened", { incident: opened, state, details: { evaluation } });
        logger.info({ incidentId: opened.id, rule: breach.rule }, "failover incident opened by a live rule");
        await completeFailover(opened);
      }
      const open = openIncident(current());
      evaluation = { ...evaluation, incident: open ? { id: open.id, phase: open.phase } : null };
    } catch (error) {
      evaluation = { ...evaluation, error: signal.aborted ? "stopped" : scrubSecrets(fail(error).message) };
    }
    emit("evaluation", evaluation);
    return evaluation;
  }

  /** One live reading of the primary (standalone watchdogs only), judged by the live rules. */
  async function readLive(live: LivePort): Promise<void> {
    let snapshot: SkillLiveSnapshot | undefined;
    try {
      const reading = await live.read([config.primary], signal);
      snapshot = reading.snapshots.find((s) => s.campaignId === config.primary);
    } catch (error) {
      // The success-rate evaluation that follows still runs; a failed reading breaks no rule.
      if (!signal.aborted)
        fail(
          new Error(
            `live reading failed: ${scrubSecrets(error instanceof Error ? error.message : String(error))}`,
          ),
        );
      return;
    }
    if (snapshot) await enqueue(() => evaluateLive(snapshot));
  }

  const loop = (async () => {
    if (options.mode === "manual") return;
    await ready.catch(() => undefined);
    while (!signal.aborted) {
      if (options.live) await readLive(options.live);
      if (signal.aborted) break;
      await enqueue(() => evaluate("poll"));
      try {
        await clock.sleep(config.intervalSeconds * 1000, signal);
      } catch {
        break;
      }
    }
  })();

  return {
    ready,
    evaluateNow: () => enqueue(() => evaluate("poll")),
    observe(metrics) {
      if (signal.aborted || metrics.campaignId !== config.primary) return;
      void enqueue(() => evaluate("webhook", metrics));
    },
    observeLive(live) {
      if (signal.aborted || live.campaignId !== config.primary) return Promise.resolve(undefined);
      return enqueue(() => evaluateLive(live));
    },
    state: () => structuredClone(state ?? freshState(config.primary, config.backup)),
    failBack,
    on(event, listener) {
      listeners[event].add(listener);
      return () => listeners[event].delete(listener);
    },
    async stop() {
      controller.abort();
      options.signal?.removeEventListener("abort", stopOn);
      await loop;
      await queue;
    },
  };
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

function stepSummary(steps: StepOutcome[]) {
  return steps.map((step) => ({
    step: step.step,
    campaignId: step.campaignId,
    ...(step.result === "skipped"
      ? { skipped: true }
      : { changed: step.result.changed, replayed: step.result.replayed, status: step.result.status }),
  }));
}
