import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ledgerEntries } from "../../src/consent/ledger.ts";
import { signWebhook } from "../../src/core/outbox/index.ts";
import { openStore } from "../../src/core/store/index.ts";
import type { RunningService } from "../../src/service/index.ts";
import { type ServiceHarness, serviceHarness } from "../service/harness.ts";

/**
 * Issue 62 §1: `POST /webhooks/consent` on `cxo serve`: a signed revocation from an SMS system is
 * recorded at once (cxo refuses the number); unsigned, forged or replayed deliveries and bad
 * data are refused and record nothing.
 */
const SECRET = "whsec_Y29uc2VudC13ZWJob29rLXRlc3Qtc2VjcmV0";
let h: ServiceHarness;
let svc: RunningService;
let n = 0;

beforeAll(async () => {
  h = await serviceHarness();
  svc = await h.start({ service: { webhookSecret: SECRET } });
});
afterAll(() => h.close());

const event = (data: Record<string, unknown>) => ({
  id: `msg-${++n}`,
  type: "consent.revoked",
  occurredAt: new Date().toISOString(),
  data,
});

const post = async (payload: { id: string }, sign = true) => {
  const body = JSON.stringify(payload);
  const response = await fetch(`${svc.url}/webhooks/consent`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(sign ? signWebhook(SECRET, { id: payload.id, body }) : {}),
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
};

const ledger = async () => {
  const store = await openStore(h.dataDir);
  try {
    return await ledgerEntries(store, 0, Date.now() + 60_000);
  } finally {
    await store.close();
  }
};

describe("POST /webhooks/consent", () => {
  it("records a signed revocation (204); the same id again is a duplicate (200)", async () => {
    const revoked = event({ phone: "+13125550901", channel: "sms", source: "twilio STOP" });
    expect((await post(revoked)).status).toBe(204);
    expect(await post(revoked)).toEqual({ status: 200, body: { duplicate: true } });
    const entries = (await ledger()).filter((e) => e.phone === "+13125550901");
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      channel: "sms",
      scope: { kind: "tenant" },
      source: "twilio STOP",
      recordedBy: "webhook:consent",
    });
  });

  it("refuses unsigned (401) and bad data (400 naming the field); nothing recorded", async () => {
    expect((await post(event({ phone: "+13125550902", channel: "sms" }), false)).status).toBe(401);
    const bad = await post(event({ phone: "3125550903", channel: "sms" }));
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain("data.phone");
    const future = await post(event({ phone: "+13125550904", channel: "sms", at: "2099-01-01T00:00:00Z" }));
    expect(future.status).toBe(400);
    expect(future.body.message).toContain("data.at");
    const scope = await post(event({ phone: "+13125550905", channel: "sms", scope: "campaign:nope" }));
    expect(scope.status).toBe(400);
    expect(scope.body.message).toContain("data.scope");
    const phones = (await ledger()).map((e) => e.phone);
    for (const p of ["+13125550902", "+13125550903", "+13125550904", "+13125550905"])
      expect(phones).not.toContain(p);
  });

  describe("POST /webhooks/consent with data.account (issue 77 §2)", () => {
    it("records an account's revocation (204), an account not seen yet and a phone of another account too (issue 100)", async () => {
      const { rememberAccountNumbers } = await import("../../src/consent/accounts.ts");
      await rememberAccountNumbers(
        svc.store.db,
        [
          { account: "ACC-W1", phone: "+13125550911" },
          { account: "ACC-W2", phone: "+13125550912" },
        ],
        "test list",
      );
      expect((await post(event({ account: "ACC-W404", channel: "sms" }))).status).toBe(204);
      expect((await post(event({ account: "ACC-W1", phone: "+13125550912", channel: "sms" }))).status).toBe(
        204,
      );
      expect((await post(event({ account: "ACC-W1", channel: "email" }))).status).toBe(204);
      const accounts = (await ledger()).filter((e) => e.account !== undefined);
      expect(accounts).toMatchObject([
        { account: "ACC-W404", phone: "", channel: "sms", scope: { kind: "tenant" } },
        { account: "ACC-W1", phone: "+13125550912", channel: "sms" },
        { account: "ACC-W1", phone: "", channel: "email", scope: { kind: "tenant" } },
      ]);
      // A malformed account is still refused, nothing recorded.
      const bad = await post(event({ account: "ACC W1", channel: "sms" }));
      expect(bad.status).toBe(400);
      expect(bad.body.message).toContain("data.account");
    });
  });
});

describe("POST /webhooks/consent with data.message (issue 92 §3)", () => {
  it("a keyword or a phrase is recorded (204); unclear words go to review (202, named); other words are not recorded (202)", async () => {
    expect((await post(event({ phone: "+13125550931", channel: "sms", message: "STOP" }))).status).toBe(204);
    expect(
      (
        await post(
          event({ phone: "+13125550932", channel: "email", message: "Please take me off your list" }),
        )
      ).status,
    ).toBe(204);
    const unclear = await post(
      event({ phone: "+13125550933", channel: "sms", message: "how do I stop these?" }),
    );
    expect(unclear.status).toBe(202);
    expect(unclear.body.reason).toMatch(/in review as [0-9a-f]{16} \(cxo consent review\)/);
    const other = await post(event({ phone: "+13125550934", channel: "sms", message: "I'll pay Friday" }));
    expect(other).toEqual({
      status: 202,
      body: { ignored: true, reason: "the message's words are not a revocation" },
    });
    const phones = (await ledger()).map((e) => e.phone);
    expect(phones).toEqual(expect.arrayContaining(["+13125550931", "+13125550932"]));
    expect(phones).not.toContain("+13125550933");
    expect(phones).not.toContain("+13125550934");
    const store = await openStore(h.dataDir);
    try {
      const { reviewItems } = await import("../../src/consent/review-queue.ts");
      expect((await reviewItems(store, Date.now())).map((i) => [i.phone, i.basis])).toEqual([
        ["+13125550933", "question"],
      ]);
    } finally {
      await store.close();
    }
  });

  it("a message over 10 kB is refused (400 naming data.message), nothing recorded or queued", async () => {
    const big = await post(event({ phone: "+13125550935", channel: "sms", message: "x".repeat(10_241) }));
    expect(big.status).toBe(400);
    expect(JSON.stringify(big.body)).toMatch(/data\.message/);
    expect((await ledger()).map((e) => e.phone)).not.toContain("+13125550935");
  });
});
