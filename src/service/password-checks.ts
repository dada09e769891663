import { type BcryptWorkers, sharedBcryptWorkers } from "./bcrypt-workers.ts";

/**
 * At most `concurrent` password checks (bcrypt, a quarter of a second of CPU each) run at once,
 * each on a worker thread of its own (bcrypt-workers.ts), never on the event loop; up to
 * `queued` more wait their turn, and beyond that a sign-in is answered "busy" at once. A burst
 * of sign-ins then costs the service's thread nothing but messages: health probes, the board and
 * its actions keep being answered while it lasts. A check refused so is `{ busy: true }` (the
 * service answers 503 with Retry-After), never an exception.
 */
export class PasswordChecks {
  readonly concurrent: number;
  readonly queued: number;
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Checks started so far, and the most that ever ran at once (tests, metrics). */
  started = 0;
  peak = 0;

  /** The threads bcrypt runs on (the process's pool, bcrypt-workers.ts). */
  readonly bcrypt: BcryptWorkers;

  constructor(options: { concurrent?: number; queued?: number } = {}) {
    this.concurrent = options.concurrent ?? 2;
    this.queued = options.queued ?? 16;
    this.bcrypt = sharedBcryptWorkers(this.concurrent);
  }

  /** Whether `password` matches the bcrypt `hash`, checked off the event loop, in turn. */
  compare(password: string, hash: string): Promise<{ busy: true } | { busy: false; value: boolean }> {
    return this.run(() => this.bcrypt.compare(password, hash));
  }

  async run<T>(check: () => Promise<T>): Promise<{ busy: true } | { busy: false; value: T }> {
    if (this.running >= this.concurrent) {
      if (this.waiting.length >= this.queued) return { busy: true };
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    this.started++;
    this.peak = Math.max(this.peak, this.running);
    try {
      return { busy: false, value: await check() };
    } finally {
      // Hand the slot straight to the next in line (running stays the same), or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
