import { afterAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator/index.ts";
import { json } from "./helpers.ts";

describe("emulator: seeded fixtures", () => {
  const running: { close(): Promise<void> }[] = [];
  afterAll(() => Promise.all(running.map((r) => r.close())));
  const start = async (seed: number, calls = 100_000) => {
    const emu = await startEmulator({ port: 0, seed, calls, metricsIntervalMs: 0 });
    running.push(emu);
    return emu;
  };
  const strip = (fixtures: Record<string, unknown>) => {
    const { callWindow: _window, ...rest } = fixtures;
    return rest;
  };

  it("gives the same fixtures for the same seed, others for another seed", async () => {
    const [a, b, c] = await Promise.all([start(7), start(7), start(8)]);
    const get = (url: string) => json(`${url}/_emulator/fixtures?calls=200`);
    const [fa, fb, fc] = await Promise.all([get(a.url), get(b.url), get(c.url)]);
    expect(strip(fa)).toEqual(strip(fb));
    expect(fa.clients[0].clientSecret).not.toBe(fc.clients[0].clientSecret);
    expect(fa.campaigns[0].id).not.toBe(fc.campaigns[0].id);
    expect(a.fixtures.clients).toEqual(fa.clients);
  });

  it("describes clients (full and read-only), campaigns with matrices, lists, interactions, dispositions", async () => {
    const emu = await start(42);
    const f = emu.fixtures;
    expect(f.clients.length).toBeGreaterThanOrEqual(2);
    const [full, reader] = f.clients;
    expect(full?.scopes).toContain("dialer:write");
    expect(reader?.scopes.some((s) => /:(write|update)$/.test(s))).toBe(false);
    expect(f.campaigns.length).toBeGreaterThanOrEqual(4);
    for (const campaign of f.campaigns) {
      expect(f.contactLists.map((l) => l.id)).toContain(campaign.contactListId);
      expect(campaign.dispositionCodes.map((c) => c.id)).toEqual(
        expect.arrayContaining([
          "CONVERTED",
          "APPOINTMENT_SET",
          "INTERESTED",
          "CALLBACK_REQUESTED",
          "NOT_INTERESTED",
        ]),
      );
    }
    expect(f.interactions.length).toBeGreaterThan(10);
    expect(f.dispositions.some((d) => d.code.startsWith("1"))).toBe(true);
    expect(f.lockedCalls.length).toBeGreaterThan(0);
  });

  it("hands out N distinct, unlocked call ids spread over the campaigns", async () => {
    const emu = await start(42, 1_000_000);
    const answer = await json(`${emu.url}/_emulator/fixtures?calls=5000`);
    const ids = answer.calls.map((c: { id: string }) => c.id);
    expect(new Set(ids).size).toBe(5000);
    const perCampaign = new Map<string, number>();
    for (const call of answer.calls)
      perCampaign.set(call.campaignId, (perCampaign.get(call.campaignId) ?? 0) + 1);
    expect(perCampaign.size).toBe(answer.campaigns.length);
    const locked = new Set(answer.lockedCalls.map((c: { id: string }) => c.id));
    expect(ids.some((id: string) => locked.has(id))).toBe(false);
  });

  it("generates ten million calls without storing them", async () => {
    const before = process.memoryUsage().heapUsed;
    const emu = await start(3, 10_000_000);
    expect(emu.fixtures.totalCalls).toBe(10_000_000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(50 * 1024 * 1024);
  });
});
