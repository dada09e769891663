import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator/index.ts";
import { type RunningRndEmulator, startRndEmulator } from "../../src/emulator/rnd/index.ts";
import { createClient } from "../../src/index.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { runCli } from "../support/run-cli.ts";

/** The RND's data as of yesterday (and, for a newer database, today): the latest database, as the client requires. */
const DATA_AS_OF = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

/**
 * Issue 79 §3 inside `strategy plan`: with `compliance.rnd` configured, the list's numbers with a
 * consent date are asked of the Reassigned Numbers Database first; a number disconnected since
 * its consent date is planned no attempt (`suppressed.rnd_reassigned`), one disconnected before
 * it is planned, one without a consent date is planned and named in the notes. A malformed
 * consent date is exit 2 naming the row, nothing asked. The SDK's plan does the same.
 */
const dir = mkdtempSync(path.join(tmpdir(), "cxo-plan-rnd-"));
const file = (name: string) => path.join(dir, name);
let emu: RunningRndEmulator;
let env: Record<string, string>;

const REASSIGNED = "+13055552201"; // disconnected after its consent date
const EARLIER = "+13055552202"; // disconnected before its consent date: the consent is the new subscriber's
const CLEAN = "+13055552203";
const UNDATED = "+13055552204";

beforeAll(async () => {
  emu = await startRndEmulator({ dataAsOf: DATA_AS_OF, disconnectRate: 0 });
  env = {
    CXO_RND_URL: emu.url,
    CXO_RND_CLIENT_ID: emu.fixtures.clientId,
    CXO_RND_CLIENT_SECRET: emu.fixtures.clientSecret,
    CXO_DATA_DIR: file(".cxo"),
  };
  await adminCall(emu.url, "POST", "/disconnects", {
    numbers: [
      { tn: REASSIGNED.slice(2), disconnectedOn: "2025-08-01" },
      { tn: EARLIER.slice(2), disconnectedOn: "2023-01-01" },
    ],
  });
  writeFileSync(file("model.json"), JSON.stringify(buildModel(new SlotCounts(), { campaign: "C1" })));
  writeFileSync(
    file("list.csv"),
    [
      "recordId,phone,state,consent,consentDate",
      `r1,${REASSIGNED},FL,true,2024-03-01`,
      `r2,${EARLIER},FL,true,2024-03-01`,
      `r3,${CLEAN},FL,true,2024-03-01`,
      `r4,${UNDATED},FL,true,`,
      "",
    ].join("\n"),
  );
});
afterAll(() => emu.close());

const planArgs = (list: string, out: string) => [
  "strategy",
  "plan",
  "--list",
  list,
  "--model",
  file("model.json"),
  "--from",
  "2026-12-01T08:00:00-05:00",
  "--days",
  "2",
  "--out",
  file(out),
  "--json",
];

describe("cxo strategy plan with compliance.rnd", () => {
  it("plans no attempt for a number reassigned since its consent date; the answers kept as evidence", async () => {
    const result = await runCli(planArgs(file("list.csv"), "plan.ndjson"), env);
    expect(result.code, result.stderr).toBe(0);
    const phones = new Set(
      readFileSync(file("plan.ndjson"), "utf8")
        .trim()
        .split("\n")
        .map((line) => (JSON.parse(line) as { phone: string }).phone),
    );
    expect([...phones].sort()).toEqual([EARLIER, CLEAN, UNDATED].sort());
    const summary = JSON.parse(result.stdout);
    expect(summary.suppressed).toEqual({ rnd_reassigned: 1 });
    expect(summary.rnd).toMatchObject({
      numbers: 3,
      asked: 3,
      refused: 1,
      withoutConsentDate: 1,
      dataAsOf: DATA_AS_OF,
    });
    expect(summary.notes.join("\n")).toMatch(/1 record\(s\) carry no consentDate/);
    expect((await adminCall(emu.url, "GET", "/asked")).total).toBe(3);

    const evidence = await runCli(["compliance", "rnd", "evidence", "--phone", REASSIGNED, "--json"], env);
    expect(JSON.parse(evidence.stdout).evidence).toEqual([
      expect.objectContaining({ consentDate: "2024-03-01", answer: "disconnected", dataAsOf: DATA_AS_OF }),
    ]);
  });

  it("a malformed consent date: exit 2 naming the row and field, nothing asked", async () => {
    await adminCall(emu.url, "POST", "/reset");
    writeFileSync(file("bad.csv"), `recordId,phone,consent,consentDate\nr1,${CLEAN},true,2024-02-30\n`);
    const result = await runCli(planArgs(file("bad.csv"), "bad.ndjson"), env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/row 1, consentDate/);
    expect((await adminCall(emu.url, "GET", "/requests")).requests).toEqual([]);
  });

  it("a list file's account id over 128 characters or missing for collections: exit 2 naming the row, nothing asked", async () => {
    await adminCall(emu.url, "POST", "/reset");
    const long = "x".repeat(129);
    writeFileSync(
      file("long-id.csv"),
      `recordId,phone,accountId,consent,consentDate\nr1,${CLEAN},A1,true,2024-03-01\nr2,${UNDATED},${long},true,2024-03-01\n`,
    );
    writeFileSync(
      file("no-id.csv"),
      `recordId,phone,accountId,consent,consentDate\nr1,${CLEAN},A1,true,2024-03-01\nr2,${UNDATED},,true,2024-03-01\n`,
    );
    const tooLong = await runCli(
      [...planArgs(file("long-id.csv"), "long.ndjson"), "--kind", "collections"],
      env,
    );
    expect([tooLong.code, tooLong.stderr.trim()]).toEqual([
      2,
      "error: row 2, accountId: is 129 characters long: an account id has at most 128",
    ]);
    const missing = await runCli(
      [...planArgs(file("no-id.csv"), "none.ndjson"), "--kind", "collections"],
      env,
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/row 2, accountId: is required for kind collections/);
    expect((await adminCall(emu.url, "GET", "/requests")).requests).toEqual([]);
  });

  it("the SDK's plan with rnd settings refuses the same number", async () => {
    await adminCall(emu.url, "POST", "/disconnects", {
      numbers: [{ tn: REASSIGNED.slice(2), disconnectedOn: "2025-08-01" }],
    });
    // A client plans against its platform too (agents' dispositions, the skill's hours): the seed emulator.
    const seed = await startEmulator({ port: 0, calls: 10, metricsIntervalMs: 0 });
    const admin = seed.fixtures.clients[0]!;
    const client = createClient({
      connection: { baseUrl: seed.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
      dataDir: file("sdk"),
      rnd: { url: emu.url, clientId: emu.fixtures.clientId, clientSecret: emu.fixtures.clientSecret },
    });
    try {
      const model = JSON.parse(readFileSync(file("model.json"), "utf8"));
      const list = [REASSIGNED, CLEAN].map((phone, i) => ({
        recordId: `r${i}`,
        phone,
        consent: true,
        columns: { consentDate: "2024-03-01" },
      }));
      const answer = await client.strategy.plan(list, model, { from: "2026-12-01T08:00:00-05:00", days: 2 });
      expect(new Set(answer.rows.map((r) => r.phone))).toEqual(new Set([CLEAN]));
      expect(answer.summary.suppressed).toEqual({ rnd_reassigned: 1 });
    } finally {
      await client.close();
      await seed.close();
    }
  });
});
