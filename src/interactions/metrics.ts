/**
 * Counts of interaction disposition updates: a per-client tally that the CLI prints in its --json
 * document, each recording also made to the process's Prometheus series (exposed by `cxo serve`)
 * once they are registered. They are registered by the correction workflow when it is first
 * loaded (metrics-series.ts, imported by operation.ts), which is where every recording is made:
 * a client that corrects nothing — one built for a compliance check — loads no Prometheus client.
 */

/** The process-wide series a tally records to (metrics-series.ts). */
export interface InteractionSeries {
  validationError(rule: string): void;
  apiError(status: string): void;
  conflict(): void;
  success(outcome: string): void;
  latency(outcome: string, ms: number): void;
  errorRate(rate: number): void;
}

let series: InteractionSeries | undefined;

/** Every tally records to `registered` too from now on (metrics-series.ts calls it once). */
export function recordToSeries(registered: InteractionSeries): void {
  series = registered;
}

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

/** Counts of one client's set-disposition calls; each is also recorded to the process's Prometheus series (`cxo serve` exposes them). */
export class InteractionMetrics {
  private tally = { requests: 0, successes: 0, validationErrors: 0, apiErrors: 0, failures: 0, conflicts: 0 };
  private latencies: number[] = [];

  validationError(rule: string): void {
    this.tally.requests += 1;
    this.tally.validationErrors += 1;
    series?.validationError(rule);
    this.updateRate();
  }

  apiError(status: number | undefined): void {
    this.tally.apiErrors += 1;
    series?.apiError(status === undefined ? "network" : String(status));
  }

  conflict(): void {
    this.tally.conflicts += 1;
    series?.conflict();
  }

  success(outcome: string, latencyMs: number): void {
    this.tally.requests += 1;
    this.tally.successes += 1;
    series?.success(outcome);
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
    series?.latency(outcome, latencyMs);
    this.updateRate();
  }

  private rate(): number {
    const { requests, validationErrors: invalid, failures } = this.tally;
    return requests === 0 ? 0 : (invalid + failures) / requests;
  }

  private updateRate(): void {
    series?.errorRate(this.rate());
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
