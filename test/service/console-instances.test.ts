import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { signWebhook } from "../../src/core/outbox/index.ts";
import type { RunningService } from "../../src/service/index.ts";
import { createTestDatabase } from "../support/postgres-server.ts";
import { type ServiceHarness, serviceHarness, until } from "./harness.ts";

/**
 * Issue 42 "done when": two `cxo serve` instances on one PostgreSQL store. A sign-in on one is a
 * session on the other; a pause and an acknowledgement made on one show on the other's board; a fail back
 * asked on the instance that does not run the watchdogs is carried out by the one that does, as
 * the operator who asked.
 */
const SECRET = "whsec_Y29uc29sZS1pbnN0YW5jZXMtdGVzdC1zZWNyZXQ";
const users = [
  { name: "olivia", role: "operator", passwordHash: bcrypt.hashSync("olivia's long password", 4) },
];

describe("the console on two instances sharing one PostgreSQL store", () => {
  let h: ServiceHarness;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let leader: RunningService;
  let follower: RunningService;
  let primary: string;
  let backup: string;

  beforeAll(async () => {
    [h, database] = await Promise.all([
      serviceHarness({ operationDelayMs: 50 }),
      createTestDatabase(inject("pgUrl"), "cxo_console"),
    ]);
    [primary, backup] = h.campaignIds as [string, string];
    const services: RunningService[] = [];
    for (const name of ["a", "b"])
      services.push(
        await h.start({
          settings: h.settings(
            {
              instanceId: name,
              users,
              webhookSecret: SECRET,
              pollIntervalSeconds: 3600,
              leaderLeaseSeconds: 2,
              watchdogs: [
                { primary, backup, threshold: 0.2, breaches: 1, minSample: 0, intervalSeconds: 3600 },
              ],
            },
            { store: { url: database.url } },
          ),
        }),
      );
    await until(() => services.some((s) => s.leadership.state().leader), 10_000, "a leader");
    leader = services.find((s) => s.leadership.state().leader) as RunningService;
    follower = services.find((s) => s !== leader) as RunningService;
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await database?.drop();
  });

  it("signs in once, acknowledges on one and fails back from the other", async () => {
    const signIn = await fetch(`${leader.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: "olivia", password: "olivia's long password" }),
    });
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] as string;
    const headers = { "content-type": "application/json", cookie, "x-csrf-token": csrfToken };
    expect(await (await fetch(`${follower.url}/api/session`, { headers: { cookie } })).json()).toMatchObject({
      user: "olivia",
    });

    // A pause on one instance shows on the other's board (and so its live stream) within seconds.
    const third = h.campaignIds[2] as string;
    for (const svc of [leader, follower]) svc.board.add(third);
    const pause = await fetch(`${follower.url}/api/campaigns/${third}/pause`, {
      method: "POST",
      headers,
      body: JSON.stringify({ intent: "instances-pause-1" }),
    });
    expect(pause.status).toBe(200);
    await until(() => leader.board.view(third)?.status === "paused", 5_000, "the pause on the other board");

    // A low success rate pushed to the follower reaches the leader's watchdog through the store.
    const body = JSON.stringify({
      id: "evt-instances-1",
      type: "omnichannel.campaign.metrics.update",
      campaignId: primary,
      occurredAt: new Date().toISOString(),
      data: { successRate: 0.03, activeCalls: 40, callsInWindow: 500, windowMinutes: 30 },
    });
    const hook = await fetch(`${follower.url}/webhooks/cxone`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...signWebhook(SECRET, { id: "evt-instances-1", body }),
      },
      body,
    });
    expect(hook.status).toBe(204);
    type Incident = {
      id: string;
      phase: string;
      acknowledged: { by: string } | null;
      closedBy: string | null;
    };
    const incidentOn = async (svc: RunningService) =>
      (
        (await (await fetch(`${svc.url}/api/incidents`, { headers: { cookie } })).json()) as {
          incidents: Incident[];
        }
      ).incidents[0];
    const open = await until(async () => {
      const seen = await incidentOn(follower);
      return seen?.phase === "failed-over" ? seen : undefined;
    }, 15_000);

    const ack = await fetch(`${leader.url}/api/incidents/${open.id}/acknowledge`, {
      method: "POST",
      headers,
      body: JSON.stringify({ intent: "instances-ack-1" }),
    });
    expect(ack.status).toBe(200);
    expect((await incidentOn(follower))?.acknowledged).toMatchObject({ by: "board:olivia" });

    const back = await fetch(`${follower.url}/api/incidents/${open.id}/fail-back`, {
      method: "POST",
      headers,
      body: JSON.stringify({ intent: "instances-back-1" }),
    });
    expect(back.status).toBe(200);
    expect(await back.json()).toMatchObject({ outcome: { requested: true } });
    const closed = await until(async () => {
      const seen = await incidentOn(follower);
      return seen?.phase === "closed" ? seen : undefined;
    }, 15_000);
    expect(closed.closedBy).toBe("fail-back");
    const records = await leader.store.audit.tail(15);
    expect(records.filter((r) => r.actor === "board:olivia").map((r) => r.operation)).toEqual(
      expect.arrayContaining([
        "campaigns.failover.acknowledged",
        "campaigns.failover.fail-back-requested",
        "campaigns.set-status",
        "campaigns.failover.closed",
      ]),
    );
  }, 60_000);
});
