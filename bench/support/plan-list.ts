import { writeFileSync } from "node:fs";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { parseNanp } from "../../src/compliance/index.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import type { ListRow } from "../../src/strategy/list-format.ts";
import type { Model } from "../../src/strategy/model-format.ts";
import { placeOf, slotAt } from "../../src/strategy/place.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * The plan bench's inputs: a calling list of N records (area codes of 20 states and every US
 * zone, among them Florida, Oklahoma and Maryland, and area codes that span two zones; a fifth
 * with a state column; consent recorded), and a model learned per state with evening and
 * weekend peaks. Seeded: the same N gives the same list.
 */
const AREAS = [
  ["305", "FL"],
  ["850", "FL"],
  ["813", "FL"],
  ["405", "OK"],
  ["918", "OK"],
  ["410", "MD"],
  ["301", "MD"],
  ["212", "NY"],
  ["718", "NY"],
  ["312", "IL"],
  ["773", "IL"],
  ["214", "TX"],
  ["915", "TX"],
  ["713", "TX"],
  ["213", "CA"],
  ["415", "CA"],
  ["619", "CA"],
  ["206", "WA"],
  ["602", "AZ"],
  ["303", "CO"],
  ["801", "UT"],
  ["208", "ID"],
  ["270", "KY"],
  ["605", "SD"],
  ["404", "GA"],
  ["617", "MA"],
  ["702", "NV"],
  ["907", "AK"],
  ["808", "HI"],
  ["401", "RI"],
] as const;

export const PLAN_BENCH_FROM = "2026-03-02T00:00:00-05:00";

function* rows(n: number): Iterable<ListRow> {
  let x = 12345;
  const next = () => {
    x = (x * 48271) % 2147483647;
    return x;
  };
  for (let i = 0; i < n; i++) {
    const [npa, state] = AREAS[next() % AREAS.length] as (typeof AREAS)[number];
    let nxx = 200 + (next() % 800);
    if (nxx % 100 === 11) nxx++;
    const line = String(next() % 10_000).padStart(4, "0");
    yield {
      recordId: `R${i}`,
      phone: `+1${npa}${nxx}${line}`,
      ...(i % 5 === 0 ? { state } : {}),
      consent: true,
    };
  }
}

export function sampleRows(n: number): ListRow[] {
  return [...rows(n)];
}

/** Writes the list as CSV (recordId, phone, state, consent) in 10,000-row chunks. */
export function writeListCsv(file: string, n: number): void {
  writeFileSync(file, "recordId,phone,state,consent\n");
  let chunk: string[] = [];
  for (const row of rows(n)) {
    chunk.push(`${row.recordId},${row.phone},${row.state ?? ""},true`);
    if (chunk.length === 10_000) {
      writeFileSync(file, `${chunk.join("\n")}\n`, { flag: "a" });
      chunk = [];
    }
  }
  if (chunk.length > 0) writeFileSync(file, `${chunk.join("\n")}\n`, { flag: "a" });
}

/** A model per state: 400 attempts a slot, RPC 4% by day, 14% on weekday evenings and weekends. */
export function benchModel(): Model {
  const counts = new SlotCounts();
  const states = [...new Set(AREAS.map(([, state]) => state))];
  states.forEach((state, k) => {
    for (let s = 0; s < 168; s++) {
      const day = Math.floor(s / 24);
      const hour = s % 24;
      const good = day >= 5 || hour >= 17 + (k % 3);
      counts.add(["state"], { state }, s, 400, good ? 56 + (s % 7) : 16 + (s % 5));
    }
  });
  return buildModel(counts, { campaign: "C1" });
}

/**
 * The plain way, the baseline: for each record, ask the compliance engine about every hour of
 * the horizon (its first and last minute) and take the legal hour the model rates best. Returns
 * the records planned.
 */
export function planPerRecord(list: readonly ListRow[], model: Model, days: number): number {
  const startMs = Date.parse(PLAN_BENCH_FROM);
  const bySegment = new Map(model.segments.map((s) => [s.key, s.slots]));
  let planned = 0;
  for (const row of list) {
    const number = parseNanp(row.phone);
    const place = placeOf(row.phone, row.state);
    const zone = place?.zones[0];
    if (!number || !place || zone === undefined) continue;
    const slots = bySegment.get(`state=${row.state ?? place.state}`) ?? model.priors.campaign;
    let best = -1;
    for (let h = 0; h < days * 24; h++) {
      const t = startMs + h * 3_600_000;
      const ok = [t, t + 59 * 60_000].every(
        (atMs) =>
          engine.evaluate({
            number,
            atMs,
            addressState: row.state,
            consent: row.consent,
            onDnc: false,
            attempts: [],
          }).allowed,
      );
      const estimate = slots[slotAt(t, zone)]?.estimate ?? 0;
      if (ok && estimate > best) best = estimate;
    }
    if (best >= 0) planned++;
  }
  return planned;
}
