/**
 * The latest decision of live pacing (or the production budget guard) for a campaign, as `cxo
 * serve`'s leader made it, kept in the store so every reader shows the same figures: the board
 * of any instance, and `cxo campaigns status` (which prints it).
 */
import type { LedgerView } from "../abandonment/board-figure.ts";

export const PACING_LATEST = "pacing.latest";

export interface PacingDecision {
  /** `auto`: the controller sets the dial ratio; `guard`: the budget guard sets the skill's limits. */
  mode: "auto" | "guard";
  /** The legal window the abandonment is counted over (`ftc-30d`, …). */
  window: string;
  target: number;
  /**
   * The dial ratio IN FORCE: read back from the platform (the seed API's dialer counters carry
   * it), never the loop's own memory of what it set (guard: the skill's maximum ratio, applied or
   * found).
   */
  ratio: number | null;
  /** When `ratio` was read from the platform (ISO); absent on decisions of older versions. */
  ratioReadAt?: string | null;
  /** The ratio the controller wishes for (its ask, before the budget's limits): a wish, not a fact. */
  wish?: number | null;
  /** The ratio the loop last set itself (or adopted when an operator resumed it). */
  lastSet?: number | null;
  /**
   * The loop found the settings it owns changed by someone else (a rollback from the board or
   * the CLI, an edit in CXone's own UI), and what it did about it (docs/pacing.md).
   */
  outside?: OutsideChange | null;
  /** The campaign is not paced, and why (e.g. the seed API's one tenant-wide dialer is paced for another campaign). */
  notPaced?: string | null;
  /** The seed API has ONE dialer for the whole tenant: the ratio is every campaign's. */
  tenantWide?: boolean;
  /** What the loop does when its settings are changed outside it (the spec's `onOutsideChange`). */
  onOutsideChange?: OutsideChangeRule;
  /** The highest ratio the automation may apply; null when unbounded. */
  cap: number | null;
  atCap: boolean;
  /** Guard: the skill's abandon target it set, or found. */
  abandonTarget: number | null;
  /** Abandoned / live answers over the window so far. */
  abandonment: number;
  liveAnswers: number;
  /** Abandons the window can still take at its current live answers. */
  budgetLeft: number;
  /** The abandonment ledger's figure for the campaign's regime: its 95% interval, the legal limit, the headroom. */
  ledger?: LedgerView | null;
  reason: string;
  at: string;
}

/** The window's name as a person reads it. */
export function windowLabel(window: string): string {
  const labels: Record<string, string> = {
    "ftc-30d": "the FTC 30-day window",
    "ofcom-24h": "Ofcom's 24-hour window",
    day: "today",
  };
  return labels[window] ?? `the ${window} window`;
}

/** The one rule for a change the loop did not make: hand over (stop) by default, or write its own ratio back. */
export type OutsideChangeRule = "hand-over" | "reassert";

export interface OutsideChange {
  /** The ratio read back from the platform, and the one the loop had last set. */
  inForce: number;
  lastSet: number;
  at: string;
  action: "handed-over" | "re-asserted";
}

/** The card's and the log's words for an outside change. */
export function outsideChangeText(change: OutsideChange): string {
  const what = `changed outside the pacing loop: ${change.inForce.toFixed(2)} in force, the loop last set ${change.lastSet.toFixed(2)}`;
  return change.action === "handed-over"
    ? `${what}; the loop handed over and stopped (resume it to carry on from ${change.inForce.toFixed(2)})`
    : `${what}; the loop set ${change.lastSet.toFixed(2)} again (onOutsideChange: reassert)`;
}
