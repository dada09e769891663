import { timeOrderedId } from "../store/time-ordered-id.ts";

/**
 * An outbound event (BI, CRM, WFM, interaction or campaign webhook). `id` is unique and is what
 * receivers deduplicate on (it is sent as `webhook-id`). Events that share an `orderKey` on a
 * destination are delivered one after the other, in enqueue order; others go in parallel.
 */
export interface OutboxEventInput {
  type: string;
  destination: string;
  data: unknown;
  id?: string;
  occurredAt?: string;
  orderKey?: string;
}

export interface OutboxEvent {
  id: string;
  type: string;
  destination: string;
  occurredAt: string;
  data: unknown;
}

export type OutboxStatus = "pending" | "delivered" | "dead";

export interface StoredOutboxEvent extends OutboxEvent {
  seq: number;
  orderKey: string | null;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export function newEventId(): string {
  return timeOrderedId("evt_");
}

/**
 * The JSON body a receiver gets. Built from the stored data text, so the bytes signed are the
 * bytes sent and nothing is re-serialised between enqueue and delivery. An event from a
 * tenant's store names the tenant (`tenant`, after `type`); without tenants the body is as
 * it always was.
 */
export function eventBody(
  event: { id: string; type: string; occurredAt: string },
  dataJson: string,
  tenant?: string,
): string {
  const owner = tenant === undefined ? "" : `,"tenant":${JSON.stringify(tenant)}`;
  return `{"id":${JSON.stringify(event.id)},"type":${JSON.stringify(event.type)}${owner},"occurredAt":${JSON.stringify(
    event.occurredAt,
  )},"data":${dataJson}}`;
}
