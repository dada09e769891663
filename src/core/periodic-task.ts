import { scheduleClock } from "./clock/schedule-clock.ts";
import type { Clock, Timer } from "./http/clock.ts";

/**
 * A task (`runOnce`, in a subclass) run at once on `start()`, then `intervalMs` after each run ENDS — runs never overlap, so
 * a slow run delays the next instead of piling work up — and on demand (`runNow()` joins the run
 * in flight rather than starting a second one). `stop()` aborts the run in flight through
 * `signal` and waits for it; nothing runs after it. The service's live and metrics pollers run
 * on it.
 */
export abstract class PeriodicTask {
  private readonly intervalMs: number;
  private readonly clock: Clock;
  private readonly keepAlive: boolean;
  private readonly abort = new AbortController();
  private timer: Timer | undefined;
  private running: Promise<void> | undefined;
  private done = false;

  /**
   * @param options.keepAlive `false`: the timer alone does not keep the process alive.
   * @param options.clock the clock the intervals are timed on (default: the schedule clock; tests: a virtual clock).
   * @param options.firstDelayMs the first run waits this long after `start()` (default: none).
   */
  constructor(
    intervalMs: number,
    options: { keepAlive?: boolean; clock?: Clock; firstDelayMs?: number } = {},
  ) {
    this.intervalMs = intervalMs;
    // A schedule runs on the installed clock's time (CXO_CLOCK): at @x600 a 5-minute task comes
    // every half-second of real time.
    this.clock = options.clock ?? scheduleClock;
    this.keepAlive = options.keepAlive !== false;
    this.firstDelayMs = options.firstDelayMs ?? 0;
  }

  private readonly firstDelayMs: number;

  /**
   * One run; `signal` aborts on `stop()`. A rejection reaches `runNow()`'s caller; the schedule
   * goes on either way.
   */
  protected abstract runOnce(signal: AbortSignal): Promise<void>;

  /** Aborted once `stop()` is called. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** True once `stop()` is called: a run in flight should drop its results. */
  get stopped(): boolean {
    return this.done;
  }

  start(): void {
    this.schedule(this.firstDelayMs);
  }

  /** One run now, or the one in flight; settles when it ends. */
  runNow(): Promise<void> {
    this.running ??= this.runOnce(this.abort.signal).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.done = true;
    this.timer?.cancel();
    this.abort.abort();
    await this.running?.catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.done) return;
    this.timer = this.clock.setTimer(
      () => {
        void this.runNow()
          .catch(() => undefined)
          .finally(() => this.schedule(this.intervalMs));
      },
      delayMs,
      { keepAlive: this.keepAlive },
    );
  }
}
