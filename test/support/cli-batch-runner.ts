// Runs many `cxo` invocations in ONE Node process, one after the other, through the CLI's own
// entry point (`main(argv)` of src/cli/main.ts, what bin/cxo.js calls): each with its own
// environment, working directory, stdout, stderr and exit code. For suites of fast-failing
// cases (bad input) where starting a process per case would cost far more than the case.
//
// Usage: node cli-batch-runner.ts <jobs.json> <results.json>
//   jobs:    [{ args: string[], env: Record<string,string>, cwd: string }]
//   results: [{ code: number | null, stdout: string, stderr: string }]
import { readFileSync, writeFileSync } from "node:fs";

interface Job {
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

const [jobsFile, resultsFile] = process.argv.slice(2) as [string, string];
const jobs = JSON.parse(readFileSync(jobsFile, "utf8")) as Job[];
// If the module also runs the CLI when imported, let that run be a harmless `--help`.
process.argv = [process.argv[0] as string, "cxo", "--help"];
const { main } = (await import("../../src/cli/main.ts")) as { main(argv: string[]): Promise<number> };
await new Promise((resolve) => setImmediate(resolve));

const baseEnv = { ...process.env };
const write = {
  out: process.stdout.write.bind(process.stdout),
  err: process.stderr.write.bind(process.stderr),
};
const results: Array<{ code: number | null; stdout: string; stderr: string }> = [];
const PER_JOB_MS = 15_000;

for (const job of jobs) {
  let stdout = "";
  let stderr = "";
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  }) as typeof process.stderr.write;
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, { PATH: baseEnv.PATH, HOME: baseEnv.HOME }, job.env);
  process.chdir(job.cwd);
  process.exitCode = undefined;
  let code: number | null;
  try {
    // A case that does not fail fast (a regression: it started serving) must not hang the batch.
    code = await Promise.race([
      main(job.args),
      new Promise<null>((resolve) => setTimeout(resolve, PER_JOB_MS, null).unref()),
    ]);
  } catch (error) {
    stderr += `runner: ${String(error)}\n`;
    code = null;
  }
  process.stdout.write = write.out;
  process.stderr.write = write.err;
  results.push({ code, stdout, stderr });
  if (code === null) break; // something is still running: stop here, report what we have
}
process.exitCode = 0;
writeFileSync(resultsFile, JSON.stringify(results));
process.exit(0);
