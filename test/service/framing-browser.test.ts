import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Frame } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "../../src/service/index.ts";
import { launchChromium } from "../support/chromium.ts";
import { type ServiceHarness, serviceHarness, until } from "./harness.ts";

declare const document: { title: string; body: { innerText: string } | null };

/**
 * Issue 51 §3 (clickjacking), in the project's Chromium: a page on the same host, another port,
 * frames the console (the board and the sign-in page). The console must not render inside it —
 * `frame-ancestors 'none'` and `X-Frame-Options: DENY` — while the same page framing one of its
 * own origin's pages renders that one (the control: framing works in this browser).
 */
describe("the console cannot be framed (chromium)", () => {
  let h: ServiceHarness;
  let svc: RunningService;
  let attacker: Server;
  let attackerUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    h = await serviceHarness();
    svc = await h.start({ service: { pollIntervalSeconds: 3600 } });
    attacker = createServer((request, response) => {
      if (request.url === "/own") {
        response.writeHead(200, { "content-type": "text/html" }).end("<title>own page</title><p>own</p>");
        return;
      }
      const target = new URL(request.url ?? "/", "http://x").searchParams.get("target") ?? "";
      response
        .writeHead(200, { "content-type": "text/html" })
        .end(
          `<title>attacker</title><iframe id="victim" src="${target}" style="opacity:0.01" width="800" height="600"></iframe>` +
            `<iframe id="own" src="/own"></iframe>`,
        );
    });
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
    browser = await launchChromium({ env: { ...process.env, LANG: "C" } });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    attacker?.close();
    await h?.close();
  });

  async function framed(path: string): Promise<{ victim: string; own: string }> {
    const page = await browser.newPage();
    try {
      await page.goto(`${attackerUrl}/?target=${encodeURIComponent(`${svc.url}${path}`)}`);
      const titleOf = async (id: string): Promise<string> => {
        const frame = (await (await page.$(`#${id}`))?.contentFrame()) as Frame | null;
        if (!frame) return "";
        await frame.waitForLoadState("load").catch(() => undefined);
        return frame.evaluate(() => document.title).catch(() => "");
      };
      const own = await until(() => titleOf("own"), 10_000, "the attacker's own frame");
      return { victim: await titleOf("victim"), own };
    } finally {
      await page.close();
    }
  }

  it("the board does not render in another origin's frame", async () => {
    const seen = await framed("/");
    expect(seen.own).toBe("own page");
    expect(seen.victim).not.toContain("cxo");
  });

  it("nor does the sign-in page", async () => {
    const seen = await framed("/sign-in");
    expect(seen.own).toBe("own page");
    expect(seen.victim).not.toContain("Sign in");
  });

  it("every answer says so, JSON and refusals included", async () => {
    for (const [route, init] of [
      ["/", {}],
      ["/api/health", {}],
      ["/api/dashboard", {}],
      ["/no-such-page", {}],
      ["/api/campaigns/x/pause", { method: "POST", headers: { origin: "http://evil.example" } }],
    ] as const) {
      const response = await fetch(`${svc.url}${route}`, init);
      expect(response.headers.get("x-frame-options"), route).toBe("DENY");
      expect(response.headers.get("content-security-policy"), route).toContain("frame-ancestors 'none'");
    }
  });
});
