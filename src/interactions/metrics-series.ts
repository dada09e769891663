import { counter, histogram, metric } from "../core/metrics/index.ts";
import { Gauge } from "../core/metrics/prom.ts";
import { recordToSeries } from "./metrics.ts";

/**
 * The Prometheus series of interaction disposition updates (process-wide, exposed by `cxo serve`),
 * registered when this module is first imported — by the correction workflow (operation.ts) —
 * and recorded to by every client's tally (metrics.ts) from then on.
 */
const latency = histogram(
  "cxo_interactions_set_disposition_duration_ms",
  "set-disposition latency, first request to final answer (conflict retries included)",
  ["outcome"],
);
const validationErrors = counter(
  "cxo_interactions_validation_errors_total",
  "set-disposition requests rejected locally (bad input, unknown code, 1xx/2xx mix after merge)",
  ["rule"],
);
const apiErrors = counter(
  "cxo_interactions_api_errors_total",
  "CXone errors answered to interaction requests",
  ["status"],
);
const conflicts = counter(
  "cxo_interactions_conflicts_total",
  "ETag conflicts (409 or a stale ETag) resolved by re-reading and re-applying",
);
const successes = counter("cxo_interactions_successes_total", "set-disposition requests that succeeded", [
  "outcome",
]);
const errorRate = metric(
  "cxo_interactions_error_rate",
  (registers) =>
    new Gauge({
      name: "cxo_interactions_error_rate",
      help: "(validation errors + failed requests) / all set-disposition requests, in this process",
      registers,
    }),
);

recordToSeries({
  validationError: (rule) => validationErrors.inc({ rule }),
  apiError: (status) => apiErrors.inc({ status }),
  conflict: () => conflicts.inc(),
  success: (outcome) => successes.inc({ outcome }),
  latency: (outcome, ms) => latency.observe({ outcome }, ms),
  errorRate: (rate) => errorRate.set(rate),
});
