/**
 * A Date that reads a chosen instant and runs on in real time from there (test/support/
 * pinned-clock.ts). Preloaded into a `cxo` a test starts (`--import`), it pins that process's
 * clock to `CXO_TEST_NOW`. Only Date: timers stay real, so waits and timeouts behave.
 */
const RealDate = Date;

/** Replaces the global Date with one `shiftMs` ahead of the real clock; answers the undo. */
export function shiftDate(shiftMs: number): () => void {
  class PinnedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + shiftMs);
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return RealDate.now() + shiftMs;
    }
  }
  const before = globalThis.Date;
  globalThis.Date = PinnedDate as DateConstructor;
  return () => {
    globalThis.Date = before;
  };
}

const pinned = Date.parse(process.env.CXO_TEST_NOW ?? "");
if (!Number.isNaN(pinned)) shiftDate(pinned - RealDate.now());
