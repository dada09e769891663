import { mkdtempSync, writeFileSync } from "node:fs";
import { hostname, tmpdir, userInfo } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/core/store/index.ts";
import { diffSettings } from "../../src/dialer/settings/diff.ts";
import { type RunningRndEmulator, startRndEmulator } from "../../src/emulator/rnd/index.ts";
import * as sdk from "../../src/index.ts";
import { seedDialerHistory } from "../support/dialer-history.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { runCli, spawnCli } from "../support/run-cli.ts";
import { waitUntil } from "../support/wait-until.ts";

/**
 * docs/development.md: each CLI command has one path through the SDK. The second pass:
 * `cxo compliance rnd check|evidence` run the client's `rnd` group (the CLI opens no RND port of
 * its own) and `cxo dialer diff` reads the history with `client.dialer.history`, so the two entry
 * points answer and record the same. With a CXone connection
 * configured (a seed URL where nothing listens) the CLI still sends nothing to CXone and its
 * audit rows name the person alone.
 */
const root = mkdtempSync(path.join(tmpdir(), "cxo-one-path-2-"));
const PERSON = `cli:${userInfo().username}@${hostname()}`;
const CONNECTED = {
  CXONE_PLATFORM: "seed",
  CXONE_BASE_URL: "http://127.0.0.1:9",
  CXONE_CLIENT_ID: "cid",
  CXONE_CLIENT_SECRET: "secret",
};
const DATA_AS_OF = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const clients: sdk.CxoneClient[] = [];
let emu: RunningRndEmulator;

beforeAll(async () => {
  emu = await startRndEmulator({ dataAsOf: DATA_AS_OF, seed: 104, disconnectRate: 0.3 });
});
afterAll(async () => {
  for (const client of clients) await client.close();
  await emu?.close();
});

const rndEnv = (dataDir: string) => ({
  ...CONNECTED,
  CXO_DATA_DIR: dataDir,
  CXO_RND_URL: emu.url,
  CXO_RND_CLIENT_ID: emu.fixtures.clientId,
  CXO_RND_CLIENT_SECRET: emu.fixtures.clientSecret,
});
const rndClient = (dataDir: string) => {
  const client = sdk.createClient({
    dataDir,
    actor: PERSON,
    rnd: { url: emu.url, clientId: emu.fixtures.clientId, clientSecret: emu.fixtures.clientSecret },
  });
  clients.push(client);
  return client;
};

/** The audit rows of a data dir: who did what to what (the details name the run's query ids). */
async function auditRows(dataDir: string) {
  const store = await openStore(dataDir);
  try {
    return await store.db.all<{ actor: string; operation: string; target: string }>(
      "SELECT actor, operation, target FROM audit_log ORDER BY seq",
    );
  } finally {
    await store.close();
  }
}

/** What does not depend on the instant or the query: a verdict or an evidence row. */
const steady = (row: object) => {
  const { askedAt: _a, queryId: _q, queryRef: _r, ...rest } = row as Record<string, unknown>;
  return rest;
};

