import { HOUR_MS } from "./plan-situation.ts";

/**
 * Planned attempts per hour of the horizon (for the report's chart against capacity): the
 * horizon starts at the first whole hour at or after `from`, as the planner's does.
 */
export class HourCounter {
  readonly startMs: number;
  readonly counts: number[];

  constructor(fromMs: number, days: number) {
    this.startMs = Math.ceil(fromMs / HOUR_MS) * HOUR_MS;
    this.counts = new Array<number>(days * 24).fill(0);
  }

  add(attemptAt: string): void {
    const index = Math.floor((Date.parse(attemptAt) - this.startMs) / HOUR_MS);
    if (index >= 0 && index < this.counts.length) this.counts[index] = (this.counts[index] ?? 0) + 1;
  }
}
