import { type ChildProcess, spawn } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import type { InternalClient } from "../src/client.ts";
import { silentLogger } from "../src/core/logging/index.ts";
import type { CxoneFixtures } from "../src/emulator/index.ts";
import type { LivePort } from "../src/platform/ports/live.ts";
import { CampaignBoard } from "../src/service/campaign-board.ts";
import { LivePoller } from "../src/service/live-poller.ts";
import { apiRequestCount, liveClient, READINGS_PER_MINUTE, runningSkills } from "./support/cxone-live.ts";
import type { BenchRow } from "./types.ts";

/**
 * Issue 54 §4, the limits of one instance: how many business units one process can keep live at
 * the production platform's 5 s live interval. Each tenant has its own production-API emulator
 * (HOSTS processes host them, each emulator its own server, seed and keys) with WATCHED running
 * skills, and in this process what `cxo --tenant NAME serve` runs for live data: its own client
 * (default rate limits) and the service's LivePoller over a CampaignBoard of those skills, the
 * tenants' first readings spread over one interval as independent starts would be. Steps of
 * 1, 2, 4, … tenants, WINDOW_S each; per reading, its LAG is how much later than "every 5 s"
 * its figures arrived: the wait between the previous reading's end and its start beyond the
 * interval, plus its own duration. A step holds when no reading failed and no cycle missed its
 * interval (max lag ≤ the interval, so p95 too); the capacity is the last step that held.
 * Also: the API requests per minute one tenant spends on live data at that interval (from its
 * emulator's log) at the last step that held, against bench/live-requests' figure for readings
 * back to back (same helper, same count).
 */
const INTERVAL_MS = 5_000;
const WINDOW_S = 20;
const WATCHED = 10;
const STEPS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
const HOSTS = 2;

interface Tenant {
  url: string;
  f: CxoneFixtures;
  skills: string[];
  client: InternalClient;
}

async function host(count: number, firstSeed: number): Promise<{ urls: string[]; child: ChildProcess }> {
  const script = fileURLToPath(new URL("./support/emulator-host.ts", import.meta.url));
  const child = spawn(process.execPath, [script, String(count), String(firstSeed)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  const urls = await new Promise<string[]>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("\n")) resolve((JSON.parse(out) as { urls: string[] }).urls);
    });
    child.once("exit", (code) => reject(new Error(`emulator host exited (${code})`)));
  });
  return { urls, child };
}

async function tenantOf(url: string): Promise<Tenant> {
  const f = (await (await fetch(`${url}/_emulator/fixtures`)).json()) as CxoneFixtures;
  const skills = await runningSkills(f, WATCHED);
  return { url, f, skills, client: liveClient(url, f) };
}

interface Step {
  tenants: number;
  readings: number;
  failed: number;
  lagsMs: number[];
  requestsPerMinute: number;
}

const p95 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? Number.NaN;
};

/** Every tenant's LivePoller for WINDOW_S; what their readings cost and how late they came. */
async function step(tenants: Tenant[]): Promise<Step> {
  const lagsMs: number[] = [];
  let readings = 0;
  let failed = 0;
  // Stopping aborts the readings in flight: those are not failures, nor late.
  let stopping = false;
  const before = await Promise.all(tenants.map((t) => apiRequestCount(t.url)));
  const pollers = tenants.map((t) => {
    let lastEnd: number | undefined;
    const timed: LivePort = {
      read: async (ids, signal) => {
        const began = performance.now();
        try {
          const reading = await t.client.port.live.read(ids, signal);
          readings += 1;
          return reading;
        } catch (error) {
          if (!stopping) failed += 1;
          throw error;
        } finally {
          const ended = performance.now();
          if (lastEnd !== undefined && !stopping)
            lagsMs.push(Math.max(0, began - lastEnd - INTERVAL_MS) + (ended - began));
          lastEnd = ended;
        }
      },
    };
    return new LivePoller({
      live: timed,
      board: new CampaignBoard({ historyPoints: 60, campaigns: t.skills }),
      intervalMs: INTERVAL_MS,
      logger: silentLogger,
      observe: () => undefined,
    });
  });
  const began = performance.now();
  const starts = pollers.map((poller, i) =>
    setTimeout(() => poller.start(), (i * INTERVAL_MS) / pollers.length),
  );
  await new Promise((resolve) => setTimeout(resolve, WINDOW_S * 1000));
  starts.forEach(clearTimeout);
  stopping = true;
  await Promise.all(pollers.map((p) => p.stop()));
  const minutes = (performance.now() - began) / 60_000;
  const after = await Promise.all(tenants.map((t) => apiRequestCount(t.url)));
  const spent = after.reduce((sum, n, i) => sum + n - before[i]!, 0);
  return {
    tenants: tenants.length,
    readings,
    failed,
    lagsMs,
    requestsPerMinute: spent / tenants.length / minutes,
  };
}

