/**
 * A minimal FIFO async lock. The SQLite driver shares one connection; an open transaction must
 * not see statements from other callers interleave at an `await`, so every use of the
 * connection takes this lock first.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  async lock<T>(fn: () => Promise<T> | T): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
