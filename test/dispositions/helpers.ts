import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { type EmulatorOptions, type Fixtures, startEmulator } from "../../src/emulator/index.ts";
import type { DispositionMatrix } from "../../src/platform/types.ts";
import { adminCall } from "../support/emulator-admin.ts";

/**
 * Shared set-up for the tagging tests: a real emulator over HTTP, its fixtures, a temp data
 * dir, the environment the `cxo` child process needs, and readers for the emulator's request log.
 */
export interface TagHarness {
  url: string;
  fixtures: Fixtures;
  admin: Fixtures["clients"][number];
  /** A campaign with its matrix and distinct unlocked call ids of that campaign. */
  campaign: { id: string; matrix: DispositionMatrix };
  callsOf(campaignId: string, n: number): Promise<string[]>;
  dir(): string;
  env(dataDir: string, extra?: Record<string, string>): Record<string, string>;
  configFile(dir: string, rateLimitScale: number, http?: Record<string, unknown>): string;
  client(dataDir: string, rateLimitScale: number, http?: Record<string, unknown>): InternalClient;
  puts(): Promise<Array<{ path: string; status: number }>>;
  clearRequests(): Promise<void>;
  admin$(method: string, route: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export async function tagHarness(options: EmulatorOptions = {}): Promise<TagHarness> {
  const emu = await startEmulator({ port: 0, rateLimitScale: 1000, metricsIntervalMs: 0, ...options });
  const admin = emu.fixtures.clients[0];
  if (!admin) throw new Error("no admin client");
  const first = emu.fixtures.campaigns[0];
  if (!first) throw new Error("no campaign");
  const campaign = {
    id: first.id,
    matrix: { campaignId: first.id, codes: first.dispositionCodes } as DispositionMatrix,
  };
  const admin$ = (method: string, route: string, body?: unknown) => adminCall(emu.url, method, route, body);
  return {
    url: emu.url,
    fixtures: emu.fixtures,
    admin,
    campaign,
    async callsOf(campaignId, n) {
      const campaigns = emu.fixtures.campaigns.length;
      const fixtures = (await admin$("GET", `/fixtures?calls=${n * campaigns + 100}`)) as Fixtures;
      const ids = fixtures.calls.filter((c) => c.campaignId === campaignId).map((c) => c.id);
      if (ids.length < n) throw new Error(`only ${ids.length} calls of campaign ${campaignId}`);
      return ids.slice(0, n);
    },
    dir: () => mkdtempSync(path.join(tmpdir(), "cxo-tag-")),
    env: (dataDir, extra = {}) => ({
      CXONE_BASE_URL: emu.url,
      CXONE_CLIENT_ID: admin.clientId,
      CXONE_CLIENT_SECRET: admin.clientSecret,
      CXO_DATA_DIR: dataDir,
      ...extra,
    }),
    configFile(dir, rateLimitScale, http = {}) {
      const file = path.join(dir, "cxo.config.yaml");
      writeFileSync(file, JSON.stringify({ http: { rateLimitScale, ...http } }));
      return file;
    },
    client(dataDir, rateLimitScale, http = {}) {
      const settings = settingsSchema.parse({
        cxone: { baseUrl: emu.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
        dataDir,
        http: { rateLimitScale, ...http },
      });
      return createInternalClient(clientOptionsFromSettings(settings));
    },
    async puts() {
      const log = (await admin$("GET", "/requests")) as {
        requests: Array<{ method: string; path: string; status: number }>;
      };
      return log.requests.filter((r) => r.method === "PUT" && r.path.startsWith("/api/v2/outbound/calls/"));
    },
    async clearRequests() {
      await admin$("DELETE", "/requests");
    },
    admin$,
    close: () => emu.close(),
  };
}

/** The call id in a PUT path /api/v2/outbound/calls/{id}/disposition. */
export const callOfPath = (p: string) => decodeURIComponent(p.split("/")[5] ?? "");

/** Rows as a CSV file with the documented columns. */
export function writeCsv(file: string, rows: Array<Record<string, string>>): string {
  const quote = (v: string) => (/[",\n;]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const columns = ["callId", "dispositionCodeId", "reasonCodeId", "tags", "notes"];
  writeFileSync(
    file,
    `${columns.join(",")}\n${rows.map((r) => columns.map((c) => quote(r[c] ?? "")).join(",")).join("\n")}\n`,
  );
  return file;
}

/** Valid rows for these calls, cycling through the matrix's codes and reasons. */
export function validRows(calls: string[], matrix: DispositionMatrix): Array<Record<string, string>> {
  return calls.map((callId, i) => {
    const code = matrix.codes[i % matrix.codes.length];
    if (!code) throw new Error("empty matrix");
    const reason = code.reasonCodes[i % Math.max(1, code.reasonCodes.length)];
    return {
      callId,
      dispositionCodeId: code.id,
      reasonCodeId: reason?.id ?? "",
      tags: i % 3 === 0 ? `bulk;row-${String(i)}` : "bulk",
      notes: i % 5 === 0 ? `note ${i}` : "",
    };
  });
}
