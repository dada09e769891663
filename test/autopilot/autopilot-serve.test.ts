import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveState } from "../../src/autopilot/state.ts";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { openStore } from "../../src/core/store/index.ts";
import type { RunningCxoneEmulator } from "../../src/emulator/index.ts";
import type { AutopilotAnswer } from "../../src/service/answers/panels.ts";
import { type RunningService, startService } from "../../src/service/index.ts";
import { launchChromium } from "../support/chromium.ts";
import { accessKeySettings } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { PAGE_WAIT_MS, watchPage } from "../support/page-watch.ts";
import { pinClock } from "../support/pinned-clock.ts";
import { screenshot } from "../support/screenshot.ts";
import { waitUntil } from "../support/wait-until.ts";
import { autopilotEmulator, writeList, writeModel } from "./fixture.ts";

/**
 * `cxo serve` runs the autopilot (issue 91 §2) on the leader, on the service's clock: a running
 * clock (×600) from 08:58 Eastern on a Monday takes the campaign through its morning (08:30,
 * plan and push); once the push is made the test moves the clock on to 12:14 and the evening
 * (12:15: the day report) comes in a second, with the production emulator in this process on
 * the same clock dialling the list's 11:00 records at their time. The board's autopilot
 * panel shows the last and next steps and the day report, in Chromium (LANG=C) at 1024 and 1400
 * px; every write is audited as `autopilot`. A campaign CXone does not know (another business
 * unit's) is refused at start, nothing run.
 */
let emulator: RunningCxoneEmulator;
let svc: RunningService;
let clock: ReturnType<typeof pinClock>;
let skillId = "";
const dir = mkdtempSync(path.join(tmpdir(), "cxo-autopilot-serve-"));
const file = (name: string) => path.join(dir, name);

const settingsWith = (campaign: string, dataDir: string) =>
  settingsSchema.parse({
    ...accessKeySettings(emulator),
    dataDir,
    http: { rateLimitScale: 1000, backoffBaseMs: 10, backoffCapMs: 100 },
    service: {
      port: 0,
      timeZone: "America/New_York",
      pollIntervalSeconds: 3600,
      livePollIntervalSeconds: 3600,
      callerIdCheckHours: 0,
    },
    autopilot: {
      reportDir: file("reports"),
      campaigns: [
        {
          campaign,
          kind: "collections",
          morning: "08:30",
          evening: "12:15",
          list: file("list.csv"),
          model: file("model.json"),
          // One dial a record: the figures below count the morning's list.
          retryUnanswered: 0,
        },
      ],
    },
  });

const panel = async () => (await (await fetch(`${svc.url}/api/autopilot`)).json()) as AutopilotAnswer;

beforeAll(async () => {
  clock = pinClock("2026-12-07T08:58:00-05:00", 600);
  ({ emulator, skillId } = await autopilotEmulator());
  // 11:00 local answers best: the morning's plan (made from 08:59) takes today's; the clock runs
  // ×600, so the push has two hours of clock (12 s) before that hour, a loaded machine included.
  writeModel(file("model.json"), skillId, (hour) => (hour === 11 ? 300 : 8));
  writeList(file("list.csv"), [
    ["r1", "+12125557701", "ACC-1"],
    ["r2", "+12155557702", "ACC-2"],
    ["r3", "+17185557703", "ACC-3"],
  ]);
  svc = await startService({ settings: settingsWith(skillId, file(".cxo")) });
}, 120_000);

afterAll(async () => {
  await svc?.close();
  await emulator?.close();
  clock?.restore();
});

