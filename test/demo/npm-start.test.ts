import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";

/**
 * The README's first command, exactly as a new user types it (`CXO_DEMO_FAST=1 npm start`):
 * a whole outbound day on the embedded emulator must finish with exit 0, narrate every step
 * with its figures, leave its artifacts, and never print a credential.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const OUT = path.join(ROOT, "demo-output");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function npmStart(): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["start"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", CXO_DEMO_FAST: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 170_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let run: Run;
let emulator: RunningEmulator;

beforeAll(async () => {
  // The same seed as the demo's emulator: its credentials are what must never be printed.
  emulator = await startEmulator({ port: 0, seed: 42, calls: 10 });
  run = await npmStart();
}, 180_000);
afterAll(() => emulator.close());

describe("CXO_DEMO_FAST=1 npm start", () => {
  it("runs the whole day and exits 0", () => {
    if (run.code !== 0) console.error(run.stdout, run.stderr);
    expect(run.code).toBe(0);
    for (let step = 1; step <= 9; step += 1) expect(run.stdout).toContain(`━━ ${step}/9`);
  });

  it("narrates the figures that prove each promise", () => {
    expect(run.stdout).toMatch(/same spec again → no duplicate: already created/);
    expect(run.stdout).toMatch(/\d+ of \d+ contacts callable now/);
    // The registry copy's five unconsented numbers are refused as listed (the consented one is not).
    expect(run.stdout).toMatch(/National DNC Registry copy of \d{4}-\d\d-\d\d: 6 numbers/);
    expect(run.stdout).toMatch(/national_dnc\s+5\n/);
    expect(run.stdout).toMatch(/rolled_back: operation FAILED; snapshot \S+ restored/);
    expect(run.stdout).toMatch(/\d+ calls tagged, 0 failed, 4 invalid rows not sent/);
    expect(run.stdout).toMatch(/stale etag detected, change re-applied to the fresh state; both kept/);
    expect(run.stdout).toMatch(/status changes sent\s+primary 1 \(pause\), backup 1 \(activate\)/);
    expect(run.stdout).toMatch(/CRM received the signed summary .*credentials in it: none/);
    expect(run.stdout).toMatch(/audit chain intact: \d+ records/);
    // Issue 55 §5: the next attempts planned for the campaign's list, with the lift expected.
    expect(run.stdout).toMatch(
      /\d+ of \d+ contacts planned .*the model's RPC rate in the planned hours [\d.]+% per attempt\n.*expected lift (\d+\.\d\d× \(95% interval \d+\.\d\d–\d+\.\d\d\) over calling at any hour, measured on 14 held-out days the model did not learn from|: cannot be estimated yet \(.+\))/,
    );
    // The attempts already made count toward the caps: the plan reads them as its history.
    expect(run.stdout).toMatch(
      /cxo strategy plan --list \S+ --model strategy-model\.json --history outcomes\.ndjson/,
    );
  });

  it("leaves the artifacts it lists", () => {
    for (const file of [
      "calls.csv",
      "data/cxo.sqlite",
      "reports/tagging-problems.csv",
      "reports/contacts-verdicts.ndjson",
      "reports/dial-ratio-sweep.html",
      "reports/outcomes.ndjson",
      "reports/plan.ndjson",
      "reports/strategy-report.html",
      "reports/outcomes-report.html",
    ])
      expect(existsSync(path.join(OUT, file)), file).toBe(true);
    const report = readFileSync(path.join(OUT, "reports/outcomes-report.html"), "utf8");
    expect(report).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
    // The strategy report names the campaign and every rule in words, not by id or code.
    const strategy = readFileSync(path.join(OUT, "reports/strategy-report.html"), "utf8");
    const name = emulator.fixtures.campaigns[0]!.name;
    expect(strategy).toContain(`<title>Contact strategy: ${name}</title>`);
    expect(strategy).toContain("On the National Do Not Call Registry");
    expect(strategy).toContain("No consent to call on record");
    expect(strategy).toMatch(/Counted per record and hour of the horizon/);
  });

  it("never prints a credential", () => {
    const secret = emulator.fixtures.clients[0]!.clientSecret;
    expect(run.stdout + run.stderr).not.toContain(secret);
    expect(run.stdout + run.stderr).not.toMatch(/whsec_/);
  });
});
