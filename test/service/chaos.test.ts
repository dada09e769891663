import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { signWebhook } from "../../src/core/outbox/index.ts";
import { openStore } from "../../src/core/store/index.ts";
import { type Fixtures, startEmulator } from "../../src/emulator/index.ts";
import { validRows, writeCsv } from "../dispositions/helpers.ts";
import { type Receiver, startReceiver } from "../store/fixtures/receiver.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { createTestDatabase } from "../support/postgres-server.ts";
import { waitUntil } from "../support/wait-until.ts";

/**
 * Issue 18's proof: three `cxo serve` processes on one PostgreSQL store, the emulator, a webhook
 * receiver, a bulk tagging run in a fourth process, signed CXone webhooks pushed to random
 * instances, and a failover condition forced — while a random instance is killed with SIGKILL
 * (and restarted) every 0.25–0.6 s, ten times. At the end: no outbox event lost, duplicates
 * only for events in flight at a kill (counted), exactly one pause of the primary and one
 * activation of the backup on the emulator, the audit chain verifies, ≤ 1% of requests 429.
 */
const CXO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/cxo.js");
const SECRET = `whsec_${Buffer.from("chaos-webhook-secret-32-bytes!!!").toString("base64")}`;
const DEST_SECRET = `whsec_${Buffer.from("chaos-destination-secret-32byte!").toString("base64")}`;
const KILLS = 10;
const ROWS = 600;

interface Instance {
  name: string;
  child: ChildProcess;
  url: Promise<string>;
  exited: Promise<void>;
}

