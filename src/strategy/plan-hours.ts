import { HOUR_MS } from "../core/time-units.ts";
import { horizonStartMs } from "./plan-situation.ts";

/**
 * Planned attempts per hour of the horizon (for the report's chart against capacity): the
 * horizon starts where the planner's does (horizonStartMs).
 */
export class HourCounter {
  readonly startMs: number;
  readonly counts: number[];
  /** Attempts by the called party's local hour of the day (0–23), from each row's own offset. */
  readonly localHours: number[] = new Array<number>(24).fill(0);

  constructor(fromMs: number, days: number) {
    this.startMs = horizonStartMs(fromMs);
    this.counts = new Array<number>(days * 24).fill(0);
  }

  add(attemptAt: string): void {
    const index = Math.floor((Date.parse(attemptAt) - this.startMs) / HOUR_MS);
    if (index >= 0 && index < this.counts.length) this.counts[index] = (this.counts[index] ?? 0) + 1;
    // attemptAt is written in the called party's zone (its offset): its clock is their local time.
    const hour = Number(/T(\d{2}):/.exec(attemptAt)?.[1]);
    if (hour >= 0 && hour < 24) this.localHours[hour] = (this.localHours[hour] ?? 0) + 1;
  }
}
