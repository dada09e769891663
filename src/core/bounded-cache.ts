/**
 * A memo of at most `limit` entries whose least recently used entries are forgotten first: the
 * one size rule of the compliance engine's caches (compliance/engine.ts).
 *
 * An entry is keyed by two parts (a zone and an instant; an instant and a situation), so a hot
 * lookup builds no key text; a cache of one part keys by `null` and that part. Recency is kept by
 * two generations, not per hit: new entries fill the current generation; once it holds half the
 * limit it becomes the previous one and the previous one is forgotten; an entry found in the
 * previous generation moves to the current one. A hit costs two Map lookups and nothing else,
 * a miss three (a per-hit move, or a key text, cost a million-contact scrub its time).
 */
export class BoundedCache<A, B, V> {
  readonly limit: number;
  private readonly half: number;
  /** Per first part: its entries of the current generation and of the previous one. */
  private readonly slots = new Map<A, Slot<B, V>>();
  /** Entries of the current generation, and of the previous one. */
  private added = 0;
  private kept = 0;

  /** `limit`: at most this many entries (2 or more). */
  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 2)
      throw new RangeError(`a cache's limit must be a whole number from 2: ${limit}`);
    this.limit = limit;
    this.half = Math.floor(limit / 2);
  }

  /** How many entries it holds (never more than `limit`). */
  get size(): number {
    return this.added + this.kept;
  }

  get(a: A, b: B): V | undefined {
    const slot = this.slots.get(a);
    if (slot === undefined) return undefined;
    const hit = slot.current?.get(b);
    if (hit !== undefined) return hit;
    return this.promoted(slot, a, b);
  }

  /**
   * The value kept for the key, else `make(a, b)`'s, kept. `make` is best a function made once
   * (not a closure per call): the engine asks its local times this way ten times a question.
   */
  memo(a: A, b: B, make: (a: A, b: B) => V): V {
    let slot = this.slots.get(a);
    if (slot === undefined) {
      slot = { current: undefined, previous: undefined };
      this.slots.set(a, slot);
    } else {
      const hit = slot.current?.get(b);
      if (hit !== undefined) return hit;
      const moved = this.promoted(slot, a, b);
      if (moved !== undefined) return moved;
    }
    const value = make(a, b);
    this.add(slot, a, b, value);
    return value;
  }

  /** Keeps `value` (never undefined: that reads as "not known") for the key. */
  set(a: A, b: B, value: V): void {
    let slot = this.slots.get(a);
    if (slot === undefined) {
      slot = { current: undefined, previous: undefined };
      this.slots.set(a, slot);
    } else if (slot.current?.has(b)) {
      slot.current.set(b, value);
      return;
    } else if (slot.previous?.delete(b)) this.kept--;
    this.add(slot, a, b, value);
  }

  /** The entry of the previous generation, moved to the current one; undefined when it has none. */
  private promoted(slot: Slot<B, V>, a: A, b: B): V | undefined {
    const older = slot.previous;
    const found = older?.get(b);
    if (found === undefined) return undefined;
    older?.delete(b);
    this.kept--;
    this.add(slot, a, b, found);
    return found;
  }

  /** A new entry of the current generation: the generations turn over first when it is full. */
  private add(slot: Slot<B, V>, a: A, b: B, value: V): void {
    if (this.added >= this.half) {
      this.turnOver();
      // A slot with nothing current was let go: this one is in use.
      if (!this.slots.has(a)) this.slots.set(a, slot);
    }
    slot.current ??= new Map();
    slot.current.set(b, value);
    this.added++;
  }

  /** The current generation becomes the previous one; the previous one is forgotten. */
  private turnOver(): void {
    for (const [a, slot] of this.slots) {
      slot.previous = slot.current;
      slot.current = undefined;
      if (slot.previous === undefined) this.slots.delete(a);
    }
    this.kept = this.added;
    this.added = 0;
  }
}

interface Slot<B, V> {
  current: Map<B, V> | undefined;
  previous: Map<B, V> | undefined;
}
