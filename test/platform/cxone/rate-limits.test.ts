import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../../src/client.ts";
import { DEFAULT_GROUP_LIMITS } from "../../../src/core/http/endpoint-groups.ts";
import { ENDPOINT_GROUPS } from "../../../src/core/http/group-names.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../../src/emulator/index.ts";
import { PRODUCTION_GROUP_LIMITS } from "../../../src/platform/cxone/rate-limits.ts";
import { accessKeySettings } from "../../support/cxone-access-key.ts";
import { adminCall } from "../../support/emulator-admin.ts";

/**
 * Issue 39 §4: the production groups do not claim the seed API's figures (100/s, 100/min) as
 * CXone's. Their defaults are conservative ceilings (NICE publishes none), settings override
 * them, and a 429 lowers them at once for every client of the tenant in the process.
 */
let emulator: RunningCxoneEmulator;
const clients: InternalClient[] = [];

beforeAll(async () => {
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 4,
    contacts: 50,
  })) as RunningCxoneEmulator;
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await emulator.close();
});

function client(rateLimits: Record<string, unknown> = {}, readOnlyKey = false): InternalClient {
  const settings = accessKeySettings(emulator);
  Object.assign(settings, { rateLimits });
  if (readOnlyKey) {
    // Another API user: its key names another tenant key, so it gets limiters of its own.
    const key = emulator.fixtures.accessKeys.find((k) => k.readOnly)!;
    Object.assign(settings.cxone, { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret });
  }
  const c = createInternalClient(clientOptionsFromSettings(settings));
  clients.push(c);
  return c;
}

describe("production rate limits", () => {
  it("every group starts at the production defaults, none at the seed API's figures", () => {
    const limits = client().core.limits;
    for (const group of ENDPOINT_GROUPS) {
      const state = limits.get(group).state();
      const expected = PRODUCTION_GROUP_LIMITS[group];
      expect({ group, limit: state.configuredLimit, windowMs: state.windowMs }).toEqual({
        group,
        limit: expected.limit,
        windowMs: expected.windowMs,
      });
    }
    for (const group of ["dispositions", "campaigns", "dialer", "outcomes"] as const)
      expect(PRODUCTION_GROUP_LIMITS[group]).not.toEqual(DEFAULT_GROUP_LIMITS[group]);
  });

  it("a setting overrides a group; a 429 lowers it at once and the next requests still succeed", async () => {
    await adminCall(emulator.url, "DELETE", "/faults");
    const c = client({ campaigns: { limit: 120, per: "minute" } }, true);
    const group = c.core.limits.get("campaigns");
    expect(group.state().configuredLimit).toBe(120);
    await adminCall(emulator.url, "POST", "/faults", {
      group: "skills",
      burst429: 1,
      retryAfterFormat: "none",
    });
    const campaign = String(emulator.fixtures.skills.find((s) => s.isOutbound && s.isActive)!.skillId);
    await c.port.campaigns.get(campaign);
    expect(group.state().currentLimit).toBeLessThan(120);
  });
});