describe("one path, second pass: the CLI and the SDK answer and write the same", () => {
  it("cxo compliance rnd check|evidence and client.rnd.check|evidence: the same verdicts (with their file rows), evidence and audit rows", async () => {
    const rows = ["phone,consentDate"];
    for (let i = 0; i < 40; i++) rows.push(`+1303555${2100 + i},202${i % 6}-0${1 + (i % 9)}-1${i % 9}`);
    const file = path.join(root, "numbers.csv");
    writeFileSync(file, `${rows.join("\n")}\n`);
    const cliDir = path.join(root, "cli-rnd");
    const sdkDir = path.join(root, "sdk-rnd");
    const cli = await runCli(["--json", "compliance", "rnd", "check", "--file", file], rndEnv(cliDir));
    expect([cli.code, cli.stderr]).toEqual([0, ""]);
    const viaSdk = await rndClient(sdkDir).rnd.check({ file });
    const { verdicts, ...counts } = viaSdk;
    const { refusals, withoutSafeHarbor: _w, ...cliCounts } = JSON.parse(cli.stdout);
    expect(cliCounts).toEqual(counts);
    expect(counts.refused).toBeGreaterThan(0);
    // Each verdict of a file names its line (the header is line 1), and the CLI prints the SDK's.
    expect(verdicts.map((v) => v.row)).toEqual(rows.slice(1).map((_row, index) => index + 2));
    expect(refusals.map(steady)).toEqual(verdicts.filter((v) => v.refused).map(steady));
    const [cliRows, sdkRows] = [await auditRows(cliDir), await auditRows(sdkDir)];
    expect(cliRows.length).toBeGreaterThan(0);
    expect(cliRows.map((row) => row.actor)).toEqual(cliRows.map(() => PERSON));
    expect(cliRows.map(({ operation }) => operation)).toEqual(sdkRows.map(({ operation }) => operation));

    const phone = verdicts[0]?.phone as string;
    const evidence = await runCli(
      ["--json", "compliance", "rnd", "evidence", "--phone", phone],
      rndEnv(cliDir),
    );
    expect([evidence.code, evidence.stderr]).toEqual([0, ""]);
    const sdkEvidence = await rndClient(sdkDir).rnd.evidence({ phone });
    const shown = JSON.parse(evidence.stdout);
    expect(shown.phone).toBe(sdkEvidence.phone);
    expect(shown.evidence.map(steady)).toEqual(sdkEvidence.evidence.map(steady));
    const bad = await runCli(["compliance", "rnd", "evidence", "--phone", "12"], rndEnv(cliDir));
    expect([bad.code, bad.stderr]).toEqual([
      2,
      "error: --phone: must be a NANP number in E.164 form: +1 then 10 digits\n",
    ]);
  });

  it("cxo compliance rnd check's Ctrl-C reaches the client's call: the query in flight is let go, and the next run re-sends it first", async () => {
    const rows = ["phone,consentDate", "+13035552201,2024-01-02", "+13035552202,2024-01-03"];
    const file = path.join(root, "interrupted.csv");
    writeFileSync(file, `${rows.join("\n")}\n`);
    const dataDir = path.join(root, "cli-rnd-interrupted");
    await adminCall(emu.url, "POST", "/faults", { hold: { after: 0, count: 1 } });
    const run = spawnCli(["compliance", "rnd", "check", "--file", file], rndEnv(dataDir));
    await waitUntil(async () => (await adminCall(emu.url, "GET", "/faults")).held === 1, {
      what: "the RND query, held",
      timeoutMs: 60_000,
    });
    run.child.kill("SIGINT");
    const [code, signal] = await run.exit;
    expect([code, signal]).toEqual([1, null]);
    expect(run.err()).toContain("stopping after the query in flight (Ctrl-C again to quit at once)");
    const again = await runCli(["--json", "compliance", "rnd", "check", "--file", file], rndEnv(dataDir));
    expect([again.code, again.stderr]).toEqual([0, ""]);
    expect(JSON.parse(again.stdout)).toMatchObject({ numbers: 2, resumed: 1 });
  });

  it("rnd without settings: one refusal, the SDK's, naming compliance.rnd.url (exit 2, nothing read)", async () => {
    const dataDir = path.join(root, "cli-no-rnd");
    const result = await runCli(["compliance", "rnd", "check", "--file", path.join(root, "none.csv")], {
      ...CONNECTED,
      CXO_DATA_DIR: dataDir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error: compliance\.rnd\.url: is not set: the Reassigned Numbers Database is not configured \(set it with CXO_RND_URL, or compliance\.rnd\.url in the config file/,
    );
    const client = sdk.createClient({ dataDir: path.join(root, "sdk-no-rnd") });
    clients.push(client);
    await expect(
      client.rnd.check({ numbers: [{ phone: "+13035552100", consentDate: "2024-01-01" }] }),
    ).rejects.toMatchObject({
      name: "ConfigError",
      message: result.stderr.replace(/^error: /, "").trim(),
    });
  });

  it("cxo dialer diff between two versions of the history: client.dialer.history's rows, nothing sent (a connection configured)", async () => {
    const dataDir = path.join(root, "cli-dialer");
    const settings = (maxAgents: number, dialRatio: number) => ({
      name: "Tenant default dialer",
      concurrency: { maxAgents, maxSimultaneousCalls: 120, callSpacingMs: 200 },
      algorithm: {
        type: "predictive",
        abandonmentTarget: 0.025,
        agentAvailabilityEstimate: 0.8,
        dialRatio,
        warmLineTimeoutSec: 10,
      },
    });
    await seedDialerHistory(dataDir, [
      ["2026-11-01T10:00:00.000Z", "v-one", settings(40, 2.5)],
      ["2026-11-02T10:00:00.000Z", "v-two", settings(42, 1.3)],
    ]);
    const client = sdk.createClient({ dataDir, actor: PERSON });
    clients.push(client);
    const rows = await client.dialer.history();
    expect(rows.map((row) => row.versionTag)).toEqual(["v-one", "v-two"]);
    const env = { ...CONNECTED, CXO_DATA_DIR: dataDir };
    const diff = await runCli(["--json", "dialer", "diff", "v-one", "v-two"], env);
    expect([diff.code, diff.stderr]).toEqual([0, ""]);
    expect(JSON.parse(diff.stdout)).toEqual({
      from: "v-one",
      to: "v-two",
      changes: diffSettings(rows[0]!.settings, rows[1]!.settings),
    });
    const unknown = await runCli(["dialer", "diff", "v-one", "v-nope"], env);
    expect([unknown.code, unknown.stderr]).toEqual([
      2,
      "error: <to>: version v-nope is not in the history (see cxo dialer history)\n",
    ]);
  });
});
