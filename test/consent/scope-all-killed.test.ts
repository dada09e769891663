import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { runCli, spawnCli } from "../support/run-cli.ts";
import { waitUntil } from "../support/wait-until.ts";

/**
 * A `consent import` of scope-`all` rows recorded in every business unit of the seller (acme and
 * initech, seller credco), killed (-9) at each point of its fan-out: once acme has recorded and
 * before, between and after initech's three batches (`--batch-rows 250`: 250, 250, 100 rows; the
 * default batch is 5,000 — a smaller one gives as many kill points at a fraction of the CPU). Once
 * `consent honour` has run, every tenant of the seller holds — so refuses — every row of the file;
 * none is left refusing the numbers while its sibling allows them. (Before the fan-out was
 * journaled, initech kept what it had when killed and nothing finished it.)
 *
 * The kill points are the four the batches make, each taken in turn (until 2026-11-28: twelve
 * runs at a random count of initech's rows from 0 to 599 — a count inside a batch is the same
 * point as the batch's end, so eight of the twelve runs repeated a point, and the point before
 * initech's first batch, a count of 0, came one run in 600). Where the kill lands inside the
 * next batch's work is the machine's timing, as before.
 */
const ROWS = 600;
const BATCH = ["--batch-rows", "250"];
const BIG = 6_000;
/**
 * Kill once initech holds this many of the file's rows (acme holds some): before its first batch,
 * after the first, after the second, after the third (before the fan-out's end is journaled).
 */
const KILL_AT = [0, 1, 251, 501];
/** A point whose import ended before the kill (a loaded machine's timing) is tried again, this often. */
const TRIES = 3;
let emu: RunningEmulator;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-all-killed-"));
const config = path.join(dir, "cxo.config.yaml");
let env: Record<string, string>;
const storeOf = (tenant: string) => path.join(dir, ".cxo", "tenants", tenant, "cxo.sqlite");

beforeAll(async () => {
  emu = await startEmulator({ port: 0, calls: 10, metricsIntervalMs: 0 });
  const [a, b] = emu.fixtures.clients;
  if (!a || !b) throw new Error("two clients needed");
  env = { A_SECRET: a.clientSecret, B_SECRET: b.clientSecret };
  writeFileSync(
    config,
    `dataDir: ${path.join(dir, ".cxo")}
tenants:
  acme:
    cxone: { baseUrl: "${emu.url}", clientId: "${a.clientId}", clientSecret: { env: A_SECRET } }
    consent: { seller: credco }
  initech:
    cxone: { baseUrl: "${emu.url}", clientId: "${b.clientId}", clientSecret: { env: B_SECRET } }
    consent: { seller: credco }
`,
  );
});
afterAll(async () => {
  await emu?.close();
});

/** How many of `phones` a tenant's ledger holds (read-only: the killed run's store is as it left it). */
function held(tenant: string, phones: readonly string[]): number {
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(storeOf(tenant), { readOnly: true });
    // By the phone index: the ledgers grow with every run, and this is polled while one runs.
    const rows = db
      .prepare(
        "SELECT COUNT(*) AS n FROM consent_ledger WHERE phone >= ? AND phone <= ? AND scope_kind = 'all'",
      )
      .get(phones[0] as string, phones.at(-1) as string) as { n: number };
    return Number(rows.n);
  } catch {
    return 0; // not created yet
  } finally {
    db?.close();
  }
}

/** A file of ROWS scope-`all` revocations, its numbers in an area code of its own (one per run). */
function fileOf(
  run: number,
  at = "2026-11-20T10:00:00-05:00",
  rows = ROWS,
): { file: string; phones: string[] } {
  const phones = Array.from({ length: rows }, (_, i) => `+1${300 + run}${2_000_000 + i}`);
  const file = path.join(dir, `stops-${run}.csv`);
  writeFileSync(file, `phone,at,channel,scope\n${phones.map((p) => `${p},${at},sms,all`).join("\n")}\n`);
  return { file, phones };
}

