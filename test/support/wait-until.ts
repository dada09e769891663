/**
 * The one way a test waits for something to happen (issue 80 §4): polls `condition` until it
 * holds and answers its last truthy value, or fails naming `what` was awaited and for how long.
 * A test waits on a condition it can observe, never a fixed sleep: the poll interval is how often
 * it looks, not a guess at how long the effect takes, and the timeout only catches a hang (it is
 * generous: a loaded machine makes the effect slower, never the condition wrong).
 */
export async function waitUntil<T>(
  condition: () => T | Promise<T>,
  { what, timeoutMs = 10_000, intervalMs = 10 }: { what: string; timeoutMs?: number; intervalMs?: number },
): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (performance.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
