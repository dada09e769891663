import { DateTime } from "luxon";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LIVE_RULE_DEFAULTS, liveBreach } from "../../../src/campaigns/watchdog/live-rules.ts";
import {
  type InternalClient as CxoneClient,
  clientOptionsFromSettings,
  createInternalClient as createClient,
} from "../../../src/client.ts";
import { loadSettings } from "../../../src/core/config/index.ts";
import { type CxoneHarness, cxoneHarness } from "../../emulator/cxone/helpers.ts";
import { adminCall } from "../../support/emulator-admin.ts";

/**
 * Issue 39 §1, "no unit guessed from a value's size": `/skills/summary`'s `abandonRate` is read
 * in its configured unit (percent by default), the counts win when both come back, and "today"
 * starts at the business unit's midnight in its own zone (the emulator's unit is Eastern).
 */
let h: CxoneHarness;
let skillId: number;
const clients: CxoneClient[] = [];

function client(productionApi: Record<string, unknown> = {}): CxoneClient {
  const f = h.fixtures;
  const key = f.accessKeys.find((k) => !k.readOnly)!;
  const settings = loadSettings({
    cwd: "/nonexistent",
    env: {
      CXONE_PLATFORM: "cxone",
      CXONE_ISSUER: h.url,
      CXONE_CLIENT_ID: f.client.clientId,
      CXONE_CLIENT_SECRET: f.client.clientSecret,
      CXONE_ACCESS_KEY_ID: key.accessKeyId,
      CXONE_ACCESS_KEY_SECRET: key.accessKeySecret,
    },
  });
  Object.assign(settings.cxone.productionApi, productionApi);
  const c = createClient(clientOptionsFromSettings(settings));
  clients.push(c);
  return c;
}

const knobs = (body: Record<string, unknown>) => adminCall(h.url, "POST", "/knobs", body);
const forceRate = (abandonRate: number) =>
  adminCall(h.url, "POST", `/skills/${skillId}/live`, { abandonRate });
const today = async (c: CxoneClient) => (await c.port.live.read([String(skillId)])).snapshots[0]?.today;

beforeAll(async () => {
  h = await cxoneHarness({ seed: 5, contacts: 50 });
  skillId = h.fixtures.skills.find(
    (s) => s.outboundStrategy === "Personal Connection" && s.isActive,
  )!.skillId;
});
beforeEach(() => adminCall(h.url, "POST", "/reset"));
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await h.close();
});

describe("live abandon rate: a configured unit, never guessed from its size", () => {
  it("0.8 reported with no counts reads as 0.8 % and never trips the abandon-rate rule", async () => {
    await knobs({ summaryCounts: false });
    await forceRate(0.008);
    const read = await today(client());
    expect(read?.connects).toBeUndefined();
    expect(read?.abandonRate).toBeCloseTo(0.008, 3);
    const snapshot = (await client().port.live.read([String(skillId)])).snapshots[0]!;
    expect(liveBreach(snapshot, { ...LIVE_RULE_DEFAULTS, maxAbandonRate: 0.03 })).toBeNull();
  });

  it("a tenant that reports a fraction is read as one when the setting says so", async () => {
    await knobs({ summaryCounts: false, summaryAbandonRateUnit: "fraction" });
    await forceRate(0.05);
    expect((await today(client({ liveAbandonRateUnit: "fraction" })))?.abandonRate).toBeCloseTo(0.05, 2);
  });

  it("the counts win over the rate whatever its unit", async () => {
    await knobs({ summaryAbandonRateUnit: "fraction" });
    await adminCall(h.url, "POST", `/skills/${skillId}/live`, {
      today: { dials: 1000, connects: 400, abandons: 6 },
    });
    const read = await today(client());
    expect(read).toMatchObject({ connects: 400, abandons: 6 });
    expect(read?.abandonRate).toBeCloseTo(0.015, 6);
  });

  it("'today' starts at the business unit's midnight in its own zone", async () => {
    await adminCall(h.url, "DELETE", "/requests");
    // New York's midnight may pass between the read and the check: the start is that of the
    // day the read began or the day it ended, never a third one.
    const dayOf = () => DateTime.now().setZone("America/New_York").startOf("day").toMillis();
    const dayBefore = dayOf();
    await today(client());
    const dayAfter = dayOf();
    const log = (await adminCall(h.url, "GET", "/requests")) as {
      requests: Array<{ path: string; query: Record<string, string> }>;
    };
    const summary = log.requests.find((r) => r.path.endsWith("/skills/summary"));
    const start = DateTime.fromISO(summary!.query.startDate!, { zone: "America/New_York" });
    expect(start.isValid).toBe(true);
    expect([start.hour, start.minute, start.second]).toEqual([0, 0, 0]);
    expect([dayBefore, dayAfter]).toContain(start.toMillis());
  });
});
