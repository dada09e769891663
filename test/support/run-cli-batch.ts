import { type CliResult, runCli } from "./run-cli.ts";

export interface CliJob {
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

/**
 * A batch's job that does not end (a regression: it started serving) is stopped here. A ceiling,
 * not a speed bound: five pushes racing on PostgreSQL on a loaded 2-core machine took over the
 * 15 s this once was (test/strategy/push-lease.test.ts failed with a job killed, code null).
 */
const PER_JOB_MS = 90_000;

/**
 * Runs `jobs` through the real CLI in `processes` lanes: each lane takes its share (every
 * `processes`-th job) one after another, so jobs of one lane never overlap and a batch of one
 * lane runs in order. Each job goes through `runCli`, i.e. a warm `cxo` host of this worker
 * (cli-host.ts) with the job's own environment, working directory, output streams and exit code.
 * Results come back in job order; a job that did not end within its time has code null.
 *
 * This once started its own Node processes per batch (34 in a run, each loading the CLI's
 * modules afresh: 22 s of the suite's CPU, issue 68 §6); the hosts are already warm.
 */
export async function runCliBatch(jobs: readonly CliJob[], processes = 2): Promise<CliResult[]> {
  const results = new Array<CliResult>(jobs.length);
  await Promise.all(
    Array.from({ length: Math.max(1, processes) }, async (_, lane) => {
      for (let i = lane; i < jobs.length; i += processes) {
        const job = jobs[i] as CliJob;
        results[i] = await runCli(job.args, job.env, { cwd: job.cwd, timeoutMs: PER_JOB_MS });
      }
    }),
  );
  return results;
}
