import type { Weekday } from "./types.ts";

/** The days of the week, Monday first (ISO 8601 order: a day's index + 1 is its ISO number). */
export const WEEKDAYS = [
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
] as const satisfies readonly Weekday[];
