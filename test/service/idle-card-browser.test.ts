import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "../../src/service/index.ts";
import { launchChromium } from "../support/chromium.ts";
import { PAGE_WAIT_MS } from "../support/page-watch.ts";
import { screenshot } from "../support/screenshot.ts";
import { type ServiceHarness, serviceHarness } from "./harness.ts";

/**
 * Issue 65 §3 in the project's Chromium, under LANG=C, at 1024 and 1400 px: an idle campaign that
 * should be dialing says on its card "Not dialing: <cause> — <fix>" and is listed in Needs
 * attention; a dialing one says how many records it can dial and when its list runs dry.
 */
const WIDTHS = [1024, 1400];

describe("the idle campaign card (chromium, LANG=C)", () => {
  let h: ServiceHarness;
  let svc: RunningService;
  let browser: Browser;
  let idle: string;
  let dialing: string;

  beforeAll(async () => {
    h = await serviceHarness();
    [idle, dialing] = h.campaignIds as [string, string];
    svc = await h.start({ service: { campaigns: [idle, dialing], pollIntervalSeconds: 3600 } });
    browser = await launchChromium({ env: { ...process.env, LANG: "C", LC_ALL: "C", LANGUAGE: "" } });
    const at = new Date().toISOString();
    svc.board.recordIdle(idle, {
      dialing: false,
      dialableNow: 0,
      cause: {
        code: "no_agents_logged_in",
        title: "no agent is logged in",
        fix: "log agents in to the skill",
        until: null,
      },
      summary: "Not dialing: no agent is logged in — log agents in to the skill.",
      runsDryAt: null,
      idleSince: at,
      shouldDial: true,
      checkedAt: at,
    });
    svc.board.recordIdle(dialing, {
      dialing: true,
      dialableNow: 1234,
      cause: null,
      summary: "Dialing: 1234 record(s) dialable now.",
      runsDryAt: new Date(Date.now() + 130 * 60_000).toISOString(),
      idleSince: null,
      shouldDial: false,
      checkedAt: at,
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  for (const width of WIDTHS)
    it(`at ${width} px: the cause and its fix on the card and in Needs attention; the run-dry time`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 1000 } });
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(`${svc.url}/`);
      const idleLine = page.locator(`article[data-campaign="${idle}"] [data-role="idle"]`);
      await idleLine.filter({ hasText: "Not dialing" }).waitFor({ timeout: PAGE_WAIT_MS });
      expect(await idleLine.textContent()).toBe(
        "Not dialing: no agent is logged in — log agents in to the skill",
      );
      expect(await page.locator(`article[data-campaign="${idle}"]`).getAttribute("data-attention")).toBe(
        "bad",
      );
      await page.locator("#attention-list li", { hasText: "Not dialing" }).waitFor({ timeout: PAGE_WAIT_MS });
      expect(await page.locator("#attention-list").textContent()).toContain(
        "Not dialing: no agent is logged in — log agents in to the skill",
      );
      const dialingLine = await page
        .locator(`article[data-campaign="${dialing}"] [data-role="idle"]`)
        .textContent();
      expect(dialingLine).toMatch(/^Dialing: 1,?234 record\(s\) dialable now · runs dry at .*\d\d:\d\d/);
      // The line stays inside its card.
      const overflow = await page.evaluate((id) => {
        const doc = globalThis as unknown as {
          document: { querySelector(s: string): { getBoundingClientRect(): { right: number } } | null };
        };
        const card =
          doc.document.querySelector(`article[data-campaign="${id}"]`)?.getBoundingClientRect().right ?? 0;
        const line = doc.document.querySelector(`article[data-campaign="${id}"] [data-role="idle"]`);
        return (line?.getBoundingClientRect().right ?? 0) - card;
      }, idle);
      expect(overflow).toBeLessThanOrEqual(0.5);
      await screenshot(page, `idle-card-${width}.png`, { fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    }, 60_000);
});
