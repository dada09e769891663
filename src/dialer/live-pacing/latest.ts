/**
 * The latest decision of live pacing (or the production budget guard) for a campaign, as `cxo
 * serve`'s leader made it, kept in the store so every reader shows the same figures: the board
 * of any instance, and `cxo campaigns status` (which prints it).
 */
export const PACING_LATEST = "pacing.latest";

export interface PacingDecision {
  /** `auto`: the controller sets the dial ratio; `guard`: the budget guard sets the skill's limits. */
  mode: "auto" | "guard";
  /** The legal window the abandonment is counted over (`ftc-30d`, …). */
  window: string;
  target: number;
  /** The dial ratio last applied, or found (guard: the skill's maximum ratio). */
  ratio: number | null;
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
