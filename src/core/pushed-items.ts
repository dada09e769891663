/**
 * Turns a producer that pushes items (a sink's `write`) into an async generator the consumer
 * pulls from, one item in hand at a time: `push` resolves when the consumer asks for the next
 * item, so the producer never runs ahead (constant memory, however long the run). When the
 * consumer stops early (`break`, `return`, a thrown error), the producer's pending push rejects
 * and its signal aborts, so it fetches nothing more; the generator ends once the producer has.
 * The producer's error is thrown to the consumer at its next pull.
 */
export async function* pushedItems<T>(
  produce: (push: (item: T) => Promise<void>, signal: AbortSignal) => Promise<unknown>,
  signal?: AbortSignal,
): AsyncGenerator<T> {
  const stop = new AbortController();
  const producerSignal = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  let handed: { item: T; taken: () => void; refused: (reason: unknown) => void } | undefined;
  let wake: (() => void) | undefined;
  let outcome: { ok: true } | { ok: false; error: unknown } | undefined;
  const notify = () => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const push = (item: T) =>
    new Promise<void>((taken, refused) => {
      if (producerSignal.aborted) return refused(producerSignal.reason);
      handed = { item, taken, refused };
      notify();
    });
  const running = (async () => produce(push, producerSignal))().then(
    () => {
      outcome = { ok: true };
      notify();
    },
    (error: unknown) => {
      outcome = { ok: false, error };
      notify();
    },
  );
  // The item in the consumer's hand: its push resolves when the consumer asks for the next one.
  let current: typeof handed;
  try {
    for (;;) {
      if (handed) {
        current = handed;
        handed = undefined;
        yield current.item;
        const { taken } = current;
        current = undefined;
        taken();
        continue;
      }
      if (outcome) {
        if (!outcome.ok) throw outcome.error;
        return;
      }
      await new Promise<void>((resume) => {
        wake = resume;
      });
    }
  } finally {
    if (!outcome) {
      // The consumer stopped early: the producer stops fetching, and the push it waits on
      // rejects, so it unwinds instead of waiting for a pull that never comes.
      const reason = new Error("the consumer stopped iterating");
      stop.abort(reason);
      current?.refused(reason);
      handed?.refused(reason);
      await running;
    }
  }
}
