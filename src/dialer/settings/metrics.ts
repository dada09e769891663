import { counter, histogram } from "../../core/metrics/index.ts";

/** Prometheus metrics of the settings lifecycle (applies, rollbacks, operation waits). */
export const settingsLifecycleMetrics = {
  applies: counter(
    "cxo_dialer_settings_applies_total",
    "Dialer settings applies, by outcome (applied, unchanged, conflict, busy, rolled_back, rollback_failed, cancelled, failed)",
    ["outcome"],
  ),
  rollbacks: counter(
    "cxo_dialer_settings_rollbacks_total",
    "Dialer settings rollbacks, by trigger (automatic, requested) and outcome",
    ["trigger", "outcome"],
  ),
  polls: counter("cxo_dialer_operation_polls_total", "Polls of dialer settings operations", ["purpose"]),
  waitMs: histogram(
    "cxo_dialer_operation_wait_ms",
    "Time spent waiting for a dialer settings operation, by purpose and how the wait ended (ms)",
    ["purpose", "state"],
  ),
};
