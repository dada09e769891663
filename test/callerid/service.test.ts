import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallerIdHealthRow } from "../../src/callerid/types.ts";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { openStore } from "../../src/core/store/index.ts";
import type { RunningCxoneEmulator } from "../../src/emulator/index.ts";
import { statusChanges } from "../../src/service/callerid-check.ts";
import { type RunningService, startService } from "../../src/service/index.ts";
import { launchChromium } from "../support/chromium.ts";
import { accessKeySettings } from "../support/cxone-access-key.ts";
import { PAGE_WAIT_MS } from "../support/page-watch.ts";
import { screenshot } from "../support/screenshot.ts";
import { until } from "../support/virtual-clock.ts";
import { labelledEmulator } from "./labelled-emulator.ts";

/**
 * Issue 66 §4: `cxo serve` checks every campaign's numbers at start (then daily): the labelled
 * number is on the board's panel with its ratio and since when, a `callerid.suspect` event is in
 * the outbox (committed with its audit record), the Prometheus gauge carries every number; the
 * panel in the project's Chromium under LANG=C at 1024 and 1400 px.
 */
// Page functions run in the browser, where this exists; the test project has no DOM lib.
declare const document: { documentElement: { clientWidth: number } };

const DAY = 86_400_000;
let emulator: RunningCxoneEmulator;
let svc: RunningService;
let dataDir: string;
let skillId = "";
let labelled = "";

beforeAll(async () => {
  ({ emulator, skillId, labelled } = await labelledEmulator(2));
  dataDir = mkdtempSync(path.join(tmpdir(), "cxo-callerid-serve-"));
  svc = await startService({
    settings: settingsSchema.parse({
      ...accessKeySettings(emulator),
      dataDir,
      http: { rateLimitScale: 1000, backoffBaseMs: 10, backoffCapMs: 100 },
      service: { port: 0, campaigns: [skillId], pollIntervalSeconds: 3600, livePollIntervalSeconds: 3600 },
    }),
  });
}, 120_000);
afterAll(async () => {
  await svc?.close();
  await emulator?.close();
});

type Panel = {
  checkedAt: string | null;
  numbers: Array<{ callerId: string; status: string; ratio: number; since: string }>;
};
const panel = async () => (await (await fetch(`${svc.url}/api/callerid`)).json()) as Panel;

describe("caller-ID health in the service", () => {
  it("at start: the labelled number on the panel, its callerid.suspect event in the outbox, the gauge", async () => {
    await until(async () => (await panel()).checkedAt !== null);
    const { numbers } = await panel();
    expect(numbers.map((n) => [n.callerId, n.status])).toEqual([[labelled, "suspect"]]);
    expect(numbers[0]!.ratio).toBeLessThan(0.5);
    expect(Date.parse(numbers[0]!.since)).toBeGreaterThan(Date.now() - 9 * DAY);

    const store = await openStore(dataDir);
    try {
      const events = await store.db.all<{ type: string; destination: string; data: string }>(
        "SELECT type, destination, data FROM outbox WHERE type LIKE 'callerid.%'",
      );
      expect(events.map((e) => [e.type, e.destination, JSON.parse(e.data).callerId])).toEqual([
        ["callerid.suspect", "campaigns", labelled],
      ]);
      const audits = await store.db.all<{ actor: string; target: string }>(
        "SELECT actor, target FROM audit_log WHERE operation = 'callerid.suspect'",
      );
      expect(audits).toEqual([{ actor: expect.stringMatching(/^callerid:/), target: labelled }]);
    } finally {
      await store.close();
    }
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    const gauge = metrics.split("\n").filter((l) => l.startsWith("cxo_callerid_answer_ratio{"));
    expect(gauge).toHaveLength(6);
    expect(gauge.find((l) => l.includes(`callerId="${labelled}"`))).toMatch(/ 0\.[0-4]\d*$/);
  }, 60_000);

  it("a number back from suspect is a callerid.cleared event; a new suspect one a callerid.suspect, once", () => {
    const row = (status: CallerIdHealthRow["status"]) =>
      ({ callerId: "+18005550100", campaignId: "k", status, ratio: 1, evidence: {} }) as CallerIdHealthRow;
    const key = "k|+18005550100|";
    expect(statusChanges([row("ok")], new Map([[key, "suspect"]])).map((c) => c.type)).toEqual([
      "callerid.cleared",
    ]);
    expect(statusChanges([row("suspect")], new Map([[key, "watch"]])).map((c) => c.type)).toEqual([
      "callerid.suspect",
    ]);
    expect(statusChanges([row("suspect")], new Map([[key, "suspect"]]))).toEqual([]);
    expect(statusChanges([row("watch")], new Map([[key, "suspect"]]))).toEqual([]);
  });

  it("service.callerIdCheckHours: 24 by default, 0 turns the check off, a negative or over 720 refused", () => {
    const hours = (service: object) => settingsSchema.safeParse({ service });
    expect(settingsSchema.parse({}).service.callerIdCheckHours).toBe(24);
    expect(hours({ callerIdCheckHours: 0 }).success).toBe(true);
    expect(hours({ callerIdCheckHours: 6 }).data?.service.callerIdCheckHours).toBe(6);
    expect(hours({ callerIdCheckHours: -1 }).success).toBe(false);
    expect(hours({ callerIdCheckHours: 721 }).success).toBe(false);
  });

  it("the panel in Chromium under LANG=C at 1024 and 1400 px: number, ratio and since", async () => {
    let browser: Browser | undefined;
    try {
      browser = await launchChromium({ env: { ...process.env, LANG: "C", LC_ALL: "C", LANGUAGE: "" } });
      for (const width of [1024, 1400]) {
        const page = await browser.newPage({ viewport: { width, height: 1000 } });
        const errors: string[] = [];
        page.on("pageerror", (error) => errors.push(error.message));
        await page.goto(`${svc.url}/`);
        const row = page.locator(`#callerid tr[data-caller-id="${labelled}"]`);
        await row.waitFor({ timeout: PAGE_WAIT_MS });
        const cells = await row.locator("td").allTextContents();
        expect(cells[0]).toBe("suspect");
        expect(cells[1]).toBe(labelled);
        expect(Number(cells[3])).toBeLessThan(0.5);
        expect(cells[4]).toMatch(/^\d+\.\d % of \d+\.\d %$/);
        expect(cells[5]).not.toBe("—");
        // Nothing overflows the page, nor the panel's card (a table wider than its card scrolls
        // inside it: at 1400 px, in half the page, the "Since" column was cut off).
        const fits = await page.locator("#callerid").evaluate((t) => {
          const card = t.closest("section") ?? t;
          return {
            page: t.getBoundingClientRect().right <= document.documentElement.clientWidth,
            card: card.scrollWidth <= card.clientWidth,
          };
        });
        expect(fits).toEqual({ page: true, card: true });
        await page.locator("#callerid").scrollIntoViewIfNeeded();
        await screenshot(page, `callerid/board-${width}.png`);
        expect(errors).toEqual([]);
        await page.close();
      }
    } finally {
      await browser?.close();
    }
  }, 60_000);
});
