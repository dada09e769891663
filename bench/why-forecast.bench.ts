import { diagnose } from "../src/campaigns/diagnose/diagnose.ts";
import { readFacts } from "../src/campaigns/diagnose/gather.ts";
import { ComplianceEngine } from "../src/compliance/engine.ts";
import { isoSeconds, whyTenant } from "./support/why-tenant.ts";
import type { BenchRow } from "./types.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * Issue 65 §2: the forecast against the production emulator's list dialer over a simulated day.
 * A list of 1,200 records across the Eastern, Central, Mountain and Pacific zones (the skill's
 * hours 09:00–20:00 in each), a tenth with a call-request time later in the day, dialled at a
 * pace of 120 an hour (knob `listDialPacePerHour`). The forecast is made once at the start, with
 * that pace as the campaign's recent pace; then the dialer's clock is moved on slot by slot and
 * the records dialable at each slot's start are counted from the platform again (the actual).
 * Rows: the mean and worst absolute error per slot as a share of the list, and the run-dry
 * warning's lead (the actual starvation minus the first slot whose own forecast said the list
 * would run dry). Targets: ≤ 5% per slot; ≥ 30 minutes.
 */
const RECORDS = 1200;
const PACE = 120;
const SLOT = 15 * 60_000;
const ZONES = [
  ["Eastern Standard Time", "212"],
  ["Central Standard Time", "312"],
  ["Mountain Standard Time", "303"],
  ["Pacific Standard Time", "213"],
] as const;

export default async function whyForecastBench(): Promise<BenchRow[]> {
  const tenant = await whyTenant("cxo-bench-why-forecast-", { listDialPacePerHour: PACE });
  const { emulator, client } = tenant;
  try {
    const listId = await tenant.createList("why forecast");
    const t0 = Math.ceil(Date.now() / SLOT) * SLOT;
    const lines = ["Id,Phone,CallAt,Stale,Zone"];
    for (let i = 0; i < RECORDS; i++) {
      const [zone, area] = ZONES[i % 4] as (typeof ZONES)[number];
      const later = i % 10 === 3 ? isoSeconds(t0 + (4 + (i % 7)) * 3_600_000) : "";
      lines.push(`r${i},${area}555${String(1000 + i).padStart(4, "0")},${later},${later ? 180 : ""},${zone}`);
    }
    await tenant.upload(listId, lines, t0 + 30 * 86_400_000);
    const campaignId = String(tenant.skillId);
    const forecastAt = async (at: number) => {
      const { facts, hours } = await readFacts(client.port, engine, campaignId, null);
      return diagnose({ ...facts, pacePerHour: PACE }, hours, at);
    };
    const start = await forecastAt(t0);
    const slots = start.forecast.length;
    const errors: number[] = [];
    let warnedAt: number | undefined;
    let starvedAt: number | undefined;
    let seen = false;
    for (let s = 0; s < slots; s++) {
      const at = t0 + s * SLOT;
      await fetch(`${emulator.url}/_emulator/lists/${listId}/dial`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ until: isoSeconds(at), timing: "early" }),
      });
      const now = await forecastAt(at);
      const predicted = start.forecast[s]?.dialable ?? 0;
      errors.push(Math.abs(predicted - now.dialableNow) / RECORDS);
      if (warnedAt === undefined && now.runsDryAt) warnedAt = at;
      if (now.dialableNow > 0) seen = true;
      // Starved: nothing to dial now, and nothing that only waits (hours, call-request times).
      const waiting = now.causes.some(
        (c) => c.code === "outside_calling_hours" || c.code === "waiting_for_call_request_time",
      );
      if (starvedAt === undefined && seen && now.dialableNow === 0 && !waiting) starvedAt = at;
      if (process.env.CXO_BENCH_DEBUG)
        process.stderr.write(
          `${new Date(at).toISOString()} ${predicted} ${now.dialableNow} ${now.runsDryAt ?? "-"} ${now.causes.map((c) => `${c.code}:${c.records}`).join(",")}\n`,
        );
    }
    const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
    const worst = Math.max(...errors);
    const dryMiss =
      start.runsDryAt && starvedAt !== undefined
        ? (Date.parse(start.runsDryAt) - starvedAt) / 60_000
        : Number.NaN;
    const lead =
      warnedAt !== undefined && starvedAt !== undefined ? (starvedAt - warnedAt) / 60_000 : Number.NaN;
    return [
      {
        suite: "why-forecast",
        metric: `forecast error per 15-min slot over ${slots} slots, ${RECORDS} records at ${PACE}/h (mean; share of the list)`,
        unit: "%",
        ours: Math.round(mean * 10_000) / 100,
        baseline: Math.round(worst * 10_000) / 100,
        baselineLabel: "worst slot",
        target: "≤ 5% per slot",
        met: worst <= 0.05,
      },
      {
        suite: "why-forecast",
        metric: "run-dry warning lead (actual starvation − first slot whose forecast said it runs dry)",
        unit: "min",
        ours: lead,
        target: "≥ 30 min",
        met: lead >= 30,
      },
      {
        suite: "why-forecast",
        metric: "the start's runsDryAt − the actual starvation (negative: warned early)",
        unit: "min",
        ours: dryMiss,
        target: "≤ 0 (never late)",
        met: dryMiss <= 0,
      },
    ];
  } finally {
    await tenant.close();
  }
}
