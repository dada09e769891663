import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/core/store/index.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { createTenants, type Tenants } from "../../src/index.ts";
import { adminCall } from "../support/emulator-admin.ts";

/**
 * Zero cross-tenant calls (issue 54 §2's property, on the SDK's registry): three business units
 * on three emulators with the SAME seed, so every campaign id and call id exists in all three.
 * Random operations (tag, pause, resume, status, an outcomes page, dialer settings) routed to
 * random tenants; afterwards every request each emulator received carries its own tenant's API
 * user, each emulator received exactly its tenant's tag writes, each campaign's final state is
 * the last transition asked of THAT tenant, and each tenant's audit chain holds exactly its own
 * writes.
 */

const NAMES = ["acme", "globex", "initech"] as const;
type Name = (typeof NAMES)[number];

interface Fixtures {
  campaigns: Array<{
    id: string;
    status: string;
    dispositionCodes: Array<{ id: string; reasonCodes: Array<{ id: string }> }>;
  }>;
  calls: Array<{ id: string; campaignId: string }>;
  lockedCalls: Array<{ id: string }>;
  clients: Array<{ clientId: string; clientSecret: string }>;
}

const emus: Record<string, RunningEmulator> = {};
let fixtures: Fixtures;
let tenants: Tenants;
let dir: string;

beforeAll(async () => {
  const started = await Promise.all(
    NAMES.map(() =>
      startEmulator({ port: 0, calls: 200, seed: 42, metricsIntervalMs: 0, rateLimitScale: 1000 }),
    ),
  );
  for (const [i, name] of NAMES.entries()) emus[name] = started[i]!;
  fixtures = (await adminCall(emus.acme!.url, "GET", "/fixtures?calls=200")) as Fixtures;
  dir = mkdtempSync(path.join(tmpdir(), "cxo-tenant-isolation-"));
  tenants = createTenants(
    Object.fromEntries(
      NAMES.map((name) => {
        const client = emus[name]!.fixtures.clients[0]!;
        return [
          name,
          {
            connection: {
              platform: "seed",
              baseUrl: emus[name]!.url,
              clientId: client.clientId,
              clientSecret: client.clientSecret,
            },
            dataDir: path.join(dir, name),
            // The emulators' limits are scaled up; the client's documented ones would make
            // 1,000 operations a matter of minutes (campaign reads: 100 a minute).
            rateLimits: Object.fromEntries(
              ["campaigns", "dialer", "outcomes", "analytics", "dispositions", "default"].map((g) => [
                g,
                { limit: 10_000, per: "second" as const },
              ]),
            ),
          },
        ];
      }),
    ),
  );
  for (const name of NAMES) await adminCall(emus[name]!.url, "DELETE", "/requests");
});

afterAll(async () => {
  await tenants?.close();
  await Promise.all(Object.values(emus).map((emu) => emu.close()));
});

type Op =
  | { kind: "tag"; tenant: Name; call: number; code: number }
  | { kind: "pause" | "resume" | "status"; tenant: Name; campaign: number }
  | { kind: "outcomes" | "dialer"; tenant: Name; campaign: number };

const tenantArb = fc.constantFrom(...NAMES);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("tag" as const), tenant: tenantArb, call: fc.nat(), code: fc.nat() }),
  fc.record({
    kind: fc.constantFrom("pause" as const, "resume" as const, "status" as const),
    tenant: tenantArb,
    campaign: fc.nat(),
  }),
  fc.record({
    kind: fc.constantFrom("outcomes" as const, "dialer" as const),
    tenant: tenantArb,
    campaign: fc.nat(),
  }),
);

describe("several business units with colliding ids", () => {
  it("1,000 random operations: every request reaches its own tenant's emulator with its own credentials", async () => {
    const locked = new Set(fixtures.lockedCalls.map((c) => c.id));
    const calls = fixtures.calls.filter((c) => !locked.has(c.id));
    const campaigns = fixtures.campaigns;
    const ops = fc.sample(opArb, { numRuns: 1000, seed: 54 });
    const expectedTags: Record<string, Map<string, number>> = {
      acme: new Map(),
      globex: new Map(),
      initech: new Map(),
    };
    const lastTransition = new Map<string, "paused" | "active">(); // `${tenant} ${campaignId}`
    const writes: Record<string, number> = { acme: 0, globex: 0, initech: 0 };
    const now = Date.now();

    for (const op of ops) await runOp(op);
    async function runOp(op: Op): Promise<void> {
      const client = tenants.get(op.tenant);
      if (op.kind === "tag") {
        const call = calls[op.call % calls.length]!;
        const campaign = campaigns.find((c) => c.id === call.campaignId)!;
        const code = campaign.dispositionCodes[op.code % campaign.dispositionCodes.length]!;
        await client.dispositions.tag(call.campaignId, {
          callId: call.id,
          dispositionCodeId: code.id,
          ...(code.reasonCodes[0] ? { reasonCodeId: code.reasonCodes[0].id } : {}),
        });
        const key = `/api/v2/outbound/calls/${call.id}`;
        expectedTags[op.tenant]!.set(key, (expectedTags[op.tenant]!.get(key) ?? 0) + 1);
        writes[op.tenant]! += 1;
        return;
      }
      const campaign = campaigns[op.campaign % campaigns.length]!;
      if (op.kind === "pause" || op.kind === "resume") {
        await client.campaigns[op.kind](campaign.id);
        lastTransition.set(`${op.tenant} ${campaign.id}`, op.kind === "pause" ? "paused" : "active");
      } else if (op.kind === "status") await client.campaigns.status(campaign.id);
      else if (op.kind === "dialer") await client.dialer.settings();
      else
        await client.outcomes
          .list({
            campaignId: campaign.id,
            from: new Date(now - 86_400_000).toISOString(),
            to: new Date(now).toISOString(),
          })
          .toArray({ limit: 5 });
    }

    for (const name of NAMES) {
      const own = emus[name]!.fixtures.clients[0]!.clientId;
      const { requests } = (await adminCall(emus[name]!.url, "GET", "/requests")) as {
        requests: Array<{ method: string; path: string; clientId: string | null }>;
      };
      // One seed: the three API users share their client id, so the writes each emulator
      // received (below) are what proves nothing crossed.
      expect(requests.every((r) => r.clientId === null || r.clientId === own)).toBe(true);
      const tags = new Map<string, number>();
      for (const r of requests)
        if (r.method === "PUT" && r.path.startsWith("/api/v2/outbound/calls/")) {
          const key = r.path.replace(/\/disposition$/, "");
          tags.set(key, (tags.get(key) ?? 0) + 1);
        }
      expect(tags, name).toEqual(expectedTags[name]);
    }

    // Each campaign's state in each business unit is the last transition asked of that unit.
    for (const name of NAMES)
      for (const campaign of campaigns) {
        const wanted = lastTransition.get(`${name} ${campaign.id}`);
        if (!wanted) continue;
        const report = await tenants.get(name).campaigns.status(campaign.id);
        expect(report.campaign.status, `${name} ${campaign.id}`).toBe(wanted);
      }

    // Each tenant's audit chain holds exactly its own tag writes.
    for (const name of NAMES) {
      const store = await openStore(path.join(dir, name));
      try {
        const records = await store.audit.tail(100_000);
        const tagRecords = records.filter((r) => r.operation.startsWith("dispositions.tag"));
        expect(tagRecords.length, name).toBe(writes[name]);
      } finally {
        await store.close();
      }
    }
  });
});
