/**
 * The CLI's Ctrl-C convention, in one place: the first SIGINT asks the running work to stop
 * cleanly (a note on stderr, then `signal` aborts), a second one quits at once (exit 130).
 * `dispose()` removes the handler; call it when the work is over.
 */
export interface Interrupt {
  readonly signal: AbortSignal;
  /** True once the first Ctrl-C came. */
  readonly requested: boolean;
  dispose(): void;
}

export function onInterrupt(note: (text: string) => void, message: string): Interrupt {
  const controller = new AbortController();
  const handler = () => {
    if (controller.signal.aborted) process.exit(130);
    note(`\n${message} (Ctrl-C again to quit at once)`);
    controller.abort(new Error("interrupted by the user"));
  };
  process.on("SIGINT", handler);
  return {
    signal: controller.signal,
    get requested() {
      return controller.signal.aborted;
    },
    dispose: () => process.off("SIGINT", handler),
  };
}
