import { LEDGER_HOURS, regimeOf } from "../abandonment/regimes.ts";
import { type FalsePositiveEstimate, falsePositiveRate } from "../pacing/amd-estimate.ts";
import { type PacingWindow, WINDOW_SECONDS } from "../pacing/types.ts";

/**
 * The legal window's abandonment budget, as live pacing keeps it in the store: live answers and
 * abandons per clock hour, the hours outside the window dropped. An hour is the unit so that the
 * FTC's 30 days (720 hours) and Ofcom's 24 hours are both rolling windows; `day` is the UTC
 * calendar day (CXone's own abandon control resets at midnight). The hours of the last 31 days
 * are kept whatever the window (and the machine verdicts beside them): the abandonment ledger
 * (src/dialer/abandonment) judges every regime from them.
 */
export interface WindowBudget {
  window: PacingWindow;
  target: number;
  /** [hour index since the epoch, live answers, abandons, machine verdicts?], oldest first. */
  hours: Array<[number, number, number] | [number, number, number, number]>;
}

export interface WindowFigures {
  liveAnswers: number;
  abandons: number;
  /** Abandons / live answers over the window (0 with no answers yet). */
  abandonment: number;
  /** Abandons the window can still take at its current live answers: target × answers − abandons. */
  budgetLeft: number;
  /** People hung up on as machines by the operator's estimate, counted in the figures above (0 where the window's regime does not count them). */
  estimatedPeople: number;
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

/** Adds what happened since the last read, at `atMs`, and drops the hours older than the ledger keeps. */
export function recordInWindow(
  budget: WindowBudget,
  atMs: number,
  liveAnswers: number,
  abandons: number,
  machines = 0,
): WindowBudget {
  const hour = Math.floor(atMs / HOUR_MS);
  const first = Math.min(firstHour(budget.window, atMs), hour - LEDGER_HOURS + 1);
  const hours = budget.hours
    .filter(([h]) => h >= first)
    .map((row) => [row[0], row[1], row[2], row[3] ?? 0] as [number, number, number, number]);
  const last = hours.at(-1);
  if (last && last[0] === hour) {
    last[1] += liveAnswers;
    last[2] += abandons;
    last[3] += machines;
  } else hours.push([hour, liveAnswers, abandons, machines]);
  return { ...budget, hours };
}

/**
 * The window's figures at `atMs`. With the operator's AMD estimate, a window whose regime counts
 * it (Ofcom's) counts `rate × machine verdicts` people as live answers abandoned.
 */
export function windowFigures(
  budget: WindowBudget,
  atMs: number,
  estimate?: FalsePositiveEstimate | undefined,
): WindowFigures {
  const first = firstHour(budget.window, atMs);
  let liveAnswers = 0;
  let abandons = 0;
  let machines = 0;
  for (const [hour, lives, drops, verdicts] of budget.hours) {
    if (hour < first) continue;
    liveAnswers += lives;
    abandons += drops;
    machines += verdicts ?? 0;
  }
  const counts = regimeOf(budget.window)?.countsAmdEstimate === true;
  const estimatedPeople = counts ? falsePositiveRate(estimate) * machines : 0;
  liveAnswers += estimatedPeople;
  abandons += estimatedPeople;
  return {
    liveAnswers,
    abandons,
    abandonment: liveAnswers > 0 ? abandons / liveAnswers : 0,
    budgetLeft: budget.target * liveAnswers - abandons,
    estimatedPeople,
  };
}
