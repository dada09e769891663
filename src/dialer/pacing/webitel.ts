import { CALL_SERIES, DIALS, DROPS, LIVES, RollingCounts } from "./rolling.ts";
import { type ControllerOptions, dialsFor, type PacingController, type PacingObservation } from "./types.ts";

/**
 * Webitel's over-dial (webitel/call_center schema, `cc_wrap_over_dial`, as the reference
 * describes it, pacing.md §2): base over-dial = 1 / hit rate over the statistics window
 * (default 60 min); abandon ≥ max → 1 (progressive); below target → over·(1 + (target −
 * abandon)·q/100); else over·(max − abandon)(100 + q)/(100·max), rates in percent, q the load
 * factor (default 10). Applied as dials = over × free agents − calls ringing or waiting.
 * Tuned knob: q.
 */
export function webitel(options: ControllerOptions): PacingController {
  const { limits } = options;
  const tuning = options.tuning ?? {};
  const q = Number(tuning.loadFactor ?? 10);
  const targetPct = Number(tuning.target ?? limits.target) * 100;
  const maxPct = Number(tuning.max ?? limits.target) * 100;
  const windowMinutes = Number(tuning.windowMinutes ?? 60);
  const stats = new RollingCounts(60, windowMinutes, CALL_SERIES);
  // The ratio in a typed array, not a captured `let`: a fraction written every tick to a
  // closure's variable is a fresh heap number each time (8% of a run in the garbage collector).
  const state = new Float64Array([1]);
  return {
    name: "webitel",
    tuning: { loadFactor: q, target: targetPct / 100, max: maxPct / 100 },
    tick(o: PacingObservation): number {
      stats.addCalls(o);
      const d = stats.total(DIALS);
      const l = stats.total(LIVES);
      const hit = d >= 10 && l > 0 ? l / d : 1;
      const abandon = l > 0 ? (100 * stats.total(DROPS)) / l : 0;
      let over = 1 / hit;
      if (abandon >= maxPct) over = 1;
      else if (abandon < targetPct) over = over * (1 + ((targetPct - abandon) * q) / 100);
      else over = (over * (maxPct - abandon) * (100 + q)) / (100 * maxPct);
      over = Math.max(1, Math.min(over, limits.maxLinesPerAgent));
      state[0] = over;
      return dialsFor(Math.floor(over * o.agentsReady), o, limits);
    },
    status: () => ({ ratio: state[0] as number }),
  };
}
