import { describe, expect, it } from "vitest";
import type { Clock } from "../../src/core/clock/clock.ts";
import { PeriodicTask } from "../../src/core/periodic-task.ts";
import { until, VirtualClock } from "../support/virtual-clock.ts";

/** A PeriodicTask whose run is a function the test gives. */
class Task extends PeriodicTask {
  private readonly run: (signal: AbortSignal) => Promise<void>;
  constructor(run: (signal: AbortSignal) => Promise<void>, intervalMs: number, options: { clock: Clock }) {
    super(intervalMs, options);
    this.run = run;
  }
  protected override runOnce(signal: AbortSignal): Promise<void> {
    return this.run(signal);
  }
}

/** A run that ends only when the test says so, recording when it started (virtual ms). */
function controlledRuns(clock: VirtualClock) {
  const starts: number[] = [];
  const signals: AbortSignal[] = [];
  let finish: (() => void) | undefined;
  const run = (signal: AbortSignal) => {
    starts.push(clock.now());
    signals.push(signal);
    return new Promise<void>((resolve) => {
      finish = resolve;
    });
  };
  const end = async () => {
    const f = finish;
    finish = undefined;
    f?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { run, starts, signals, end };
}

describe("PeriodicTask: the pollers' one runner", () => {
  it("runs at once, then the interval after each run ENDS: a slow run delays the next, none overlap", async () => {
    const clock = new VirtualClock(0);
    const runs = controlledRuns(clock);
    const task = new Task(runs.run, 1000, { clock });
    task.start();
    clock.advance(0);
    expect(runs.starts).toEqual([0]);
    clock.advance(5000); // the first run is slow: nothing else starts meanwhile
    expect(runs.starts).toEqual([0]);
    await runs.end(); // ends at 5000
    clock.advance(999);
    expect(runs.starts).toEqual([0]);
    clock.advance(1);
    expect(runs.starts).toEqual([0, 6000]);
    await runs.end();
    clock.advance(1000);
    expect(runs.starts).toEqual([0, 6000, 7000]);
    const stopping = task.stop();
    await runs.end();
    await stopping;
  });

  it("runNow during a run queues one fresh run after it (shared by every caller meanwhile): none overlap", async () => {
    // A caller asks for a run to see what is true NOW (the board after a write): the run in
    // flight may have read before the write, so joining it would hand back stale figures.
    const clock = new VirtualClock(0);
    const runs = controlledRuns(clock);
    const task = new Task(runs.run, 1000, { clock });
    const a = task.runNow();
    const b = task.runNow();
    const c = task.runNow();
    expect(b).not.toBe(a);
    expect(c).toBe(b);
    expect(runs.starts).toHaveLength(1); // the fresh run waits for the one in flight
    let bSettled = false;
    void b.then(() => {
      bSettled = true;
    });
    await runs.end();
    await a;
    expect(runs.starts).toHaveLength(2); // it started once the first ended
    expect(bSettled).toBe(false);
    await runs.end();
    await b;
    void task.runNow();
    expect(runs.starts).toHaveLength(3);
    await runs.end();
    await task.stop();
  });

  it("the timer joins a run in flight rather than queueing another", async () => {
    const clock = new VirtualClock(0);
    const runs = controlledRuns(clock);
    const task = new Task(runs.run, 1000, { clock });
    task.start();
    clock.advance(0);
    expect(runs.starts).toEqual([0]);
    await runs.end();
    void task.runNow(); // a manual run at 0 is in flight when the timer comes due
    clock.advance(1000);
    expect(runs.starts).toEqual([0, 0]);
    await runs.end();
    clock.advance(999);
    expect(runs.starts).toEqual([0, 0]);
    const stopping = task.stop();
    await stopping;
  });

  it("stop while a fresh run is queued: the queued run never starts", async () => {
    const clock = new VirtualClock(0);
    const runs = controlledRuns(clock);
    const task = new Task(runs.run, 1000, { clock });
    void task.runNow();
    const queued = task.runNow();
    const stopping = task.stop();
    await runs.end();
    await stopping;
    await queued;
    expect(runs.starts).toHaveLength(1);
  });

  it("a failed run rejects runNow's caller, and the schedule goes on", async () => {
    const clock = new VirtualClock(0);
    let calls = 0;
    const task = new Task(
      async () => {
        calls++;
        throw new Error("boom");
      },
      1000,
      { clock },
    );
    await expect(task.runNow()).rejects.toThrow("boom");
    task.start();
    clock.advance(0);
    await until(() => clock.pending().length > 0);
    clock.advance(1000);
    await until(() => calls === 3);
    await task.stop();
  });

  it("stop aborts the run in flight, waits for it, and nothing runs after", async () => {
    const clock = new VirtualClock(0);
    const runs = controlledRuns(clock);
    const task = new Task(runs.run, 1000, { clock });
    task.start();
    clock.advance(0);
    let stopped = false;
    const stopping = task.stop().then(() => {
      stopped = true;
    });
    expect(runs.signals[0]?.aborted).toBe(true);
    expect(task.stopped).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false); // still waiting for the run
    await runs.end();
    await stopping;
    clock.advance(10_000);
    expect(runs.starts).toEqual([0]);
    expect(clock.pending()).toEqual([]);
  });
});
