import type { Model } from "./model-format.ts";
import type { LearnOptions, OutcomeRecord } from "./types.ts";

/** Learns the model from outcome records (pure: no clock, no I/O). */
export async function learn(records: AsyncIterable<OutcomeRecord>, options: LearnOptions): Promise<Model> {
  void records;
  void options;
  throw new Error("strategy.learn: not implemented yet");
}
