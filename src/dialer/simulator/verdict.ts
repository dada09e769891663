/**
 * The planner's reading of a simulated abandonment: within its target when the 95% CI's upper
 * bound is at or under it (a point estimate under the target is not enough). The sweep
 * recommends its largest ratio by the same rule.
 */
export function withinTarget(ci95High: number, target: number): boolean {
  return ci95High <= target;
}
