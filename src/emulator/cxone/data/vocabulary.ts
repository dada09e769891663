import type { Rng } from "../../random.ts";

/** Words the production-API emulator's seeded data is made of: US time zones, states, numbers. */
export const ZONES = ["Eastern", "Central", "Mountain", "Pacific"] as const;
export const FIRST = [
  "Ann",
  "Ben",
  "Carla",
  "Dev",
  "Eve",
  "Femi",
  "Gus",
  "Hana",
  "Ivan",
  "Jo",
  "Kai",
  "Lena",
];
export const LAST = ["Lee", "Moss", "Nunez", "Okafor", "Patel", "Quinn", "Rossi", "Silva", "Tran", "Ueda"];
export const STATES = ["NY", "MN", "CO", "CA", "TX", "FL", "WA", "IL"] as const;

/** A ten-digit US number in a 555 exchange. */
export function phone(rng: Rng): string {
  const area = rng.pick(["212", "612", "303", "415", "512", "305", "206", "312"]);
  return `${area}555${String(rng.int(0, 9999)).padStart(4, "0")}`;
}
