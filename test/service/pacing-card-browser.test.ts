import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "../../src/service/index.ts";
import { launchChromium } from "../support/chromium.ts";
import { PAGE_WAIT_MS } from "../support/page-watch.ts";
import { screenshot } from "../support/screenshot.ts";
import { type ServiceHarness, serviceHarness } from "./harness.ts";

/**
 * Issue 50 §1 and §2 in the project's Chromium, under LANG=C, at 1024 and 1400 px: the pacing
 * card calls "ratio in force" the ratio read back from the platform and shows the controller's
 * wish as a wish; a change made outside the loop is said on the card and in "Needs attention";
 * the seed API's one tenant-wide dialer is said on the card; a rollback asked while pacing runs
 * says in its confirmation what happens to the loop.
 */
const WIDTHS = [1024, 1400];

describe("the pacing card (chromium, LANG=C)", () => {
  let h: ServiceHarness;
  let svc: RunningService;
  let browser: Browser;
  let running: string;
  let handedOver: string;

  beforeAll(async () => {
    h = await serviceHarness();
    [running, handedOver] = h.campaignIds as [string, string];
    svc = await h.start({ service: { campaigns: [running, handedOver], pollIntervalSeconds: 3600 } });
    browser = await launchChromium({ env: { ...process.env, LANG: "C", LC_ALL: "C", LANGUAGE: "" } });
    const at = new Date().toISOString();
    const common = {
      mode: "auto" as const,
      window: "ftc-30d",
      target: 0.03,
      cap: 3,
      atCap: false,
      abandonTarget: null,
      abandonment: 0.012,
      liveAnswers: 4200,
      budgetLeft: 76,
      at,
      ratioReadAt: at,
      tenantWide: true,
      onOutsideChange: "hand-over" as const,
    };
    svc.board.recordPacing(running, {
      ...common,
      ratio: 1.2,
      wish: 1.45,
      lastSet: 1.2,
      outside: null,
      reason: "controller cxo asks 1.45",
      window: "ofcom-24h",
      ledger: {
        regime: "ofcom-24h",
        words: "per campaign, any 24 hours",
        rate: 0.0231,
        interval95: [0.0188, 0.0281],
        abandoned: 97,
        live: 4200,
        limit: 0.03,
        headroom: 29,
        estimatedPeople: 12.4,
        worst: { rate: 0.0262, from: at, to: at },
      },
    });
    const outside = { inForce: 2.5, lastSet: 1, at, action: "handed-over" as const };
    const reason =
      "changed outside the pacing loop: 2.50 in force, the loop last set 1.00; the loop handed over and stopped (resume it to carry on from 2.50)";
    svc.board.recordPacing(handedOver, {
      ...common,
      ratio: 2.5,
      wish: 1,
      lastSet: 1,
      outside,
      reason,
      automation: { state: "stopped", by: `pacing:${handedOver}`, at, reason },
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function open(page: Page): Promise<string[]> {
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    // An operator's session, so the dialer panel has its buttons.
    await page.route("**/api/session", (route) =>
      route.fulfill({ json: { user: "olivia", role: "operator", via: "session", csrfToken: "t" } }),
    );
    await page.route("**/api/dialer/history", (route) =>
      route.fulfill({
        json: {
          versions: [
            {
              versionTag: "v1-2a9f",
              at: "2026-11-25T09:58:12Z",
              source: "snapshot",
              outcome: "applied",
              dialRatio: 2.5,
              algorithm: "predictive",
            },
            {
              versionTag: "v2-77c1",
              at: "2026-11-25T10:02:40Z",
              source: "pacing",
              outcome: "applied",
              dialRatio: 1,
              algorithm: "predictive",
            },
          ],
        },
      }),
    );
    const now = new Date().toISOString();
    await page.route("**/api/jobs", (route) =>
      route.fulfill({
        json: {
          jobs: [
            {
              kind: "tagging",
              campaignId: running,
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
    await page.goto(`${svc.url}/`);
    await page
      .locator(`article[data-campaign="${handedOver}"] [data-role="pacing"]`)
      .waitFor({ timeout: PAGE_WAIT_MS });
    await page.locator("#dialer-history button").first().waitFor({ timeout: PAGE_WAIT_MS });
    // The panels' first refresh has ended (it stamps the footer last): the jobs table is filled.
    await page.locator("#updated time").waitFor({ timeout: PAGE_WAIT_MS });
    return errors;
  }

  it("a card's concern reaches Needs attention while a slow panel holds the panels' refresh", async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 1000 } });
    // The panels that draw the list themselves never answer, and the audit panel neither, so the
    // panels' refresh never ends (a slow tenant's panel): only the card can bring its concern there.
    for (const held of ["audit", "skill-drift", "consent", "tenants"])
      await page.route(`**/api/${held}**`, () => undefined);
    await page.goto(`${svc.url}/`);
    await page
      .locator(`article[data-campaign="${handedOver}"] [data-role="pacing-handover"]`)
      .waitFor({ timeout: PAGE_WAIT_MS });
    await page
      .locator("#attention-list li", { hasText: "changed outside the pacing loop: 2.50 in force" })
      .waitFor({ timeout: PAGE_WAIT_MS });
    expect(await page.locator("#attention-none").isHidden()).toBe(true);
    await page.close();
  }, 60_000);

  for (const width of WIDTHS)
    it(`at ${width} px: ratio in force, the wish as a wish, the outside change on the card and in Needs attention`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 1000 } });
      const errors = await open(page);
      const runningCard = page.locator(`article[data-campaign="${running}"] [data-role="pacing"]`);
      const ratio = await runningCard.locator('[data-role="pacing-ratio"]').textContent();
      expect(ratio).toBe("ratio in force 1.20 of cap 3.00 lines per agent");
      expect(await runningCard.locator('[data-role="pacing-wish"]').textContent()).toBe(
        "the loop wishes 1.45",
      );
      // Issue 67: the ledger's legal figure with its interval, the regime's limit and the headroom.
      expect(await runningCard.locator('[data-role="pacing-ledger"]').textContent()).toBe(
        "Legal figure, per campaign, any 24 hours: 2.31 % (95 %: 1.88 % – 2.81 %), incl. 12 hung up on as machines (estimate)",
      );
      expect(await runningCard.locator('[data-role="ledger-limit"]').textContent()).toBe("limit 3.0 %");
      expect(await runningCard.locator('[data-role="ledger-headroom"]').textContent()).toBe(
        "headroom 29 abandons",
      );
      expect(await runningCard.locator('[data-role="ledger-worst"]').textContent()).toBe("worst 24 h 2.62 %");
      expect(await runningCard.locator('[data-role="pacing-ledger"]').getAttribute("data-term")).toBe(
        "legal figure",
      );
      expect(
        await page.locator(`article[data-campaign="${handedOver}"] [data-role="pacing-ledger"]`).count(),
      ).toBe(0);
      expect(await runningCard.locator('[data-role="pacing-tenant-wide"]').textContent()).toContain(
        "one dialer for the whole tenant",
      );

      const held = page.locator(`article[data-campaign="${handedOver}"] [data-role="pacing"]`);
      expect(await held.locator('[data-role="pacing-ratio"]').textContent()).toBe(
        "ratio in force 2.50 of cap 3.00 lines per agent",
      );
      expect(await held.locator('[data-role="pacing-wish"]').count()).toBe(0);
      expect(await held.textContent()).toContain("automation stopped");
      expect(await held.locator('[data-role="pacing-handover"]').textContent()).toContain(
        "changed outside the pacing loop: 2.50 in force, the loop last set 1.00",
      );
      await page
        .locator("#attention-list li", { hasText: "changed outside the pacing loop: 2.50 in force" })
        .waitFor({ timeout: PAGE_WAIT_MS });
      const attention = await page.locator("#attention-list").textContent();
      expect(attention).toContain("changed outside the pacing loop: 2.50 in force, the loop last set 1.00");

      // Readings a second apart: each chart's time labels are distinct (they read "13:31:52" four
      // times when the axis spanned a few seconds).
      const ticks = await page.evaluate(() =>
        Array.from(
          (
            globalThis as unknown as {
              document: { querySelectorAll(s: string): ArrayLike<{ dataset: { xTicks?: string } }> };
            }
          ).document.querySelectorAll("[data-x-ticks]"),
        ).map((box) =>
          (JSON.parse(box.dataset.xTicks ?? "[]") as Array<{ label: string }>).map((t) => t.label),
        ),
      );
      expect(ticks.length).toBeGreaterThan(0);
      for (const labels of ticks) expect(new Set(labels).size, labels.join(" ")).toBe(labels.length);
      await screenshot(page, `pacing-card-${width}.png`, { fullPage: true });
      const card = page.locator(`article[data-campaign="${running}"]`);
      if (process.env.CXO_SCREENSHOTS)
        await card.screenshot({ path: `${process.env.CXO_SCREENSHOTS}/pacing-ledger-${width}.png` });
      // The dialer panel's buttons stay inside its card.
      const overflow = await page.evaluate(() => {
        const doc = globalThis as unknown as {
          document: {
            querySelectorAll(s: string): ArrayLike<{ getBoundingClientRect(): { right: number } }>;
            getElementById(id: string): { getBoundingClientRect(): { right: number } };
          };
        };
        const card = doc.document.getElementById("dialer").getBoundingClientRect().right;
        const buttons = doc.document.querySelectorAll("#dialer-history button");
        return Array.from(buttons).map((b) => b.getBoundingClientRect().right - card);
      });
      expect(overflow.length).toBeGreaterThan(0);
      for (const excess of overflow) expect(excess).toBeLessThanOrEqual(0.5);

      // No panel scrolls sideways: every column (the bulk jobs' times, the outbox's) is whole.
      const sideways = await page.evaluate(() => {
        const doc = globalThis as unknown as {
          document: {
            querySelectorAll(s: string): ArrayLike<{ id: string; scrollWidth: number; clientWidth: number }>;
          };
        };
        return Array.from(doc.document.querySelectorAll(".grid > section"))
          .filter((s) => s.scrollWidth > s.clientWidth + 1)
          .map((s) => s.id || "section");
      });
      expect(sideways).toEqual([]);
      expect(await page.locator("#jobs tbody").textContent()).toMatch(/\d\d:\d\d:\d\d/);

      // A rollback asked while pacing runs says what happens to the loop.
      await page.locator("#dialer-history button").first().click();
      const confirm = await page.locator('[data-role="confirm-text"]').textContent();
      expect(confirm).toContain("hands over and stops");
      expect(confirm).toContain(h.fixtures.campaigns.find((c) => c.id === running)?.name ?? running);
      await screenshot(page, `pacing-confirm-${width}.png`);
      await page.locator('[data-role="confirm-cancel"]').click();
      expect(errors).toEqual([]);
      await page.close();
    }, 60_000);
});
