import { describe, expect, it } from "vitest";
import type { DaysResult } from "../../../src/dialer/simulator/day/engine.ts";
import { type Job, runJob, runJobSharing } from "../../../src/dialer/simulator/pacing-bench/job.ts";
import { poolShared, runJobs } from "../../../src/dialer/simulator/pacing-bench/pool.ts";
import { smallScenario } from "./small-scenario.ts";

/** Issue 53 §3: the bench's pool does not run VICIdial's modes twice while their runs are one. */
const MODES = ["vicidial-hard-limit", "vicidial-average", "vicidial-tapered"];
const jobOf = (controller: string, tuning: Record<string, number>, seed: number): Job => ({
  scenario: smallScenario({ days: 3 }),
  controller,
  tuning,
  seed,
  firstDay: 0,
  days: 3,
});
const plain = (r: DaysResult) =>
  JSON.parse(JSON.stringify(r, (_k, v) => (ArrayBuffer.isView(v) ? [...(v as Float64Array)] : v)));

describe("bench pool: one run for VICIdial's modes while they agree", () => {
  it("a run no drop override parts stands for the other modes; one it parts, for none", () => {
    // Level capped at 1: every override sets 1 under every mode.
    const capped = runJobSharing(
      jobOf("vicidial-hard-limit", { maxLevel: 1, intensity: 0, dropLimit: 0.001 }, 5),
    );
    expect([...capped.sameRunAs].sort()).toEqual(["vicidial-average", "vicidial-tapered"]);
    // Level up to 3 and a drop limit the first busy minutes pass: hard-limit's 1 is not average's half.
    const parted = runJobSharing(
      jobOf("vicidial-hard-limit", { maxLevel: 3, intensity: 0, dropLimit: 0.001 }, 5),
    );
    expect(parted.sameRunAs).toEqual([]);
    const other = runJob(jobOf("vicidial-average", { maxLevel: 3, intensity: 0, dropLimit: 0.001 }, 5));
    expect(plain(other)).not.toEqual(plain(parted.result));
  });

  it("the pool answers the other modes with the first one's numbers, and runs them when parted", async () => {
    const jobs = [1, 3].flatMap((maxLevel) =>
      MODES.map((mode) => jobOf(mode, { maxLevel, intensity: 0, dropLimit: 0.001 }, 7)),
    );
    const before = poolShared().jobs;
    const pooled = await runJobs(jobs, { workers: 1 });
    // The three at level 1 are one run (two answered without running); the three at 3 are run.
    expect(poolShared().jobs - before).toBe(2);
    for (const [i, job] of jobs.entries())
      expect(plain(pooled[i] as DaysResult), job.controller).toEqual(plain(runJob(job)));
  });
});
