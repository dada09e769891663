import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Fastify from "fastify";
import { settingsSchema } from "../src/core/config/schema.ts";
import { startService } from "../src/service/index.ts";
import type { BenchRow } from "./types.ts";

/**
 * The service's CXone webhook receiver under load, driven by autocannon from a SECOND process on
 * loopback: every request is a distinct metrics event (unique webhook id, fresh Standard Webhooks
 * signature), so each one is verified, parsed, validated, deduplicated and applied to the
 * dashboard board, none short-circuited as a duplicate. Baseline in the same run, same load
 * generator, same requests: a bare Fastify route answering 204. Target: >= 5,000 events/s with
 * p99 < 20 ms.
 */
const SECRET = "whsec_cmVjZWl2ZXItYmVuY2gtc2VjcmV0LWtleQ==";
const CONNECTIONS = 16;
const DURATION_S = 4;
// Alternating rounds, so load from anything else on the machine hits both sides alike.
const ROUNDS = 3;

// Runs in the child: autocannon with a per-request setup that signs a unique event.
const LOAD_SCRIPT = `
import autocannon from "autocannon";
import { createHmac } from "node:crypto";
const [url, secret, connections, duration] = process.argv.slice(1);
const key = Buffer.from(secret.slice(6), "base64");
let n = 0;
const result = await autocannon({
  url, connections: Number(connections), duration: Number(duration), method: "POST",
  requests: [{
    setupRequest(request) {
      n += 1;
      const id = "evt-bench-" + process.pid + "-" + n;
      const body = JSON.stringify({ id, type: "omnichannel.campaign.metrics.update", campaignId: "camp-bench",
        occurredAt: new Date().toISOString(), data: { successRate: (n % 1000) / 1000, activeCalls: n % 50, windowMinutes: 30 } });
      const ts = String(Math.floor(Date.now() / 1000));
      const sig = createHmac("sha256", key).update(id + "." + ts + "." + body).digest("base64");
      return { ...request, body, headers: { "content-type": "application/json", "webhook-id": id,
        "webhook-timestamp": ts, "webhook-signature": "v1," + sig } };
    },
  }],
});
process.stdout.write(JSON.stringify({ rps: result.requests.average, sent: result.requests.total,
  p99: result.latency.p99, p50: result.latency.p50, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts }));
`;

interface LoadResult {
  rps: number;
  sent: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

function load(url: string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--input-type=module", "-e", LOAD_SCRIPT, url, SECRET, String(CONNECTIONS), String(DURATION_S)],
      { cwd: path.resolve(import.meta.dirname, ".."), stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`autocannon exited ${code}`)),
    );
  });
}

/** The round with the median throughput (its latencies come with it). */
function median(runs: LoadResult[]): LoadResult {
  return [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)] as LoadResult;
}

export default async function receiverBench(): Promise<BenchRow[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-bench-receiver-"));
  const settings = settingsSchema.parse({
    dataDir,
    service: { webhookSecret: SECRET, campaigns: [], dispatcher: false },
  });
  const service = await startService({ settings, port: 0 });
  const bare = Fastify({ logger: false });
  bare.post("/webhooks/cxone", async (_request, reply) => reply.code(204).send());
  await bare.listen({ port: 0, host: "127.0.0.1" });
  const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/webhooks/cxone`;
  try {
    const oursRuns: LoadResult[] = [];
    const baselineRuns: LoadResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      oursRuns.push(await load(`${service.url}/webhooks/cxone`));
      baselineRuns.push(await load(bareUrl));
    }
    const failed = oursRuns.reduce((sum, r) => sum + r.non2xx + r.errors, 0);
    const applied = service.board.series("camp-bench").length;
    if (failed > 0 || applied === 0)
      throw new Error(`receiver bench: ${failed} failed requests, ${applied} applied`);
    const ours = median(oursRuns);
    const baseline = median(baselineRuns);
    const suite = "service";
    return [
      {
        suite,
        metric: `webhook receiver, signed unique events, ${CONNECTIONS} connections from another process`,
        unit: "events/s",
        ours: ours.rps,
        baseline: baseline.rps,
        baselineLabel: "bare Fastify route answering 204",
        target: ">= 5000",
        met: ours.rps >= 5000,
      },
      {
        suite,
        metric: "webhook receiver latency p99",
        unit: "ms",
        ours: ours.p99,
        baseline: baseline.p99,
        baselineLabel: "bare Fastify route",
        target: "< 20 ms",
        met: ours.p99 < 20,
      },
      { suite, metric: "webhook receiver latency p50", unit: "ms", ours: ours.p50, baseline: baseline.p50 },
    ];
  } finally {
    await bare.close();
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
