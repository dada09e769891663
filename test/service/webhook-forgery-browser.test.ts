import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/chromium.ts";
import { type ServiceHarness, serviceHarness, until } from "./harness.ts";

declare const document: { title: string };

/**
 * Issue 20, security 1: with the defaults (loopback, no access token, no webhook secret) a web
 * page the operator visits used to fail a live campaign over by POSTing three text/plain
 * "simple requests" to `cxo serve`'s webhook receiver. Here a real browser (Debian's chromium)
 * loads such a page from another origin and fires them at a real `cxo serve` process with a
 * watchdog configured to fail over on ONE breach: nothing may reach the watchdog.
 */

describe("a web page on another origin cannot drive `cxo serve`'s watchdog", () => {
  let h: ServiceHarness;
  let serve: ChildProcess;
  let serviceUrl: string;
  let attacker: Server;
  let browser: Browser;
  let primary: string;

  beforeAll(async () => {
    h = await serviceHarness();
    const pair = h.fixtures.failoverPairs[0];
    if (!pair) throw new Error("no failover pair");
    primary = pair.primaryId;
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-forgery-"));
    const config = path.join(dir, "cxo.config.yaml");
    writeFileSync(
      config,
      JSON.stringify({
        service: {
          pollIntervalSeconds: 3600,
          watchdogs: [
            {
              primary,
              backup: pair.backupId,
              threshold: 0.2,
              breaches: 1,
              minSample: 0,
              intervalSeconds: 3600,
            },
          ],
        },
      }),
    );
    serve = spawn(
      process.execPath,
      [path.resolve("bin/cxo.js"), "--json", "--config", config, "serve", "--port", "0"],
      {
        env: {
          PATH: process.env.PATH ?? "",
          CXONE_BASE_URL: h.emulatorUrl,
          CXONE_CLIENT_ID: h.admin.clientId,
          CXONE_CLIENT_SECRET: h.admin.clientSecret,
          CXO_DATA_DIR: path.join(dir, ".cxo"),
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    serve.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    serviceUrl = (
      await until(
        () => {
          try {
            return JSON.parse(stdout) as { url: string };
          } catch {
            return undefined;
          }
        },
        20_000,
        "cxo serve's URL",
      )
    ).url;

    // The attacker's page: three cross-site "simple requests" (no preflight) with the payload
    // that failed the primary over, plus a form POST, then it says it is done.
    const forged = (i: number) =>
      JSON.stringify({
        id: `evt-forged-${i}`,
        type: "omnichannel.campaign.metrics.update",
        campaignId: primary,
        occurredAt: new Date().toISOString(),
        data: { successRate: 0.01, activeCalls: 40, callsInWindow: 500, windowMinutes: 30 },
      });
    const page = `<!doctype html><html><body><form id="f" method="post" enctype="text/plain"
      action="${serviceUrl}/webhooks/cxone" target="sink"><input name='${forged(9).slice(0, -2)}' value='"}'></form>
      <iframe name="sink"></iframe><script>
      (async () => {
        for (const body of ${JSON.stringify([forged(1), forged(2), forged(3)])}) {
          try { await fetch(${JSON.stringify(`${serviceUrl}/webhooks/cxone`)}, { method: "POST", mode: "no-cors",
            headers: { "content-type": "text/plain" }, body }); } catch {}
        }
        document.getElementById("f").submit();
        setTimeout(() => { document.title = "done"; }, 300);
      })();
      </script></body></html>`;
    attacker = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/html" }).end(page);
    });
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    attacker?.close();
    serve?.kill("SIGTERM");
    await h?.close();
  });

  it("the forged webhooks are refused, no incident, nothing paused on CXone", async () => {
    const port = (attacker.address() as AddressInfo).port;
    const page = await browser.newPage();
    // "localhost" vs the service's 127.0.0.1: another origin, as any web site is.
    await page.goto(`http://localhost:${port}/`);
    await page.waitForFunction(() => document.title === "done", null, { timeout: 15_000 });

    // All four requests arrived and were refused before the watchdog (counted by outcome).
    const refused = await until(
      async () => {
        const metrics = await (await fetch(`${serviceUrl}/metrics`)).text();
        // Refused by the transport policy (Origin) or, on older code paths, by the receiver.
        const total = [
          ...metrics.matchAll(/cxo_service_requests_refused_total\{reason="[^"]+"[^}]*\} (\d+)/g),
          ...metrics.matchAll(/cxo_service_webhook_events_total\{[^}]*outcome="rejected[^"]*"[^}]*\} (\d+)/g),
        ].reduce((sum, match) => sum + Number(match[1]), 0);
        const accepted = /cxo_service_webhook_events_total\{[^}]*outcome="accepted"[^}]*\} [1-9]/.test(
          metrics,
        );
        return total >= 4 || accepted ? metrics : undefined;
      },
      10_000,
      "the forged requests to be counted",
    );
    expect(refused).not.toMatch(/outcome="accepted"\} [1-9]/);
    // Give an (unexpected) accepted event the time to reach the watchdog before looking.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const incidents = (await (await fetch(`${serviceUrl}/api/incidents`)).json()) as { incidents: unknown[] };
    expect(incidents.incidents).toEqual([]);
    const writes = (await h.requests()).filter((r) => r.method !== "GET" && r.path !== "/oauth/token");
    expect(writes).toEqual([]);
    const health = (await (await fetch(`${serviceUrl}/api/campaigns/${primary}/health`)).json()) as {
      failover_triggered: boolean;
    };
    expect(health.failover_triggered).toBe(false);
  });
});
