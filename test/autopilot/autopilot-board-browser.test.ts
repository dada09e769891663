import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTOPILOT_REPORTS, AUTOPILOT_STATE, reportKey } from "../../src/autopilot/state.ts";
import type { CampaignState, DayReport } from "../../src/autopilot/types.ts";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { openStore } from "../../src/core/store/index.ts";
import { type RunningService, startService } from "../../src/service/index.ts";
import { launchChromium } from "../support/chromium.ts";
import { PAGE_WAIT_MS, watchPage } from "../support/page-watch.ts";
import { pinClock } from "../support/pinned-clock.ts";
import { screenshot } from "../support/screenshot.ts";

/**
 * The board when the autopilot has stopped a campaign (issue 91 §2): "Needs attention now" names
 * it with the reason and the command that resumes it, and the panel shows it stopped beside its
 * day report with drifts and actions — in Chromium under LANG=C at 1024 and 1400 px, no script
 * error, no horizontal overflow. The store holds the state a stop leaves (no CXone here: the
 * service reads the autopilot's kv as any instance would).
 */
let svc: RunningService;
let browser: Browser;
// The service reads the board's "now" on the morning of the states below (07:50 in New York, the
// failing push's last try 5 minutes before), not on the machine's date: one clock for the page.
let clock: ReturnType<typeof pinClock>;
const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-autopilot-board-"));
const REASON = "push could not be judged: GET skills/703/parameters answered without scheduleSettings";

beforeAll(async () => {
  clock = pinClock("2026-12-07T12:50:00Z");
  const store = await openStore(dataDir);
  const stopped: CampaignState = {
    campaign: "703",
    lastStep: { step: "push", at: "2026-12-07T07:05:00-05:00", ok: false, text: REASON },
    stopped: { at: "2026-12-07T07:05:00-05:00", code: "cxone_unreadable_answer", reason: REASON },
  };
  const report = {
    campaign: "703",
    kind: "collections",
    date: "2026-12-06",
    zone: "America/New_York",
    writtenAt: "2026-12-06T21:05:00-05:00",
    planned: 120,
    pushed: 96,
    dialled: 90,
    answered: 31,
    recordsReached: 88,
    blocked: { consent_revoked: 2 },
    held: { total: 14, replanned: 9, dropped: 3, waiting: 2, records: [] },
    refused: [],
    revocations: {
      received: 4,
      honouredToday: 4,
      late: 0,
      overdue: 0,
      callsAfter: 0,
      lagMinutes: { max: 6, median: 3 },
    },
    drifts: [
      { at: "2026-12-06T11:03:00-05:00", step: "watch", text: "retries 1 dial a record → 5 every 10 min" },
    ],
    interventions: [{ at: "2026-12-06T11:05:00-05:00", step: "watch", text: "retry settings put back" }],
    retried: [],
    why: [],
    suspectCallerIds: [],
  } satisfies DayReport;
  await store.kv.set(AUTOPILOT_STATE, "703", stopped);
  // Issue 101 §5: a campaign whose push has failed (503) for 40 minutes: an attention item.
  const failing: CampaignState = {
    campaign: "704",
    lastStep: { step: "push", at: "2026-12-07T07:45:00-05:00", ok: false, text: "CXone answered 503" },
    passing: {
      since: "2026-12-07T07:05:00-05:00",
      lastAt: "2026-12-07T07:45:00-05:00",
      step: "push",
      code: "server_error",
      text: "CXone answered 503",
      escalatedAt: "2026-12-07T07:35:00-05:00",
    },
  };
  await store.kv.set(AUTOPILOT_STATE, "704", failing);
  await store.kv.set(AUTOPILOT_REPORTS, reportKey("703", report.date), report);
  await store.close();
  svc = await startService({
    settings: settingsSchema.parse({
      dataDir,
      service: { port: 0, timeZone: "America/New_York", callerIdCheckHours: 0 },
      autopilot: {
        campaigns: [
          { campaign: "703", kind: "collections", list: "l.csv", model: "m.json" },
          { campaign: "704", kind: "sales", list: "l.csv", model: "m.json" },
        ],
      },
    }),
  });
  browser = await launchChromium({ env: { ...process.env, LANG: "C", LC_ALL: "C", LANGUAGE: "" } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await svc?.close();
  clock?.restore();
});

describe("a campaign the autopilot stopped, on the board (chromium, LANG=C)", () => {
  for (const width of [1024, 1400])
    it(`at ${width} px: on Needs attention with its reason and the resume command; the panel says stopped`, async () => {
      const page = await (await browser.newContext({ viewport: { width, height: 1100 } })).newPage();
      const watch = watchPage(page);
      await page.goto(`${svc.url}/`);
      await page.locator('#attention-list [data-autopilot-stopped="703"]').waitFor({ timeout: PAGE_WAIT_MS });
      const attention = await page.locator('#attention-list [data-autopilot-stopped="703"]').innerText();
      expect(attention).toContain("scheduleSettings");
      expect(attention).toContain("cxo autopilot resume --campaign 703");
      // The campaign failing for longer than escalateAfterMinutes: on Needs attention, and its row says so.
      const failing = await page.locator('#attention-list [data-autopilot-attention="704"]').innerText();
      expect(failing).toMatch(/push has failed since .*CXone answered 503/);
      const failingRow = await page.locator('#autopilot tr[data-autopilot="704"]').innerText();
      expect(failingRow).toMatch(/needs attention/);
      // Its next step in words a person acts on, the instant beside it (not a bare step code).
      // On the service's clock, the morning of its last try (it read the machine's date before).
      expect(failingRow).toMatch(/07 Dec 0[78]:\d\d(:\d\d)? plan and push/);
      await page.locator("#autopilot-reports tbody tr[data-report]").waitFor({ timeout: PAGE_WAIT_MS });
      expect(await page.locator('#autopilot tr[data-autopilot="703"]').innerText()).toMatch(/stopped/);
      // The command to resume it, whole on one line where it is shown (it broke after its "--").
      for (const where of [
        '#autopilot tr[data-autopilot="703"]',
        '#attention-list [data-autopilot-stopped="703"]',
      ]) {
        const command = page.locator(`${where} code.command`);
        expect(await command.innerText()).toBe("cxo autopilot resume --campaign 703");
        const lines = await command.evaluate((node) => node.getClientRects().length);
        expect(lines, where).toBe(1);
      }
      const row = await page.locator("#autopilot-reports tbody tr[data-report]").innerText();
      expect(row.split("\t").slice(2, 7)).toEqual([
        "120",
        "96",
        "90",
        "31",
        expect.stringMatching(/^92 ?%$/),
      ]);
      expect(row).toContain("retry settings put back");
      const overflow = await page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth",
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, `autopilot/stopped-${width}.png`, { fullPage: true });
      const shots = process.env.CXO_SCREENSHOTS;
      if (shots)
        await page
          .locator("#autopilot-panel")
          .screenshot({ path: path.join(shots, `autopilot/stopped-panel-${width}.png`) });
      expect(watch.errors).toEqual([]);
      await page.context().close();
    });
});
