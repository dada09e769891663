import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "../../src/service/index.ts";
import { launchChromium } from "../support/chromium.ts";
import { PAGE_WAIT_MS, watchPage } from "../support/page-watch.ts";
import { screenshot } from "../support/screenshot.ts";
import { type ServiceHarness, serviceHarness } from "./harness.ts";

// Page functions run in the browser, where `document` exists; the test project has no DOM lib.
interface DomNode {
  textContent: string | null;
  querySelectorAll(selector: string): ArrayLike<DomNode>;
}
declare const document: DomNode & {
  createTreeWalker(root: DomNode, what: number): { nextNode(): (DomNode & { data: string }) | null };
  createRange(): {
    setStart(node: DomNode, offset: number): void;
    setEnd(node: DomNode, offset: number): void;
    getClientRects(): ArrayLike<unknown>;
  };
};
declare const navigator: { language: string };

/**
 * The board in a real browser at 1400 px (issue 32): §1, its charts under a C/POSIX locale, where
 * Chromium's language tag is `en-US@posix` and Intl refuses it; §4, the bulk-job and incident
 * tables wrap between words, never through one.
 */
const VIEWPORT = { width: 1400, height: 1000 };

describe("the board (chromium, 1400 px)", () => {
  let h: ServiceHarness;
  let svc: RunningService;
  let browser: Browser;
  let posix: Browser;

  beforeAll(async () => {
    h = await serviceHarness();
    svc = await h.start({ service: { campaigns: h.campaignIds.slice(0, 2), pollIntervalSeconds: 3600 } });
    [browser, posix] = await Promise.all([
      launchChromium(),
      launchChromium({ env: { ...process.env, LANG: "C", LC_ALL: "C", LANGUAGE: "" } }),
    ]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([browser?.close(), posix?.close()]);
    await h?.close();
  });

  async function open(page: Page): Promise<string[]> {
    const watch = watchPage(page);
    await page.goto(`${svc.url}/`);
    await watch.visible(
      page.locator(`article[data-campaign="${h.campaignIds[0]}"] canvas`).first(),
      "the first campaign's chart",
    );
    return watch.errors;
  }

  it("draws its charts under a C/POSIX locale (navigator.language en-US@posix)", async () => {
    const page = await posix.newPage({ viewport: VIEWPORT });
    // The browser did start under that locale: the page's own view of the language is mended.
    const raw = await page.evaluate(() => navigator.language);
    expect(raw).toMatch(/@posix/);
    const errors = await open(page);
    const canvases = await page.locator("article[data-campaign] canvas").count();
    expect(canvases).toBeGreaterThan(0);
    await expect(page.evaluate(() => navigator.language)).resolves.toBe("en-US");
    // Dates and numbers still print (the page formats with the browser's locale).
    await page.waitForFunction(() => document.querySelectorAll("#updated")[0]?.textContent !== "—", null, {
      timeout: PAGE_WAIT_MS,
    });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows the production budget guard on the campaign's card: maximum ratio, the skill's abandon target, the budget", async () => {
    const id = h.campaignIds[1]!;
    svc.board.recordPacing(id, {
      mode: "guard",
      window: "ftc-30d",
      target: 0.03,
      ratio: 2.5,
      cap: null,
      atCap: false,
      abandonTarget: 0.013,
      abandonment: 0.045,
      liveAnswers: 1000,
      budgetLeft: -15,
      reason: "budget short, abandon target lowered to 1.30%",
      at: new Date().toISOString(),
    });
    const page = await browser.newPage({ viewport: VIEWPORT, locale: "en-US" });
    const errors = await open(page);
    const box = page.locator(`article[data-campaign="${id}"] [data-role="pacing"]`);
    await box.waitFor({ timeout: PAGE_WAIT_MS });
    const text = await box.textContent();
    expect(text).toContain("Budget guard");
    expect(text).toContain("FTC 30-day window");
    expect(text).toContain("maximum ratio 2.50");
    expect(text).toContain("skill abandon target 1.3 %");
    expect(text).toContain("budget left 0 abandons");
    // The controller's latest reason is on the page as text, not in a tooltip.
    expect(text).toContain("budget short, abandon target lowered to 1.30%");
    expect(await box.getAttribute("data-mode")).toBe("guard");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("wraps the bulk-job and incident tables between words, never through one", async () => {
    const page = await browser.newPage({ viewport: VIEWPORT, locale: "en-US" });
    const now = new Date().toISOString();
    await page.route("**/api/jobs", (route) =>
      route.fulfill({
        json: {
          jobs: [
            {
              kind: "tagging",
              campaignId: "camp-outbound-spring-renewals-2026",
              rowsDone: 123_456,
              rowsFailed: 12,
              lastRow: 123_468,
              startedAt: now,
              lastAt: now,
              active: true,
            },
          ],
        },
      }),
    );
    await page.route("**/api/incidents", (route) =>
      route.fulfill({
        json: {
          available: true,
          incidents: [
            {
              id: "inc-1",
              primary: "camp-outbound-spring-renewals-2026",
              backup: "camp-outbound-spring-renewals-backup",
              openedAt: now,
              trigger: {
                successRate: 0.042,
                callsInWindow: 900,
                threshold: 0.15,
                minSample: 50,
                breaches: 3,
              },
              phase: "failed-over",
              failedOverAt: now,
              closedAt: null,
              closedBy: null,
            },
          ],
        },
      }),
    );
    const errors = await open(page);
    await page.waitForFunction(
      () =>
        (document.querySelectorAll("#jobs tbody")[0]?.textContent ?? "").includes("tagging") &&
        (document.querySelectorAll("#incidents tbody")[0]?.textContent ?? "").includes("failed-over"),
      null,
      { timeout: PAGE_WAIT_MS },
    );
    // Every word of every cell sits on one line: a word broken letter by letter across lines has
    // more than one client rect. An id may wrap after its hyphens, so its parts count as words.
    const split = await page.evaluate(() => {
      const broken: string[] = [];
      for (const table of ["#jobs", "#incidents"]) {
        const cells = document.querySelectorAll(`${table} tbody td`);
        for (let c = 0; c < cells.length; c++) {
          const walker = document.createTreeWalker(cells[c] as DomNode, 4 /* NodeFilter.SHOW_TEXT */);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const match of node.data.matchAll(/[^\s-]+/g)) {
              const range = document.createRange();
              range.setStart(node, match.index ?? 0);
              range.setEnd(node, (match.index ?? 0) + match[0].length);
              if (range.getClientRects().length > 1) broken.push(`${table}: ${match[0]}`);
            }
          }
        }
      }
      return broken;
    });
    expect(split).toEqual([]);
    // And the tables stay inside their cards (no sideways scrolling at 1400 px).
    const overflow = await page.evaluate(() =>
      ["#jobs", "#incidents"].map((table) => {
        const element = document.querySelectorAll(table)[0] as unknown as {
          getBoundingClientRect(): { right: number };
          closest(s: string): { getBoundingClientRect(): { right: number } };
        };
        return (
          element.getBoundingClientRect().right - element.closest("section").getBoundingClientRect().right
        );
      }),
    );
    for (const excess of overflow) expect(excess).toBeLessThanOrEqual(0.5);
    await screenshot(page, "board-tables.png", { fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
