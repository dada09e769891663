import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { dncListFor, loadDncList } from "../src/compliance/blocked-numbers.ts";
import { recordRevocations } from "../src/consent/ledger.ts";
import type { Revocation } from "../src/consent/revocation.ts";
import { openStore, type Store } from "../src/core/store/index.ts";
import { buildInstalledCli } from "./support/installed-cli.ts";
import { peakRssUntilClose } from "./support/peak-rss.ts";
import type { BenchRow } from "./types.ts";

/**
 * Issue 78 §5: one `cxo compliance check` against a data dir holding 1,000,000 revocations in the
 * consent ledger and 1,000,000 records in a synced CXone DNC group. The check looks its number
 * up by index (blocked-numbers.ts `dncListFor`); the baseline is what it did before, in the same
 * run: the whole ledger and the whole group copy loaded (`loadDncList`, in this process) to ask
 * about one number. Measured: the installed CLI's wall time and peak RSS (VmHWM) for one check,
 * in its own process. Targets: ≤ 0.5 s and ≤ 300 MB.
 *
 * `CXO_BENCH_CONSENT_ROWS` sets the size (default 1,000,000 of each): a small size checks the
 * suite runs (`CXO_BENCH_CONSENT_ROWS=2000 npm run bench -- consent-check`).
 */
const SUITE = "consent-check-scale";
const ROWS = Number(process.env.CXO_BENCH_CONSENT_ROWS ?? 1_000_000);
const BATCH = 50_000;

/** The n-th distinct NANP number of the bench (area code 312, exchanges 200–999). */
const phoneOf = (n: number) => `+1312${String(2_000_000 + (n % 8_000_000)).padStart(7, "0")}`;

async function* revocations(count: number): AsyncGenerator<Revocation> {
  const base = Date.parse("2026-01-01T00:00:00Z");
  for (let i = 0; i < count; i++)
    yield {
      phone: phoneOf(i * 2),
      receivedAt: new Date(base + i * 1000).toISOString(),
      channel: "sms",
      scope: { kind: "tenant" },
      source: null,
    };
}

/** A synced group copy of `count` numbers (what `cxo compliance dnc sync` leaves). */
async function fillGroup(store: Store, count: number): Promise<void> {
  const now = new Date().toISOString();
  await store.db.run(
    "INSERT INTO cxone_dnc_groups (group_id, name, active, scrubbed_skills, records, synced_at) VALUES (?, ?, 1, ?, ?, ?)",
    ["9001", "Bench group", JSON.stringify(["101"]), count, now],
  );
  for (let from = 0; from < count; from += BATCH)
    await store.db.transaction(async (tx) => {
      for (let i = from; i < Math.min(count, from + BATCH); i++)
        await tx.run("INSERT INTO cxone_dnc_records (group_id, phone, expires_at) VALUES (?, ?, NULL)", [
          "9001",
          phoneOf(i * 2 + 1),
        ]);
    });
}

/** One check in its own process; wall time and peak RSS from /proc (VmHWM), polled until exit. */
async function checkOnce(
  cxo: string,
  dataDir: string,
  phone: string,
): Promise<{ ms: number; peakMb: number; allowed: boolean }> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      cxo,
      "--json",
      "--data-dir",
      dataDir,
      "compliance",
      "check",
      "--phone",
      phone,
      "--consent",
      "yes",
      "--at",
      "2026-12-01T15:00:00-05:00",
    ],
    { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, CXO_LOG_LEVEL: "silent" } },
  );
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const { code, peakMb } = await peakRssUntilClose(child, 10);
  if (code !== 0) throw new Error(`cxo compliance check exited ${code}`);
  return { ms: performance.now() - started, peakMb, allowed: JSON.parse(out).allowed };
}

export default async function consentCheckScaleBench(): Promise<BenchRow[]> {
  const cxo = buildInstalledCli();
  const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-bench-consent-check-"));
  try {
    const store = await openStore(dataDir);
    let baselineMs: number;
    let baselineMb: number;
    let lookupMs: number;
    try {
      await recordRevocations(store, revocations(ROWS), {
        actor: "bench",
        batchSize: BATCH,
        batchAudit: { source: "bench" },
      });
      await fillGroup(store, ROWS);
      // The baseline: the whole ledger and copy loaded for one number (what every check did).
      const rssBefore = process.memoryUsage().rss;
      const started = performance.now();
      const everything = await loadDncList(store);
      const found = everything.suppressions?.(phoneOf(ROWS), undefined) ?? [];
      baselineMs = performance.now() - started;
      baselineMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
      if (found.length !== 1) throw new Error("the baseline did not find the revoked number");
      // The same question by index, in the same process (what a check now does).
      const byIndex = performance.now();
      const one = await dncListFor(store, [phoneOf(ROWS)]);
      if ((one.suppressions?.(phoneOf(ROWS), undefined) ?? []).length !== 1)
        throw new Error("the lookup by index did not find the revoked number");
      lookupMs = performance.now() - byIndex;
    } finally {
      await store.close();
    }
    // A revoked number, one in the group, one in neither: each check's answer is checked too.
    const revoked = await checkOnce(cxo, dataDir, phoneOf(ROWS));
    const grouped = await checkOnce(cxo, dataDir, phoneOf(ROWS + 1));
    const clean = await checkOnce(cxo, dataDir, phoneOf(ROWS * 2 + 3));
    if (revoked.allowed || grouped.allowed || !clean.allowed) throw new Error("a check answered wrong");
    const ms = Math.max(revoked.ms, grouped.ms, clean.ms);
    const peakMb = Math.max(revoked.peakMb, grouped.peakMb, clean.peakMb);
    const size = `${ROWS.toLocaleString("en-US")} revocations + ${ROWS.toLocaleString("en-US")} group records`;
    return [
      {
        suite: SUITE,
        metric: `one number's ledger and group lookup, ${size}, in process`,
        unit: "ms",
        ours: lookupMs,
        baseline: baselineMs,
        baselineLabel: "whole ledger + copy loaded",
      },
      {
        suite: SUITE,
        metric: `compliance check, ${size}: wall time, slowest of 3 (process start included)`,
        unit: "ms",
        ours: ms,
        baseline: baselineMs,
        baselineLabel: "whole ledger + copy loaded, in process, load only",
        target: "≤ 500",
        met: ms <= 500,
      },
      {
        suite: SUITE,
        metric: `compliance check, ${size}: peak RSS`,
        unit: "MB",
        ours: peakMb,
        baseline: baselineMb,
        baselineLabel: "RSS growth of the whole load",
        target: "≤ 300",
        met: peakMb <= 300,
      },
    ];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
