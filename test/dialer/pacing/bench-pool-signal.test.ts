import { describe, expect, it } from "vitest";
import type { Job } from "../../../src/dialer/simulator/pacing-bench/job.ts";
import { runJobs } from "../../../src/dialer/simulator/pacing-bench/pool.ts";
import { smallScenario } from "./small-scenario.ts";

/** The bench's pool in signal slices (`client.dialer.pacingBench`, Ctrl-C on `cxo dialer pacing bench`). */
const jobOf = (seed: number): Job => ({
  scenario: smallScenario({ days: 1 }),
  controller: "progressive",
  tuning: {},
  seed,
  firstDay: 0,
  days: 1,
});

describe("bench pool: the signal", () => {
  it("inline, no job starts after the abort: the batch rejects with the signal's reason", async () => {
    const stop = new AbortController();
    const done: number[] = [];
    const jobs = [1, 2, 3, 4, 5, 6].map(jobOf);
    const batch = runJobs(jobs, {
      workers: 0,
      signal: stop.signal,
      onProgress: (n) => {
        done.push(n);
        if (n === 2) stop.abort(new Error("interrupted by the user"));
      },
    });
    await expect(batch).rejects.toThrow("interrupted by the user");
    expect(done).toEqual([1, 2]);
  });

  it("an aborted signal starts nothing; without one the batch runs whole", async () => {
    const jobs = [1, 2].map(jobOf);
    let ran = 0;
    await expect(
      runJobs(jobs, { workers: 0, signal: AbortSignal.abort(new Error("no")), onProgress: () => ran++ }),
    ).rejects.toThrow("no");
    expect(ran).toBe(0);
    expect(await runJobs(jobs, { workers: 0, signal: new AbortController().signal })).toHaveLength(2);
  });

  it("on threads, the batch's queued jobs are dropped at the abort and it rejects", async () => {
    const stop = new AbortController();
    let done = 0;
    const jobs = Array.from({ length: 12 }, (_, i) => jobOf(i + 1));
    const batch = runJobs(jobs, {
      workers: 1,
      signal: stop.signal,
      onProgress: (n) => {
        done = n;
        if (n === 1) stop.abort(new Error("stopped"));
      },
    });
    await expect(batch).rejects.toThrow("stopped");
    // At most the job running and the one sent ahead finish after the abort; the rest never start.
    expect(done).toBeLessThan(jobs.length);
  });
});
