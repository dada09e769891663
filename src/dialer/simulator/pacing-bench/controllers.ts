/**
 * The bench's controllers in report order. A file of its own: `cxo dialer …` lists them in its
 * help, and needs neither the bench nor the controllers to do that.
 */
export const BENCH_CONTROLLERS = [
  "cxo",
  "progressive",
  "vicidial-hard-limit",
  "vicidial-average",
  "vicidial-tapered",
  "issabel",
  "webitel",
  "simulation-optimiser",
  "best-fixed",
  "clairvoyant",
] as const;
