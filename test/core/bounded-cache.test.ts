import { describe, expect, it } from "vitest";
import { BoundedCache } from "../../src/core/bounded-cache.ts";

/** The compliance engine's one size rule: at most `limit` entries, the least recently used forgotten first. */
describe("BoundedCache", () => {
  it("never holds more than its limit, whatever the keys", () => {
    const cache = new BoundedCache<string, number, number>(10);
    for (let i = 0; i < 1000; i++) {
      cache.memo(`zone-${i % 7}`, i, (_, b) => b * 2);
      expect(cache.size).toBeLessThanOrEqual(10);
    }
  });

  it("keeps what is used and forgets what is not", () => {
    const cache = new BoundedCache<null, string, string>(4);
    cache.set(null, "hot", "h");
    for (let i = 0; i < 100; i++) {
      expect(cache.get(null, "hot")).toBe("h");
      cache.set(null, `cold-${i}`, "c");
    }
    expect(cache.get(null, "cold-0")).toBeUndefined();
    expect(cache.get(null, "cold-99")).toBe("c");
  });

  it("makes a value once while it is kept, and sets over a kept one", () => {
    const cache = new BoundedCache<number, number, object>(8);
    let made = 0;
    const make = () => ({ made: ++made });
    const first = cache.memo(1, 1, make);
    expect(cache.memo(1, 1, make)).toBe(first);
    expect(made).toBe(1);
    cache.set(1, 1, { made: 0 });
    expect(cache.get(1, 1)).toEqual({ made: 0 });
    expect(() => new BoundedCache(1)).toThrow(RangeError);
  });
});
