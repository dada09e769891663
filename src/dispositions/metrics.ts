import { counter, histogram } from "../core/metrics/index.ts";

/**
 * Prometheus metrics of tagging (registered once in the process registry that `cxo serve`
 * exposes): successes, failures by HTTP status, validation errors by rule, and latency — from
 * the first attempt to the final answer, and per attempt.
 */
export const taggingMetrics = {
  succeeded: counter("cxo_tagging_succeeded_total", "Calls tagged successfully"),
  failed: counter("cxo_tagging_failed_total", "Calls whose tagging failed, by HTTP status (0 = no answer)", [
    "status",
  ]),
  validationErrors: counter(
    "cxo_tagging_validation_errors_total",
    "Tagging rows refused by local validation (nothing sent), by rule",
    ["rule"],
  ),
  latency: histogram("cxo_tagging_latency_ms", "Tagging latency, first attempt to final answer (ms)"),
  attemptLatency: histogram("cxo_tagging_attempt_latency_ms", "Latency of each tagging attempt (ms)"),
};