describe("cxo serve's autopilot", () => {
  it("plans and pushes at the morning and writes the day report at the evening, on the service's clock", async () => {
    // The morning's run plans and pushes the three records for 11:00 (a loaded machine's slow
    // push included: the clock is at most minutes past 09:00 when it ends)...
    // A read the busy service drops (fetch failed, in a whole run at load 10-20) is read again:
    // the condition is what is waited for.
    await waitUntil(async () => (await panel().catch(() => undefined))?.campaigns[0]?.today?.pushed === 3, {
      what: "the morning's push",
      timeoutMs: 60_000,
      intervalMs: 50,
    });
    // ...then the test moves the clock on to just before the evening rather than waiting out
    // three hours of it (18 s at x600): the emulator's dialer dials the 11:00 records at their
    // time when next read, and the service's next run after 12:15 writes the day report.
    clock.jumpTo("2026-12-07T12:14:00-05:00");
    await waitUntil(async () => ((await panel().catch(() => undefined))?.reports.length ?? 0) > 0, {
      what: "the day report",
      timeoutMs: 60_000,
      intervalMs: 50,
    });
    const answer = await panel();
    expect(answer.configured).toBe(true);
    // The whole answer (steps, retried, refused) says why, should this fail.
    expect(answer.reports[0], JSON.stringify(answer)).toMatchObject({
      campaign: skillId,
      date: "2026-12-07",
      planned: 3,
      pushed: 3,
    });
    // What the report says was dialled is what the emulator dialled on the day's lists.
    const lists = (
      (await adminCall(emulator.url, "GET", "/fixtures")) as { callingLists: Array<{ listId: number }> }
    ).callingLists;
    let dials = 0;
    for (const { listId } of lists)
      dials += ((await adminCall(emulator.url, "GET", `/lists/${listId}/dials`)) as { dials: unknown[] })
        .dials.length;
    expect(answer.reports[0]?.dialled).toBe(dials);
    expect(answer.reports[0]?.recordsReached).toBe(dials);
    expect(answer.campaigns[0]).toMatchObject({ campaign: skillId, state: "running" });
    expect(answer.campaigns[0]?.next).toMatchObject({ step: "plan", at: "2026-12-08T08:30:00-05:00" });
    // The day report, and beside it the evidence of the day's dials (one file per list).
    const files = readdirSync(file("reports"));
    expect(files.filter((f) => !f.endsWith("-evidence.ndjson"))).toEqual([`2026-12-07-${skillId}.json`]);
    expect(files.filter((f) => f.endsWith("-evidence.ndjson")).length).toBeGreaterThan(0);

    const store = await openStore(file(".cxo"));
    try {
      const audits = await store.db.all<{ actor: string; operation: string }>(
        "SELECT actor, operation FROM audit_log WHERE operation LIKE 'strategy.%' OR operation LIKE 'autopilot.%'",
      );
      expect(audits.map((a) => a.operation)).toContain("autopilot.day-report");
      for (const { actor } of audits) expect(actor).toMatch(/^autopilot/);
      const events = await store.db.all<{ type: string }>(
        "SELECT type FROM outbox WHERE type = 'autopilot.day-report'",
      );
      expect(events).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  describe("the board's autopilot panel (chromium, LANG=C)", () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium({ env: { ...process.env, LANG: "C", LC_ALL: "C", LANGUAGE: "" } });
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
    });

    for (const width of [1024, 1400])
      it(`at ${width} px: the campaign by name, its next step, the day report's figures`, async () => {
        const page = await (await browser.newContext({ viewport: { width, height: 1100 } })).newPage();
        const watch = watchPage(page);
        await page.goto(`${svc.url}/`);
        await page.locator("#autopilot-reports tbody tr[data-report]").waitFor({ timeout: PAGE_WAIT_MS });
        const row = await page.locator("#autopilot-reports tbody tr[data-report]").first().innerText();
        expect(row).toMatch(/2026-12-07/);
        const report = (await panel()).reports[0];
        expect(row.split("\t").slice(2, 6)).toEqual([
          "3",
          "3",
          String(report?.dialled),
          String(report?.answered),
        ]);
        expect(await page.locator("#autopilot").innerText()).toMatch(/running/);
        const overflow = await page.evaluate(
          "document.documentElement.scrollWidth - document.documentElement.clientWidth",
        );
        expect(overflow).toBeLessThanOrEqual(0);
        await page.locator("#autopilot-panel").scrollIntoViewIfNeeded();
        await screenshot(page, `autopilot/board-${width}.png`, { fullPage: true });
        const shots = process.env.CXO_SCREENSHOTS;
        if (shots)
          await page
            .locator("#autopilot-panel")
            .screenshot({ path: path.join(shots, `autopilot/panel-${width}.png`) });
        expect(watch.errors).toEqual([]);
        await page.context().close();
      });
  });
});

describe("a skill of the same id that is not the one the autopilot ran (issue 100, High)", () => {
  it("is refused at start naming the setting and both names, nothing run", async () => {
    const dataDir = file(".cxo-identity");
    const store = await openStore(dataDir);
    try {
      await saveState(store, { campaign: skillId, skillName: "Acme Collections (another unit)" });
    } finally {
      await store.close();
    }
    await expect(startService({ settings: settingsWith(skillId, dataDir) })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(
        /autopilot\.campaigns\[0\]\.campaign: campaign \d+ is ".+" in this business unit, but the autopilot ran "Acme Collections \(another unit\)" under that id/,
      ),
    });
  });
});

describe("a campaign of another business unit", () => {
  it("is refused at start (InputError naming the setting), nothing run", async () => {
    await expect(
      startService({ settings: settingsWith("999999", file(".cxo-other")) }),
    ).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(
        /autopilot\.campaigns\[0\]\.campaign.*not a campaign of this business unit/,
      ),
    });
  });
});
