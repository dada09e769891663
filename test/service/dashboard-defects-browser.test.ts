import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/core/store/index.ts";
import { launchChromium } from "../support/chromium.ts";
import { type ServiceHarness, serviceHarness, until } from "./harness.ts";

declare const document: {
  querySelector(selector: string): {
    dataset: Record<string, string>;
    textContent: string | null;
    closest(selector: string): { clientWidth: number; getBoundingClientRect(): { right: number } } | null;
    getBoundingClientRect(): { right: number };
  } | null;
};

/**
 * Issue 20, item 15, in a real browser at 1400 px: a one-point chart's time axis spans minutes
 * (uPlot padded it by years), the outbox table stays inside its card, and a campaign CXone
 * answers 404 for leaves the board instead of staying red forever.
 */
const LONG = "crm-integration-with-a-rather-long-destination-name";

describe("dashboard defects (chromium, 1400 px)", () => {
  let h: ServiceHarness;
  let browser: Browser;
  beforeAll(async () => {
    h = await serviceHarness();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it("time axis, outbox table width, and a 404 campaign leaving the board", async () => {
    const campaign = h.campaignIds[0] as string;
    const store = await openStore(h.dataDir);
    await store.outbox.enqueue(
      Array.from({ length: 3 }, (_, i) => ({ type: "call.tagged", destination: LONG, data: { i } })),
    );
    await store.close();
    const settings = h.settings(
      { campaigns: [campaign, "camp-deleted-yesterday"], pollIntervalSeconds: 3600, dispatcher: false },
      { destinations: { [LONG]: { url: "http://127.0.0.1:9/x" }, bi: { url: "http://127.0.0.1:9/bi" } } },
    );
    const svc = await h.start({ settings });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: "en-US" });
    await page.goto(`${svc.url}/`);
    const chart = `article[data-campaign="${campaign}"] [data-role="chart"]`;
    await page.waitForFunction((sel) => document.querySelector(sel)?.dataset.points === "1", chart, {
      timeout: 10_000,
    });
    const range = await page.evaluate((sel) => document.querySelector(sel)?.dataset, chart);
    const span = Number(range?.xMax) - Number(range?.xMin);
    expect(span).toBeGreaterThan(0);
    expect(span).toBeLessThan(600); // seconds: minutes around the point, not years

    await until(
      async () =>
        !(await (await fetch(`${svc.url}/api/campaigns`)).text()).includes("camp-deleted-yesterday"),
      10_000,
      "the 404 campaign to leave the board",
    );
    await page.waitForFunction(
      () => document.querySelector('article[data-campaign="camp-deleted-yesterday"]') === null,
      null,
      { timeout: 10_000 },
    );

    await page.waitForFunction(
      (name) => document.querySelector("#outbox")?.textContent?.includes(name),
      LONG,
      {
        timeout: 10_000,
      },
    );
    const fit = await page.evaluate(() => {
      const table = document.querySelector("#outbox");
      const section = table?.closest("section");
      return {
        table: table?.getBoundingClientRect().right ?? 0,
        section: section?.getBoundingClientRect().right ?? 0,
      };
    });
    expect(fit.table).toBeLessThanOrEqual(fit.section + 0.5);

    // Events for a destination nobody configured: said on the board, not queued silently.
    const orphan = await openStore(h.dataDir);
    await orphan.outbox.enqueue([{ type: "call.tagged", destination: "wfm", data: {} }]);
    await orphan.close();
    const api = (await (await fetch(`${svc.url}/api/outbox`)).json()) as {
      destinations: Array<{ destination: string; configured: boolean; note: string | null }>;
    };
    expect(api.destinations.find((d) => d.destination === "wfm")).toMatchObject({
      configured: false,
      note: expect.stringMatching(/1 event\(s\) wait: destination "wfm" is not configured.*CXO_DEST_WFM_URL/),
    });
    await page.reload();
    await page.waitForFunction(
      () =>
        document.querySelector('#outbox [data-role="unconfigured"]')?.textContent?.includes("not configured"),
      null,
      { timeout: 10_000 },
    );
    await svc.close();
  });
});
