import { Agent } from "undici";
import { settingsSchema } from "../src/core/config/schema.ts";
import { createCxoneHttp } from "../src/core/http/create.ts";
import { startChildServer } from "./support/child-server.ts";
import { percentile } from "./support/stats.ts";
import type { BenchRow } from "./types.ts";

/**
 * Per-request overhead of the HTTP core (limiter, cached token, retry bookkeeping, events, JSON
 * parse, typed response) against a raw undici request with a kept-alive connection to the same
 * local server, measured one request at a time, alternating rounds so drift hits both alike.
 * Target: < 0.2 ms added per request at p50.
 */
const ROUNDS = 10;
const PER_ROUND = 500;

export default async function httpBench(): Promise<BenchRow[]> {
  const server = await startChildServer("echo-server.ts");
  const raw = new Agent({ connections: 1, keepAliveTimeout: 60_000 });
  const settings = settingsSchema.parse({
    cxone: { baseUrl: server.url, clientId: "bench", clientSecret: "bench-secret" },
    rateLimits: { dispositions: { limit: 1_000_000, per: "second", concurrency: 64 } },
  });
  const core = createCxoneHttp({
    connection: {
      baseUrl: server.url,
      tokenUrl: `${server.url}/oauth/token`,
      clientId: "bench",
      clientSecret: "bench-secret",
      auth: settings.cxone.auth,
    },
    http: settings.http,
    rateLimits: settings.rateLimits,
  });
  const url = new URL("/api/v2/outbound/calls/call-1", server.url);

  const rawOnce = async () => {
    const response = await raw.request({
      origin: url.origin,
      path: url.pathname,
      method: "GET",
      headers: { authorization: "Bearer x", accept: "application/json" },
    });
    JSON.parse(await response.body.text());
  };
  const oursOnce = async () => {
    await core.http.request({ method: "GET", path: url.pathname, group: "dispositions" });
  };

  // Warm up both paths (connections, JIT, token).
  for (let i = 0; i < 300; i += 1) {
    await rawOnce();
    await oursOnce();
  }
  const rawTimes: number[] = [];
  const ourTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [fn, sink] of [
      [rawOnce, rawTimes],
      [oursOnce, ourTimes],
    ] as const) {
      for (let i = 0; i < PER_ROUND; i += 1) {
        const start = performance.now();
        await fn();
        sink.push(performance.now() - start);
      }
    }
  }
  await core.close();
  await raw.close();
  server.stop();

  const ours50 = percentile(ourTimes, 50);
  const raw50 = percentile(rawTimes, 50);
  const added = ours50 - raw50;
  return [
    {
      suite: "http core",
      metric: "request latency p50",
      unit: "ms",
      ours: ours50,
      baseline: raw50,
      baselineLabel: "raw undici",
    },
    {
      suite: "http core",
      metric: "request latency p99",
      unit: "ms",
      ours: percentile(ourTimes, 99),
      baseline: percentile(rawTimes, 99),
      baselineLabel: "raw undici",
    },
    {
      suite: "http core",
      metric: "overhead added at p50",
      unit: "ms",
      ours: added,
      target: "< 0.2 ms",
      met: added < 0.2,
    },
  ];
}
