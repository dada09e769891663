import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { type Fixtures, startEmulator } from "../../src/emulator/index.ts";
import { adminCall } from "../support/emulator-admin.ts";

/**
 * A real emulator over HTTP holding exactly `records` calls (default 200,000) for the first
 * campaign (six campaigns share the calls round-robin), throttling scaled out of the way, plus
 * helpers to read its request log and its own per-code counts.
 */
export const RECORDS = 200_000;

export interface OutcomesHarness {
  url: string;
  fixtures: Fixtures;
  campaignId: string;
  /** The whole call window: every call of the campaign. */
  from: string;
  to: string;
  dir(): string;
  client(dataDir: string, http?: Record<string, unknown>): InternalClient;
  env(dataDir: string, extra?: Record<string, string>): Record<string, string>;
  configFile(dir: string): string;
  admin(method: string, route: string, body?: unknown): Promise<unknown>;
  listingRequests(): Promise<Array<{ method: string; path: string; status: number; truncated?: true }>>;
  allRequests(): Promise<number>;
  countsByCode(): Promise<{ total: number; byCode: Record<string, number> }>;
  close(): Promise<void>;
}

export async function outcomesHarness(records = RECORDS): Promise<OutcomesHarness> {
  const probe = await startEmulator({ port: 0, calls: 6, metricsIntervalMs: 0 });
  const campaigns = probe.fixtures.campaigns.length;
  await probe.close();
  const emu = await startEmulator({
    port: 0,
    calls: records * campaigns,
    rateLimitScale: 1000,
    metricsIntervalMs: 0,
  });
  const admin = emu.fixtures.clients[0];
  const campaign = emu.fixtures.campaigns[0];
  if (!admin || !campaign) throw new Error("fixtures without client or campaign");
  const from = emu.fixtures.callWindow.start;
  const to = new Date().toISOString();
  const admin$ = (method: string, route: string, body?: unknown) => adminCall(emu.url, method, route, body);
  const log = async () =>
    (
      (await admin$("GET", "/requests")) as {
        requests: Array<{ method: string; path: string; status: number; truncated?: true }>;
      }
    ).requests;
  return {
    url: emu.url,
    fixtures: emu.fixtures,
    campaignId: campaign.id,
    from,
    to,
    dir: () => mkdtempSync(path.join(tmpdir(), "cxo-outcomes-")),
    client(dataDir, http = {}) {
      const settings = settingsSchema.parse({
        cxone: { baseUrl: emu.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
        dataDir,
        http: { rateLimitScale: 1000, backoffBaseMs: 20, backoffCapMs: 200, ...http },
        log: { level: "silent" },
      });
      return createInternalClient(clientOptionsFromSettings(settings));
    },
    env: (dataDir, extra = {}) => ({
      CXONE_BASE_URL: emu.url,
      CXONE_CLIENT_ID: admin.clientId,
      CXONE_CLIENT_SECRET: admin.clientSecret,
      CXO_DATA_DIR: dataDir,
      ...extra,
    }),
    configFile(dir) {
      const file = path.join(dir, "cxo.config.yaml");
      writeFileSync(file, JSON.stringify({ http: { rateLimitScale: 1000, backoffBaseMs: 20 } }));
      return file;
    },
    admin: admin$,
    listingRequests: async () => (await log()).filter((r) => r.path === "/api/v2/outbound/calls"),
    allRequests: async () => (await log()).length,
    countsByCode: async () =>
      (await admin$(
        "GET",
        `/outcomes/counts?${new URLSearchParams({ campaignId: campaign.id, startDateTime: from, endDateTime: to })}`,
      )) as { total: number; byCode: Record<string, number> },
    close: () => emu.close(),
  };
}
