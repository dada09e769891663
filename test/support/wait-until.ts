/**
 * The shortest a wait gives up after: a `cxo` that starts in a second on a quiet machine took
 * over 15 s at load 20 (2026-11-28: six files failed waiting for a first line or a URL).
 */
export const MIN_WAIT_MS = 60_000;

/**
 * The one way a test waits for something to happen (issue 80 §4): polls `condition` until it
 * holds and answers its last truthy value, or fails naming `what` was awaited and for how long.
 * A test waits on a condition it can observe, never a fixed sleep: the poll interval is how often
 * it looks, not a guess at how long the effect takes, and the timeout only catches a hang (it is
 * generous: a loaded machine makes the effect slower, never the condition wrong). No wait
 * gives up before MIN_WAIT_MS, whatever a test asks.
 */
export async function waitUntil<T>(
  condition: () => T | Promise<T>,
  { what, timeoutMs = 10_000, intervalMs = 10 }: { what: string; timeoutMs?: number; intervalMs?: number },
): Promise<NonNullable<T>> {
  const bound = Math.max(timeoutMs, MIN_WAIT_MS);
  const deadline = performance.now() + bound;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (performance.now() >= deadline) throw new Error(`timed out after ${bound} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
