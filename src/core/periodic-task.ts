import type { Clock, Timer } from "./clock/clock.ts";
import { scheduleClock } from "./clock/schedule-clock.ts";

/**
 * A task (`runOnce`, in a subclass) run at once on `start()`, then `intervalMs` after each run ENDS — runs never overlap, so
 * a slow run delays the next instead of piling work up — and on demand: `runNow()` promises a
 * run that STARTS after the call, because its caller wants what is true now (the board after a
 * write), and a run in flight may have read before that. Asked during a run, it queues one run
 * after it, shared by every caller meanwhile. The timer, which only wants a run, joins the one
 * in flight. `stop()` aborts the run in flight through `signal` and waits for it; nothing runs
 * after it. The service's live and metrics pollers run on it.
 */
export abstract class PeriodicTask {
  private readonly intervalMs: number;
  private readonly clock: Clock;
  private readonly keepAlive: boolean;
  private readonly abort = new AbortController();
  private timer: Timer | undefined;
  private running: Promise<void> | undefined;
  /** The run queued by `runNow()` during a run in flight: it starts when that one ends. */
  private queued: Promise<void> | undefined;
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

  /** A run that starts after this call (now, or once the one in flight ends); settles when it ends. */
  runNow(): Promise<void> {
    if (!this.running) return this.startOrJoin();
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        // Stopped meanwhile: the queued run is dropped, as a timer's would be.
        return this.done ? undefined : this.startOrJoin();
      });
    return this.queued;
  }

  /** The run in flight, or a new one. */
  private startOrJoin(): Promise<void> {
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
        void this.startOrJoin()
          .catch(() => undefined)
          .finally(() => this.schedule(this.intervalMs));
      },
      delayMs,
      { keepAlive: this.keepAlive },
    );
  }
}
