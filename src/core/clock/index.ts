export {
  clockDocument,
  clockForChildren,
  currentClock,
  installClock,
  realNowMs,
  restoreWallClock,
} from "./process-clock.ts";
export { MIN_REAL_MS, realDelayMs, scheduleClock } from "./schedule-clock.ts";
export { type ClockSetting, formatClockSetting, MAX_RATE, parseClockSetting } from "./setting.ts";
