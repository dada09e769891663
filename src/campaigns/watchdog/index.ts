/** The failover watchdog, for the CLI (`cxo campaigns watch`) and the service's background worker. */
export {
  type Action,
  type Counters,
  classify,
  type DecisionConfig,
  decide,
  type Sample,
  type Verdict,
} from "./decision.ts";
export {
  type Evaluation,
  type Incident,
  type IncidentPhase,
  type MetricsSnapshot,
  readIncidents,
  readWatchdogStates,
  type WatchdogState,
} from "./state.ts";
export { FAILBACK_STEPS, FAILOVER_STEPS } from "./steps.ts";
export {
  type FailoverReport,
  type StartWatchdogOptions,
  startWatchdog,
  WATCHDOG_DEFAULTS,
  type Watchdog,
  type WatchdogConfig,
  watchdogConfigSchema,
} from "./watchdog.ts";
