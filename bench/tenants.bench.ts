import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { type CreateClientOptions, createTenants } from "../src/index.ts";
import { startEmulatorProcess } from "./support/emulator-process.ts";
import type { BenchRow } from "./types.ts";

/**
 * Noisy neighbour (issue 54 §2): five business units in one process, each on its own emulator
 * process (20 ms latency), each reading its dialer settings as fast as its budget allows
 * (50 requests/s, 8 in flight) for WINDOW_S. Baseline, in the same run: the four healthy
 * tenants alone. Then the same four beside a fifth whose business unit answers every request
 * with 429 (Retry-After: 1) for the whole window. The healthy tenants' p95 latency may rise
 * ≤ 10% and their throughput fall ≤ 5%: each business unit's budget, pauses and retries are its
 * own (the process's limiters are keyed by API endpoint and API user).
 */
const WINDOW_S = 8;
const RATE = 50;
const IN_FLIGHT = 8;
const HEALTHY = ["acme", "globex", "initech", "umbrella"] as const;

interface Emulator {
  url: string;
  child: ChildProcess;
  clientId: string;
  clientSecret: string;
}

async function emulator(): Promise<Emulator> {
  const { url, child } = await startEmulatorProcess([
    "--latency-ms",
    "20",
    "--rate-limit-scale",
    "1000",
    "--calls",
    "10",
  ]);
  const fixtures = (await (await fetch(`${url}/_emulator/fixtures`)).json()) as {
    clients: Array<{ clientId: string; clientSecret: string }>;
  };
  return { url, child, ...fixtures.clients[0]! };
}

function optionsOf(emu: Emulator, dir: string, name: string): CreateClientOptions {
  return {
    connection: {
      platform: "seed",
      baseUrl: emu.url,
      clientId: emu.clientId,
      clientSecret: emu.clientSecret,
    },
    dataDir: path.join(dir, name),
    rateLimits: { dialer: { limit: RATE, per: "second" } },
    http: { maxAttempts: 3 },
  };
}

interface Load {
  latenciesMs: number[];
  done: number;
}

/** Reads the tenant's dialer settings, IN_FLIGHT at a time, until `until`. */
async function drive(read: () => Promise<unknown>, until: number): Promise<Load> {
  const load: Load = { latenciesMs: [], done: 0 };
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (Date.now() < until) {
        const began = performance.now();
        try {
          await read();
          load.latenciesMs.push(performance.now() - began);
          load.done += 1;
        } catch {
          // The throttled tenant's calls fail after their attempts: that is its own business.
        }
      }
    }),
  );
  return load;
}

const p95 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? Number.NaN;
};

async function round(
  emus: Record<string, Emulator>,
  names: readonly string[],
): Promise<Record<string, Load>> {
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-bench-tenants-"));
  const tenants = createTenants(
    Object.fromEntries(names.map((name) => [name, optionsOf(emus[name]!, dir, name)])),
  );
  try {
    // Warm: a token and a connection each, outside the measured window.
    await Promise.all(
      names.map((name) =>
        tenants
          .get(name)
          .dialer.settings()
          .catch(() => undefined),
      ),
    );
    const until = Date.now() + WINDOW_S * 1000;
    const loads = await Promise.all(
      names.map((name) => drive(() => tenants.get(name).dialer.settings(), until)),
    );
    return Object.fromEntries(names.map((name, i) => [name, loads[i]!]));
  } finally {
    await tenants.close();
  }
}

export default async function tenantsBench(): Promise<BenchRow[]> {
  const names = [...HEALTHY, "noisy"];
  const started = await Promise.all(names.map(() => emulator()));
  const emus = Object.fromEntries(names.map((name, i) => [name, started[i]!]));
  try {
    const load = loadavg()[0]!.toFixed(1);
    const alone = await round(emus, HEALTHY);
    await fetch(`${emus.noisy!.url}/_emulator/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ group: "all", burst429: 1_000_000, retryAfter: 1 }),
    });
    const beside = await round(emus, names);
    const healthyP95 = (loads: Record<string, Load>) =>
      Math.max(...HEALTHY.map((n) => p95(loads[n]!.latenciesMs)));
    const healthyRate = (loads: Record<string, Load>) =>
      HEALTHY.reduce((sum, n) => sum + loads[n]!.done, 0) / WINDOW_S;
    const p95Alone = healthyP95(alone);
    const p95Beside = healthyP95(beside);
    const rateAlone = healthyRate(alone);
    const rateBeside = healthyRate(beside);
    const suite = `tenants (load ${load})`;
    return [
      {
        suite,
        metric: "healthy tenants' worst p95 latency, a 429 storm on a fifth",
        unit: "ms",
        ours: p95Beside,
        baseline: p95Alone,
        baselineLabel: "the four alone",
        target: "≤ 1.10× alone",
        met: p95Beside <= 1.1 * p95Alone,
      },
      {
        suite,
        metric: "healthy tenants' throughput, a 429 storm on a fifth",
        unit: "req/s",
        ours: rateBeside,
        baseline: rateAlone,
        baselineLabel: "the four alone",
        target: "≥ 0.95× alone",
        met: rateBeside >= 0.95 * rateAlone,
      },
      {
        suite,
        metric: "the throttled tenant's successful reads",
        unit: "req/s",
        ours: beside.noisy!.done / WINDOW_S,
      },
    ];
  } finally {
    for (const emu of started) emu.child.kill("SIGTERM");
  }
}
