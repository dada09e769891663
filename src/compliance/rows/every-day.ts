/** A calling window that is the same every day of the week. */
export const EVERY_DAY = (hours: string) => ({ monFri: hours, sat: hours, sun: hours });
