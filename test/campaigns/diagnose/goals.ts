import { expect } from "vitest";

/** One injected run's verdict, as both emulators' property tests record it. */
export interface RunVerdict {
  faults: readonly string[];
  top: readonly string[];
  topRight: boolean;
  missing: readonly string[];
  falseDialing: boolean;
}

/**
 * Issue 65's goals over the runs: at least 60 of them, the top cause right in ≥ 95%, every true
 * cause listed, never "dialing" while nothing can be dialled. A miss names its faults and causes.
 */
export function expectIssueGoals(results: readonly RunVerdict[]): void {
  expect(results.length).toBeGreaterThanOrEqual(60);
  const right = results.filter((r) => r.topRight).length / results.length;
  expect(
    right,
    JSON.stringify(results.filter((r) => !r.topRight).map((r) => [r.faults, r.top])),
  ).toBeGreaterThanOrEqual(0.95);
  expect(results.filter((r) => r.missing.length > 0)).toEqual([]);
  expect(results.filter((r) => r.falseDialing)).toEqual([]);
}
