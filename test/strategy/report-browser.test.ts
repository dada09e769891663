import { mkdirSync, readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseYaml } from "../../src/core/input-file.ts";
import { runStrategyBench } from "../../src/strategy/bench.ts";
import { compilePopulation } from "../../src/strategy/population.ts";
import { benchReportHtml } from "../../src/strategy/report-html.ts";
import { launchChromium } from "../support/chromium.ts";

// Page functions run in the browser; the test project has no DOM lib.
declare const document: { documentElement: { scrollWidth: number; clientWidth: number } };

/**
 * The contact strategy's HTML report (issue 55 §5) in the project's Chromium under a C locale at
 * 1024 and 1400 px: nothing scrolls sideways; a heat map per list segment with 7 weekdays × 24
 * local hours, untried hours hatched (never printed as 0), numbers printed in the cells; the
 * legend is on the page (not in a tooltip); the capacity chart starts at zero and names the
 * capacity; the rules table names each rule in words; the strategies table names strategies.
 */
function smallReport() {
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
  const html = benchReportHtml(smallReport());
  beforeAll(async () => {
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
      await page.screenshot({ path: `test-artifacts/reports/strategy-bench-${width}.png`, fullPage: true });
      await page.close();
    });
});
