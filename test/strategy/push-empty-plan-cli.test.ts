import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.ts";

/**
 * A day whose plan found no lawful hour for any record (every debt resting after a conversation,
 * revoked or at its cap) is a normal day for the daily cron of docs/strategy.md: `strategy push`
 * of the empty plan file `strategy plan` wrote sends nothing and exits 0 (issue 89: the cron was
 * refused, exit 2, on such days). A plan with rows that are not a plan's is still refused.
 */
const dir = mkdtempSync(path.join(tmpdir(), "cxo-push-empty-"));
const env = { CXO_DATA_DIR: path.join(dir, ".cxo"), CXONE_PLATFORM: "cxone" };

describe("strategy push of an empty plan", () => {
  it("nothing sent, exit 0, said on stdout (and as JSON)", async () => {
    writeFileSync(path.join(dir, "plan.ndjson"), "");
    const human = await runCli(["strategy", "push", "--plan", "plan.ndjson", "--campaign", "601"], env, {
      cwd: dir,
    });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/nothing sent: the plan plan\.ndjson has no rows/);
    const json = await runCli(
      ["--json", "strategy", "push", "--plan", "plan.ndjson", "--campaign", "601"],
      env,
      { cwd: dir },
    );
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ campaign: "601", records: 0, source: "empty" });
  });

  it("a row that is not a plan's is still refused (exit 2)", async () => {
    writeFileSync(path.join(dir, "bad.ndjson"), `${JSON.stringify({ recordId: "r1" })}\n`);
    const bad = await runCli(["strategy", "push", "--plan", "bad.ndjson", "--campaign", "601"], env, {
      cwd: dir,
    });
    expect(bad.code).toBe(2);
  });
});
