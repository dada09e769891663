import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Settings, settingsSchema } from "../../src/core/config/schema.ts";
import { type CxoneFixtures, type Fixtures, startEmulator } from "../../src/emulator/index.ts";
import { type RunningService, startService } from "../../src/service/index.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { createTestDatabase } from "../support/postgres-server.ts";
import { until } from "./harness.ts";

/**
 * Issue 30's proof: `cxo serve` with a watchdog on a campaign with a backup, live readings every
 * 0.1 s (the interval is a setting: the default 5 s makes this ~50x slower, not different). A
 * campaign goes bad on cue through the emulator's admin API → the board shows it within 15 s
 * and the watchdog's live rule pauses the primary and starts the backup within 60 s of the
 * breach rule being met — exactly once, also with two instances on one PostgreSQL store. The
 * same suite runs on the seed API, whose live figure is the metrics endpoint's active calls.
 */
interface World {
  name: string;
  url: string;
  primary: string;
  backup: string;
  settings(dataDir: string, extra?: Record<string, unknown>): Settings;
  /** Makes the primary go bad (agents log out / contacts stop). */
  breakPrimary(): Promise<void>;
  /** The live figure the board must show once it went bad. */
  broken(view: LiveLike): boolean;
  /** Requests that paused the primary and started the backup, from the emulator's log. */
  switches(): Promise<{ pauses: number; starts: number }>;
  close(): Promise<void>;
}

type LiveLike = {
  live: { agentsLoggedIn?: number; contactsActive?: number; ageSeconds: number; source: string } | null;
};

// No caller-ID health check when an instance leads (issue 66; not this test's subject): ~0.4–1.1 s
// of CPU each time (issue 80).
const SERVICE = {
  port: 0,
  livePollIntervalSeconds: 0.1,
  pollIntervalSeconds: 3600,
  leaderLeaseSeconds: 2,
  callerIdCheckHours: 0,
};
const HTTP = { rateLimitScale: 1000, backoffBaseMs: 10, backoffCapMs: 100 };

async function log(url: string) {
  return (
    (await adminCall(url, "GET", "/requests")) as {
      requests: Array<{ method: string; path: string; status: number }>;
    }
  ).requests;
}

async function cxoneWorld(): Promise<World> {
  const emu = await startEmulator({ platform: "cxone", port: 0, seed: 5, contacts: 300 });
  const f = emu.fixtures as CxoneFixtures;
  const pc = f.skills.filter((s) => s.outboundStrategy === "Personal Connection" && s.isActive);
  const primary = String(pc.find((s) => s.isRunning)!.skillId);
  const backup = String(pc.find((s) => !s.isRunning)!.skillId);
  const key = f.accessKeys.find((k) => !k.readOnly)!;
  return {
    name: "cxone",
    url: emu.url,
    primary,
    backup,
    settings: (dataDir, extra = {}) =>
      settingsSchema.parse({
        cxone: {
          platform: "cxone",
          issuer: emu.url,
          clientId: f.client.clientId,
          clientSecret: f.client.clientSecret,
          accessKeyId: key.accessKeyId,
          accessKeySecret: key.accessKeySecret,
        },
        dataDir,
        http: HTTP,
        service: {
          ...SERVICE,
          // Success rate never decides here (minSample out of reach): only the live rule can.
          watchdogs: [{ primary, backup, minSample: 100_000, intervalSeconds: 3600, live: { breaches: 2 } }],
        },
        ...extra,
      }),
    breakPrimary: async () => {
      await adminCall(emu.url, "POST", `/skills/${primary}/live`, { agentsLoggedOut: true });
    },
    broken: (view) => view.live?.agentsLoggedIn === 0,
    switches: async () => {
      const requests = await log(emu.url);
      const count = (suffix: string) =>
        requests.filter((r) => r.method === "POST" && r.path.endsWith(suffix) && r.status < 300).length;
      return { pauses: count(`/skills/${primary}/stop`), starts: count(`/skills/${backup}/start`) };
    },
    close: () => emu.close(),
  };
}

