export { type ExpectedLift, type ExpectedLiftOptions, expectedLift } from "./expected-lift.ts";
export { learn } from "./learn.ts";
export { type ListRow, listRowSchema } from "./list-format.ts";
export {
  DEFAULT_ATTEMPT_BUCKETS,
  DEFAULT_RPC,
  MODEL_VERSION,
  type Model,
  modelSchema,
  type RpcDefinition,
  SEGMENT_KEYS,
  type Segment,
  type SegmentKey,
  SLOTS_PER_WEEK,
  type SlotStats,
} from "./model-format.ts";
export { plan } from "./plan.ts";
export { PLAN_CSV_COLUMNS, type PlanRow, planRowSchema, type RuledOut } from "./plan-format.ts";
export type {
  HistoryAttempt,
  LearnFunction,
  LearnOptions,
  OutcomeRecord,
  PlanFunction,
  PlanOptions,
  PlanSummary,
} from "./types.ts";
