import { Counter, Histogram, Registry } from "./prom.ts";

/**
 * One Prometheus registry for the process: the HTTP core, the capabilities and the service all
 * register here, and `cxo serve` exposes it at /metrics. Metric names are `cxo_…`.
 */
export const metricsRegistry = new Registry();

/** Returns the metric already registered under `name`, or registers the one `create` makes. */
export function metric<T>(name: string, create: (registers: Registry[]) => T): T {
  const existing = metricsRegistry.getSingleMetric(name);
  return (existing as T | undefined) ?? create([metricsRegistry]);
}

export const LATENCY_BUCKETS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000];

export function counter(name: string, help: string, labelNames: string[] = []): Counter<string> {
  return metric(name, (registers) => new Counter({ name, help, labelNames, registers }));
}

export function histogram(
  name: string,
  help: string,
  labelNames: string[] = [],
  buckets = LATENCY_BUCKETS_MS,
): Histogram<string> {
  return metric(name, (registers) => new Histogram({ name, help, labelNames, buckets, registers }));
}
