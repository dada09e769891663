import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Agent } from "undici";
import { clientOptionsFromSettings, createClient } from "../src/client.ts";
import { settingsSchema } from "../src/core/config/schema.ts";
import { tagFile } from "../src/dispositions/bulk-tag.ts";
import { openTaggingSession } from "../src/dispositions/session.ts";
import type { Fixtures } from "../src/emulator/index.ts";
import type { BenchRow } from "./types.ts";

/**
 * Bulk tagging throughput against the emulator (in its own process, 20 ms added latency, the
 * disposition limit scaled ×SCALE so the run lasts ~20 s), as a fraction of the server's limit,
 * with the share of 429 answers. Baseline in the same run: what the seed does — one PUT at a
 * time, each on a new connection (a new HTTP client per request), token fetched once.
 */
const SCALE = 3; // server limit: 300 tagging requests/s
const SERVER_LIMIT_PER_SEC = 100 * SCALE;
const ROWS = SERVER_LIMIT_PER_SEC * 20;
const BASELINE_MS = 6000;
const CXO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bin/cxo.js");

async function startEmulator(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      CXO,
      "--json",
      "emulator",
      "start",
      "--port",
      "0",
      "--latency-ms",
      "20",
      "--rate-limit-scale",
      String(SCALE),
      "--calls",
      "400000",
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let text = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const match = /"url":\s*"([^"]+)"/.exec(text);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return { url, child };
}

const json = async <T>(url: string, init?: RequestInit): Promise<T> =>
  (await (await fetch(url, init)).json()) as T;

export default async function taggingBench(): Promise<BenchRow[]> {
  const emu = await startEmulator();
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-tag-bench-"));
  try {
    const fixtures = await json<Fixtures>(`${emu.url}/_emulator/fixtures?calls=${ROWS * 7}`);
    const admin = fixtures.clients[0];
    const campaign = fixtures.campaigns[0];
    if (!admin || !campaign) throw new Error("fixtures without client or campaign");
    const calls = fixtures.calls.filter((c) => c.campaignId === campaign.id).map((c) => c.id);
    if (calls.length < ROWS + 1000) throw new Error(`only ${calls.length} calls`);
    const code = campaign.dispositionCodes.find((c) => c.reasonCodes.length > 0);
    if (!code) throw new Error("no code with reasons");
    const file = path.join(dir, "rows.ndjson");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(
      file,
      calls
        .slice(0, ROWS)
        .map((callId, i) =>
          JSON.stringify({
            callId,
            dispositionCodeId: code.id,
            reasonCodeId: code.reasonCodes[i % code.reasonCodes.length]?.id,
            tags: "bench;bulk",
          }),
        )
        .join("\n"),
    );

    // Ours: the bulk runner (validation pass, journal + audit + BI event per row, shared limiter).
    await fetch(`${emu.url}/_emulator/requests`, { method: "DELETE" });
    const settings = settingsSchema.parse({
      cxone: { baseUrl: emu.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
      dataDir: path.join(dir, ".cxo"),
      http: { rateLimitScale: SCALE },
      log: { level: "silent" },
    });
    const client = createClient(clientOptionsFromSettings(settings));
    const session = await openTaggingSession(client.port.dispositions, settings.dataDir, {
      actor: admin.clientId,
    });
    const summary = await tagFile(session, { campaignId: campaign.id, file, concurrency: 32 });
    await session.close();
    await client.close();
    if (summary.succeeded !== ROWS) throw new Error(`bulk run tagged ${summary.succeeded}/${ROWS}`);
    const log = await json<{ requests: Array<{ method: string; status: number }> }>(
      `${emu.url}/_emulator/requests`,
    );
    const puts = log.requests.filter((r) => r.method === "PUT");
    const throttled = puts.filter((r) => r.status === 429).length;
    const ours = summary.throughputPerSec;

    // Baseline: the seed's way — one request at a time, a new connection for each.
    const token = await json<{ access_token: string }>(`${emu.url}/oauth/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${admin.clientId}:${admin.clientSecret}`).toString("base64")}`,
      },
      body: "grant_type=client_credentials",
    });
    const spare = calls.slice(ROWS);
    let sent = 0;
    const started = performance.now();
    while (performance.now() - started < BASELINE_MS && sent < spare.length) {
      const agent = new Agent({ connections: 1 });
      const url = new URL(
        `/api/v2/outbound/calls/${encodeURIComponent(spare[sent] as string)}/disposition`,
        emu.url,
      );
      const response = await agent.request({
        origin: url.origin,
        path: url.pathname,
        method: "PUT",
        headers: { authorization: `Bearer ${token.access_token}`, "content-type": "application/json" },
        body: JSON.stringify({
          dispositionCodeId: code.id,
          reasonCodeId: code.reasonCodes[0]?.id,
          tag: ["baseline"],
        }),
      });
      await response.body.text();
      await agent.close();
      if (response.statusCode !== 200) throw new Error(`baseline PUT answered ${response.statusCode}`);
      sent += 1;
    }
    const baseline = sent / ((performance.now() - started) / 1000);

    const fraction = ours / SERVER_LIMIT_PER_SEC;
    const share429 = puts.length ? throttled / puts.length : 0;
    return [
      {
        suite: "tagging",
        metric: `bulk throughput, ${ROWS} rows, 20 ms latency, server limit ${SERVER_LIMIT_PER_SEC}/s`,
        unit: "rows/s",
        ours,
        baseline,
        baselineLabel: "seed: one at a time, new connection each",
      },
      {
        suite: "tagging",
        metric: "bulk throughput / server limit",
        unit: "fraction",
        ours: fraction,
        target: "≥ 0.95",
        met: fraction >= 0.95,
      },
      {
        suite: "tagging",
        metric: "429 answers / PUT requests",
        unit: "fraction",
        ours: share429,
        target: "≤ 0.01",
        met: share429 <= 0.01,
      },
      { suite: "tagging", metric: "speed-up over the seed's way", unit: "×", ours: ours / baseline },
      { suite: "tagging", metric: "bulk latency p50", unit: "ms", ours: summary.latencyMs.p50 },
      { suite: "tagging", metric: "bulk latency p99", unit: "ms", ours: summary.latencyMs.p99 },
    ];
  } finally {
    emu.child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}
