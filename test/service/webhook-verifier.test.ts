import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  signWebhook,
  verifyWebhook,
  WebhookVerificationError,
  webhookVerifier,
} from "../../src/core/outbox/index.ts";

const SECRET = "whsec_dmVyaWZpZXItdGVzdC1zZWNyZXQtYnl0ZXM=";
const verifier = webhookVerifier(SECRET);
const NOW = 1_800_000_000;

/** Both verifiers' verdict on one delivery: the id, or the error message. */
function verdicts(headers: Record<string, string>, body: string) {
  const core = (() => {
    try {
      return verifyWebhook(SECRET, headers, body, 300, NOW).id;
    } catch (error) {
      return (error as Error).message;
    }
  })();
  const ours = (() => {
    try {
      return verifier.verify(headers, Buffer.from(body), NOW);
    } catch (error) {
      expect(error).toBeInstanceOf(WebhookVerificationError);
      return (error as Error).message;
    }
  })();
  return { core, ours };
}

describe("one Standard Webhooks signer and verifier", () => {
  it("signs the Standard Webhooks specification's own example exactly (as its npm package does)", () => {
    const headers = signWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", {
      id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
      body: '{"test": 2432232314}',
      timestamp: 1614265330,
    });
    expect(headers["webhook-signature"]).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });
});

describe("the receiver's bound-key webhook verifier agrees with core's verifyWebhook", () => {
  it("accepts what core's signWebhook signs, with the same id", () => {
    const body = '{"id":"evt-1","data":{}}';
    const headers = signWebhook(SECRET, { id: "evt-1", body, timestamp: NOW - 10 });
    expect(verdicts(headers, body)).toEqual({ core: "evt-1", ours: "evt-1" });
  });

  it.each([
    ["a tampered body", (h: Record<string, string>) => h, '{"id":"evt-1","data":{"x":1}}'],
    ["a missing signature", ({ "webhook-signature": _, ...h }: Record<string, string>) => h, undefined],
    [
      "a stale timestamp",
      (h: Record<string, string>) => ({ ...h, "webhook-timestamp": String(NOW - 301) }),
      undefined,
    ],
    [
      "a non-numeric timestamp",
      (h: Record<string, string>) => ({ ...h, "webhook-timestamp": "12a" }),
      undefined,
    ],
    [
      "a v2 signature",
      (h: Record<string, string>) => ({
        ...h,
        "webhook-signature": h["webhook-signature"]!.replace("v1,", "v2,"),
      }),
      undefined,
    ],
    [
      "another secret",
      () => signWebhook("whsec_b3RoZXI=", { id: "evt-1", body: '{"id":"evt-1","data":{}}', timestamp: NOW }),
      undefined,
    ],
  ])("rejects %s exactly as core does", (_name, mutate, otherBody) => {
    const body = '{"id":"evt-1","data":{}}';
    const headers = mutate(signWebhook(SECRET, { id: "evt-1", body, timestamp: NOW })) as Record<
      string,
      string
    >;
    const { core, ours } = verdicts(headers, otherBody ?? body);
    expect(core).not.toBe("evt-1");
    expect(ours).toBe(core);
  });

  it("accepts when any of several space-separated signatures matches (secret rotation)", () => {
    const body = "{}";
    const good = signWebhook(SECRET, { id: "evt-2", body, timestamp: NOW });
    const old = signWebhook("whsec_b2xkLXNlY3JldA==", { id: "evt-2", body, timestamp: NOW });
    const headers = {
      ...good,
      "webhook-signature": `${old["webhook-signature"]} ${good["webhook-signature"]}`,
    };
    expect(verdicts(headers, body)).toEqual({ core: "evt-2", ours: "evt-2" });
  });

  it("property: same verdict as core for arbitrary bodies, ids, clock skews and one flipped byte", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !/[\s,]/.test(s)),
        fc.string({ maxLength: 300 }),
        fc.integer({ min: -400, max: 400 }),
        fc.boolean(),
        (id, body, skew, tamper) => {
          const headers = signWebhook(SECRET, { id, body, timestamp: NOW + skew });
          const sent = tamper ? `${body}x` : body;
          const { core, ours } = verdicts(headers, sent);
          expect(ours).toBe(core);
        },
      ),
      { numRuns: 300 },
    );
  });
});
