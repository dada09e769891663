/**
 * A memo of at most `limit` entries whose least recently used entries are forgotten first: the
 * one size rule of the compliance engine's caches (campaigns/compliance/engine.ts).
 *
 * An entry is keyed by two parts (a zone and an instant; an instant and a situation), so a hot
 * lookup builds no key text; a cache of one part keys by `null` and that part. The recency is
 * kept by two generations, not per hit: new entries fill the current generation; once it holds
 * half the limit it becomes the previous one and the previous one is forgotten; an entry found
 * in the previous generation moves to the current one. A hit in the current generation costs two
 * Map lookups and nothing else (a per-hit move cost a million-contact scrub its time).
 */
export class BoundedCache<A, B, V> {
  readonly limit: number;
  private readonly half: number;
  private current = new Map<A, Map<B, V>>();
  private currentSize = 0;
  private previous = new Map<A, Map<B, V>>();
  private previousSize = 0;

  /** `limit`: at most this many entries (2 or more). */
  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 2) throw new RangeError(`a cache's limit must be 2 or more: ${limit}`);
    this.limit = limit;
    this.half = Math.floor(limit / 2);
  }

  /** How many entries it holds (never more than `limit`). */
  get size(): number {
    return this.currentSize + this.previousSize;
  }

  get(a: A, b: B): V | undefined {
    const hit = this.current.get(a)?.get(b);
    if (hit !== undefined) return hit;
    const older = this.previous.get(a);
    const found = older?.get(b);
    if (found === undefined) return undefined;
    older?.delete(b);
    this.previousSize--;
    this.add(a, b, found);
    return found;
  }

  /** Keeps `value` (never undefined: that reads as "not known") for the key. */
  set(a: A, b: B, value: V): void {
    const inner = this.current.get(a);
    if (inner?.has(b)) {
      inner.set(b, value);
      return;
    }
    const older = this.previous.get(a);
    if (older?.delete(b)) this.previousSize--;
    this.add(a, b, value);
  }

  /** The value kept for the key, else `make()`'s, kept. */
  memo(a: A, b: B, make: () => V): V {
    const known = this.get(a, b);
    if (known !== undefined) return known;
    const value = make();
    this.set(a, b, value);
    return value;
  }

  /** A new entry (not in either generation): the current generation is turned over first when full. */
  private add(a: A, b: B, value: V): void {
    if (this.currentSize >= this.half) {
      this.previous = this.current;
      this.previousSize = this.currentSize;
      this.current = new Map();
      this.currentSize = 0;
    }
    let inner = this.current.get(a);
    if (!inner) {
      inner = new Map();
      this.current.set(a, inner);
    }
    inner.set(b, value);
    this.currentSize++;
  }
}
