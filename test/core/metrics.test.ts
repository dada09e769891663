import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CxoneHttp } from "../../src/core/http/create.ts";
import { metricsRegistry } from "../../src/core/metrics/index.ts";
import { httpFor } from "../support/http-fixture.ts";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";

let server: ScriptedServer;
let core: CxoneHttp;

beforeEach(async () => {
  server = await startScriptedServer();
  core = httpFor(server.url);
});
afterEach(async () => {
  await core.close();
  await server.close();
});

describe("HTTP metrics", () => {
  it("counts latency by group and status, retries by reason, and 429 throttles", async () => {
    // Test files share a worker's modules: a service started by an earlier file may have set the
    // registry's default labels (instance); counts and labels start from nothing here.
    metricsRegistry.resetMetrics();
    metricsRegistry.setDefaultLabels({});
    server.setApi((_r, index) =>
      index === 0
        ? { status: 503 }
        : index === 1
          ? { status: 429, headers: { "retry-after": "0" } }
          : { status: 200, body: {} },
    );
    await core.http.request({ method: "GET", path: "/x", group: "outcomes" });
    const text = await metricsRegistry.metrics();
    expect(text).toMatch(
      /cxo_http_request_duration_ms_count\{group="outcomes",method="GET",status="503"\} 1/,
    );
    expect(text).toMatch(
      /cxo_http_request_duration_ms_count\{group="outcomes",method="GET",status="200"\} 1/,
    );
    expect(text).toMatch(/cxo_http_retries_total\{group="outcomes",reason="status 503"\} 1/);
    expect(text).toMatch(/cxo_http_throttled_total\{group="outcomes"\} 1/);
    expect(text).toMatch(/cxo_http_token_events_total\{action="fetched"\} 1/);
  });

  it("counts a 401's re-send with a refreshed token as a retry of its own reason, beside the invalidation", async () => {
    metricsRegistry.resetMetrics();
    metricsRegistry.setDefaultLabels({});
    await core.http.request({ method: "GET", path: "/x", group: "outcomes" });
    server.revoked.add(server.issued[0]!);
    await core.http.request({ method: "GET", path: "/x", group: "outcomes" });
    const text = await metricsRegistry.metrics();
    expect(text).toMatch(
      /cxo_http_retries_total\{group="outcomes",reason="status 401: token refused, refreshed"\} 1/,
    );
    expect(text).toMatch(
      /cxo_http_request_duration_ms_count\{group="outcomes",method="GET",status="401"\} 1/,
    );
    expect(text).toMatch(/cxo_http_token_events_total\{action="invalidated"\} 1/);
    expect(text).toMatch(/cxo_http_token_events_total\{action="fetched"\} 2/);
  });

  it("labels a named business unit's series with `tenant` (issue 54): two units, two series", async () => {
    metricsRegistry.resetMetrics();
    metricsRegistry.setDefaultLabels({});
    server.setApi((_r, index) => (index === 0 ? { status: 503 } : { status: 200, body: {} }));
    const acme = httpFor(server.url, { tenantName: "acme" });
    const globex = httpFor(server.url, { tenantName: "globex" });
    try {
      await acme.http.request({ method: "GET", path: "/x", group: "outcomes" });
      await globex.http.request({ method: "GET", path: "/x", group: "outcomes" });
      await globex.http.request({ method: "GET", path: "/x", group: "outcomes" });
    } finally {
      await Promise.all([acme.close(), globex.close()]);
    }
    const text = await metricsRegistry.metrics();
    expect(text).toMatch(
      /cxo_http_request_duration_ms_count\{group="outcomes",method="GET",status="503",tenant="acme"\} 1/,
    );
    expect(text).toMatch(
      /cxo_http_request_duration_ms_count\{group="outcomes",method="GET",status="200",tenant="acme"\} 1/,
    );
    expect(text).toMatch(
      /cxo_http_request_duration_ms_count\{group="outcomes",method="GET",status="200",tenant="globex"\} 2/,
    );
    expect(text).toMatch(/cxo_http_retries_total\{group="outcomes",reason="status 503",tenant="acme"\} 1/);
    expect(text).toMatch(/cxo_http_token_events_total\{action="fetched",tenant="acme"\} 1/);
    expect(text).toMatch(/cxo_http_token_events_total\{action="fetched",tenant="globex"\} 1/);
    // A client of no named unit keeps the series it always had (no tenant label).
    expect(text).not.toMatch(/tenant=""/);
  });
});
