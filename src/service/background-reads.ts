import type { InternalClient } from "../client.ts";

/**
 * Whether a read that can wait (the consent watcher's sweep of every skill's callbacks, the idle
 * watch's diagnosis of every campaign's lists) may go now: while at least half of the `campaigns`
 * rate group's budget is free. The autopilot's reads, the pushes and the commands spend the same
 * group and cannot wait; on a clock many times faster than the wall (the week bench at x300: a
 * 5-minute watch every second) the background reads took the whole budget and an autopilot run
 * queued behind them — its evening report past the day's end.
 */
export function roomForBackgroundReads(client: Pick<InternalClient, "core">): boolean {
  const group = client.core.limits.get("campaigns");
  return group.free() * 2 >= group.state().currentLimit;
}
