import type { Logger } from "../../core/logging/index.ts";
import type { Evaluation, Incident } from "./state.ts";
import type { StepOutcome } from "./steps.ts";

export interface FailoverReport {
  incident: Incident;
  kind: "failover" | "fail-back";
  steps: StepOutcome[];
}

/** What a watchdog tells its listeners. */
export interface WatchdogListeners {
  evaluation: (evaluation: Evaluation) => void;
  failover: (report: FailoverReport) => void;
  "fail-back": (report: FailoverReport) => void;
  error: (error: Error) => void;
}

/** The watchdog's listeners: a listener that throws is logged and never stops the watchdog. */
export class WatchdogEvents {
  private readonly logger: Logger;
  private readonly listeners: { [E in keyof WatchdogListeners]: Set<WatchdogListeners[E]> } = {
    evaluation: new Set(),
    failover: new Set(),
    "fail-back": new Set(),
    error: new Set(),
  };

  constructor(logger: Logger) {
    this.logger = logger;
  }

  on<E extends keyof WatchdogListeners>(event: E, listener: WatchdogListeners[E]): () => void {
    this.listeners[event].add(listener);
    return () => this.listeners[event].delete(listener);
  }

  emit<E extends keyof WatchdogListeners>(event: E, value: Parameters<WatchdogListeners[E]>[0]): void {
    for (const listener of this.listeners[event]) {
      try {
        (listener as (v: typeof value) => void)(value);
      } catch (error) {
        this.logger.warn({ err: error, event }, "watchdog listener threw");
      }
    }
  }
}
