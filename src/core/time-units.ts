/** A minute, an hour and a (24-hour) day in milliseconds: the one definition the rooms import. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
