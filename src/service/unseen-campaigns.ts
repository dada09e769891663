/**
 * `/api/campaigns/:id/health` for a campaign the board has not seen costs the tenant two requests
 * (the poll). Any caller that may read the API could otherwise spend the tenant's request budget
 * on arbitrary ids: at most `limit` such polls per window per instance, and an id CXone said does
 * not exist is answered from memory for the window.
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
    this.now = options.now ?? Date.now;
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
