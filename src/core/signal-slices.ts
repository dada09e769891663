/**
 * Local work bounded by its call's signal (issue 80 §2): a deadline or `close()` aborts a signal
 * from a timer, and a timer fires only when the work gives the event loop a turn. Work done item
 * by item calls `tick()` per item: it throws the signal's reason once aborted and, once a slice
 * of time has passed, awaits one turn of the event loop (setImmediate), so the call rejects
 * within one slice of the abort on an input of any size. Without a signal nothing can abort the
 * work: `tick()` then does nothing and the work runs as before, in one go.
 */
export class SignalSlices {
  private sliceStart = performance.now();
  private sinceCheck = 0;
  private readonly signal: AbortSignal | undefined;
  private readonly sliceMs: number;
  private readonly itemsPerLook: number;

  /**
   * `sliceMs`: how long the work may hold the event loop between turns; `itemsPerLook`: items
   * between two looks at the clock (a look costs more than a small item).
   */
  constructor(signal: AbortSignal | undefined, sliceMs = 20, itemsPerLook = 256) {
    this.signal = signal;
    this.sliceMs = sliceMs;
    this.itemsPerLook = itemsPerLook;
  }

  /** After (or before) one item of work: the signal's reason once aborted; a turn of the event loop once a slice is spent. */
  async tick(): Promise<void> {
    const signal = this.signal;
    if (!signal) return;
    signal.throwIfAborted();
    if (++this.sinceCheck < this.itemsPerLook) return;
    this.sinceCheck = 0;
    if (performance.now() - this.sliceStart < this.sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.sliceStart = performance.now();
    signal.throwIfAborted();
  }
}

/** The items, stopping with the signal's reason once it is aborted, giving the event loop a turn every slice. */
export async function* inSignalSlices<T>(
  items: AsyncIterable<T> | Iterable<T>,
  signal: AbortSignal | undefined,
): AsyncGenerator<T> {
  const slices = new SignalSlices(signal);
  for await (const item of items) {
    await slices.tick();
    yield item;
  }
}
