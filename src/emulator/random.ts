/**
 * Deterministic randomness. Everything the emulator invents (ids, secrets, contacts, call
 * records) comes from these functions keyed by the seed, so one seed always gives one world and
 * a call record can be rebuilt from its index alone (which is what keeps 10 million calls free).
 */

/** A 32-bit avalanche mix (murmur3's finaliser): tiny, fast, good enough for test data. */
export function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes a seed, an integer index and a salt (which field is being drawn) to a uint32. */
export function hash3(seed: number, index: number, salt: number): number {
  // The index may exceed 2^32 in theory; fold the high part in so it still contributes.
  const high = Math.floor(index / 0x1_0000_0000);
  return mix32(mix32(mix32(seed ^ 0x9e3779b9) ^ (index >>> 0)) ^ mix32(high + salt * 0x27d4eb2d));
}

/** A uniform float in [0, 1) from the same inputs as hash3. */
export function unit3(seed: number, index: number, salt: number): number {
  return hash3(seed, index, salt) / 0x1_0000_0000;
}

/** Hashes a string (FNV-1a then mixed), to key named streams: `stream(seed, "clients")`. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** A sequential generator (mulberry32) for building the seeded fixtures in order. */
export interface Rng {
  next(): number;
  int(minInclusive: number, maxInclusive: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  hex(length: number): string;
  uuid(): string;
}

export function createRng(seed: number, stream: string): Rng {
  let state = mix32(seed ^ hashString(stream)) || 0x6d2b79f5;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
  const hex = (length: number): string => {
    let out = "";
    while (out.length < length)
      out += Math.floor(next() * 0x1_0000_0000)
        .toString(16)
        .padStart(8, "0");
    return out.slice(0, length);
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    chance: (probability) => next() < probability,
    hex,
    uuid: () => {
      const h = hex(32);
      const variant = "89ab"[Number.parseInt(h[16] ?? "0", 16) % 4];
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
}
