import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { learnedPlanned } from "../../src/strategy/policy-learned.ts";
import { loadPopulationFile } from "../../src/strategy/population.ts";
import { type Policy, simulate } from "../../src/strategy/simulate.ts";
import { buildWorld } from "../../src/strategy/world.ts";
import { exactModel } from "./exact-model.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * What the learned model gets wrong against the exact one (issue 55, variant E): on chosen
 * mornings, per column value, the learned estimate against the exact rate at each local hour of
 * day 8–20, Monday-to-Friday mean and weekend mean, and the mean absolute error over those hours.
 * `npx node bench/strategy-variants/learn-gap.ts POPULATION.yaml [replication] [days,…]`
 */
const file = process.argv[2];
if (!file) throw new Error("usage: learn-gap.ts POPULATION.yaml [replication] [days]");
const replication = Number(process.argv[3] ?? 1);
const days = (process.argv[4] ?? "0,2,5,9,13").split(",").map(Number);
const population = loadPopulationFile(file);
const world = buildWorld(population, replication, engine);
const exact = exactModel(world);
const inner = learnedPlanned({ fromHistory: true, seed: replication * 31 + 5 });
const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
const wrapped: Policy = {
  ...inner,
  async startDay(w, state, day) {
    await inner.startDay?.(w, state, day);
    if (!days.includes(day)) return;
    const model = inner.model();
    if (!model) return;
    console.log(`day ${day}: ${model.learnedFrom.records} records`);
    let total = 0;
    let n = 0;
    for (const seg of exact.segments) {
      const learned = model.segments.find((s) => s.key === seg.key);
      if (!learned) continue;
      const rows: string[] = [];
      for (const [label, dayList] of [
        ["wd", [0, 1, 2, 3, 4]],
        ["we", [5, 6]],
      ] as const) {
        const cells: string[] = [];
        for (let hour = 8; hour <= 20; hour++) {
          const slots = dayList.map((d) => d * 24 + hour);
          const e = mean(slots.map((s) => learned.slots[s]?.estimate ?? 0));
          const t = mean(slots.map((s) => seg.slots[s]?.estimate ?? 0));
          const a = slots.reduce((x, s) => x + (learned.slots[s]?.attempts ?? 0), 0);
          for (const s of slots) {
            total += Math.abs((learned.slots[s]?.estimate ?? 0) - (seg.slots[s]?.estimate ?? 0));
            n++;
          }
          cells.push(`${(100 * e).toFixed(0)}/${(100 * t).toFixed(0)}(${a})`);
        }
        rows.push(`  ${label} ${cells.join(" ")}`);
      }
      console.log(`${seg.key}`);
      for (const r of rows) console.log(r);
    }
    console.log(`  mean |error| over 8-20 slots: ${((100 * total) / n).toFixed(2)} points`);
  },
};
const r = await simulate(world, wrapped);
console.log(`learned ${((1000 * r.rpcs) / r.attempts).toFixed(1)} per 1000`);
