import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { CallerIdHealthRow } from "../../src/callerid/types.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 80 §2: a command whose input is a file needs no CXone connection. `cxo callerid health
 * --history FILE` exited 2 with "cxone.baseUrl: is required to talk to CXone" on a machine with
 * only an exported history. Each command here runs with no config file, no CXONE_* variable and
 * an empty home: exactly what such a machine has.
 */
let dir: string;
/** No environment but PATH and an empty HOME; the working directory holds no cxo.config.yaml. */
const bare = () => ({ env: { HOME: dir }, options: { cwd: dir, timeoutMs: 60_000 } });

/** An outcomes export of three weeks: five caller ids, the fifth answered a third as often from day 10. */
function writeHistory(file: string): void {
  const start = Date.UTC(2026, 9, 5);
  const lines: string[] = [];
  for (let i = 0; i < 6_000; i++) {
    const callerId = `+1800555010${i % 5}`;
    const at = start + i * 300_000;
    const late = i % 5 === 4 && at > start + 10 * 86_400_000;
    const answered = late ? i % 21 === 4 : i % 7 === 0;
    lines.push(
      JSON.stringify({
        id: String(i),
        campaignId: "C1",
        startTime: new Date(at).toISOString(),
        phoneNumber: `+1305555${String(2000 + (i % 8000)).padStart(4, "0")}`,
        dispositionCode: answered ? "CONVERTED" : "NO_ANSWER",
        agentId: answered ? "A1" : null,
        durationSeconds: answered ? 60 : 0,
        callerId,
      }),
    );
  }
  writeFileSync(file, `${lines.join("\n")}\n`);
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "cxo-offline-"));
  writeHistory(path.join(dir, "history.ndjson"));
});

describe("cxo callerid health on a machine with only an exported history", () => {
  it("--history FILE: the rows and the report, with no connection configured and nothing written beside them", async () => {
    const { env, options } = bare();
    const report = path.join(dir, "health.html");
    const result = await runCli(
      ["--json", "callerid", "health", "--history", "history.ndjson", "--report", report],
      env,
      options,
    );
    expect([result.code, result.stderr]).toEqual([0, ""]);
    const rows = JSON.parse(result.stdout) as CallerIdHealthRow[];
    expect(rows.map((r) => r.callerId)).toEqual([0, 1, 2, 3, 4].map((n) => `+1800555010${n}`));
    expect(rows.find((r) => r.callerId === "+18005550104")?.status).toBe("suspect");
    expect(rows.filter((r) => r.status === "suspect")).toHaveLength(1);
    // The report keeps the campaign's id: there is no CXone to ask its name.
    expect(readFileSync(report, "utf8")).toContain("C1");
    // No data dir, no store: only the inputs and the report.
    expect(readdirSync(dir).sort()).toEqual(["health.html", "history.ndjson"]);
  });

  it("--dataset DIR: the same check on a Parquet dataset", async () => {
    const dataset = path.join(dir, "dataset");
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const instance = await DuckDBInstance.create(":memory:");
    const db = await instance.connect();
    await db.run(`CREATE TABLE t AS SELECT * FROM read_json('${path.join(dir, "history.ndjson")}')`);
    await db.run(
      `COPY (SELECT campaignId AS campaign_id, CAST(startTime AS TIMESTAMP) AS start_time,
                    callerId AS caller_id, agentId AS agent_id FROM t)
       TO '${dataset}' (FORMAT parquet, PARTITION_BY (campaign_id))`,
    );
    db.closeSync();
    instance.closeSync();
    const { env, options } = bare();
    const result = await runCli(["--json", "callerid", "health", "--dataset", dataset], env, options);
    expect([result.code, result.stderr]).toEqual([0, ""]);
    const rows = JSON.parse(result.stdout) as CallerIdHealthRow[];
    expect(rows.filter((r) => r.status === "suspect").map((r) => r.callerId)).toEqual(["+18005550104"]);
  });

  it("bad input is still exit 2 naming the flag; a campaign's own outcomes still need the connection", async () => {
    const { env, options } = bare();
    const missing = await runCli(["callerid", "health", "--history", "nope.ndjson"], env, options);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--history.*nope\.ndjson/);
    const campaign = await runCli(["callerid", "health", "--campaign", "C1"], env, options);
    expect(campaign.code).toBe(2);
    expect(campaign.stderr).toMatch(/cxone\.baseUrl: is required to talk to CXone/);
    expect(existsSync(path.join(dir, ".cxo"))).toBe(false);
  });
});
