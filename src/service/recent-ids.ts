/**
 * Webhook ids seen lately, to drop redeliveries (senders deliver at least once). Bounded: the
 * oldest ids are forgotten first, so memory stays flat under any event rate; a redelivery older
 * than `capacity` events would be accepted again, which only repeats a chart point.
 */
export class RecentIds {
  private readonly capacity: number;
  private readonly ids = new Set<string>();

  constructor(capacity = 50_000) {
    this.capacity = capacity;
  }

  /** True the first time `id` is seen (and remembers it); false for a repeat. */
  firstSeen(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      // A Set iterates in insertion order: the first key is the oldest.
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return true;
  }

  /** Forgets `id` (it was not applied after all). */
  forget(id: string): void {
    this.ids.delete(id);
  }

  get size(): number {
    return this.ids.size;
  }
}
