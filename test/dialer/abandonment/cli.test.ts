import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KNOWN_CAMPAIGNS } from "../../../src/campaigns/known-campaigns.ts";
import { pacingSpecSchema } from "../../../src/campaigns/spec.ts";
import { openStore } from "../../../src/core/store/index.ts";
import type { AbandonmentReport } from "../../../src/dialer/abandonment/read-ledger.ts";
import { PACING_STATE } from "../../../src/dialer/live-pacing/store-keys.ts";
import { type RunningEmulator, startEmulator } from "../../../src/emulator/index.ts";
import { adminCall } from "../../support/emulator-admin.ts";
import { runCli } from "../../support/run-cli.ts";

/**
 * Issue 67 §2 end to end: `cxo dialer abandonment` on the seed emulator for a campaign paced
 * from this data dir (its window's hours in the store, as `cxo serve` keeps them), `--json` and
 * the human table; bad input (a campaign this tenant's store does not know — another tenant's —,
 * a window the rule table does not define, a bad --under or --at) exits 2 naming it with nothing
 * sent; CXone refusing the outcome read exits 1.
 */
let acmeEmu: RunningEmulator;
let globexEmu: RunningEmulator;
let dir: string;
let campaign: string;
const HOUR = 3_600_000;
const NOW = Date.now();

async function requests(url: string): Promise<Array<{ method: string; path: string; status: number }>> {
  return ((await adminCall(url, "GET", "/requests")) as { requests: [] }).requests;
}

beforeAll(async () => {
  [acmeEmu, globexEmu] = await Promise.all([
    startEmulator({ port: 0, calls: 50, seed: 42, metricsIntervalMs: 0 }),
    startEmulator({ port: 0, calls: 50, seed: 42, metricsIntervalMs: 0 }),
  ]);
  dir = mkdtempSync(path.join(tmpdir(), "cxo-abandonment-cli-"));
  const acme = acmeEmu.fixtures.clients[0]!;
  const globex = globexEmu.fixtures.clients[0]!;
  writeFileSync(
    path.join(dir, "cxo.config.yaml"),
    `http: { maxAttempts: 1 }
tenants:
  acme:
    cxone: { baseUrl: "${acmeEmu.url}", clientId: "${acme.clientId}", clientSecret: { env: ACME_SECRET } }
  globex:
    cxone: { baseUrl: "${globexEmu.url}", clientId: "${globex.clientId}", clientSecret: { env: GLOBEX_SECRET } }
`,
  );
  process.env.ACME_SECRET_FOR_TEST = acme.clientSecret;
  process.env.GLOBEX_SECRET_FOR_TEST = globex.clientSecret;
  campaign = acmeEmu.fixtures.campaigns.find((c) => c.status === "active")!.id;
  const acmeDir = path.join(dir, ".cxo", "tenants", "acme");
  mkdirSync(acmeDir, { recursive: true });
  const store = await openStore(acmeDir);
  try {
    const pacing = pacingSpecSchema.parse({
      window: "ofcom-24h",
      target: 0.025,
      machines: { falsePositive: { sampled: 300, foundLive: 3 } },
    });
    await store.kv.set(KNOWN_CAMPAIGNS, campaign, {
      id: campaign,
      name: "Paced",
      createdAt: new Date(0).toISOString(),
      specHash: "x",
      contactListId: "list-1",
      failover: null,
      pacing,
    });
    // Three days of counts, 8 hours a day: 200 live answers, 4 abandons, 100 machine verdicts an hour.
    const now = Math.floor(NOW / HOUR);
    const hours: Array<[number, number, number, number]> = [];
    for (let h = now - 71; h <= now; h++) if (h % 24 >= 9 && h % 24 < 17) hours.push([h, 200, 4, 100]);
    hours.push([now, 200, 4, 100]);
    await store.kv.set(PACING_STATE, campaign, {
      budget: { window: "ofcom-24h", target: 0.025, hours },
      last: null,
      ratio: 1.5,
      changedAtMs: null,
    });
  } finally {
    await store.close();
  }
}, 60_000);

afterAll(async () => {
  await Promise.all([acmeEmu?.close(), globexEmu?.close()]);
});

const cxo = (args: string[]) =>
  runCli(
    args,
    { ACME_SECRET: process.env.ACME_SECRET_FOR_TEST!, GLOBEX_SECRET: process.env.GLOBEX_SECRET_FOR_TEST! },
    { cwd: dir, timeoutMs: 60_000 },
  );

