import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CliResult } from "./run-cli.ts";

const RUNNER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "cli-batch-runner.ts");

export interface CliJob {
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

/**
 * Runs `jobs` through the real CLI entry point in `processes` child processes (each takes its
 * share, one job after another; see cli-batch-runner.ts). Results come back in job order; a
 * job that did not finish (the runner stopped at it) has code null.
 */
export async function runCliBatch(jobs: readonly CliJob[], processes = 2): Promise<CliResult[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-batch-"));
  const shares = Array.from({ length: processes }, (_, p) => jobs.filter((_, i) => i % processes === p));
  const answers = await Promise.all(
    shares.map(async (share, p) => {
      const jobsFile = path.join(dir, `jobs-${p}.json`);
      const resultsFile = path.join(dir, `results-${p}.json`);
      writeFileSync(jobsFile, JSON.stringify(share));
      const child = spawn(process.execPath, [RUNNER, jobsFile, resultsFile], {
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      let results: CliResult[] = [];
      try {
        results = JSON.parse(readFileSync(resultsFile, "utf8")) as CliResult[];
      } catch {
        throw new Error(`the CLI batch runner failed (exit ${code}): ${stderr}`);
      }
      return share.map(
        (_, i) => results[i] ?? { code: null, stdout: "", stderr: "(not run: the batch stopped)" },
      );
    }),
  );
  return jobs.map((_, i) => answers[i % processes]?.[Math.floor(i / processes)] as CliResult);
}
