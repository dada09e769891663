import type { ListRow } from "./list-format.ts";
import type { Model } from "./model-format.ts";
import type { PlanRow } from "./plan-format.ts";
import type { PlanOptions, PlanSummary } from "./types.ts";

/** Plans each record's next attempts at the best legal hours (pure, seeded). */
export async function* plan(
  list: AsyncIterable<ListRow> | Iterable<ListRow>,
  model: Model,
  options: PlanOptions,
  summary?: PlanSummary,
): AsyncIterable<PlanRow> {
  void list;
  void model;
  void options;
  void summary;
  yield* [];
  throw new Error("strategy.plan: not implemented yet");
}
