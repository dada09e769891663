import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { needsSmallYoungGeneration, pushesLargePlan } from "../../src/cli/heap-flags.ts";
import { runCli } from "../support/run-cli.ts";

describe("heap flags for list-sized commands", () => {
  it("picks `campaigns contacts` wherever the global options sit, and nothing else", () => {
    expect(needsSmallYoungGeneration(["campaigns", "contacts", "L1"])).toBe(true);
    expect(needsSmallYoungGeneration(["--json", "--config", "c.yaml", "campaigns", "contacts", "L1"])).toBe(
      true,
    );
    expect(needsSmallYoungGeneration(["campaigns", "status", "C1"])).toBe(false);
    expect(needsSmallYoungGeneration(["contacts", "campaigns"])).toBe(false);
    expect(needsSmallYoungGeneration(["--version"])).toBe(false);
  });

  it("runs `campaigns contacts` with 8 MB semi-spaces (one process: the flag is set by re-executing it), other commands as they are", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-heap-flags-"));
    const preload = path.join(dir, "report.mjs");
    // Runs in the process that ends (a replaced image never reaches its exit handlers).
    writeFileSync(
      preload,
      "process.on('exit', () => process.stderr.write('EXECARGV ' + JSON.stringify(process.execArgv) + '\\n'));\n",
    );
    const env = { NODE_OPTIONS: `--import=${preload}` };
    const contacts = await runCli(["campaigns", "contacts", "--help"], env);
    expect(contacts.code).toBe(0);
    expect(contacts.stderr.match(/EXECARGV /g)).toHaveLength(1);
    expect(contacts.stderr).toMatch(/EXECARGV .*"--max-semi-space-size=8"/);
    const version = await runCli(["--version"], env);
    expect(version.stderr).toMatch(/EXECARGV \[\]/);
    // A flag the user gave is kept, not overridden.
    const own = await runCli(["campaigns", "contacts", "--help"], {
      NODE_OPTIONS: `--import=${preload} --max-semi-space-size=16`,
    });
    expect(own.stderr).toMatch(/EXECARGV \[\]/);
  });
});

describe("pushesLargePlan", () => {
  it("is strategy push of a plan file over 16 MB (by --plan FILE or --plan=FILE)", () => {
    const size = (n: number) => () => n;
    const big = 17 * 1024 * 1024;
    expect(pushesLargePlan(["strategy", "push", "--plan", "p.ndjson", "--campaign", "1"], size(big))).toBe(
      true,
    );
    expect(pushesLargePlan(["--json", "strategy", "push", "--plan=p.ndjson"], size(big))).toBe(true);
    expect(pushesLargePlan(["strategy", "push", "--plan", "p.ndjson"], size(1024))).toBe(false);
    expect(pushesLargePlan(["strategy", "plan", "--list", "p.ndjson"], size(big))).toBe(false);
    expect(pushesLargePlan(["strategy", "push", "--plan", "-"], size(big))).toBe(false);
  });
});