/**
 * The scenario's own pace, the only sleeps here: a webhook every 100 ms, a kill every 0.25–0.6 s
 * (random moments are the point: each run kills at a different step of the work). Everything
 * the test waits for is a condition (waitUntil), its ceiling only a hang's bound. At the old
 * pace (a webhook every 300 ms, a kill every 0.7–1.2 s) the tagging run's 600 events were all
 * delivered by the first kill and the failover done by the second, so most kills met idle
 * instances; at this one (2026-11-29, quiet) the kills land while the events are delivered.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("chaos: three cxo serve instances on one PostgreSQL, kill -9 at random", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let receiver: Receiver;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dir: string;
  const live = new Map<string, Instance>();

  beforeAll(async () => {
    [emulator, receiver, database] = await Promise.all([
      startEmulator({ port: 0, rateLimitScale: 10, metricsIntervalMs: 0, calls: 20_000 }),
      startReceiver({ secret: DEST_SECRET }),
      createTestDatabase(inject("pgUrl"), "cxo_chaos"),
    ]);
    dir = mkdtempSync(path.join(tmpdir(), "cxo-chaos-"));
  });

  afterAll(async () => {
    for (const instance of live.values()) instance.child.kill("SIGKILL");
    await Promise.all([...live.values()].map((instance) => instance.exited));
    await Promise.all([emulator?.close(), receiver?.close()]);
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  // No retry: the one flake seen here ("a restarted instance exited at start with Unexpected end
  // of JSON input", CI 2026-11-25) was the package test's `npm pack` rewriting package.json in
  // place while this test started `cxo` processes; see test/package/pack-manifest.test.ts.
  it("loses no event, fails over exactly once, keeps one audit chain", { timeout: 300_000 }, async () => {
    const fixtures = emulator.fixtures as Fixtures;
    const admin = fixtures.clients[0]!;
    const pair = fixtures.failoverPairs[0]!;
    const { primaryId: primary, backupId: backup } = pair;
    const config = path.join(dir, "cxo.config.yaml");
    writeFileSync(
      config,
      JSON.stringify({
        http: { rateLimitScale: 10, backoffBaseMs: 20, backoffCapMs: 200 },
        destinations: {
          bi: { url: receiver.url("/bi"), secret: DEST_SECRET },
          campaigns: { url: receiver.url("/campaigns"), secret: DEST_SECRET },
        },
        service: {
          port: 0,
          webhookSecret: SECRET,
          leaderLeaseSeconds: 3,
          pollIntervalSeconds: 5,
          watchdogs: [{ primary, backup, threshold: 0.2, breaches: 2, minSample: 0, intervalSeconds: 1 }],
          // No caller-ID health check (issue 66): each new leader ran it at once over 21 days of
          // the 20,000-call emulator's outcomes, ~12 s of the instances' CPU over the kills, and
          // nothing here reads it (issue 80: the suite's CPU).
          callerIdCheckHours: 0,
        },
      }),
    );
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      CXONE_BASE_URL: emulator.url,
      CXONE_CLIENT_ID: admin.clientId,
      CXONE_CLIENT_SECRET: admin.clientSecret,
      CXO_DATA_DIR: path.join(dir, ".cxo"),
      CXO_DATABASE_URL: database.url,
      CXO_CONFIG: config,
    };

    const start = (name: string): Instance => {
      const child = spawn(process.execPath, [CXO, "--json", "serve"], {
        env: { ...env, CXO_INSTANCE_ID: name },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
      const url = new Promise<string>((resolve, reject) => {
        child.stdout?.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          try {
            resolve((JSON.parse(out) as { url: string }).url);
          } catch {}
        });
        child.stderr?.on("data", (chunk: Buffer) => (err += chunk.toString()));
        void exited.then(() => reject(new Error(`${name} exited before serving: ${err.slice(-500)}`)));
      });
      url.catch(() => undefined);
      const instance = { name, child, url, exited };
      live.set(name, instance);
      return instance;
    };

    // Three instances; the tagging run (fourth process) writes its events to the same outbox.
    const names = ["i1", "i2", "i3"];
    for (const name of names) start(name);
    await Promise.all(names.map((name) => live.get(name)!.url));

    const campaign =
      fixtures.campaigns.find((c) => c.id !== primary && c.id !== backup) ?? fixtures.campaigns[0]!;
    const all = (await adminCall(
      emulator.url,
      "GET",
      `/fixtures?calls=${ROWS * fixtures.campaigns.length + 200}`,
    )) as Fixtures;
    const calls = all.calls
      .filter((c) => c.campaignId === campaign.id)
      .map((c) => c.id)
      .slice(0, ROWS);
    const file = writeCsv(
      path.join(dir, "rows.csv"),
      validRows(calls, { campaignId: campaign.id, codes: campaign.dispositionCodes }),
    );
    const tagging = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [CXO, "--json", "tag", "--campaign", campaign.id, "--file", file, "--concurrency", "4"],
        { env, stdio: ["ignore", "pipe", "pipe"] },
      );
      let stdout = "";
      let stderr = "";
      child.stdout?.on("data", (c: Buffer) => (stdout += c.toString()));
      child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
      child.on("exit", (code) => resolve({ code, stdout, stderr }));
    });

    // Signed CXone webhooks to random live instances: healthy samples, then the breach.
    let pushed = 0;
    let pushing = true;
    const push = (async () => {
      while (pushing) {
        const instance = [...live.values()][Math.floor(Math.random() * live.size)];
        const url = await instance?.url.catch(() => undefined);
        if (url) {
          const breach = pushed >= 6;
          const id = `evt-chaos-${pushed}`;
          const body = JSON.stringify({
            id,
            type: "omnichannel.campaign.metrics.update",
            campaignId: primary,
            occurredAt: new Date().toISOString(),
            data: {
              successRate: breach ? 0.02 : 0.6,
              activeCalls: 20,
              callsInWindow: 500,
              windowMinutes: 30,
            },
          });
          const sent = await fetch(`${url}/webhooks/cxone`, {
            method: "POST",
            headers: { "content-type": "application/json", ...signWebhook(SECRET, { id, body }) },
            body,
          }).catch(() => undefined);
          if (sent?.ok) pushed += 1;
        }
        await sleep(100);
      }
    })();
    // The failover condition on the emulator too (what the leader's own polls see), once the
    // healthy samples are in and the breach is being pushed.
    await waitUntil(() => pushed >= 6, { what: "six healthy webhook samples", timeoutMs: 120_000 });
    await adminCall(emulator.url, "POST", `/campaigns/${primary}/metrics`, {
      successRate: 0.02,
      callsInWindow: 500,
    });

    // kill -9 a random instance, restart it, again and again.
    let kills = 0;
    while (kills < KILLS) {
      await sleep(250 + Math.random() * 350);
      const victim = names[Math.floor(Math.random() * names.length)]!;
      const instance = live.get(victim)!;
      instance.child.kill("SIGKILL");
      await instance.exited;
      kills += 1;
      start(victim);
    }
    pushing = false;
    await push;
    await Promise.all(names.map((name) => live.get(name)!.url));

    // The leader frozen (SIGSTOP) past its lease: another takes over within 10 s, and the old
    // one, thawed, finds its lease gone and does not act.
    type Health = { leader: { self: boolean; token: number | null } };
    const health = async (name: string) =>
      (await (await fetch(`${await live.get(name)!.url}/api/health`)).json()) as Health;
    const leaderAmong = async (candidates: string[]) => {
      for (const name of candidates)
        if ((await health(name).catch(() => undefined))?.leader.self) return name;
      return undefined;
    };
    const frozen = await waitUntil(() => leaderAmong(names), {
      what: "a leader",
      timeoutMs: 120_000,
      intervalMs: 100,
    });
    const frozenToken = (await health(frozen)).leader.token!;
    live.get(frozen)!.child.kill("SIGSTOP");
    const frozenAt = Date.now();
    // How soon is bench/takeover.bench.ts's to measure (lease + renewal: about 4 s here on a quiet
    // machine); a test that held it to a wall-clock bound failed at load 13. Here: that someone
    // takes over, with a newer token, and the thawed one stands down.
    const successor = await waitUntil(() => leaderAmong(names.filter((n) => n !== frozen)), {
      what: "an instance taking over from the frozen leader",
      timeoutMs: 120_000,
      intervalMs: 100,
    });
    const takeoverMs = Date.now() - frozenAt;
    expect((await health(successor)).leader.token).toBeGreaterThan(frozenToken);
    live.get(frozen)!.child.kill("SIGCONT");
    await waitUntil(async () => (await health(frozen).catch(() => undefined))?.leader.self === false, {
      what: "the thawed leader to stand down",
      timeoutMs: 120_000,
      intervalMs: 100,
    });
    const tagged = await tagging;
    expect(tagged.code, tagged.stderr).toBe(0);
    expect(JSON.parse(tagged.stdout)).toMatchObject({ failed: 0 });

    // Everything settles: every event delivered, no pending journal row, the failover done.
    const store = await openStore({ dataDir: env.CXO_DATA_DIR, store: { url: database.url } });
    try {
      await waitUntil(
        async () => {
          const status = await store.outbox.status();
          const incidents = await (await fetch(`${await live.get("i1")!.url}/api/incidents`)).json();
          const failedOver = (incidents as { incidents: Array<{ phase: string }> }).incidents.some(
            (i) => i.phase === "failed-over",
          );
          return failedOver && status.every((d) => d.pending === 0);
        },
        { what: "every event delivered and the failover done", timeoutMs: 120_000, intervalMs: 250 },
      );
      const events = await store.outbox.list({ limit: 100_000 });
      expect(events.length).toBeGreaterThanOrEqual(ROWS);
      expect(events.filter((e) => e.status !== "delivered")).toEqual([]);
      const delivered = receiver.deliveredIds();
      const lost = events.filter((e) => !delivered.has(e.id));
      expect(lost).toEqual([]);
      // Duplicates: only events in flight when an instance died (≤ 16 per lane per kill).
      const accepted = receiver.received.filter((r) => r.signatureValid);
      const duplicates = accepted.length - delivered.size;
      expect(duplicates).toBeLessThanOrEqual(kills * 2 * 16);
      // Ordered events of the incident arrived in order (started before completed).
      const incidentEvents = accepted
        .filter((r) => r.path === "/campaigns")
        .map((r) => JSON.parse(r.body).type as string)
        .filter((type) => type.startsWith("campaign.failover."));
      const firstSeen = [...new Set(incidentEvents)];
      expect(firstSeen).toEqual(["campaign.failover.started", "campaign.failover.completed"]);

      // Exactly one pause of the primary and one activation of the backup reached the emulator.
      const log = (await adminCall(emulator.url, "GET", "/requests")) as {
        requests: Array<{ method: string; path: string; status: number; replayed?: true }>;
      };
      // A leader killed between sending a step's PUT and recording it leaves the step pending; its
      // successor re-drives it with the SAME idempotency key and CXone replays the first answer.
      // Such a replay reaches the log marked `replayed` and changes nothing, so effects are the
      // PUTs that were not replays — exactly one each — and every other PUT must be a replay.
      const puts = (id: string) =>
        log.requests.filter((r) => r.method === "PUT" && r.path === `/api/v2/omnichannel/campaigns/${id}`);
      const effects = (id: string) => puts(id).filter((r) => !r.replayed);
      expect(effects(primary)).toHaveLength(1);
      expect(effects(backup)).toHaveLength(1);
      expect(puts(primary).length + puts(backup).length).toBeLessThanOrEqual(2 + kills);
      const throttled = log.requests.filter((r) => r.status === 429).length;
      expect(throttled / log.requests.length).toBeLessThanOrEqual(0.01);

      expect(await store.audit.verify()).toMatchObject({ ok: true });
      // The tenant's rate budget is split among the live instances (the shared-budget lease).
      // A share lives 3 s and each instance renews its own: read at one instant, a renewal late
      // on a loaded machine (or the thawed leader's first) left two holders (a clean-clone CI run,
      // 2026-11-26). So: all three holders seen at one instant, waited for.
      const holders = async () =>
        Number(
          (
            await store.db.get<{ n: number }>(
              "SELECT COUNT(DISTINCT holder) AS n FROM rate_shares WHERE grp = 'campaigns' AND expires_ms > ?",
              [Date.now()],
            )
          )?.n,
        );
      await waitUntil(async () => (await holders()) >= 3, {
        what: "three holders of the tenant's rate budget",
        timeoutMs: 120_000,
        intervalMs: 100,
      });
      expect((await store.journal.counts()).pending).toBe(0);
      console.info(
        `chaos: ${kills} kills, leader takeover after SIGSTOP ${takeoverMs} ms, ${events.length} events, ${duplicates} duplicate deliveries, ${pushed} webhooks, ${log.requests.length} CXone requests (${throttled} 429)`,
      );
    } finally {
      await store.close();
    }
  });
});
