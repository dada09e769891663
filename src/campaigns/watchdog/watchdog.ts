import { type Clock, systemClock } from "../../core/clock/clock.ts";
import { type Logger, scrubSecrets, silentLogger } from "../../core/logging/index.ts";
import type { Store } from "../../core/store/index.ts";
import type { LivePort, SkillLiveSnapshot } from "../../platform/ports/live.ts";
import type { CampaignLiveMetrics } from "../../platform/types.ts";
import { type WatchdogConfig, watchdogConfigSchema } from "./config.ts";
import { WatchdogCore, type WatchdogPort } from "./core.ts";
import { WatchdogStepError } from "./errors.ts";
import { LiveJudge } from "./evaluate-live.ts";
import { evaluateMetrics } from "./evaluate-metrics.ts";
import { WatchdogEvents, type WatchdogListeners } from "./events.ts";
import { type Evaluation, freshState, type Incident, openIncident, type WatchdogState } from "./state.ts";

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
 *
 * This file wires the parts: the state and incidents (core.ts), the success-rate evaluation
 * (evaluate-metrics.ts), the live rules (evaluate-live.ts), the listeners (events.ts), the loop.
 */

export { type WatchdogConfig, watchdogConfigSchema } from "./config.ts";
export { WATCHDOG_DEFAULTS } from "./defaults.ts";
export type { FailoverReport } from "./events.ts";

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
  on<E extends keyof WatchdogListeners>(event: E, listener: WatchdogListeners[E]): () => void;
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
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger).child({ component: "watchdog", primary: config.primary });
  const controller = new AbortController();
  const stopOn = () => controller.abort();
  options.signal?.addEventListener("abort", stopOn, { once: true });
  if (options.signal?.aborted) controller.abort();
  const { signal } = controller;

  const events = new WatchdogEvents(logger);
  const core = new WatchdogCore({ config, port, store: options.store, clock, logger, signal, events });
  const live = new LiveJudge(core);

  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(job: () => Promise<T>): Promise<T> => {
    const run = queue.then(job, job);
    queue = run.catch(() => undefined);
    return run;
  };

  /** An operator's fail back of the open, failed-over incident (null: there is none). */
  const failBack = (request: { actor?: string } = {}): Promise<Incident | null> =>
    enqueue(async () => {
      await core.ready;
      const incident = openIncident(core.current());
      if (incident?.phase !== "failed-over") return null;
      return core.failBack(incident, request.actor);
    });

  /** One live reading of the primary (standalone watchdogs only), judged by the live rules. */
  async function readLive(port: LivePort): Promise<void> {
    let snapshot: SkillLiveSnapshot | undefined;
    try {
      const reading = await port.read([config.primary], signal);
      snapshot = reading.snapshots.find((s) => s.campaignId === config.primary);
    } catch (error) {
      // The success-rate evaluation that follows still runs; a failed reading breaks no rule.
      if (!signal.aborted)
        core.fail(
          new WatchdogStepError(
            `live reading failed: ${scrubSecrets(error instanceof Error ? error.message : String(error))}`,
            { cause: error },
          ),
        );
      return;
    }
    if (snapshot) await enqueue(() => live.evaluate(snapshot));
  }

  const loop = (async () => {
    if (options.mode === "manual") return;
    await core.ready.catch(() => undefined);
    while (!signal.aborted) {
      if (options.live) await readLive(options.live);
      if (signal.aborted) break;
      await enqueue(() => evaluateMetrics(core, "poll"));
      try {
        await clock.sleep(config.intervalSeconds * 1000, signal);
      } catch {
        break;
      }
    }
  })();

  return {
    ready: core.ready,
    evaluateNow: () => enqueue(() => evaluateMetrics(core, "poll")),
    observe(metrics) {
      if (signal.aborted || metrics.campaignId !== config.primary) return;
      void enqueue(() => evaluateMetrics(core, "webhook", metrics));
    },
    observeLive(snapshot) {
      if (signal.aborted || snapshot.campaignId !== config.primary) return Promise.resolve(undefined);
      return enqueue(() => live.evaluate(snapshot));
    },
    state: () => structuredClone(core.state ?? freshState(config.primary, config.backup)),
    failBack,
    on: (event, listener) => events.on(event, listener),
    async stop() {
      controller.abort();
      options.signal?.removeEventListener("abort", stopOn);
      await loop;
      await queue;
    },
  };
}
