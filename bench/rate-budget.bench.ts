import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulatorProcess } from "./support/emulator-process.ts";
import { tagRows } from "./support/tag-rows.ts";
import type { BenchRow } from "./types.ts";

/**
 * Two `cxo tag --file` processes on one data dir and one tenant, at once, against an emulator
 * allowing 300 tagging requests/s (20 ms latency): together they should use ≥ 0.9 of the limit
 * with ≤ 1% 429s, because the store splits the tenant's budget between them (rate-budget.ts).
 * Beside it, in the same run: one process alone. Throughput is read at the server: accepted PUTs
 * per second between the first and the last PUT of the run.
 */
const SCALE = 3;
const LIMIT = 100 * SCALE;
const ROWS_EACH = 3_000;
const CXO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bin/cxo.js");

const json = async <T>(url: string, init?: RequestInit): Promise<T> =>
  (await (await fetch(url, init)).json()) as T;

function tagProcess(env: Record<string, string>, config: string, campaign: string, file: string) {
  const child = spawn(
    process.execPath,
    [CXO, "--json", "--config", config, "tag", "--campaign", campaign, "--file", file, "--concurrency", "64"],
    { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  return new Promise<{ succeeded: number }>((resolve, reject) => {
    child.once("exit", (code) =>
      code === 0
        ? resolve(JSON.parse(out) as { succeeded: number })
        : reject(new Error(`cxo tag exited ${code}`)),
    );
  });
}

/** Accepted PUTs per second between the first and last PUT, and the share of 429s. */
async function serverView(url: string): Promise<{ rate: number; share429: number }> {
  const log = await json<{ requests: Array<{ method: string; status: number; at: string }> }>(
    `${url}/_emulator/requests`,
  );
  const puts = log.requests.filter((r) => r.method === "PUT");
  const times = puts.map((r) => Date.parse(r.at));
  const spanS = (Math.max(...times) - Math.min(...times)) / 1000;
  const ok = puts.filter((r) => r.status === 200).length;
  return { rate: ok / spanS, share429: puts.filter((r) => r.status === 429).length / puts.length };
}

export default async function rateBudgetBench(): Promise<BenchRow[]> {
  const emu = await startEmulatorProcess([
    "--latency-ms",
    "20",
    "--rate-limit-scale",
    String(SCALE),
    "--calls",
    String(ROWS_EACH * 20),
  ]);
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-rate-budget-bench-"));
  try {
    const { admin, campaign, file } = await tagRows(emu.url, ROWS_EACH * 20, dir);
    const config = path.join(dir, "cxo.config.yaml");
    writeFileSync(config, `http:\n  rateLimitScale: ${SCALE}\nlog:\n  level: silent\n`);
    const env = (name: string) => {
      const dataDir = path.join(dir, name);
      mkdirSync(dataDir, { recursive: true });
      return {
        CXONE_BASE_URL: emu.url,
        CXONE_CLIENT_ID: admin.clientId,
        CXONE_CLIENT_SECRET: admin.clientSecret,
        CXO_DATA_DIR: dataDir,
      };
    };
    const load = loadavg()[0]!.toFixed(1);

    await fetch(`${emu.url}/_emulator/requests`, { method: "DELETE" });
    await tagProcess(env("alone"), config, campaign.id, file(0, ROWS_EACH));
    const alone = await serverView(emu.url);

    await fetch(`${emu.url}/_emulator/requests`, { method: "DELETE" });
    const shared = env("shared");
    await Promise.all([
      tagProcess(shared, config, campaign.id, file(ROWS_EACH, ROWS_EACH)),
      tagProcess(shared, config, campaign.id, file(2 * ROWS_EACH, ROWS_EACH)),
    ]);
    const together = await serverView(emu.url);
    const label = `one process alone (load ${load})`;
    return [
      {
        suite: "rate-budget",
        metric: `2 cxo tag processes, one data dir, limit ${LIMIT}/s: accepted / limit`,
        unit: "fraction",
        ours: together.rate / LIMIT,
        baseline: alone.rate / LIMIT,
        baselineLabel: label,
        target: "≥ 0.9",
        met: together.rate / LIMIT >= 0.9,
      },
      {
        suite: "rate-budget",
        metric: "2 processes: 429 answers / PUT requests",
        unit: "fraction",
        ours: together.share429,
        baseline: alone.share429,
        baselineLabel: label,
        target: "≤ 0.01",
        met: together.share429 <= 0.01,
      },
    ];
  } finally {
    emu.child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}