describe("cxo dialer abandonment", () => {
  it("--json: per regime {regime, window, abandoned, live, rate, interval95, limit, headroom}, the AMD estimate with its interval and sampling plan", async () => {
    const result = await cxo(["--tenant", "acme", "dialer", "abandonment", "--campaign", campaign, "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as AbandonmentReport;
    expect(doc.campaignId).toBe(campaign);
    expect(doc.counters).toBe("pacing.state");
    expect(doc.pacing).toEqual({ window: "ofcom-24h", target: 0.025 });
    expect(doc.regimes.map((r) => r.regime)).toEqual(["ftc-30d", "ofcom-24h", "day", "crtc-month"]);
    for (const r of doc.regimes)
      expect(Object.keys(r)).toEqual(
        expect.arrayContaining([
          "regime",
          "window",
          "abandoned",
          "live",
          "rate",
          "interval95",
          "limit",
          "headroom",
        ]),
      );
    const ofcom = doc.regimes.find((r) => r.regime === "ofcom-24h")!;
    expect(ofcom.amd.inFigure).toBe(true);
    expect(ofcom.amd.estimatedPeople).toBeCloseTo(0.01 * ofcom.amd.machines, 6);
    expect(ofcom.rate).toBeGreaterThan(0.02);
    expect(ofcom.worst).not.toBeNull();
    const ftc = doc.regimes.find((r) => r.regime === "ftc-30d")!;
    expect(ftc.amd.inFigure).toBe(false);
    expect(ftc.counted.live).toBe(ftc.live);
    expect(ftc.rate).toBeCloseTo(0.02, 10);
    expect(ftc.interval95![0]).toBeLessThan(0.02);
    expect(ftc.interval95![1]).toBeGreaterThan(0.02);
    expect(doc.amd.rate).toBeCloseTo(0.01, 10);
    expect(doc.amd.interval95![1]).toBeGreaterThan(0.02);
    expect(doc.amd.plan.under).toBe(0.01);
    expect(doc.amd.plan.reviewMore).toBeNull(); // found at 1%: no review shows "under 1%"
    expect(doc.amd.sample.seed).toContain(campaign);
  });

  it("--window picks one regime, --under sets the plan's bound; the human table has the figures", async () => {
    const result = await cxo([
      "--tenant",
      "acme",
      "dialer",
      "abandonment",
      "--campaign",
      campaign,
      "--window",
      "ofcom-24h",
      "--under",
      "0.02",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(/abandonment ledger of .* \(paced under ofcom-24h, target 2\.50%\)/);
    expect(lines[1]).toMatch(/^regime\s+window\s+abandoned\s+live\s+rate\s+95% interval\s+limit\s+headroom/);
    expect(lines[2]).toMatch(/^ofcom-24h\s+per campaign, any 24 hours/);
    expect(lines[2]).toMatch(/incl\. \d+(\.\d)? hung up on as machines \(estimate\)/);
    expect(lines.length).toBeGreaterThan(4);
    expect(result.stdout).toMatch(/review \d+ more machine-classified calls to show under 2\.00% at 95%/);
  });

  it("bad input exits 2 naming it, nothing sent: another tenant's campaign, a window the rule table does not define, --under, --at", async () => {
    await adminCall(acmeEmu.url, "DELETE", "/requests");
    await adminCall(globexEmu.url, "DELETE", "/requests");
    const cases: Array<[string[], RegExp]> = [
      [
        ["--tenant", "globex", "dialer", "abandonment", "--campaign", campaign],
        /--campaign: must be a campaign of this tenant \(globex\)/,
      ],
      [
        ["--tenant", "acme", "dialer", "abandonment", "--campaign", "cmp-nope"],
        /--campaign: .*"cmp-nope" is not one/,
      ],
      [
        ["--tenant", "acme", "dialer", "abandonment", "--campaign", campaign, "--window", "ofcom-12h"],
        /--window: must be a window the rule table defines: ftc-30d, ofcom-24h, day, crtc-month \(got "ofcom-12h"\)/,
      ],
      [["--tenant", "acme", "dialer", "abandonment", "--campaign", campaign, "--under", "0.7"], /--under/],
      [
        ["--tenant", "acme", "dialer", "abandonment", "--campaign", campaign, "--at", "2026-11-26T10:00:00"],
        /--at/,
      ],
    ];
    for (const [args, stderr] of cases) {
      const result = await cxo(args);
      expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(stderr);
      expect(result.stdout).toBe("");
    }
    expect(await requests(acmeEmu.url)).toEqual([]);
    expect(await requests(globexEmu.url)).toEqual([]);
  });

  it("CXone refusing the outcome read exits 1", async () => {
    await adminCall(acmeEmu.url, "DELETE", "/requests");
    await adminCall(acmeEmu.url, "POST", "/faults", { group: "outcomes", errorRate: 1, errorStatus: 503 });
    try {
      const result = await cxo(["--tenant", "acme", "dialer", "abandonment", "--campaign", campaign]);
      expect(result.code, result.stderr).toBe(1);
      expect((await requests(acmeEmu.url)).some((r) => r.status === 503)).toBe(true);
    } finally {
      await adminCall(acmeEmu.url, "DELETE", "/faults");
    }
  });
});
