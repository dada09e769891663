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

/**
 * `GET /timezones` (FULL, DZ): the names CXone accepts where a zone is named, Windows style
 * (`standardName`), each with a display name and an offset in minutes.
 */
export const CXONE_TIME_ZONES = [
  {
    standardName: "Eastern Standard Time",
    displayName: "(UTC-05:00) Eastern Time (US & Canada)",
    offset: -300,
  },
  {
    standardName: "Central Standard Time",
    displayName: "(UTC-06:00) Central Time (US & Canada)",
    offset: -360,
  },
  {
    standardName: "Mountain Standard Time",
    displayName: "(UTC-07:00) Mountain Time (US & Canada)",
    offset: -420,
  },
  { standardName: "US Mountain Standard Time", displayName: "(UTC-07:00) Arizona", offset: -420 },
  {
    standardName: "Pacific Standard Time",
    displayName: "(UTC-08:00) Pacific Time (US & Canada)",
    offset: -480,
  },
  { standardName: "Alaskan Standard Time", displayName: "(UTC-09:00) Alaska", offset: -540 },
  { standardName: "Hawaiian Standard Time", displayName: "(UTC-10:00) Hawaii", offset: -600 },
  { standardName: "UTC", displayName: "(UTC) Coordinated Universal Time", offset: 0 },
  {
    standardName: "GMT Standard Time",
    displayName: "(UTC+00:00) Dublin, Edinburgh, Lisbon, London",
    offset: 0,
  },
] as const;
