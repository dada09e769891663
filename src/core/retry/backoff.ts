/**
 * Full-jitter exponential backoff (AWS): a uniform draw in [0, min(cap, base * 2^(attempt-1))].
 * Spreads the retries of many callers so a server (or a webhook receiver) coming back up is not
 * hit by all of them at once. The HTTP core and the outbox dispatcher both wait by this.
 */
export function fullJitterBackoff(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