export default async function tenantsCapacity(): Promise<BenchRow[]> {
  const max = STEPS[STEPS.length - 1]!;
  const hosts = await Promise.all(
    Array.from({ length: HOSTS }, (_, h) => host(max / HOSTS, 1000 + (h * max) / HOSTS)),
  );
  const tenants: Tenant[] = [];
  const load = () => loadavg()[0]!.toFixed(1);
  const rows: BenchRow[] = [];
  try {
    const urls = hosts.flatMap((h) => h.urls);
    let capacity = 0;
    let held: Step | undefined;
    let last: Step | undefined;
    const loadAtStart = load();
    const row = (metric: string, result: Step, met: boolean): BenchRow => ({
      suite: `tenants-capacity (load ${loadAtStart} → ${load()})`,
      metric: `p95 live-reading lag, ${metric} (max ${Math.max(...result.lagsMs).toFixed(0)} ms)`,
      unit: "ms",
      ours: p95(result.lagsMs),
      target: "p95 and max ≤ 5000 ms, none failed",
      met,
    });
    for (const n of STEPS) {
      // New tenants' skills and clients, 16 at a time.
      while (tenants.length < n) {
        const batch = urls.slice(tenants.length, Math.min(n, tenants.length + 16));
        tenants.push(...(await Promise.all(batch.map(tenantOf))));
      }
      const result = await step(tenants);
      const lag = p95(result.lagsMs);
      const worst = Math.max(...result.lagsMs);
      process.stderr.write(
        `tenants-capacity: ${n} tenants, ${result.readings} readings, ${result.failed} failed, p95 lag ${lag.toFixed(0)} ms, max ${worst.toFixed(0)} ms, ${result.requestsPerMinute.toFixed(1)} req/min a tenant, load ${load()}\n`,
      );
      last = result;
      // A cycle missed its interval (max lag), the p95 did, or a reading failed: the step fails.
      if (result.failed > 0 || !(lag <= INTERVAL_MS) || !(worst <= INTERVAL_MS)) break;
      capacity = n;
      held = result;
      rows.push(row(`${n} tenant${n === 1 ? "" : "s"} × ${WATCHED} skills, 5 s interval`, result, true));
    }
    const suite = `tenants-capacity (load ${loadAtStart} → ${load()})`;
    if (last && last !== held)
      rows.push(row(`${last.tenants} tenants (${last.failed} readings failed)`, last, false));
    rows.push({
      suite,
      metric: `tenants one instance keeps live at a 5 s interval (steps to ${max})`,
      unit: "tenants",
      ours: capacity,
    });
    // One tenant's spend at the interval, against live-requests' back-to-back count.
    const one = tenants[0]!;
    const before = await apiRequestCount(one.url);
    for (let i = 0; i < READINGS_PER_MINUTE; i++) await one.client.port.live.read(one.skills);
    const backToBack = (await apiRequestCount(one.url)) - before;
    rows.push({
      suite,
      metric: `live-data requests/min per tenant (${WATCHED} skills), at the interval, ${held?.tenants ?? 0} tenants`,
      unit: "req/min",
      ours: held?.requestsPerMinute ?? Number.NaN,
      baseline: backToBack,
      baselineLabel: "12 readings back to back (live-requests)",
      target: "≤ back to back",
      met: (held?.requestsPerMinute ?? Number.POSITIVE_INFINITY) <= backToBack,
    });
    return rows;
  } finally {
    await Promise.all(tenants.map((t) => t.client.close()));
    for (const h of hosts) h.child.kill("SIGTERM");
  }
}
