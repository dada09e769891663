import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/chromium.ts";
import { PAGE_WAIT_MS } from "../support/page-watch.ts";

// Page functions run in the browser, where `document` exists; the test project has no DOM lib.
declare const document: {
  querySelector(
    selector: string,
  ): { getAttribute(name: string): string | null; textContent: string | null } | null;
};

import type { RunningService } from "../../src/service/index.ts";
import { type ServiceHarness, serviceHarness } from "./harness.ts";

/**
 * A real browser (the Chromium `npm ci` installs, test/support/chromium.ts) loads the dashboard against the
 * emulator and sees a chart move after a forced metrics change. No skip: without chromium the
 * launch fails and so does the test. Playwright gives each launch a fresh temporary profile.
 * The screenshot is kept in test-artifacts/dashboard.png.
 */
const ARTIFACTS = path.resolve("test-artifacts");

describe("dashboard in a real browser (chromium)", () => {
  let h: ServiceHarness;
  let svc: RunningService;
  let browser: Browser;
  let campaign: string;

  beforeAll(async () => {
    h = await serviceHarness();
    campaign = h.campaignIds[0] as string;
    svc = await h.start({ service: { campaigns: h.campaignIds.slice(0, 2), pollIntervalSeconds: 0.5 } });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it("shows the campaigns, moves the chart after a forced metrics change, and saves a screenshot", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: "en-US" });
    const external: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith(svc.url)) external.push(request.url());
    });
    const consoleErrors: string[] = [];
    page.on("pageerror", (error) => consoleErrors.push(error.message));

    await page.goto(`${svc.url}/`);
    const card = page.locator(`article[data-campaign="${campaign}"]`);
    await card.waitFor({ timeout: PAGE_WAIT_MS });
    // uPlot drew a canvas for the chart.
    await expect(card.locator("canvas").count()).resolves.toBeGreaterThan(0);
    await page.waitForFunction(() => document.querySelector("#health-stream")?.textContent === "live", null, {
      timeout: 10_000,
    });
    const pointsBefore = Number(await card.locator('[data-role="chart"]').getAttribute("data-points"));

    await h.admin$("POST", `/campaigns/${campaign}/metrics`, { successRate: 0.0425, activeCalls: 31 });
    // The next poll (every 0.5 s) brings it; the page gets it over SSE without a reload.
    await page.waitForFunction(
      (id) =>
        document.querySelector(`article[data-campaign="${id}"]`)?.getAttribute("data-success-rate") ===
        "0.0425",
      campaign,
      { timeout: 10_000 },
    );
    await expect(card.locator('[data-role="success"]').textContent()).resolves.toBe("4.3 %");
    await expect(card.locator('[data-role="calls"]').textContent()).resolves.toBe("31");
    const pointsAfter = Number(await card.locator('[data-role="chart"]').getAttribute("data-points"));
    expect(pointsAfter).toBeGreaterThan(pointsBefore);
    await expect(page.locator("#outbox tbody").textContent()).resolves.toContain("No webhook destinations");
    await expect(page.locator("#health-cxone").textContent()).resolves.toContain("CXone ok");
    const html = await page.content();
    expect(html).not.toContain(h.admin.clientSecret);

    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = path.join(ARTIFACTS, "dashboard.png");
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    expect(external).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it("a login CXone refuses is said in the CXone pill, not 'ok' or 'not contacted yet'", async () => {
    const refusedDir = mkdtempSync(path.join(tmpdir(), "cxo-refused-"));
    const refused = await h.start({
      settings: h.settings(
        { campaigns: [campaign], pollIntervalSeconds: 0.5 },
        {
          dataDir: refusedDir,
          cxone: { baseUrl: h.emulatorUrl, clientId: h.admin.clientId, clientSecret: "not-the-secret" },
        },
      ),
    });
    try {
      mkdirSync(ARTIFACTS, { recursive: true });
      for (const width of [1024, 1400]) {
        const page = await browser.newPage({ viewport: { width, height: 800 }, locale: "en-US" });
        const scriptErrors: string[] = [];
        page.on("pageerror", (error) => scriptErrors.push(error.message));
        await page.goto(`${refused.url}/`);
        const pill = page.locator("#health-cxone");
        await page.waitForFunction(
          () => document.querySelector("#health-cxone")?.textContent?.includes("refused") === true,
          null,
          { timeout: PAGE_WAIT_MS },
        );
        await expect(pill.textContent()).resolves.toBe("CXone refused the login: check the credentials");
        await expect(pill.getAttribute("class")).resolves.toContain("pill-bad");
        expect(await page.content()).not.toContain("not-the-secret");
        await page.screenshot({ path: path.join(ARTIFACTS, `dashboard-login-refused-${width}.png`) });
        expect(scriptErrors).toEqual([]);
        await page.close();
      }
    } finally {
      await refused.close();
      rmSync(refusedDir, { recursive: true, force: true });
    }
  });
});
