import { clockNowMs } from "../core/clock/now.ts";
import { NotFoundError } from "../core/http/errors.ts";
import { InputError } from "../core/input-error.ts";
import type { CampaignBoard } from "./campaign-board.ts";
import { AnswerError } from "./error-answers.ts";
import type { MetricsPoller } from "./metrics-poller.ts";
/**
 * A campaign the board has not seen (asked for by `/api/campaigns/:id/health`, or named by a
 * webhook) costs the tenant two requests (the poll) to learn whether the business unit has it.
 * Any caller could otherwise spend the tenant's request budget on arbitrary ids: at most `limit`
 * such polls per window per tenant and instance (one budget for the board's API and the webhook
 * receiver), and an id CXone said does not exist is answered from memory for the window.
 */
export class UnseenCampaignBudget {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly spent: number[] = [];
  private readonly missing = new Map<string, number>();

  constructor(options: { limit?: number; windowMs?: number; now?: () => number } = {}) {
    this.limit = options.limit ?? 10;
    this.windowMs = options.windowMs ?? 60_000;
    this.now = options.now ?? clockNowMs;
  }

  /** Whether CXone said recently that this id does not exist. */
  knownMissing(id: string): boolean {
    const at = this.missing.get(id);
    if (at === undefined) return false;
    if (this.now() - at < this.windowMs) return true;
    this.missing.delete(id);
    return false;
  }

  rememberMissing(id: string): void {
    // Bounded like the budget: an id older than the window is forgotten when the map is full.
    if (this.missing.size >= 1000) this.missing.delete(this.missing.keys().next().value as string);
    this.missing.set(id, this.now());
  }

  /** Takes one poll from the window's budget; false when it is spent. */
  take(): boolean {
    const now = this.now();
    while (this.spent.length > 0 && now - (this.spent[0] as number) >= this.windowMs) this.spent.shift();
    if (this.spent.length >= this.limit) return false;
    this.spent.push(now);
    return true;
  }
}

/**
 * Whether the business unit has campaign `id`, and the board shows it: `known` when the board
 * already does, or when a poll (from `budget`) found it on CXone and put it there. Nothing else
 * ever creates board state: an id CXone does not know leaves no entry behind (issue 63 N6:
 * 20,000 signed events with unknown ids once made 20,000 board entries).
 */
export type Admission =
  | { outcome: "known" }
  /** CXone has no such campaign (or this runtime has no client to ask). */
  | { outcome: "missing" }
  /** The window's budget of lookups is spent: ask again later. */
  | { outcome: "busy" }
  /** Refused locally (a malformed id on this platform, an inbound skill): nothing was sent. */
  | { outcome: "refused"; error: InputError }
  | { outcome: "unavailable"; error: Error };

export async function admitCampaign(
  id: string,
  deps: { board: CampaignBoard; poller: MetricsPoller | undefined; unseen: UnseenCampaignBudget },
): Promise<Admission> {
  const { board, poller, unseen } = deps;
  if (board.has(id)) return { outcome: "known" };
  if (!poller || unseen.knownMissing(id)) return { outcome: "missing" };
  if (!unseen.take()) return { outcome: "busy" };
  board.add(id);
  const error = await poller.pollOne(id);
  if (!error) return { outcome: "known" };
  board.remove(id);
  if (error instanceof NotFoundError) {
    unseen.rememberMissing(id);
    return { outcome: "missing" };
  }
  if (error instanceof InputError) return { outcome: "refused", error };
  return { outcome: "unavailable", error: error as Error };
}

/**
 * The refusal of a `busy` admission, to throw: 429 `rate_limited`, to be asked again in a minute
 * (when the window's budget is back). `message` says what to do, in the caller's words.
 */
export const budgetSpent = (message: string) =>
  new AnswerError(429, "rate_limited", message, {}, { "retry-after": "60" });
