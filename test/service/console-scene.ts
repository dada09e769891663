import { signWebhook } from "../../src/core/outbox/index.ts";
import type { RunningService } from "../../src/service/index.ts";
import { type ServiceHarness, until } from "./harness.ts";

/**
 * A board with something on it, for the console's browser tests and screenshots: two hours of
 * readings on each campaign (one with an empty stretch), a paced campaign at its cap with the
 * controller's history, and a backup campaign over the legal line.
 */
export function seedScene(
  h: ServiceHarness,
  svc: RunningService,
  now = Date.now(),
): { paced: string; over: string } {
  const [first, second, third] = h.campaignIds as [string, string, string];
  const start = now - 2 * 3600_000 - 10 * 60_000;
  for (let i = 0; i <= 24; i++) {
    const t = start + i * 5 * 60_000;
    const gap = i >= 10 && i <= 12;
    for (const [id, base, abandon] of [
      [first, 0.22, 0.008],
      [second, 0.17, 0.031 + (i % 5) * 0.002],
      [third, 0.12, 0.018],
    ] as const) {
      if (gap && id === third) continue;
      svc.board.recordMetrics({
        campaignId: id,
        t,
        successRate: base + Math.sin(i / 3) * 0.03,
        activeCalls: Math.round(20 + 8 * Math.sin(i / 4)),
        abandonmentRate: abandon,
        failoverTriggered: false,
        lastUpdated: new Date(t).toISOString(),
        source: "poll",
      });
    }
  }
  for (let i = 0; i <= 16; i++) {
    const ratio = Math.min(3, 1 + i * 0.15);
    svc.board.recordPacing(first, {
      mode: "auto",
      window: "ftc-30d",
      target: 0.03,
      ratio,
      cap: 3,
      atCap: ratio >= 3,
      abandonTarget: null,
      abandonment: 0.004 + i * 0.0006,
      liveAnswers: 1800 + i * 90,
      budgetLeft: 60 - i * 2,
      reason:
        ratio >= 3
          ? "answer rate fell to 0.14 (from 0.27): would raise to 3.35, held at the cap 3.00"
          : `answer rate 0.21, occupancy 78%: ratio up by 0.15`,
      at: new Date(now - (16 - i) * 6 * 60_000).toISOString(),
    });
  }
  return { paced: first, over: second };
}

/**
 * A signed metrics webhook with a success rate far under the watchdog's threshold (0.03 on 500
 * calls): the service fails `primary` over and opens an incident. Resolves once it is paused.
 */
export async function failOver(
  svc: RunningService,
  secret: string,
  primary: string,
  eventId: string,
): Promise<void> {
  const body = JSON.stringify({
    id: eventId,
    type: "omnichannel.campaign.metrics.update",
    campaignId: primary,
    occurredAt: new Date().toISOString(),
    data: { successRate: 0.03, activeCalls: 40, callsInWindow: 500, windowMinutes: 30 },
  });
  const hook = await fetch(`${svc.url}/webhooks/cxone`, {
    method: "POST",
    headers: { "content-type": "application/json", ...signWebhook(secret, { id: eventId, body }) },
    body,
  });
  if (hook.status !== 204) throw new Error(`the metrics webhook answered ${hook.status}`);
  await until(async () => svc.board.view(primary)?.status === "paused", 10_000, "the failover");
}
