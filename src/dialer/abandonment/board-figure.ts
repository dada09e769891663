import type { WindowBudget } from "../live-pacing/window-budget.ts";
import type { FalsePositiveEstimate } from "../pacing/amd-estimate.ts";
import { abandonmentLedger } from "./ledger.ts";
import { regimeOf } from "./regimes.ts";

/**
 * The ledger's figure for the board: the regime a campaign is paced under, from
 * the window's hours `cxo serve` keeps (no outcome read: the board's round sends nothing more),
 * with its 95% interval, the regime's limit and the headroom left.
 */
export interface LedgerView {
  regime: string;
  /** The regime's window in words ("per campaign, any 24 hours"). */
  words: string;
  rate: number | null;
  interval95: [number, number] | null;
  abandoned: number;
  live: number;
  /** The regime's legal limit (not the campaign's target). */
  limit: number;
  /** Abandons the window can still take at its live answers so far (limit × live − abandoned). */
  headroom: number;
  /** People hung up on as machines by the operator's estimate, counted in the figure (0 where the regime does not). */
  estimatedPeople: number;
  /** Ofcom's worst rolling 24 hours in the data kept. */
  worst: { rate: number; from: string; to: string } | null;
}

export function ledgerView(
  budget: WindowBudget | undefined,
  window: string,
  estimate: FalsePositiveEstimate | undefined,
  at: number,
): LedgerView | null {
  const regime = regimeOf(window);
  if (!regime || !budget) return null;
  const hours = budget.hours.map((row) => ({
    hour: row[0],
    live: row[1],
    abandoned: row[2],
    machines: row[3] ?? 0,
  }));
  const [figure] = abandonmentLedger({ at, hours, estimate, regimes: [regime] }).regimes;
  if (!figure) return null;
  return {
    regime: figure.regime,
    words: figure.window.words,
    rate: figure.rate,
    interval95: figure.interval95,
    abandoned: figure.abandoned,
    live: figure.live,
    limit: figure.limit,
    headroom: figure.headroom,
    estimatedPeople: figure.amd.inFigure ? figure.amd.estimatedPeople : 0,
    worst: figure.worst
      ? { rate: figure.worst.rate, from: figure.worst.window.from, to: figure.worst.window.to }
      : null,
  };
}
