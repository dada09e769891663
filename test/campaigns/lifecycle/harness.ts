import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { createInternalClient, type InternalClient } from "../../../src/client.ts";
import { type Fixtures, startEmulator } from "../../../src/emulator/index.ts";
import { adminCall } from "../../support/emulator-admin.ts";

/**
 * Shared set-up for the campaign lifecycle and watchdog tests: a real emulator over HTTP, its
 * fixtures, temp data dirs, the `cxo` child-process environment (fast retries), an in-process
 * client, and readers for the emulator's request log.
 */
export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
}

export interface CampaignHarness {
  url: string;
  fixtures: Fixtures;
  admin: Fixtures["clients"][number];
  contactListId: string;
  pair: { primaryId: string; backupId: string };
  dir(): string;
  /** Environment for `cxo` (and the config file with fast retries it points at). */
  env(dataDir: string): Record<string, string>;
  /** A client of the emulator; its data dir `dataDir` (one of `dir()`'s), else the harness's own. */
  client(dataDir?: string): InternalClient;
  requests(): Promise<LoggedRequest[]>;
  /** API requests to the seed-002 endpoints (token requests excluded). */
  campaignRequests(): Promise<LoggedRequest[]>;
  /** PUTs that changed a campaign's status (200), per campaign id. */
  statusPuts(campaignId: string): Promise<LoggedRequest[]>;
  admin$(method: string, route: string, body?: unknown): Promise<unknown>;
  campaignStatus(campaignId: string): Promise<string>;
  writeSpec(dir: string, spec: unknown, name?: string): string;
  close(): Promise<void>;
}

export async function campaignHarness(seed = 42): Promise<CampaignHarness> {
  const emu = await startEmulator({ port: 0, seed, calls: 1000, rateLimitScale: 1000, metricsIntervalMs: 0 });
  const admin = emu.fixtures.clients[0];
  const list = emu.fixtures.contactLists[0];
  const pair = emu.fixtures.failoverPairs[0];
  if (!admin || !list || !pair) throw new Error("emulator fixtures incomplete");
  const admin$ = (method: string, route: string, body?: unknown) => adminCall(emu.url, method, route, body);
  const requests = async () => ((await admin$("GET", "/requests")) as { requests: LoggedRequest[] }).requests;
  const http = { backoffBaseMs: 5, backoffCapMs: 40, rateLimitScale: 1000 };
  const clients: InternalClient[] = [];
  // The harness's clients share one data dir of the run's, as they shared the working directory's
  // `.cxo` (which a test must never write: it outlived the run, in the repository).
  const sharedDataDir = mkdtempSync(path.join(tmpdir(), "cxo-campaigns-data-"));
  const newClient = (dataDir = sharedDataDir) => {
    const client = createInternalClient({
      connection: { baseUrl: emu.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
      http,
      dataDir,
    });
    clients.push(client);
    return client;
  };
  let statusReader: InternalClient | undefined;
  return {
    url: emu.url,
    fixtures: emu.fixtures,
    admin,
    contactListId: list.id,
    pair,
    dir: () => mkdtempSync(path.join(tmpdir(), "cxo-campaigns-")),
    env(dataDir) {
      const config = path.join(dataDir, "..", "cxo.config.json");
      writeFileSync(config, JSON.stringify({ http }));
      return {
        CXONE_BASE_URL: emu.url,
        CXONE_CLIENT_ID: admin.clientId,
        CXONE_CLIENT_SECRET: admin.clientSecret,
        CXO_DATA_DIR: dataDir,
        CXO_CONFIG: config,
      };
    },
    client: newClient,
    requests,
    async campaignRequests() {
      return (await requests()).filter((r) => r.path.startsWith("/api/v2/omnichannel/"));
    },
    async statusPuts(campaignId) {
      return (await requests()).filter(
        (r) =>
          r.method === "PUT" && r.path === `/api/v2/omnichannel/campaigns/${campaignId}` && r.status === 200,
      );
    },
    admin$,
    async campaignStatus(campaignId) {
      statusReader ??= newClient();
      return (await statusReader.port.campaigns.get(campaignId)).status;
    },
    writeSpec(dir, spec, name = "spec.yaml") {
      const file = path.join(dir, name);
      writeFileSync(file, name.endsWith(".json") ? JSON.stringify(spec) : stringify(spec));
      return file;
    },
    async close() {
      await Promise.all(clients.map((client) => client.close()));
      await emu.close();
    },
  };
}

/** A valid spec (user format), to break one field at a time. */
export function validSpec(contactListId?: string): Record<string, unknown> {
  return {
    name: "Test predictive",
    ...(contactListId ? { contactListId } : {}),
    queue: "default_outbound_queue",
    predictive: { answerRatio: 0.85, maxCallsInFlight: 50, callRate: 12, abandonmentThreshold: 0.03 },
    compliance: {
      timeZone: "America/New_York",
      window: { start: "08:00", end: "21:00" },
      allowedDays: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
      maxCallsPerContactPerDay: 1,
      maxCallsPerContactPerWeek: 3,
      maxCallsPerDay: 5000,
    },
    failover: { threshold: 0.15, windowMinutes: 30, minSample: 30, breaches: 3 },
  };
}
