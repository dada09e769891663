import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../../src/core/store/index.ts";
import { runCli } from "../../support/run-cli.ts";
import { type CampaignHarness, campaignHarness } from "./harness.ts";

/** `cxo campaigns webhook register`: our receiver gets CXone's signed campaign events; the secret stays secret. */
let h: CampaignHarness;
let receiver: Server;
let receiverUrl: string;
const received: Array<{ url: string; headers: Record<string, unknown>; body: string }> = [];

beforeAll(async () => {
  h = await campaignHarness();
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push({ url: req.url ?? "", headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await h.close();
});

describe("cxo campaigns webhook register", () => {
  it("registers <url>/webhooks/cxone for both seed events, signed; the secret appears nowhere but in CXone", async () => {
    const secret = `whsec_${randomBytes(32).toString("base64")}`;
    const dataDir = path.join(h.dir(), ".cxo");
    const result = await runCli(
      ["--json", "campaigns", "webhook", "register", "--url", receiverUrl, "--secret", secret],
      h.env(dataDir),
    );
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({
      callbackUrl: `${receiverUrl}/webhooks/cxone`,
      events: ["omnichannel.campaign.metrics.update", "omnichannel.campaign.state.change"],
      signed: true,
    });
    expect(`${result.stdout}${result.stderr}`).not.toContain(secret.slice(6));

    // CXone now pushes metrics to the receiver, signed.
    await h.admin$("POST", `/campaigns/${h.pair.primaryId}/metrics`, { successRate: 0.1, callsInWindow: 80 });
    await expect.poll(() => received.length, { timeout: 5000 }).toBeGreaterThan(0);
    const [delivery] = received;
    expect(delivery?.url).toBe("/webhooks/cxone");
    expect(delivery?.headers["webhook-signature"]).toMatch(/^v1,/);
    expect(JSON.parse(delivery?.body ?? "{}")).toMatchObject({
      type: "omnichannel.campaign.metrics.update",
      data: { successRate: 0.1, callsInWindow: 80 },
    });

    const store = await openStore(dataDir);
    try {
      const [record] = await store.audit.tail(1);
      expect(record).toMatchObject({ operation: "campaigns.webhook.register", outcome: "done" });
      const events = await store.outbox.list({ destination: "campaigns" });
      expect(events.map((e) => e.type)).toEqual(["campaign.webhook.registered"]);
    } finally {
      await store.close();
    }
    const raw = readFileSync(path.join(dataDir, "cxo.sqlite")).toString("latin1");
    expect(raw).not.toContain(secret.slice(6));
  });

  it("rejects a malformed secret or URL with exit 2, naming the flag, without echoing the secret or sending anything", async () => {
    const before = (await h.campaignRequests()).length;
    const result = await runCli(
      ["campaigns", "webhook", "register", "--url", "ftp://x", "--secret", "not-a-whsec-secret-value"],
      h.env(path.join(h.dir(), ".cxo")),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--url");
    expect(result.stderr).toContain("--secret: must be a Standard Webhooks secret");
    expect(result.stderr).not.toContain("not-a-whsec-secret-value");
    expect((await h.campaignRequests()).length).toBe(before);
  });
});
