import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInternalClient, type InternalClient } from "../../src/client.ts";
import { StaleBufferError } from "../../src/core/double-buffer.ts";
import { ScopeError } from "../../src/core/http/errors.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import type { CallPage } from "../../src/platform/types.ts";

/**
 * The client built only from our settings, against the emulator over real HTTP: every request
 * shape is checked by the emulator's own schemas, which share nothing with the adapter.
 */
let emulator: RunningEmulator;

function clientFor(index: number, extra: Record<string, unknown> = {}): InternalClient {
  const { clientId, clientSecret } = emulator.fixtures.clients[index]!;
  return createInternalClient({
    connection: { baseUrl: emulator.url, clientId, clientSecret, ...extra },
    http: { backoffBaseMs: 5, backoffCapMs: 50, rateLimitScale: 50 },
  });
}

async function adminPost(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${emulator.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 7, calls: 20_000, rateLimitScale: 50 });
});
afterAll(() => emulator.close());

describe("seed-API client against the emulator", () => {
  it("reads a campaign's disposition matrix with every auth style", async () => {
    const campaign = emulator.fixtures.campaigns[0]!;
    const styles = [
      { credentials: "basic", encoding: "form" },
      { credentials: "body", encoding: "form" },
      { credentials: "body", encoding: "json" },
    ];
    for (const auth of styles) {
      const client = clientFor(0, { auth });
      try {
        const matrix = await client.port.dispositions.getMatrix(campaign.id);
        expect(matrix.codes.map((c) => c.id)).toEqual(campaign.dispositionCodes.map((c) => c.id));
        expect(matrix.codes[0]!.reasonCodes).toEqual(campaign.dispositionCodes[0]!.reasonCodes);
      } finally {
        await client.close();
      }
    }
  });

  it("lists a campaign's calls over several pages, each record once", async () => {
    const client = clientFor(0);
    try {
      const campaign = emulator.fixtures.campaigns[0]!;
      const { start, end } = emulator.fixtures.callWindow;
      const ids = new Set<string>();
      let pages = 0;
      for await (const page of client.port.outcomes
        .listCalls({ campaignId: campaign.id, from: start, to: end, pageSize: 500 })
        .pages()) {
        pages += 1;
        for (const call of page.items) {
          expect(call.campaignId).toBe(campaign.id);
          ids.add(call.id);
        }
      }
      expect(ids.size).toBe(campaign.callCount);
      expect(pages).toBe(Math.ceil(campaign.callCount / 500));
    } finally {
      await client.close();
    }
  });

  it("pages decoded on demand hold the same records as the listing; a page read too late throws", async () => {
    const client = clientFor(0);
    try {
      const campaign = emulator.fixtures.campaigns[0]!;
      const { start, end } = emulator.fixtures.callWindow;
      const query = { campaignId: campaign.id, from: start, to: end, pageSize: 700 };
      const listed = (await client.port.outcomes.listCalls(query).toArray()).map((call) => call.raw);
      const decoded: unknown[] = [];
      const kept: CallPage[] = [];
      for await (const page of client.port.outcomes.callPages(query)) {
        for (let i = 0; i < page.count; i++) decoded.push(page.call(i).raw);
        kept.push(page);
      }
      expect(decoded).toEqual(listed);
      expect(decoded.length).toBe(campaign.callCount);
      // The last two pages are still readable; the ones before had their bytes reused.
      expect(kept.length).toBeGreaterThan(3);
      expect(kept.at(-2)!.call(0).raw).toEqual(decoded[(kept.length - 2) * 700]);
      expect(() => kept[0]!.call(0)).toThrow(StaleBufferError);
    } finally {
      await client.close();
    }
  });

  it("retries through injected 503s and resets, and renews expired tokens", async () => {
    const client = clientFor(0);
    try {
      const campaign = emulator.fixtures.campaigns[1]!;
      await client.port.dispositions.getMatrix(campaign.id);
      await adminPost("/_emulator/faults", { group: "dispositions", errorRate: 1, count: 2 });
      await adminPost("/_emulator/faults", { group: "dispositions", resetRate: 1, count: 1 });
      await adminPost("/_emulator/faults", { expireTokens: true });
      const matrix = await client.port.dispositions.getMatrix(campaign.id);
      expect(matrix.codes.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it("a token without the scope gets a ScopeError naming it", async () => {
    // Ask for the listing scope only: the token then lacks the campaign-read scope.
    const client = clientFor(0, { auth: { scopes: ["outbound:call:read"] } });
    try {
      const error = await client.port.dispositions
        .getMatrix(emulator.fixtures.campaigns[0]!.id)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ScopeError);
      expect((error as ScopeError).message).toMatch(/outbound:campaign:read/);
    } finally {
      await client.close();
    }
  });
});
