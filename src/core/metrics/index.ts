export { httpMetricsRecorder, recordHttpMetrics } from "./http-metrics.ts";
export { counter, histogram, LATENCY_BUCKETS_MS, metric, metricsRegistry } from "./registry.ts";
