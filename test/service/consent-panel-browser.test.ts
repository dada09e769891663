import bcrypt from "bcryptjs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deadlineOfRevocation } from "../../src/compliance/revocation-report.ts";
import { recordRevocations } from "../../src/consent/ledger.ts";
import { queueForReview, reviewItemOf } from "../../src/consent/review-queue.ts";
import { CONSENT_FINDINGS, FINDINGS_KEY } from "../../src/service/consent-findings.ts";
import type { RunningService } from "../../src/service/index.ts";
import { SKILL_DRIFT } from "../../src/strategy/skill-watch.ts";
import { launchChromium } from "../support/chromium.ts";
import { PAGE_WAIT_MS, watchPage } from "../support/page-watch.ts";
import { screenshot } from "../support/screenshot.ts";
import { type ServiceHarness, serviceHarness } from "./harness.ts";

/**
 * Issue 77 §5: the board's consent panel — revocations today, overdue, the CXone group's lag,
 * the DNC copy's age, coverage gaps, and (issue 92 §3) the messages waiting in review with those
 * overdue, named in "Needs attention" — with consumers' numbers masked to their last four digits
 * for a viewer (in the panel and in the audit panel) and whole for an operator. Rendered in the
 * project's Chromium under a C locale at 1024 and 1400 px.
 */
const users = [
  { name: "olivia", role: "operator", passwordHash: bcrypt.hashSync("olivia's long password", 4) },
  { name: "victor", role: "viewer", passwordHash: bcrypt.hashSync("victor's long password", 4) },
];
const PHONE = "+13125557984";
const OVERDUE = "+12125550131";

