import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Settings, settingsSchema } from "../../src/core/config/schema.ts";
import { type EmulatorOptions, type Fixtures, startEmulator } from "../../src/emulator/index.ts";
import { type RunningService, type StartServiceOptions, startService } from "../../src/service/index.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { waitUntil } from "../support/wait-until.ts";

/**
 * The service against a real emulator over HTTP: fixtures, a fresh data dir, settings built the
 * way the loader builds them, and readers for the emulator's request log and admin API.
 */
export interface ServiceHarness {
  emulatorUrl: string;
  fixtures: Fixtures;
  admin: Fixtures["clients"][number];
  campaignIds: string[];
  dataDir: string;
  settings(service?: Record<string, unknown>, extra?: Record<string, unknown>): Settings;
  start(
    options?: Partial<StartServiceOptions> & { service?: Record<string, unknown> },
  ): Promise<RunningService>;
  requests(): Promise<Array<{ method: string; path: string; status: number }>>;
  admin$(method: string, route: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export async function serviceHarness(emulator: EmulatorOptions = {}): Promise<ServiceHarness> {
  const emu = await startEmulator({
    port: 0,
    rateLimitScale: 1000,
    metricsIntervalMs: 0,
    calls: 1000,
    ...emulator,
  });
  const admin = emu.fixtures.clients[0];
  if (!admin) throw new Error("no client in the fixtures");
  const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-service-"));
  const started: RunningService[] = [];
  const admin$ = (method: string, route: string, body?: unknown) => adminCall(emu.url, method, route, body);
  const settings = (service: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
    settingsSchema.parse({
      cxone: { baseUrl: emu.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
      dataDir,
      http: { rateLimitScale: 1000, backoffBaseMs: 10, backoffCapMs: 100 },
      service: { port: 0, pollIntervalSeconds: 60, ...service },
      ...extra,
    });
  return {
    emulatorUrl: emu.url,
    fixtures: emu.fixtures,
    admin,
    campaignIds: emu.fixtures.campaigns.map((c) => c.id),
    dataDir,
    settings,
    async start(options = {}) {
      const { service, ...rest } = options;
      const svc = await startService({ settings: rest.settings ?? settings(service), port: 0, ...rest });
      started.push(svc);
      return svc;
    },
    async requests() {
      const log = (await admin$("GET", "/requests")) as {
        requests: Array<{ method: string; path: string; status: number }>;
      };
      return log.requests;
    },
    admin$,
    async close() {
      await Promise.all(started.map((svc) => svc.close()));
      await emu.close();
    },
  };
}

/**
 * Waits until `check` returns a truthy value (polling), or fails after `timeoutMs`: a hang's
 * bound, never a speed figure (issue 93 §4: a loaded machine missed 5 and 10 s ceilings), so a
 * minute unless a test needs a longer one.
 */
export async function until<T>(
  check: () => Promise<T> | T,
  timeoutMs = 60_000,
  what = "condition",
): Promise<NonNullable<T>> {
  return waitUntil(check, { what, timeoutMs, intervalMs: 25 });
}
