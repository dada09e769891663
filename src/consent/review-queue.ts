import { createHash } from "node:crypto";
import type { Store } from "../core/store/index.ts";
import { localOperation } from "../core/store/local-operation.ts";
import type { Revocation } from "./revocation.ts";
import { scopeText } from "./scope.ts";

/**
 * Issue 92 §3: the messages whose words a person has to read (consent/message-intent.ts: a
 * negation, a question about stopping, a keyword inside other words, another language). Each is
 * kept until someone decides it — never dropped — and counts against the deadline a revocation
 * received at the same instant would have: past it undecided, it is overdue like a revocation.
 * Kept in the store's kv (namespace `consent.review`), one entry per message.
 */
export const CONSENT_REVIEW = "consent.review";

export interface ReviewItem {
  id: string;
  phone: string;
  account?: string;
  receivedAt: string;
  channel: string;
  scope: string;
  source: string | null;
  message: string;
  /** Why a person reads it (message-intent.ts's basis). */
  basis: string;
  /** The deadline a revocation received then would have (null: no rule row applies). */
  deadline: string | null;
  decided?: { at: string; as: "revocation" | "not-revocation"; by: string | null };
}

/**
 * `deadline`: the deadline a revocation received at the same instant would have (the rule table's:
 * compliance/revocation-report.ts `deadlineOfRevocation`; null where no row applies).
 */
export function reviewItemOf(
  revocation: Revocation,
  message: string,
  basis: string,
  deadline: string | null,
): ReviewItem {
  const id = createHash("sha256")
    .update(`${revocation.phone}|${revocation.account ?? ""}|${revocation.receivedAt}|${message}`)
    .digest("hex")
    .slice(0, 16);
  return {
    id,
    phone: revocation.phone,
    ...(revocation.account === undefined ? {} : { account: revocation.account }),
    receivedAt: revocation.receivedAt,
    channel: revocation.channel,
    scope: scopeText(revocation.scope),
    source: revocation.source,
    message,
    basis,
    deadline,
  };
}

/** Queues items (audited, one record per batch); an item already queued is kept as it is. */
export async function queueForReview(store: Store, items: readonly ReviewItem[]): Promise<number> {
  const fresh: ReviewItem[] = [];
  for (const item of items) if ((await store.kv.get(CONSENT_REVIEW, item.id)) === undefined) fresh.push(item);
  if (fresh.length === 0) return 0;
  const op = localOperation<{ ids: string[] }>("consent.review-queued", (payload) => ({
    details: { messages: payload.ids.length },
    checkpoints: fresh.map((item) => ({ namespace: CONSENT_REVIEW, key: item.id, value: item })),
  }));
  await store.journal.run(op, { target: "consent-review", payload: { ids: fresh.map((i) => i.id) } });
  return fresh.length;
}

export interface ReviewView extends ReviewItem {
  overdue: boolean;
}

/** The items not decided yet (every one when `all`), oldest first, with whether each is overdue. */
export async function reviewItems(store: Store, nowMs: number, all = false): Promise<ReviewView[]> {
  const rows = await store.kv.list(CONSENT_REVIEW);
  return rows
    .map((row) => row.value as ReviewItem)
    .filter((item) => all || item.decided === undefined)
    .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))
    .map((item) => ({
      ...item,
      overdue: item.decided === undefined && item.deadline !== null && Date.parse(item.deadline) < nowMs,
    }));
}

/** Records a person's decision on an item (audited); the revocation itself is recorded by the caller. */
export async function decideReview(
  store: Store,
  item: ReviewItem,
  as: "revocation" | "not-revocation",
  by: string | null,
  nowMs: number,
): Promise<ReviewItem> {
  const decided = { ...item, decided: { at: new Date(nowMs).toISOString(), as, by } };
  const op = localOperation<{ id: string; as: string }>("consent.review-decided", (payload) => ({
    details: payload,
    checkpoints: [{ namespace: CONSENT_REVIEW, key: item.id, value: decided }],
  }));
  await store.journal.run(op, { target: `consent-review:${item.id}`, payload: { id: item.id, as } });
  return decided;
}
