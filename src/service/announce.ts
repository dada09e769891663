import type { Logger } from "../core/logging/index.ts";

/**
 * A line the service says about the work it does unattended (an autopilot step): what an
 * operator watching `cxo serve` must see whatever the log level (the service ran
 * steps that no line showed). `ok: false` is a step that failed.
 */
export interface Announcement {
  ok: boolean;
  fields: Record<string, string>;
  text: string;
}

export type Announce = (line: Announcement) => void;

/** The default: the logger, at info (a step that failed at warn). */
export function loggerAnnounce(logger: Logger): Announce {
  return (line) => logger[line.ok ? "info" : "warn"](line.fields, line.text);
}
