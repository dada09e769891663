import { counter, histogram, metric } from "../core/metrics/index.ts";
import { Gauge } from "../core/metrics/prom.ts";

/**
 * Prometheus metrics of interaction disposition updates (process-wide, exposed by `cxo serve`)
 * plus a per-run tally that the CLI prints in its --json document.
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
  "ETag conflicts (409 or a stale --etag) resolved by re-reading and re-applying",
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

export interface InteractionMetricsSnapshot {
  requests: number;
  successes: number;
  validationErrors: number;
  apiErrors: number;
  failures: number;
  conflicts: number;
  errorRate: number;
  latencyMs: { last: number | null; max: number | null; mean: number | null };
}

/** Counts for this process; every recording also goes to the Prometheus metrics above. */
export class InteractionMetrics {
  private tally = { requests: 0, successes: 0, validationErrors: 0, apiErrors: 0, failures: 0, conflicts: 0 };
  private latencies: number[] = [];

  validationError(rule: string): void {
    this.tally.requests += 1;
    this.tally.validationErrors += 1;
    validationErrors.inc({ rule });
    this.updateRate();
  }

  apiError(status: number | undefined): void {
    this.tally.apiErrors += 1;
    apiErrors.inc({ status: status === undefined ? "network" : String(status) });
  }

  conflict(): void {
    this.tally.conflicts += 1;
    conflicts.inc();
  }

  success(outcome: string, latencyMs: number): void {
    this.tally.requests += 1;
    this.tally.successes += 1;
    successes.inc({ outcome });
    this.observe(outcome, latencyMs);
  }

  failure(latencyMs: number): void {
    this.tally.requests += 1;
    this.tally.failures += 1;
    this.observe("failed", latencyMs);
  }

  snapshot(): InteractionMetricsSnapshot {
    const n = this.latencies.length;
    return {
      ...this.tally,
      errorRate: this.rate(),
      latencyMs: {
        last: n ? round(this.latencies[n - 1] as number) : null,
        max: n ? round(Math.max(...this.latencies)) : null,
        mean: n ? round(this.latencies.reduce((a, b) => a + b, 0) / n) : null,
      },
    };
  }

  private observe(outcome: string, latencyMs: number): void {
    this.latencies.push(latencyMs);
    latency.observe({ outcome }, latencyMs);
    this.updateRate();
  }

  private rate(): number {
    const { requests, validationErrors: invalid, failures } = this.tally;
    return requests === 0 ? 0 : (invalid + failures) / requests;
  }

  private updateRate(): void {
    errorRate.set(this.rate());
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