describe("a scope-all import killed at each point of its fan-out", () => {
  it("every tenant of the seller refuses every row once honour has run", async () => {
    let run = 0;
    const killed: number[] = [];
    for (const initechHas of KILL_AT) {
      for (let attempt = 0; attempt < TRIES; attempt += 1) {
        run += 1;
        const { file, phones } = fileOf(run);
        const importing = spawnCli(
          ["--config", config, "--tenant", "acme", "consent", "import", "--file", file, ...BATCH],
          env,
        );
        let exited = false;
        void importing.exit.then(() => {
          exited = true;
        });
        // Killed once acme holds the rows and initech has recorded `initechHas` or more of them.
        await waitUntil(() => exited || (held("acme", phones) > 0 && held("initech", phones) >= initechHas), {
          what: "the fan-out under way",
          timeoutMs: 60_000,
          intervalMs: 10,
        });
        importing.child.kill("SIGKILL");
        const [, signal] = await importing.exit;

        // Whether killed or ended, honour leaves every tenant holding every row.
        const honour = await runCli(["--config", config, "--tenant", "acme", "consent", "honour"], env, {
          timeoutMs: 60_000,
        });
        expect(honour.code, honour.stderr).toBe(0);
        expect(held("acme", phones)).toBe(ROWS);
        expect(held("initech", phones)).toBe(ROWS);
        if (signal === "SIGKILL") {
          killed.push(initechHas);
          break;
        }
      }
    }
    // Every point before initech's last batch was killed at (the last may end before its kill:
    // its window is the fan-out's end alone).
    expect(killed.filter((at) => at < 501)).toEqual([0, 1, 251]);

    // The verdict the tenant's checks give: initech refuses a number of the last file.
    const { phones } = fileOf(run);
    const check = await runCli(
      [
        "--config",
        config,
        "--tenant",
        "initech",
        "--json",
        "compliance",
        "check",
        "--phone",
        phones[ROWS - 1]!,
      ],
      env,
    );
    expect(JSON.parse(check.stdout).reasons.map((r: { code: string }) => r.code)).toContain(
      "consent_revoked",
    );
  }, 600_000);

  it("consent report names the tenant that lacks a scope-all entry (exit 1) until honour has run", async () => {
    // The default batch (5,000 rows): initech's share comes after acme's whole, a long window.
    const { file, phones } = fileOf(90, "2026-11-21T10:00:00-05:00", BIG);
    const importing = spawnCli(
      ["--config", config, "--tenant", "acme", "consent", "import", "--file", file],
      env,
    );
    await waitUntil(() => held("acme", phones) > 0, { what: "acme's share recorded", timeoutMs: 60_000 });
    importing.child.kill("SIGKILL");
    await importing.exit;
    expect(held("initech", phones)).toBeLessThan(BIG);
    const window = ["--from", "2026-11-21T09:00:00-05:00", "--to", "2026-11-21T11:00:00-05:00"];
    const report = () =>
      runCli(["--config", config, "--tenant", "acme", "--json", "consent", "report", ...window], env, {
        timeoutMs: 60_000,
      });
    const before = await report();
    expect(before.code).toBe(1);
    const doc = JSON.parse(before.stdout);
    expect(doc.incomplete).toBe(BIG - held("initech", phones));
    expect(doc.entries.find((e: { missingIn?: string[] }) => e.missingIn)).toMatchObject({
      missingIn: ["initech"],
    });

    const honour = await runCli(["--config", config, "--tenant", "acme", "consent", "honour"], env, {
      timeoutMs: 60_000,
    });
    expect(honour.stdout).toContain("now recorded in every tenant");
    const after = await report();
    expect(after.code, after.stdout.slice(0, 300)).toBe(0);
    expect(JSON.parse(after.stdout).incomplete).toBe(0);
  }, 120_000);
});