describe("the consent panel (chromium, LANG=C)", () => {
  let h: ServiceHarness;
  let svc: RunningService;
  let browser: Browser;

  beforeAll(async () => {
    h = await serviceHarness();
    svc = await h.start({
      // The findings below are set by the test, not by the service's report (off here).
      service: {
        users,
        pollIntervalSeconds: 3600,
        campaigns: h.campaignIds.slice(0, 2),
        consentReportMinutes: 0,
      },
    });
    const now = Date.now();
    await recordRevocations(
      svc.store,
      [
        {
          phone: PHONE,
          receivedAt: new Date(now - 60_000).toISOString(),
          channel: "sms",
          scope: { kind: "tenant" },
          source: "sms",
        },
        {
          phone: "",
          account: "ACC-1001",
          receivedAt: new Date(now - 120_000).toISOString(),
          channel: "mail",
          scope: { kind: "tenant" },
          source: "letter",
        },
      ],
      { actor: "test" },
    );
    // Waiting for a CXone group since long before its deadline: overdue.
    await recordRevocations(
      svc.store,
      [
        {
          phone: OVERDUE,
          receivedAt: new Date(now - 30 * 86_400_000).toISOString(),
          channel: "email",
          scope: { kind: "tenant" },
          source: "mail",
        },
      ],
      { actor: "test", cxoneGroupId: "31" },
    );
    // What the report found over 30 days (the service's task keeps it): one revocation honoured
    // late with calls after it — older than the newest rows, so only the findings show it.
    await svc.store.kv.set(CONSENT_FINDINGS, FINDINGS_KEY, {
      at: new Date(now).toISOString(),
      from: new Date(now - 30 * 86_400_000).toISOString(),
      late: 1,
      overdue: 0,
      breached: 1,
      findings: [
        {
          phone: "+13055550188",
          account: null,
          receivedAt: new Date(now - 20 * 86_400_000).toISOString(),
          scope: "tenant",
          late: true,
          overdue: false,
          callsAfter: 3,
        },
      ],
    });
    // Two inbound messages a person must read: one received 30 days ago (past its deadline).
    const message = (phone: string, agoMs: number, text: string) => {
      const receivedAt = new Date(now - agoMs).toISOString();
      return reviewItemOf(
        { phone, receivedAt, channel: "sms", scope: { kind: "tenant" }, source: "sms" },
        text,
        "negated",
        deadlineOfRevocation(phone, receivedAt),
      );
    };
    await queueForReview(svc.store, [
      message("+13125557985", 30 * 86_400_000, "don't stop"),
      message("+13125557986", 60_000, "no me dejen de escribir"),
    ]);
    // A skill edited after a cxo push, not yet put back.
    await svc.store.kv.set(SKILL_DRIFT, "703", {
      skillId: "703",
      seenAt: new Date(now - 60_000).toISOString(),
      changes: [],
      action: "restore-retry",
      text: "retries one dial a record → 5 attempt(s) every 10 min",
    });
    // The same on a skill the board watches: named as its card is, not by its id.
    await svc.store.kv.set(SKILL_DRIFT, h.campaignIds[1]!, {
      skillId: h.campaignIds[1]!,
      seenAt: new Date(now - 60_000).toISOString(),
      changes: [],
      action: "remove-records",
      text: "hours opened to 21:00",
    });
    browser = await launchChromium({ env: { ...process.env, LANG: "C", LC_ALL: "C", LANGUAGE: "" } });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function signedIn(width: number, user: string): Promise<{ page: Page; errors: string[] }> {
    const page = await (await browser.newContext({ viewport: { width, height: 1100 } })).newPage();
    const watch = watchPage(page);
    await page.goto(`${svc.url}/`);
    await page.waitForURL(/\/sign-in$/);
    await page.fill("#user", user);
    await page.fill("#password", `${user}'s long password`);
    await page.click("button[type=submit]");
    await page.locator("#consent tbody tr:nth-child(3)").waitFor({ timeout: PAGE_WAIT_MS });
    await page.locator("#audit tbody tr:nth-child(3)").waitFor({ timeout: PAGE_WAIT_MS });
    return { page, errors: watch.errors };
  }

  for (const width of [1024, 1400])
    for (const user of ["victor", "olivia"]) {
      it(`at ${width} px as ${user === "victor" ? "a viewer" : "an operator"}: the figures, the overdue row, numbers ${user === "victor" ? "masked" : "whole"}`, async () => {
        const { page, errors } = await signedIn(width, user);
        const figures = await page.locator("#consent-figures .figure").allInnerTexts();
        expect(figures.join(" | ")).toMatch(/2\s+revocations today/);
        expect(figures.join(" | ")).toMatch(/1\s+overdue/);
        expect(
          await page.locator('#consent-figures [data-figure="overdue"]').getAttribute("class"),
        ).toContain("bad");
        // Issue 92 §3: the review queue, its overdue message on "Needs attention" too.
        const review = page.locator('#consent-figures [data-figure="messages in review"]');
        expect(await review.innerText()).toMatch(/2 · 1 overdue\s+messages in review/);
        expect(await review.getAttribute("class")).toContain("bad");
        await page
          .locator('#attention-list [data-consent="review-overdue"]')
          .waitFor({ timeout: PAGE_WAIT_MS });
        expect(await page.locator("#attention-list").innerText()).toMatch(
          /Consent: 1 message\(s\) in review overdue/,
        );
        // Issue 77: an overdue revocation is in "Needs attention now", with a link to the panel.
        await page.locator('#attention-list [data-consent="overdue"]').waitFor({ timeout: PAGE_WAIT_MS });
        expect(await page.locator("#attention-list").innerText()).toMatch(
          /Consent: 1 revocation\(s\) overdue/,
        );
        // What the report finds is there too, whatever its rank among the newest rows.
        await page
          .locator('#attention-list [data-consent="called-after"]')
          .waitFor({ timeout: PAGE_WAIT_MS });
        const attention = await page.locator("#attention-list").innerText();
        expect(attention).toMatch(/Consent: 1 revocation\(s\) honoured late/);
        expect(attention).toMatch(/Consent: 1 revocation\(s\) with calls after them/);
        await page.locator('#attention-list [data-skill-drift="703"]').waitFor({ timeout: PAGE_WAIT_MS });
        expect(await page.locator("#attention-list").innerText()).toMatch(
          /Skill 703: changed after cxo's push \(retries one dial a record → 5 attempt\(s\) every 10 min\) — cxo puts the retry settings back/,
        );
        const named = page.locator(`#attention-list [data-skill-drift="${h.campaignIds[1]}"]`);
        await named.waitFor({ timeout: PAGE_WAIT_MS });
        expect(await named.innerText()).toMatch(
          /^Solar Leads East \(backup\): changed after cxo's push \(hours opened to 21:00\) — cxo takes the push's records out of its lists$/,
        );
        const consent = await page.locator("#consent").innerText();
        const audit = await page.locator("#audit").innerText();
        expect(consent).toContain("account ACC-1001");
        expect(consent).toContain("overdue");
        if (user === "victor") {
          for (const text of [consent, audit]) {
            expect(text).not.toContain(PHONE);
            expect(text).not.toContain(OVERDUE);
          }
          expect(consent).toContain("•••7984");
          expect(audit).toContain("•••7984");
        } else {
          expect(consent).toContain(PHONE);
          expect(audit).toContain(PHONE);
        }
        // The panel fits the page: no horizontal scroll at this width.
        const overflow = await page.evaluate(
          "document.documentElement.scrollWidth - document.documentElement.clientWidth",
        );
        expect(overflow).toBeLessThanOrEqual(0);
        await page.locator("#consent-panel").scrollIntoViewIfNeeded();
        await screenshot(page, `consent-panel/board-${width}-${user}.png`, { fullPage: true });
        expect(errors).toEqual([]);
        await page.context().close();
      }, 60_000);
    }
});
