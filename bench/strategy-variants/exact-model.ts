import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import { BENCH_CAMPAIGN } from "../../src/strategy/policy-learned.ts";
import type { World } from "../../src/strategy/world.ts";

/** The rates each column value stands for, exactly, as a model learned from endless attempts. */
export function exactModel(world: World) {
  const { spec } = world.population;
  const column = spec.list.observable.column;
  const { accuracy } = spec.list.observable;
  const segments = world.population.segments;
  const most = spec.variation.shiftHours;
  const counts = new SlotCounts();
  const N = 1_000_000;
  segments.forEach((shown, hint) => {
    const weights = segments.map(
      (s, i) => s.share * ((i === hint ? accuracy : 0) + (1 - accuracy) * shown.share),
    );
    const total = weights.reduce((a, x) => a + x, 0);
    for (let slot = 0; slot < 168; slot++) {
      let rate = 0;
      segments.forEach((s, i) => {
        let mean = 0;
        for (let shift = -most; shift <= most; shift++)
          mean += (s.rpc[(slot - shift + 168) % 168] as number) / (2 * most + 1);
        rate += ((weights[i] as number) / total) * mean;
      });
      counts.add([`column:${column}`], { [`column:${column}`]: shown.value }, slot, N, Math.round(N * rate));
    }
  });
  return buildModel(counts, { campaign: BENCH_CAMPAIGN, keys: [`column:${column}`] });
}