async function seedWorld(): Promise<World> {
  const emu = await startEmulator({ port: 0, rateLimitScale: 1000, metricsIntervalMs: 0, calls: 500 });
  const f = emu.fixtures as Fixtures;
  const { primaryId: primary, backupId: backup } = f.failoverPairs[0]!;
  const admin = f.clients[0]!;
  return {
    name: "seed",
    url: emu.url,
    primary,
    backup,
    settings: (dataDir, extra = {}) =>
      settingsSchema.parse({
        cxone: { baseUrl: emu.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
        dataDir,
        http: HTTP,
        service: {
          ...SERVICE,
          watchdogs: [{ primary, backup, minSample: 100_000, intervalSeconds: 3600, live: { breaches: 2 } }],
        },
        ...extra,
      }),
    breakPrimary: async () => {
      await adminCall(emu.url, "POST", `/campaigns/${primary}/metrics`, { successRate: 0.5, activeCalls: 0 });
    },
    broken: (view) => view.live?.contactsActive === 0,
    switches: async () => {
      const requests = await log(emu.url);
      const puts = (id: string) =>
        requests.filter((r) => r.method === "PUT" && r.path.endsWith(`/campaigns/${id}`) && r.status < 300)
          .length;
      return { pauses: puts(primary), starts: puts(backup) };
    },
    close: () => emu.close(),
  };
}

async function viewOf(svc: RunningService, id: string): Promise<LiveLike & { successRate: number | null }> {
  const doc = (await (await fetch(`${svc.url}/api/campaigns`)).json()) as {
    campaigns: Array<LiveLike & { id: string; successRate: number | null }>;
  };
  return doc.campaigns.find((c) => c.id === id)!;
}

async function failedOver(svc: RunningService): Promise<boolean> {
  const doc = (await (await fetch(`${svc.url}/api/incidents`)).json()) as {
    incidents: Array<{ phase: string; trigger: { rule?: string } }>;
  };
  // Opened by a live rule: the success rate cannot decide here (minSample out of reach).
  return doc.incidents.some(
    (i) => i.phase === "failed-over" && /^(agents-logged-out|contacts-stopped)$/.test(i.trigger.rule ?? ""),
  );
}

async function prove(world: World, services: RunningService[]): Promise<void> {
  const [first] = services;
  // The board has live figures, with their source and age, before anything goes wrong.
  const healthy = await until(
    async () => {
      const view = await viewOf(first!, world.primary);
      return view?.live && !world.broken(view) ? view : undefined;
    },
    10_000,
    "live figures of the primary",
  );
  expect(healthy.live!.ageSeconds).toBeLessThan(15);
  expect(healthy.live!.source).toMatch(/^GET /);
  expect(healthy.successRate).not.toBe(0);

  await world.breakPrimary();
  // The claims are the waits' bounds: the board shows it within 15 s, the failover comes within
  // 60 s (until() fails the test past them; a second check of the same bound proved nothing).
  await until(async () => world.broken(await viewOf(first!, world.primary)), 15_000, "the board showing it");

  await until(
    async () => {
      for (const svc of services) if (await failedOver(svc)) return true;
      return false;
    },
    60_000,
    "the failover",
  );
  await until(
    async () => {
      const s = await world.switches();
      return s.pauses >= 1 && s.starts >= 1;
    },
    5000,
    "pause + start on the emulator",
  );
  // More readings of a still-broken primary change nothing: once.
  for (const svc of services) for (let i = 0; i < 5; i++) await svc.readLiveNow();
  expect(await world.switches()).toEqual({ pauses: 1, starts: 1 });
}

for (const make of [cxoneWorld, seedWorld]) {
  describe(`live failover (${make === cxoneWorld ? "production API" : "seed API"})`, () => {
    let world: World;
    beforeAll(async () => {
      world = await make();
    });
    afterAll(() => world.close());

    it("one instance: the board shows the bad campaign within 15 s; the watchdog fails over once within 60 s", async () => {
      const svc = await startService({
        settings: world.settings(mkdtempSync(path.join(tmpdir(), "cxo-live-"))),
      });
      try {
        await prove(world, [svc]);
      } finally {
        await svc.close();
      }
    }, 120_000);
  });
}

describe("live failover with two instances on one PostgreSQL store (production API)", () => {
  let world: World;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    [world, database] = await Promise.all([cxoneWorld(), createTestDatabase(inject("pgUrl"), "cxo_live")]);
  });
  afterAll(async () => {
    await world?.close();
    await database?.drop();
  });

  it("exactly one pause and one start, whichever instance leads", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-live-pg-"));
    const services: RunningService[] = [];
    try {
      for (const name of ["a", "b"]) {
        const settings = world.settings(path.join(dir, name), { store: { url: database.url } });
        services.push(
          await startService({
            settings: { ...settings, service: { ...settings.service, instanceId: name } },
          }),
        );
      }
      await until(() => services.some((s) => s.leadership.state().leader), 10_000, "a leader");
      await prove(world, services);
    } finally {
      await Promise.all(services.map((s) => s.close()));
    }
  }, 120_000);
});
