import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExportSummary } from "../../src/outcomes/export.ts";
import { renderHtmlReport } from "../../src/outcomes/report-html.ts";
import { launchChromium } from "../support/chromium.ts";
import { screenshot } from "../support/screenshot.ts";

// Page functions run in the browser, where `document` exists; the test project has no DOM lib.
declare const document: {
  getElementById(id: string): {
    dataset: Record<string, string>;
    querySelectorAll(s: string): ArrayLike<unknown>;
  };
};
declare const navigator: { language: string };

/**
 * The `--report` page in a real browser at 1400 px (issue 32 §4): bars start at zero, the
 * hour-of-day chart shows its last bar whole, and (§1) the charts render under a C/POSIX locale,
 * where Chromium's language tag is `en-US@posix` and Intl refuses it.
 */
function summary(): ExportSummary {
  const byHour = Array.from({ length: 24 }, (_, hour) => ({
    hour,
    records: 100 + hour,
    converted: 10 + (hour % 5),
    conversionRate: (10 + (hour % 5)) / (100 + hour),
  }));
  const byDay = ["2026-03-01", "2026-03-02", "2026-03-03"].map((day, i) => ({
    day,
    records: 900 + i * 50,
    converted: 90 + i,
    conversionRate: (90 + i) / (900 + i * 50),
  }));
  return {
    campaignId: "camp-report",
    from: "2026-03-01T00:00:00Z",
    to: "2026-03-04T00:00:00Z",
    codes: [],
    format: "ndjson",
    out: "/tmp/x.ndjson",
    bytes: 1,
    pages: 3,
    pagesOk: 3,
    pagesFailed: 0,
    downloadSuccessRate: 1,
    complianceHash: "ab".repeat(32),
    recordsPerSec: 1000,
    recordsThisRun: 2850,
    pagesThisRun: 3,
    elapsedMs: 10,
    extractionLatencyMs: { total: 1, pageMean: 1, pageP50: 1, pageP99: 1 },
    retries: 0,
    throttled: 0,
    resumed: false,
    resumedFromRecords: 0,
    alreadyComplete: false,
    report: null,
    crm: null,
    totalRecords: 2850,
    converted: 273,
    conversionRate: 273 / 2850,
    // Every category far above zero: an auto-ranged y axis would start near 500.
    categories: { converted: 620, callback: 700, refused: 810, no_answer: 720 },
    unknownCodes: {},
    unknownRecords: 0,
    durationSeconds: { mean: 60, p50: 50, p90: 100, p99: 200, min: 1, max: 300 },
    byDay,
    byHour,
    byCampaign: [],
    zone: "UTC",
  } as unknown as ExportSummary;
}

describe("outcome report charts (chromium, 1400 px)", () => {
  let browser: Browser;
  let posix: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
    posix = await launchChromium({ env: { ...process.env, LANG: "C", LC_ALL: "C", LANGUAGE: "" } });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await posix?.close();
  });

  it("category bars start at 0 and the hour-of-day chart shows its last bar whole", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: "en-US" });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.setContent(renderHtmlReport(summary()));
    const categories = await page.evaluate(() => document.getElementById("categories").dataset);
    expect(Number(categories.yMin)).toBe(0);
    expect(Number(categories.yMax)).toBeGreaterThanOrEqual(810);
    const hours = await page.evaluate(() => document.getElementById("by-hour").dataset);
    expect(Number(hours.yMin)).toBe(0);
    // Bars are centred on their hour and 0.7 of the gap wide: hour 23's bar needs x up to 23.35.
    expect(Number(hours.xMin)).toBeLessThanOrEqual(-0.35);
    expect(Number(hours.xMax)).toBeGreaterThanOrEqual(23.35);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("issue 42: by-day from 0, an empty day a gap, an empty hour no bar, legends and figures printed, the name in the title", async () => {
    const base = summary();
    const gappy = {
      ...base,
      // 2026-03-02 had no calls; hour 3 neither; every rate far above 0 (an auto axis starts near 13 %).
      byDay: [
        { day: "2026-03-01", records: 900, converted: 130, conversionRate: 130 / 900 },
        { day: "2026-03-03", records: 950, converted: 138, conversionRate: 138 / 950 },
      ],
      byHour: base.byHour.map((r) =>
        r.hour === 3 ? { hour: 3, records: 0, converted: 0, conversionRate: 0 } : r,
      ),
      zone: "America/Chicago",
    } as ExportSummary;
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: "en-US" });
    await page.setContent(renderHtmlReport(gappy, "Spring renewals"));
    await expect(page.title()).resolves.toBe("Call outcomes — Spring renewals");
    const day = await page.evaluate(() => document.getElementById("by-day").dataset);
    expect(Number(day.yMin)).toBe(0);
    await expect(page.locator("#by-day-figures").textContent()).resolves.toContain(
      "2 day(s) with calls, 1 without",
    );
    await expect(page.locator("#by-hour-table").textContent()).resolves.toContain("—");
    // No legend waits for a hover: uPlot's "--" placeholders are not on the page.
    const legends = await page.locator(".u-legend").allTextContents();
    expect(legends.join(" ")).not.toContain("--");
    await expect(page.locator("h2", { hasText: "by hour of day" }).textContent()).resolves.toContain(
      "America/Chicago",
    );
    await page.close();
  });

  it("renders its charts under a C/POSIX locale (navigator.language en-US@posix)", async () => {
    const page = await posix.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.setContent(renderHtmlReport(summary()));
    expect(errors).toEqual([]);
    for (const id of ["by-day", "by-hour", "categories"]) {
      const canvases = await page.evaluate(
        (el) => document.getElementById(el).querySelectorAll("canvas").length,
        id,
      );
      expect(canvases, id).toBeGreaterThan(0);
    }
    await page.close();
  });

  it("the posix browser really reports a tag Intl refuses (the failure this guards against)", async () => {
    const page = await posix.newPage();
    const seen = await page.evaluate(() => {
      const language = navigator.language;
      try {
        new Intl.NumberFormat(language);
        return { language, refused: false };
      } catch {
        return { language, refused: true };
      }
    });
    await page.close();
    expect(seen.language).toMatch(/@posix/);
    expect(seen.refused).toBe(true);
  });

  it("issue 50 §6: at 1024 and 1400 px under LANG=C the hour table shows every hour, none behind a scroll bar", async () => {
    for (const width of [1024, 1400]) {
      const page = await posix.newPage({ viewport: { width, height: 1000 } });
      await page.setContent(renderHtmlReport(summary(), "Spring renewals"));
      const table = page.locator("#by-hour-table");
      const cut = await table.evaluate((t) => {
        const box = (t as unknown as { parentElement: { scrollWidth: number; clientWidth: number } })
          .parentElement;
        return box.scrollWidth - box.clientWidth;
      });
      expect(cut).toBeLessThanOrEqual(1);
      const heads = (await table.locator("th").allTextContents()).filter((h) => /^\d+$/.test(h)).map(Number);
      expect(heads).toEqual(Array.from({ length: 24 }, (_, h) => h));
      await screenshot(page, `outcome-report-${width}.png`, { fullPage: true });
      await page.close();
    }
  });
});
