import { type PacingWindow, WINDOW_SECONDS } from "../pacing/types.ts";

/**
 * The legal window's abandonment budget, as live pacing keeps it in the store: live answers and
 * abandons per clock hour, the hours outside the window dropped. An hour is the unit so that the
 * FTC's 30 days (720 hours) and Ofcom's 24 hours are both rolling windows; `day` is the UTC
 * calendar day (CXone's own abandon control resets at midnight).
 */
export interface WindowBudget {
  window: PacingWindow;
  target: number;
  /** [hour index since the epoch, live answers, abandons], oldest first. */
  hours: Array<[number, number, number]>;
}

export interface WindowFigures {
  liveAnswers: number;
  abandons: number;
  /** Abandons / live answers over the window (0 with no answers yet). */
  abandonment: number;
  /** Abandons the window can still take at its current live answers: target × answers − abandons. */
  budgetLeft: number;
}

const HOUR_MS = 3_600_000;

export function emptyBudget(window: PacingWindow, target: number): WindowBudget {
  return { window, target, hours: [] };
}

/** The oldest hour index still inside the window at `atMs`. */
function firstHour(window: PacingWindow, atMs: number): number {
  const hour = Math.floor(atMs / HOUR_MS);
  if (window === "day") return Math.floor(atMs / 86_400_000) * 24;
  return hour - WINDOW_SECONDS[window] / 3600 + 1;
}

/** Adds what happened since the last read, at `atMs`, and drops the hours that left the window. */
export function recordInWindow(
  budget: WindowBudget,
  atMs: number,
  liveAnswers: number,
  abandons: number,
): WindowBudget {
  const hour = Math.floor(atMs / HOUR_MS);
  const first = firstHour(budget.window, atMs);
  const hours = budget.hours.filter(([h]) => h >= first).map((row) => [...row] as [number, number, number]);
  const last = hours.at(-1);
  if (last && last[0] === hour) {
    last[1] += liveAnswers;
    last[2] += abandons;
  } else hours.push([hour, liveAnswers, abandons]);
  return { ...budget, hours };
}

export function windowFigures(budget: WindowBudget, atMs: number): WindowFigures {
  const first = firstHour(budget.window, atMs);
  let liveAnswers = 0;
  let abandons = 0;
  for (const [hour, lives, drops] of budget.hours) {
    if (hour < first) continue;
    liveAnswers += lives;
    abandons += drops;
  }
  return {
    liveAnswers,
    abandons,
    abandonment: liveAnswers > 0 ? abandons / liveAnswers : 0,
    budgetLeft: budget.target * liveAnswers - abandons,
  };
}
