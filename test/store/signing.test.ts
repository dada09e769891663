import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhook, WebhookVerificationError } from "../../src/core/outbox/index.ts";

const SECRET = `whsec_${Buffer.from("0123456789abcdef0123456789abcdef").toString("base64")}`;
const body = JSON.stringify({
  id: "evt_1",
  type: "call.tagged",
  occurredAt: "2025-01-01T00:00:00.000Z",
  data: { a: 1 },
});
const now = 1_750_000_000;

describe("Standard Webhooks signatures", () => {
  it("accepts a valid signature, and the signature is the documented HMAC", () => {
    const headers = signWebhook(SECRET, { id: "evt_1", body, timestamp: now });
    expect(verifyWebhook(SECRET, headers, body, 300, now)).toEqual({ id: "evt_1", timestamp: now });
    // Independent computation: v1,base64(HMAC-SHA256(base64-decoded key, "id.timestamp.body")).
    const key = Buffer.from(SECRET.slice(6), "base64");
    const expected = createHmac("sha256", key).update(`evt_1.${now}.${body}`).digest("base64");
    expect(headers["webhook-signature"]).toBe(`v1,${expected}`);
  });

  it("rejects a wrong secret", () => {
    const headers = signWebhook(SECRET, { id: "evt_1", body, timestamp: now });
    const other = `whsec_${Buffer.from("another-secret-another-secret!!").toString("base64")}`;
    expect(() => verifyWebhook(other, headers, body, 300, now)).toThrow(WebhookVerificationError);
  });

  it("rejects a modified body, and a signature moved to another event id", () => {
    const headers = signWebhook(SECRET, { id: "evt_1", body, timestamp: now });
    expect(() => verifyWebhook(SECRET, headers, body.replace('"a":1', '"a":2'), 300, now)).toThrow(
      /signature/,
    );
    expect(() => verifyWebhook(SECRET, { ...headers, "webhook-id": "evt_2" }, body, 300, now)).toThrow(
      /signature/,
    );
  });

  it("rejects a timestamp outside the tolerance, in the past or the future", () => {
    const old = signWebhook(SECRET, { id: "evt_1", body, timestamp: now - 301 });
    const future = signWebhook(SECRET, { id: "evt_1", body, timestamp: now + 301 });
    expect(() => verifyWebhook(SECRET, old, body, 300, now)).toThrow(/tolerance/);
    expect(() => verifyWebhook(SECRET, future, body, 300, now)).toThrow(/tolerance/);
    expect(verifyWebhook(SECRET, old, body, 400, now).id).toBe("evt_1");
  });

  it("rejects missing headers and a signature of another scheme version", () => {
    const headers = signWebhook(SECRET, { id: "evt_1", body, timestamp: now });
    expect(() => verifyWebhook(SECRET, { "webhook-id": "evt_1" }, body, 300, now)).toThrow(/missing/);
    const v2 = { ...headers, "webhook-signature": headers["webhook-signature"].replace("v1,", "v2,") };
    expect(() => verifyWebhook(SECRET, v2, body, 300, now)).toThrow(/signature/);
  });

  it("accepts any of several signatures (secret rotation) and header bags of any case or kind", () => {
    const oldSecret = "a-raw-secret-without-prefix";
    const a = signWebhook(oldSecret, { id: "evt_1", body, timestamp: now })["webhook-signature"];
    const b = signWebhook(SECRET, { id: "evt_1", body, timestamp: now })["webhook-signature"];
    const rotated = {
      "Webhook-Id": "evt_1",
      "Webhook-Timestamp": String(now),
      "Webhook-Signature": `${a} ${b}`,
    };
    expect(verifyWebhook(SECRET, rotated, body, 300, now).id).toBe("evt_1");
    expect(verifyWebhook(oldSecret, new Headers(rotated), Buffer.from(body), 300, now).id).toBe("evt_1");
  });
});
