import { createHmac, randomUUID } from "node:crypto";

import { clockNowDate, clockNowMs } from "../core/clock/now.ts";
/**
 * Outgoing webhook delivery, signed per Standard Webhooks: headers `webhook-id`,
 * `webhook-timestamp` (unix seconds) and `webhook-signature` = `v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">` keyed by the base64 part of a `whsec_...` secret. Deliveries are
 * retried a few times and recorded so tests can see what was sent.
 */
export interface WebhookTarget {
  webhookId: string;
  url: string;
  secret?: string | null;
  headers?: Record<string, string>;
  maxRetries?: number;
  timeoutMs?: number;
}

export interface WebhookEvent {
  id: string;
  type: string;
  campaignId: string | null;
  occurredAt: string;
  data: Record<string, unknown>;
}

export interface Delivery {
  deliveryId: string;
  webhookId: string;
  eventId: string;
  type: string;
  url: string;
  attempts: number;
  status: "pending" | "delivered" | "failed";
  responseStatus: number | null;
  lastError: string | null;
  signed: boolean;
}

export function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret, "base64");
}

export function signPayload(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac("sha256", secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest("base64");
  return `v1,${mac}`;
}

export function newEvent(
  type: string,
  campaignId: string | null,
  data: Record<string, unknown>,
): WebhookEvent {
  return { id: `evt_${randomUUID()}`, type, campaignId, occurredAt: clockNowDate().toISOString(), data };
}

export class WebhookDispatcher {
  private readonly deliveries: Delivery[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  list(): Delivery[] {
    return [...this.deliveries];
  }

  clear(): void {
    this.deliveries.length = 0;
  }

  send(target: WebhookTarget, event: WebhookEvent): void {
    if (this.closed) return;
    const delivery: Delivery = {
      deliveryId: `dlv_${randomUUID()}`,
      webhookId: target.webhookId,
      eventId: event.id,
      type: event.type,
      url: target.url,
      attempts: 0,
      status: "pending",
      responseStatus: null,
      lastError: null,
      signed: Boolean(target.secret),
    };
    this.deliveries.push(delivery);
    if (this.deliveries.length > 1000) this.deliveries.shift();
    void this.attempt(target, event, delivery);
  }

  private async attempt(target: WebhookTarget, event: WebhookEvent, delivery: Delivery): Promise<void> {
    const body = JSON.stringify(event);
    const timestamp = Math.floor(clockNowMs() / 1000);
    const headers: Record<string, string> = {
      ...(target.headers ?? {}),
      "content-type": "application/json",
      "user-agent": "cxone-emulator-webhooks",
      "webhook-id": event.id,
      "webhook-timestamp": String(timestamp),
    };
    if (target.secret) headers["webhook-signature"] = signPayload(target.secret, event.id, timestamp, body);
    delivery.attempts += 1;
    try {
      const response = await fetch(target.url, {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.timeout(target.timeoutMs ?? 5_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      delivery.responseStatus = response.status;
      if (response.ok) {
        delivery.status = "delivered";
        return;
      }
      delivery.lastError = `HTTP ${response.status}`;
    } catch (error) {
      delivery.lastError = error instanceof Error ? error.message : String(error);
    }
    const maxRetries = target.maxRetries ?? 3;
    if (delivery.attempts > maxRetries || this.closed) {
      delivery.status = "failed";
      return;
    }
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        void this.attempt(target, event, delivery);
      },
      250 * 2 ** (delivery.attempts - 1),
    );
    timer.unref();
    this.timers.add(timer);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
