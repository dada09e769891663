import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweepHtml } from "../../src/dialer/simulator/chart/html.ts";
import type { BenchReport } from "../../src/dialer/simulator/pacing-bench/bench.ts";
import { benchHtml } from "../../src/dialer/simulator/pacing-bench/report-html.ts";
import type { SweepResult } from "../../src/dialer/simulator/sweep.ts";
import { launchChromium } from "../support/chromium.ts";
import { screenshot } from "../support/screenshot.ts";

// Page functions run in the browser; the test project has no DOM lib.
declare const document: {
  documentElement: { scrollWidth: number; clientWidth: number };
  querySelectorAll(selector: string): ArrayLike<{ dataset: Record<string, string | undefined> }>;
};

/**
 * The dialer's two HTML reports in the project's Chromium under a C/POSIX locale (issues 41 §4
 * and 42 §1): the pacing bench report draws its charts (it threw `Invalid language tag:
 * en-US@posix` and drew none), fits 1400 px although a tuning string is long, the occupancy
 * front's x ticks read 1%, 2%, 3% once each, and a ratio above 3 is not clipped; the sweep plots
 * abandonment and occupancy on separate charts and names the target and the recommendation.
 */
const band = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

function bench(): BenchReport {
  const controller = (name: string, tuning: Record<string, unknown>) => ({
    name,
    tuning,
    connectsPerAgentHour: 24.5,
    occupancy: 0.86,
    idleBetweenCalls: { mean: 8.1, p90: 17.5 },
    abandonment: {
      mean: 0.024,
      ci95: [0.021, 0.027],
      shareOfDaysOver: 0,
      worstWindow: 0.026,
      worst30Min: 0.061,
      worst60Min: 0.045,
    },
    predictiveGain: 1.3,
    meetsTarget: true,
    rules: { legalWindow: true, daysOver: true, worst30Min: false },
    // The matched column (issue 41 §2) must not widen the page either.
    matched: {
      replications: 4,
      abandonment: 0.0177,
      connectsPerAgentHour: 14.53,
      cxoConnectsPerAgentHour: 17.1,
      ratio: 1.177,
      method: "interpolated",
    },
  });
  return {
    scenario: "examples/pacing-scenario.yaml",
    replications: 2,
    days: 3,
    seed: 1,
    controllers: [
      controller("cxo", { target: 0.03 }),
      controller("clairvoyant", {
        lookaheadSeconds: 45,
        safety: 0.000123456789,
        maxLinesPerAgent: 3.4,
        perSlotRatios: band(24, (i) => 1 + i * 0.01),
      }),
    ],
    ceiling: { connectsPerAgentHour: 27.7 },
    front: ["cxo", "clairvoyant"].flatMap((controller) =>
      [0.01, 0.02, 0.03].map((target) => ({ controller, target, occupancy: 0.7 + target * 5 })),
    ),
    series: ["cxo", "clairvoyant"].map((controller, k) => ({
      controller,
      // The clairvoyant's ratio reaches 3.6: above the old fixed 0-3 axis.
      ratio: band(96, (i) => 1 + (i / 95) * (2 + k * 0.6)),
      answerRate: band(96, (i) => 0.3 - i * 0.001),
      abandonment: band(96, (i) => (i % 17 === 0 ? null : 0.01 + (i % 5) * 0.002)),
    })),
    wallSeconds: 1.2,
  } as unknown as BenchReport;
}

function sweep(): SweepResult {
  return {
    parameter: "dialRatio",
    mode: "predictive",
    hours: 2,
    seed: 7,
    target: 0.03,
    points: band(11, (i) => ({
      dialRatio: Number((1 + i * 0.2).toFixed(1)),
      abandonment: 0.002 + i * i * 0.0012,
      ci95Low: 0,
      ci95High: 0.004 + i * i * 0.0014,
      occupancy: Math.min(0.98, 0.55 + i * 0.05),
    })),
    recommendedMaxRatio: 1.8,
  } as unknown as SweepResult;
}

describe("dialer HTML reports (chromium, C/POSIX locale, 1400 px)", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium({ env: { ...process.env, LANG: "C", LC_ALL: "C", LANGUAGE: "" } });
    mkdirSync("test-artifacts/reports", { recursive: true });
  }, 120_000);
  afterAll(() => browser?.close());

  async function open(html: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.setContent(html);
    return { page, errors };
  }

  it("pacing bench: charts drawn, no sideways scroll, distinct front ticks, nothing clipped", async () => {
    const { page, errors } = await open(benchHtml(bench()));
    expect(errors).toEqual([]);
    expect(await page.locator("#front canvas").count()).toBe(1);
    expect(await page.locator("#days canvas").count()).toBe(4);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await page.locator("table").first().innerText()).toContain("1.18×");
    expect(await page.locator("table").first().innerText()).toContain("17.1 vs 14.5 at 1.77%");
    // The frontier chart (issue 53 §3) starts its abandonment axis at 0 and reaches past the legal line.
    const front = await page
      .locator("#front")
      .evaluate((el) => (el as unknown as { dataset: Record<string, string> }).dataset);
    expect(Number(front.xMin)).toBe(0);
    expect(Number(front.xMax)).toBeGreaterThan(0.03);
    // Every day chart's ratio axis reaches above its highest ratio (3.6 for the clairvoyant).
    const scales = await page.evaluate(() =>
      Array.from(document.querySelectorAll("#days .chart > div")).map((box) => box.dataset),
    );
    const ratioTops = scales.filter((s) => s.rMax !== undefined).map((s) => Number(s.rMax));
    expect(ratioTops).toHaveLength(2);
    expect(Math.max(...ratioTops)).toBeGreaterThanOrEqual(3.6);
    const abandonmentTops = scales.filter((s) => s.aMax !== undefined).map((s) => Number(s.aMax));
    expect(abandonmentTops.every((top) => top >= 0.04 && top < 0.2)).toBe(true);
    await screenshot(page, "reports/pacing-bench-1400.jpeg", { fullPage: true, type: "jpeg", quality: 60 });
    await page.close();
  });

  it("sweep: abandonment and occupancy on separate charts, target and recommendation named, every point printed", async () => {
    const { page, errors } = await open(
      sweepHtml(sweep(), "Spring push: abandonment and occupancy vs dial ratio"),
    );
    expect(errors).toEqual([]);
    expect(await page.locator("#chart canvas").count()).toBe(1);
    expect(await page.locator("#occupancy canvas").count()).toBe(1);
    const key = await page.locator("#abandonment-key").textContent();
    expect(key).toContain("target 3.0%");
    expect(key).toContain("recommended maximum ratio 1.8");
    expect(await page.locator("#points tr").count()).toBe(12);
    const chart = await page
      .locator("#chart")
      .evaluate((el) => (el as unknown as { dataset: Record<string, string> }).dataset);
    expect(Number(chart.abMin)).toBe(0);
    expect(Number(chart.abMax)).toBeLessThan(0.5); // its own axis, not occupancy's 0-100%
    await screenshot(page, "reports/sweep-1400.jpeg", { fullPage: true, type: "jpeg", quality: 60 });
    await page.close();
  });
});
