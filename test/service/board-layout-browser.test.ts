import bcrypt from "bcryptjs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HISTORY_NAMESPACE, type HistoryRow } from "../../src/dialer/settings/history.ts";
import type { RunningService } from "../../src/service/index.ts";
import { launchChromium } from "../support/chromium.ts";
import { PAGE_WAIT_MS, watchPage } from "../support/page-watch.ts";
import { screenshot } from "../support/screenshot.ts";
import { failOver, seedScene } from "./console-scene.ts";
import { type ServiceHarness, serviceHarness } from "./harness.ts";

// Page functions run in the browser; the test project has no DOM lib.
interface Rect {
  left: number;
  right: number;
  top: number;
  bottom: number;
  width: number;
}
interface DomElement {
  getBoundingClientRect(): Rect;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  querySelector(selector: string): DomElement | null;
  className: string;
}
declare const document: {
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  querySelector(selector: string): DomElement | null;
};
declare function getComputedStyle(node: DomElement): {
  paddingLeft: string;
  paddingRight: string;
  display: string;
};

/**
 * Issue 64 §1's layout, on a board that has what went wrong: an open (red) failover incident
 * with its action buttons, and a dialer-settings history of three versions. In the project's
 * Chromium under a C locale at 1024 and 1400 px, judged by the elements' geometry: every cell of
 * the incident row (its colour included) lies inside the row and under its own column's header,
 * and the dialer-versions table takes the page's content width, not half of it.
 */
const SECRET = "whsec_Ym9hcmQtbGF5b3V0LWJyb3dzZXItdGVzdC1zZWNyZXQ=";
const users = [
  { name: "olivia", role: "operator", passwordHash: bcrypt.hashSync("olivia's long password", 4) },
];

function version(
  at: string,
  versionTag: string,
  dialRatio: number,
  source: HistoryRow["source"],
): HistoryRow {
  return {
    versionTag,
    at,
    source,
    outcome: source === "snapshot" ? "seen" : "verified",
    operationId: source === "snapshot" ? null : `op-${versionTag}`,
    settings: {
      concurrency: { maxAgents: 40 },
      algorithm: { type: "predictive", abandonmentTarget: 0.03, dialRatio },
    },
  };
}

describe("board layout with an open incident and dialer versions (chromium, LANG=C)", () => {
  let h: ServiceHarness;
  let svc: RunningService;
  let browser: Browser;

  beforeAll(async () => {
    h = await serviceHarness();
    const [primary, backup] = h.campaignIds as [string, string];
    svc = await h.start({
      service: {
        users,
        webhookSecret: SECRET,
        pollIntervalSeconds: 3600,
        campaigns: h.campaignIds.slice(0, 3),
        watchdogs: [{ primary, backup, threshold: 0.2, breaches: 1, minSample: 0, intervalSeconds: 3600 }],
      },
    });
    seedScene(h, svc);
    const now = Date.now();
    const iso = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    for (const row of [
      version(iso(180), "v1-2a9f0c41e7", 2.5, "snapshot"),
      version(iso(95), "v2-77c1d09b3a", 1.8, "applied"),
      version(iso(12), "v3-0f3e5a21c9", 2.5, "rollback"),
    ])
      await svc.store.kv.set(HISTORY_NAMESPACE, `${row.at}#${row.versionTag}`, row);
    await failOver(svc, SECRET, primary, "evt-layout-1");
    browser = await launchChromium({ env: { ...process.env, LANG: "C", LC_ALL: "C", LANGUAGE: "" } });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function signedIn(width: number): Promise<{ page: Page; errors: string[] }> {
    const page = await (await browser.newContext({ viewport: { width, height: 1100 } })).newPage();
    const watch = watchPage(page);
    await page.goto(`${svc.url}/`);
    await page.waitForURL(/\/sign-in$/);
    await page.fill("#user", "olivia");
    await page.fill("#password", "olivia's long password");
    await page.click("button[type=submit]");
    // An operator's view: the incident row has its buttons, the dialer table its roll-back ones.
    await page.locator('tr[data-incident] [data-action="acknowledge"]').waitFor({ timeout: PAGE_WAIT_MS });
    await page.locator("#dialer-history tbody tr:nth-child(3)").waitFor({ timeout: PAGE_WAIT_MS });
    return { page, errors: watch.errors };
  }

  for (const width of [1024, 1400]) {
    it(`at ${width} px: the incident row's cells stay in their columns; the dialer versions span the page`, async () => {
      const { page, errors } = await signedIn(width);
      const geometry = await page.evaluate(() => {
        const box = (n: DomElement) => {
          const r = n.getBoundingClientRect();
          return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width };
        };
        const row = document.querySelector("tr[data-incident]") as DomElement;
        const heads = Array.from(document.querySelectorAll("#incidents thead th")).map(box);
        const cells = Array.from(row.querySelectorAll("td")).map(box);
        const buttons = Array.from(row.querySelectorAll("td.row-actions button")).map(box);
        const main = document.querySelector("main") as DomElement;
        const style = getComputedStyle(main);
        const mainBox = box(main);
        return {
          displays: Array.from(row.querySelectorAll("td")).map((td) => getComputedStyle(td).display),
          rowClass: row.className,
          row: box(row),
          heads,
          cells,
          actions: box(row.querySelector("td.row-actions") as DomElement),
          buttons,
          content:
            mainBox.width - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight),
          dialer: box(document.querySelector("#dialer") as DomElement),
          dialerTable: box(document.querySelector("#dialer-history") as DomElement),
          dialerRows: document.querySelectorAll("#dialer-history tbody tr").length,
        };
      });
      await screenshot(page, `board-layout/board-${width}.png`, { fullPage: true });

      // The scene is what the checks need: a red open incident with buttons, three versions.
      expect(geometry.rowClass).toBe("bad");
      expect(geometry.buttons.length).toBeGreaterThan(0);
      expect(geometry.dialerRows).toBe(3);
      // Each coloured cell lies inside its row and under its own column's header.
      expect(geometry.cells).toHaveLength(geometry.heads.length);
      geometry.cells.forEach((cell, i) => {
        const head = geometry.heads[i]!;
        expect(Math.abs(cell.left - head.left), `cell ${i} left`).toBeLessThan(1);
        expect(Math.abs(cell.right - head.right), `cell ${i} right`).toBeLessThan(1);
        // …and fills the row's height: a cell laid out as a flex box (issue 64's defect) leaves
        // the table's layout, its colour covering only part of the row or running past it.
        expect(Math.abs(cell.top - geometry.row.top), `cell ${i} top`).toBeLessThan(1);
        expect(Math.abs(cell.bottom - geometry.row.bottom), `cell ${i} bottom`).toBeLessThan(1);
        expect(geometry.displays[i], `cell ${i} display`).toBe("table-cell");
      });
      // The action buttons inside the actions cell.
      for (const button of geometry.buttons) {
        expect(button.left).toBeGreaterThanOrEqual(geometry.actions.left - 0.5);
        expect(button.right).toBeLessThanOrEqual(geometry.actions.right + 0.5);
        expect(button.bottom).toBeLessThanOrEqual(geometry.actions.bottom + 0.5);
      }
      // The dialer versions: the page's content width (its card's padding aside), not half.
      expect(geometry.dialer.width).toBeGreaterThan(0.97 * geometry.content);
      expect(geometry.dialerTable.width).toBeGreaterThan(0.9 * geometry.content);
      expect(errors).toEqual([]);
      await page.context().close();
    }, 60_000);
  }
});
