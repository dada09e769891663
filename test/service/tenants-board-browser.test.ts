import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import bcrypt from "bcryptjs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { type RunningService, startService } from "../../src/service/index.ts";
import { launchChromium } from "../support/chromium.ts";

/**
 * Issue 54 §2, the board of a service for several business units, in Chromium under LANG=C:
 * a user granted two tenants gets a switcher (names) in the header and, on acme's board, globex's
 * dead outbox events in "Needs attention" with globex's name on them; a user granted acme alone
 * gets acme's name and no switcher, and nothing of globex on the page. Screenshots at 1024 and
 * 1400 px go to CXO_SCREENSHOTS (when set) for a person to look at.
 */
const PASSWORD = "a long enough password";

describe("the board of a service for several business units (chromium)", () => {
  let emus: RunningEmulator[];
  let svc: RunningService;
  let browser: Browser;

  beforeAll(async () => {
    emus = await Promise.all(
      [0, 1].map(() =>
        startEmulator({ port: 0, calls: 20, seed: 42, metricsIntervalMs: 0, rateLimitScale: 1000 }),
      ),
    );
    const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-tenants-board-"));
    const campaigns = emus[0]!.fixtures.campaigns.slice(0, 2).map((c) => c.id);
    const tenant = (name: string, emu: RunningEmulator) => ({
      name,
      settings: settingsSchema.parse({
        tenant: name,
        cxone: {
          baseUrl: emu.url,
          clientId: emu.fixtures.clients[0]!.clientId,
          clientSecret: emu.fixtures.clients[0]!.clientSecret,
        },
        dataDir: path.join(dataDir, "tenants", name),
        http: { rateLimitScale: 1000 },
        service: { port: 0, pollIntervalSeconds: 3600, campaigns },
      }),
    });
    const hash = bcrypt.hashSync(PASSWORD, 4);
    svc = await startService({
      settings: settingsSchema.parse({
        dataDir,
        service: {
          port: 0,
          passwordHashCost: 4,
          users: [
            { name: "olivia", role: "operator", tenants: ["acme", "globex"], passwordHash: hash },
            { name: "oscar", role: "operator", tenants: ["acme"], passwordHash: hash },
          ],
        },
      }),
      tenants: [tenant("acme", emus[0]!), tenant("globex", emus[1]!)],
    });
    await svc.pollNow();
    // Something needs attention on globex: a dead outbox event.
    const globex = svc.tenants.get("globex")!.store;
    const [event] = await globex.outbox.enqueue([{ type: "call.tagged", destination: "bi", data: { n: 1 } }]);
    await globex.db.run("UPDATE outbox SET status = 'dead' WHERE id = ?", [event!.id]);
    browser = await launchChromium({ env: { ...process.env, LANG: "C", LC_ALL: "C", LANGUAGE: "" } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await svc?.close();
    await Promise.all((emus ?? []).map((emu) => emu.close()));
  });

  async function signedIn(user: string, width: number): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${svc.url}/sign-in`);
    await page.fill("input[name=user]", user);
    await page.fill("input[name=password]", PASSWORD);
    await page.click("button[type=submit]");
    await page.waitForURL(/\/t\/acme\/$/, { timeout: 15_000 });
    await page.locator("article[data-campaign]").first().waitFor({ timeout: 15_000 });
    return { page, errors };
  }

  async function shoot(page: Page, name: string): Promise<void> {
    const dir = process.env.CXO_SCREENSHOTS;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, name), fullPage: false });
  }

  it("a user granted two tenants: a switcher of names, and globex's dead events in acme's Needs attention, named", async () => {
    // Both widths when a person will look at the screenshots; one otherwise (a browser page is dear).
    for (const width of process.env.CXO_SCREENSHOTS ? [1024, 1400] : [1400]) {
      const { page, errors } = await signedIn("olivia", width);
      const select = page.locator("[data-role=tenant-select]");
      await select.waitFor({ state: "visible", timeout: 10_000 });
      expect(await select.locator("option").allTextContents()).toEqual(["acme", "globex"]);
      expect(await select.inputValue()).toBe("/t/acme/");
      const item = page.locator("#attention-list li[data-tenant=globex]");
      await item.waitFor({ timeout: 15_000 });
      expect(await item.textContent()).toMatch(/^globex\s*Outbox: 1 dead event\(s\)/);
      await shoot(page, `tenants-board-${width}.png`);
      if (width === 1400) {
        await select.selectOption({ label: "globex" });
        await page.waitForURL(/\/t\/globex\/$/);
        await page.locator("#attention-list li").first().waitFor({ timeout: 15_000 });
        expect(await page.locator("#attention-list li").first().textContent()).toMatch(/^globex/);
      }
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it("a user granted acme alone: acme's name, no switcher, nothing of globex on the page", async () => {
    const { page, errors } = await signedIn("oscar", 1024);
    await page.locator("[data-role=tenant-name]").waitFor({ state: "visible", timeout: 10_000 });
    expect(await page.locator("[data-role=tenant-name]").textContent()).toBe("acme");
    expect(await page.locator("#tenant-switch").isVisible()).toBe(false);
    await page.waitForFunction(() => document.querySelector("#updated")?.textContent !== "—", null, {
      timeout: 10_000,
    });
    expect(await page.content()).not.toContain("globex");
    await shoot(page, "tenants-board-single-1024.png");
    expect(errors).toEqual([]);

    // Another unit's board opened in the browser: a page in the board's look, not raw JSON
    // (issue 64 §1); its JSON API still answers JSON.
    const refused = await page.goto(`${svc.url}/t/globex/`);
    expect(refused?.status()).toBe(403);
    expect(refused?.headers()["content-type"]).toMatch(/^text\/html/);
    expect(await page.locator("h2").textContent()).toBe("You have no access to this business unit");
    expect(await page.locator("h1").textContent()).toBe("Outbound operations");
    const styled = await page.evaluate(
      () => getComputedStyle(document.querySelector("header.top")).borderBottomStyle,
    );
    expect(styled).not.toBe("none");
    await shoot(page, "tenants-board-refused-1024.png");
    const api = await page.request.get(`${svc.url}/t/globex/api/campaigns`, {
      headers: { accept: "text/html" },
    });
    expect(api.status()).toBe(403);
    expect(await api.json()).toMatchObject({ error: "forbidden" });
    await page.close();
  });
});

declare const document: { querySelector(selector: string): { textContent: string | null } | null };
declare function getComputedStyle(element: unknown): { borderBottomStyle: string };
