import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningRndEmulator, startRndEmulator } from "../../src/emulator/rnd/index.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { runCli, spawnCli } from "../support/run-cli.ts";
import { waitUntil } from "../support/wait-until.ts";
import { mustRefuse, rndNumbers } from "./rnd-numbers.ts";

/** The RND's data as of yesterday (and, for a newer database, today): the latest database, as the client requires. */
const DATA_AS_OF = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

/**
 * Issue 79 §3 from the command line: `cxo compliance rnd check --file` killed (-9) while its
 * fifth query's answer is held, then run again — each of the 10,000 numbers asked once (the
 * emulator's record: the unanswered query is re-sent under its key and answered from the first
 * time), every number disconnected since its consent date refused, none other. A file without
 * consent dates: exit 2 naming the row and the field, nothing sent (the emulator's request log)
 * and nothing recorded. `cxo compliance rnd evidence --phone` shows what was asked, when, the answer.
 */
const dir = mkdtempSync(path.join(tmpdir(), "cxo-rnd-cli-"));
let emu: RunningRndEmulator;
let config: string;

beforeAll(async () => {
  emu = await startRndEmulator({ dataAsOf: DATA_AS_OF, seed: 791, disconnectRate: 0.15 });
  config = path.join(dir, "cxo.config.yaml");
  writeFileSync(
    config,
    `compliance:\n  rnd:\n    url: ${emu.url}\n    clientId: ${emu.fixtures.clientId}\n    clientSecret: ${emu.fixtures.clientSecret}\n`,
  );
});
afterAll(() => emu.close());

const csvOf = (rows: ReadonlyArray<{ phone: string; consentDate: string }>) =>
  `phone,consentDate\n${rows.map((r) => `${r.phone},${r.consentDate}`).join("\n")}\n`;

describe("cxo compliance rnd check", () => {
  it("kill -9 mid-run and again: each number asked once, every reassigned number refused, none other", async () => {
    await adminCall(emu.url, "POST", "/reset");
    const numbers = rndNumbers();
    const file = path.join(dir, "numbers.csv");
    writeFileSync(file, csvOf(numbers));
    const dataDir = path.join(dir, "kill");
    const args = [
      "compliance",
      "rnd",
      "check",
      "--file",
      file,
      "--config",
      config,
      "--data-dir",
      dataDir,
      "--json",
    ];
    // The fifth query is answered and recorded by the database, its answer never sent.
    await adminCall(emu.url, "POST", "/faults", { hold: { after: 4, count: 1 } });
    const first = spawnCli(args);
    await waitUntil(async () => (await adminCall(emu.url, "GET", "/faults")).held === 1, {
      what: "the fifth RND query, held",
      timeoutMs: 60_000,
    });
    first.child.kill("SIGKILL");
    await first.exit;
    expect((await adminCall(emu.url, "GET", "/asked")).total).toBe(5000);

    const second = await runCli(args, {}, { timeoutMs: 60_000 });
    expect(second.stderr).toBe("");
    expect(second.code).toBe(0);
    const doc = JSON.parse(second.stdout);
    // The held query re-sent first (under its key: answered, not asked), then the five not asked yet.
    expect(doc).toMatchObject({ numbers: 10_000, resumed: 1, queries: 6, asked: 6000, reused: 5000 });

    const asked = await adminCall(emu.url, "GET", "/asked");
    expect(asked.total).toBe(10_000);
    expect(new Set(asked.asked.map((a: { tn: string }) => a.tn)).size).toBe(10_000);
    const queries = (await adminCall(emu.url, "GET", "/requests")).requests.filter(
      (r: { path: string }) => r.path === "/api/v1/queries",
    );
    expect(queries.filter((r: { replayed?: boolean }) => r.replayed)).toHaveLength(1);

    const truth = (await adminCall(emu.url, "POST", "/truth", { tns: numbers.map((n) => n.phone.slice(2)) }))
      .numbers;
    const expected = mustRefuse(numbers, truth);
    expect(expected.length).toBeGreaterThan(300);
    expect(doc.refusals.map((r: { phone: string }) => r.phone).sort()).toEqual(expected);
    expect(doc.refused).toBe(expected.length);
    // Each refusal names its file row (the header is row 1).
    const first5 = doc.refusals[0] as { row: number; phone: string };
    expect(numbers[first5.row - 2]?.phone).toBe(first5.phone);

    const evidence = await runCli([
      "compliance",
      "rnd",
      "evidence",
      "--phone",
      first5.phone,
      "--data-dir",
      dataDir,
      "--json",
    ]);
    expect(evidence.code).toBe(0);
    expect(JSON.parse(evidence.stdout).evidence).toEqual([
      expect.objectContaining({ answer: "disconnected", dataAsOf: DATA_AS_OF, source: emu.url }),
    ]);
  });

  it("a file without consent dates: exit 2 naming the row and the field, nothing sent or recorded", async () => {
    await adminCall(emu.url, "POST", "/reset");
    const dataDir = path.join(dir, "bad");
    const noColumn = path.join(dir, "no-column.csv");
    writeFileSync(noColumn, "phone\n+13035552001\n");
    const blank = path.join(dir, "blank.csv");
    writeFileSync(blank, "phone,consentDate\n+13035552001,2024-01-01\n+13035552002,\n");
    for (const [file, row] of [
      [noColumn, 1],
      [blank, 3],
    ] as const) {
      const result = await runCli([
        "compliance",
        "rnd",
        "check",
        "--file",
        file,
        "--config",
        config,
        "--data-dir",
        dataDir,
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`row ${row}, consentDate`));
      expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
    }
    expect((await adminCall(emu.url, "GET", "/requests")).requests).toEqual([]);
    expect(existsSync(dataDir)).toBe(false);
  });

  it("the RND's client secret never reaches the output, even on a failure", async () => {
    await adminCall(emu.url, "POST", "/reset");
    await adminCall(emu.url, "POST", "/faults", { group: "query", errorRate: 1, errorStatus: 503 });
    const file = path.join(dir, "one.csv");
    writeFileSync(file, csvOf([{ phone: "+13035552001", consentDate: "2024-01-01" }]));
    const failing = path.join(dir, "failing.yaml");
    // The secret from the environment this time; few quick retries.
    writeFileSync(
      failing,
      `compliance:\n  rnd:\n    url: ${emu.url}\n    clientId: ${emu.fixtures.clientId}\nhttp:\n  maxAttempts: 2\n  backoffBaseMs: 1\n  backoffCapMs: 2\n`,
    );
    const result = await runCli(
      [
        "compliance",
        "rnd",
        "check",
        "--file",
        file,
        "--config",
        failing,
        "--data-dir",
        path.join(dir, "fail"),
      ],
      { CXO_RND_CLIENT_SECRET: emu.fixtures.clientSecret },
    );
    await adminCall(emu.url, "POST", "/reset");
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).not.toContain(emu.fixtures.clientSecret);
  });
});
