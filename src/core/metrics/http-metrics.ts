import type { HttpEvent } from "../http/events.ts";
import { counter, histogram } from "./registry.ts";

/**
 * Turns the HTTP core's events into Prometheus metrics: request latency by endpoint group,
 * method and status, retries by reason, 429s, limiter pauses and token fetches.
 *   client.core.http.on(recordHttpMetrics)
 */
const requestLatency = histogram("cxo_http_request_duration_ms", "CXone request attempt latency", [
  "group",
  "method",
  "status",
]);
const retries = counter("cxo_http_retries_total", "Retried CXone request attempts", ["group", "reason"]);
const throttles = counter("cxo_http_throttled_total", "429 answers from CXone (each pauses its group)", [
  "group",
]);
const networkErrors = counter("cxo_http_network_errors_total", "CXone attempts that got no HTTP answer", [
  "group",
  "code",
]);
const tokenEvents = counter("cxo_http_token_events_total", "OAuth token fetches and invalidations", [
  "action",
]);

export function recordHttpMetrics(event: HttpEvent): void {
  switch (event.type) {
    case "response":
      requestLatency.observe(
        { group: event.group, method: event.method, status: String(event.status) },
        event.latencyMs,
      );
      break;
    case "network-error":
      requestLatency.observe(
        { group: event.group, method: event.method, status: "network" },
        event.latencyMs,
      );
      networkErrors.inc({ group: event.group, code: event.code });
      break;
    case "retry":
      // A retry's reason is its failure: "status 503", "ECONNRESET", "ATTEMPT_TIMEOUT".
      retries.inc({ group: event.group, reason: event.reason });
      break;
    case "throttle":
      throttles.inc({ group: event.group });
      break;
    case "token":
      tokenEvents.inc({ action: event.action });
      break;
    default:
      break;
  }
}
