import type { DaysResult } from "../../src/dialer/simulator/day/engine.ts";

/**
 * Issue 80 §5's judgement of a floor cell: a target within noise of what progressive dialling
 * alone costs (the detector's floor), where no controller can hold ≤ 1% of its days over. The
 * rule compares like with like instead: on the same seeds, cxo's share of days over the target
 * at most progressive's share plus one percentage point.
 */

/** The rule's allowance over progressive's share: one percentage point. */
export const FLOOR_RULE_MARGIN = 0.01;

export interface DaysOver {
  /** Days whose abandonment (abandons ÷ live answers) is over the target. */
  over: number;
  /** Every day of the runs, as `figuresOf` counts them (a day with no live answer is never over). */
  days: number;
}

/**
 * Days over `target` in `runs`, the bench's own rule (`figuresOf`): a day is over when its
 * abandons ÷ live answers exceed the target; days with no live answer count as not over.
 */
export function daysOverTarget(runs: readonly DaysResult[], target: number): DaysOver {
  let over = 0;
  let days = 0;
  for (const r of runs)
    for (let d = 0; d < r.days; d++) {
      const lives = r.lives[d] as number;
      days++;
      if (lives > 0 && (r.abandons[d] as number) / lives > target + 1e-12) over++;
    }
  return { over, days };
}

export interface FloorJudgement {
  cxoShare: number;
  progressiveShare: number;
  /** cxo's share less progressive's, in points of share (0.004 = 0.4 pp). */
  excess: number;
  met: boolean;
}

/** cxo's share of days over against progressive's on the same seeds: met when ≤ theirs + the margin. */
export function judgeFloorCell(
  cxo: DaysOver,
  progressive: DaysOver,
  margin: number = FLOOR_RULE_MARGIN,
): FloorJudgement {
  const share = (d: DaysOver) => (d.days > 0 ? d.over / d.days : 0);
  const cxoShare = share(cxo);
  const progressiveShare = share(progressive);
  const excess = cxoShare - progressiveShare;
  // The tolerance keeps a share exactly one point over (3 of 300 against 0 of 300) met.
  return { cxoShare, progressiveShare, excess, met: excess <= margin + 1e-12 };
}
