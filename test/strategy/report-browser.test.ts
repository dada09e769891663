import { mkdirSync, readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { parseYaml } from "../../src/core/input-file.ts";
import { runStrategyBench } from "../../src/strategy/bench.ts";
import { learn } from "../../src/strategy/learn.ts";
import { newPlanSummary, plan } from "../../src/strategy/plan.ts";
import { HourCounter } from "../../src/strategy/plan-hours.ts";
import { compilePopulation } from "../../src/strategy/population.ts";
import { benchReportHtml, modelReportHtml } from "../../src/strategy/report-html.ts";
import type { OutcomeRecord } from "../../src/strategy/types.ts";
import { launchChromium } from "../support/chromium.ts";
import { screenshot } from "../support/screenshot.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

// Page functions run in the browser; the test project has no DOM lib.
interface Measured {
  getBoundingClientRect(): { left: number; right: number };
}
declare const document: {
  documentElement: { scrollWidth: number; clientWidth: number };
  querySelector(selector: string): unknown;
  createRange(): Measured & { selectNodeContents(node: unknown): void };
};

/**
 * The contact strategy's HTML report (issue 55 §5) in the project's Chromium under a C locale at
 * 1024 and 1400 px: nothing scrolls sideways; a heat map per list segment with 7 weekdays × 24
 * local hours, untried hours hatched (never printed as 0), numbers printed in the cells; the
 * legend is on the page (not in a tooltip); the capacity chart starts at zero and names the
 * capacity; the rules table names each rule in words; the strategies table names strategies.
 */
async function smallReport() {
  const doc = parseYaml(readFileSync("examples/strategy-population.yaml", "utf8")) as Record<string, unknown>;
  const population = compilePopulation({
    ...doc,
    horizonDays: 4,
    capacityPerHour: 10,
    list: {
      size: 300,
      observable: { column: "lifestyle", accuracy: 0.8 },
      history: { share: 0.2, attempts: 4, days: 14 },
    },
  });
  return runStrategyBench({ population, replications: 2, curveReplications: 1, recheck: false });
}

describe("strategy report (chromium, C locale)", () => {
  let browser: Browser;
  let html = "";
  beforeAll(async () => {
    html = benchReportHtml(await smallReport());
    browser = await launchChromium({ env: { ...process.env, LANG: "C", LC_ALL: "C", LANGUAGE: "" } });
    mkdirSync("test-artifacts/reports", { recursive: true });
  }, 120_000);
  afterAll(() => browser?.close());

  for (const width of [1024, 1400])
    it(`at ${width} px: heat maps, legend, capacity from zero, rules in words, nothing cut off`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.setContent(html);
      expect(errors).toEqual([]);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      expect(await page.locator("table.heat").count()).toBe(3);
      expect(await page.locator("table.heat").first().locator("tbody td").count()).toBe(7 * 24);
      const untried = page.locator("table.heat td.untried");
      expect(await untried.count()).toBeGreaterThan(0);
      expect((await untried.first().innerText()).trim()).toBe("");
      // 3 a.m. is never legal: hatched in every map, never a number.
      expect(
        await page
          .locator("table.heat tbody tr td:nth-child(5)")
          .evaluateAll((tds) =>
            tds.every((td) => (td as unknown as { className: string }).className === "untried"),
          ),
      ).toBe(true);
      const legend = await page.locator("p.legend").first().innerText();
      expect(legend).toContain("called party's local time");
      expect(legend).toContain("never tried");
      expect(legend).toContain("90% interval");
      const chart = page.locator("svg.chart");
      expect(await chart.locator("text", { hasText: "capacity 10 attempts/hour" }).count()).toBe(1);
      const labels = await chart
        .locator("text")
        .evaluateAll((ts) => ts.map((t) => (t as unknown as { textContent: string }).textContent));
      expect(labels).toContain("0");
      const rules = await page.locator("table.rules").innerText();
      expect(rules).toContain("TCPA calling hours");
      expect(rules).toContain("Florida, 8:00–20:00");
      const table = await page.locator("table").first().innerText();
      expect(table).toContain("NICE's 27/29/31-hour rests");
      expect(table).toContain("Oracle");
      await screenshot(page, `reports/strategy-bench-${width}.png`, { fullPage: true });
      await page.close();
    });

  it("a model and its plan: every segment pooled first, capacity and rules, segments named, nothing cut off at 1024 and 1400 px", async () => {
    const records: OutcomeRecord[] = Array.from({ length: 400 }, (_, i) => ({
      campaignId: "C1",
      startTime: new Date(Date.parse("2026-11-02T14:00:00Z") + (i % 40) * 3_600_000 * 5).toISOString(),
      phoneNumber: `+1${i % 2 ? "305" : "212"}72${String(10000 + i).slice(-5)}`,
      dispositionCode: i % 3 === 0 ? "CONVERTED" : "NO_ANSWER",
      agentId: i % 3 === 0 ? "a1" : null,
      durationSeconds: 60,
    })) as OutcomeRecord[];
    const model = await learn(
      (async function* () {
        yield* records;
      })(),
      { campaign: "C1", keys: ["state"] },
    );
    // The plan report as `cxo strategy plan --report` writes it: a real plan, its hours counted.
    const summary = newPlanSummary();
    const from = "2026-11-25T00:00:00-05:00";
    const hours = new HourCounter(Date.parse(from), 2);
    const list = Array.from({ length: 120 }, (_, i) => ({
      recordId: `r${i}`,
      phone: `+1${i % 2 ? "305" : "212"}73${String(10000 + i).slice(-5)}`,
      consent: true,
    }));
    for await (const row of plan(engine, list, model, { from, days: 2, capacityPerHour: 12 }, summary))
      hours.add(row.attemptAt);
    const learnedHtml = modelReportHtml(model, { campaignName: "Spring renewals" });
    const html = modelReportHtml(model, {
      campaignName: "Spring renewals",
      perHour: { attempts: hours.counts, capacity: 12, startMs: hours.startMs, localHours: hours.localHours },
      ruledOut: summary.ruledOutByRule,
      plan: summary,
    });
    for (const width of [1024, 1400]) {
      const learnedPage = await browser.newPage({ viewport: { width, height: 900 } });
      await learnedPage.setContent(learnedHtml);
      expect(await learnedPage.locator("svg.chart").count()).toBe(0);
      expect(await learnedPage.locator("table.heat").first().locator("tbody td").count()).toBe(7 * 24);
      await screenshot(learnedPage, `reports/strategy-learn-${width}.png`, { fullPage: true });
      await learnedPage.close();
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.setContent(html);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      expect(await page.locator("h1").innerText()).toContain("Spring renewals");
      expect(await page.locator("figcaption").first().innerText()).toMatch(/^Every segment together/);
      expect(await page.locator("figcaption", { hasText: "state FL" }).count()).toBe(1);
      expect(await page.locator("table.rules").innerText()).toContain("Outside the calling hours");
      const chart = page.locator("svg.chart");
      expect(await chart.locator("text", { hasText: "capacity 12 attempts/hour" }).count()).toBe(1);
      expect(Math.max(...hours.counts)).toBeLessThanOrEqual(12);
      // Issue 64 §2: the attempts chart says its clock (UTC) beside the heat maps' (local time) …
      expect(await page.locator("h2", { hasText: "Planned attempts per hour" }).innerText()).toContain(
        "(hours in UTC)",
      );
      // … and the same attempts by the called party's local hour, the heat maps' clock: 24 bars.
      const local = page.locator("figure", { hasText: "by the called party's local hour (0–23)" });
      expect(await local.locator("rect").count()).toBe(24);
      // … and the weekday labels stand clear of the first hour's cell, at this width.
      const gap = await page.evaluate(() => {
        const label = document.querySelector("table.heat tbody th") as unknown as Measured;
        const cell = document.querySelector("table.heat tbody td") as unknown as Measured;
        const range = document.createRange();
        range.selectNodeContents(label);
        return cell.getBoundingClientRect().left - range.getBoundingClientRect().right;
      });
      expect(gap).toBeGreaterThanOrEqual(4);
      await screenshot(page, `reports/strategy-model-${width}.png`, { fullPage: true });
      await page.close();
    }
  });
});
