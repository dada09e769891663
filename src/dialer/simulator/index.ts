/**
 * The dialer capacity simulator: queueing closed forms, a discrete-event simulator of the
 * dialer, and the figures planners use. Pure: no I/O, nothing sent to CXone.
 */
export { type ChannelLoad, channelLoad } from "./channel-load.ts";
export { sweepHtml } from "./chart/html.ts";
export { sweepSvg } from "./chart/svg.ts";
export * from "./closed-forms/index.ts";
export { simulate } from "./des/engine.ts";
export {
  availableAgents,
  openLoopDialRate,
  paramsFromConfig,
  SIMULATION_MODES,
  type SimParams,
  type SimulationMode,
} from "./des/params.ts";
export type { SimulationResult } from "./des/result.ts";
export {
  ERLANG_MODELS,
  type ErlangInput,
  type ErlangModel,
  type ErlangReport,
  erlangReport,
} from "./erlang-report.ts";
export { type AbandonmentPrediction, predictAbandonment } from "./predict.ts";
export {
  MAX_SWEEP_POINTS,
  type SweepPoint,
  type SweepRange,
  type SweepResult,
  sweepDialRatio,
  sweepValues,
} from "./sweep.ts";
