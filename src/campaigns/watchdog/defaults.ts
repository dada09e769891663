/**
 * The watchdog's settings when neither the caller nor the primary's spec gives them. A file of
 * their own: `cxo campaigns …` shows them in its help, and needs neither the watchdog nor zod
 * to do that.
 */
export const WATCHDOG_DEFAULTS = {
  threshold: 0.15,
  windowMinutes: 30,
  intervalSeconds: 60,
  minSample: 30,
  breaches: 3,
  failBack: false,
} as const;
