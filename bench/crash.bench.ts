import { loadavg } from "node:os";
import { crashRun } from "../test/store/fixtures/crash-run.ts";
import type { BenchRow } from "./types.ts";

/**
 * kill -9 at random moments (test/store/crash-safety.test.ts's scenario at the size it had in the
 * suite until 2026-11-28: ten kills of a worker journaling 600 operations, two webhook events
 * each, delivered to a receiver that fails one answer in ten): every event delivered, none
 * invented, each operation audited once, the chain whole — and what it cost: runs, requests per
 * event (the redeliveries the kills caused). The suite keeps the same judgement with four kills.
 */
const TOTAL = 600;
const KILLS = Number(process.env.CRASH_KILLS ?? 10);

export default async function crash(): Promise<BenchRow[]> {
  const started = performance.now();
  const run = await crashRun({ total: TOTAL, kills: KILLS });
  const seconds = (performance.now() - started) / 1000;
  const ids = new Set(run.events.map((e) => e.id));
  const perOperation = new Set(run.events.map((e) => `${e.destination}:${(e.data as { i: number }).i}`));
  const whole =
    run.kills >= KILLS &&
    run.final.code === 0 &&
    run.journal.pending === 0 &&
    run.journal.done === TOTAL &&
    run.journal.failed === 0 &&
    run.audit.ok &&
    run.audit.records === TOTAL &&
    run.events.length === 2 * TOTAL &&
    run.events.every((e) => e.status === "delivered") &&
    perOperation.size === 2 * TOTAL &&
    run.deliveredIds.size === 2 * TOTAL &&
    [...run.deliveredIds].every((id) => ids.has(id)) &&
    run.signaturesValid;
  const load = loadavg()[0]?.toFixed(1);
  const suite = "crash-safety";
  return [
    {
      suite,
      metric: `events lost or invented after ${run.kills} SIGKILLs in ${run.runs} runs (load ${load})`,
      unit: "events",
      ours: whole ? 0 : Math.abs(2 * TOTAL - run.deliveredIds.size) || 1,
      target: "0",
      met: whole,
    },
    {
      suite,
      metric: `requests per event delivered (interrupted: ${run.interruptedOperations} operations, ${run.interruptedEvents} events)`,
      unit: "ratio",
      ours: run.requests / (2 * TOTAL),
    },
    { suite, metric: "wall of the kills and the final run", unit: "s", ours: seconds },
  ];
}
