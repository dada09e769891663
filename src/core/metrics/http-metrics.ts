import type { HttpEvent } from "../http/events.ts";
import { counter, histogram } from "./registry.ts";

/**
 * Turns the HTTP core's events into Prometheus metrics: request latency by endpoint group,
 * method and status, retries by reason, 429s, limiter pauses and token fetches. A client of a
 * named business unit (`createClient({ tenant })`, each tenant of a multi-tenant `cxo serve`)
 * labels its series with `tenant`: the same endpoint group of two units is two series, and one
 * unit's 429 storm is not read as another's. A client of no named unit has no `tenant` label
 * (one business unit: the series as before).
 *   client.core.http.on(httpMetricsRecorder("acme"))
 */
/** A series' labels, and `tenant`: the label `httpMetricsRecorder` adds for a named business unit. */
const TENANT = "tenant";
const perTenant = (...labels: string[]) => [...labels, TENANT];
const requestLatency = histogram(
  "cxo_http_request_duration_ms",
  "CXone request attempt latency",
  perTenant("group", "method", "status"),
);
const retries = counter(
  "cxo_http_retries_total",
  "Retried CXone request attempts (a re-send after a refused token's refresh included)",
  perTenant("group", "reason"),
);
const throttles = counter(
  "cxo_http_throttled_total",
  "Throttling answers from CXone: 429, or 503 with Retry-After (each pauses its group)",
  perTenant("group"),
);
const networkErrors = counter(
  "cxo_http_network_errors_total",
  "CXone attempts that got no HTTP answer",
  perTenant("group", "code"),
);
const tokenEvents = counter(
  "cxo_http_token_events_total",
  "OAuth token fetches and invalidations",
  perTenant("action"),
);

/** The listener that records one client's events, labelled with its business unit when named. */
export function httpMetricsRecorder(tenant?: string): (event: HttpEvent) => void {
  const labelled: Labelled =
    tenant === undefined ? (labels) => labels : (labels) => ({ ...labels, [TENANT]: tenant });
  return (event) => record(event, labelled);
}

/** The events of a client of no named business unit. */
export const recordHttpMetrics = httpMetricsRecorder();

type Labelled = (labels: Record<string, string>) => Record<string, string>;

function record(event: HttpEvent, labelled: Labelled): void {
  switch (event.type) {
    case "response":
      requestLatency.observe(
        labelled({ group: event.group, method: event.method, status: String(event.status) }),
        event.latencyMs,
      );
      break;
    case "network-error":
      requestLatency.observe(
        labelled({ group: event.group, method: event.method, status: "network" }),
        event.latencyMs,
      );
      networkErrors.inc(labelled({ group: event.group, code: event.code }));
      break;
    case "retry":
      // A retry's reason is its failure: "status 503", "ECONNRESET", "ATTEMPT_TIMEOUT"; a 401's
      // re-send with a refreshed token is one too ("status 401: token refused, refreshed"), so a
      // revoked token shows as itself, apart from the retries that waited.
      retries.inc(labelled({ group: event.group, reason: event.reason }));
      break;
    case "throttle":
      throttles.inc(labelled({ group: event.group }));
      break;
    case "token":
      tokenEvents.inc(labelled({ action: event.action }));
      break;
    default:
      break;
  }
}
