import { readFileSync } from "node:fs";
import { InputError } from "../input-error.ts";
import {
  type ClockSetting,
  checkedClockSetting,
  checkedReading,
  formatClockSetting,
  LATEST_CLOCK_MS,
  parseClockSetting,
} from "./setting.ts";

/**
 * The process's clock: `installClock` replaces the global `Date` with one that reads the
 * setting's time, so every `Date.now()`, `new Date()` and luxon `DateTime.now()` in the process —
 * calling hours, freshness rules, tokens' expiry, audit timestamps, the emulators' dialers —
 * reads the same clock without each module being handed one. Durations and deadlines are measured
 * on `performance.now()` (core/clock/clock.ts) and leases on the database's clock, so they stay
 * real whatever the setting; schedules (a poll every 5 minutes) run on `scheduleClock`, which
 * follows the setting's speed.
 */
const RealDate: DateConstructor = globalThis.Date;

/** The machine's wall clock, whatever clock is installed (Standard Webhooks' timestamps, logs' real time). */
export function realNowMs(): number {
  return RealDate.now();
}

interface Installed {
  /** As given (a stepped clock's is its file, whose clock is in the fields below). */
  setting: ClockSetting;
  /** Simulated ms at real ms `anchorMs`, then `rate` simulated ms per real ms. */
  atMs: number;
  anchorMs: number;
  rate: number;
  previous: DateConstructor;
}

const stack: Installed[] = [];

/** How often a stepped clock's file is looked at (a step is read within this much real time). */
export const CLOCK_FILE_POLL_MS = 50;

/** The anchored running clock a stepped clock's file holds; anything else is an InputError naming `field`. */
function readClockFile(
  file: string,
  field: string,
): { text: string; clock: { atMs: number; anchorMs: number; rate: number } } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError({
      field,
      rule: `the stepped clock's file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    });
  }
  const held = parseClockSetting(text, `${field} (${file})`);
  if (held.kind !== "running" || held.anchorMs === undefined)
    throw new InputError({
      field: `${field} (${file})`,
      rule: `a stepped clock's file holds an anchored running clock, <instant>@x<N>~<anchor> (got "${text.trim()}")`,
    });
  return { text, clock: { atMs: held.atMs, anchorMs: held.anchorMs, rate: held.rate } };
}

/** The undo of each followed file (restoreWallClock stops them all). */
const following = new Set<() => void>();

/**
 * Follows a stepped clock's file: when its text changes, `entry` reads the new clock from then on.
 * The file is read every CLOCK_FILE_POLL_MS and its text compared with the last one taken (not
 * its stat: a rewrite in the same millisecond as the install, or onto a reused inode of the same
 * size, would be missed). The clock never goes back: a new value that reads earlier than the
 * clock does now, or one that cannot be read, is ignored and said on stderr (the process keeps
 * the file's last good clock). Answers the undo.
 */
function followClockFile(entry: Installed, file: string, field: string, text: string): () => void {
  let last = text;
  const look = () => {
    let now: string;
    try {
      now = readFileSync(file, "utf8");
    } catch {
      return; // Between a driver's write and its rename, or gone: the clock goes on as it was.
    }
    if (now === last) return;
    last = now;
    let next: { atMs: number; anchorMs: number; rate: number };
    try {
      next = readClockFile(file, field).clock;
    } catch (error) {
      process.stderr.write(
        `cxo: ${error instanceof Error ? error.message : String(error)}: the clock goes on as it was\n`,
      );
      return;
    }
    const realNow = RealDate.now();
    if (
      next.atMs + (realNow - next.anchorMs) * next.rate <
      entry.atMs + (realNow - entry.anchorMs) * entry.rate
    ) {
      process.stderr.write(
        `cxo: ${field} (${file}) reads earlier than the clock does now: ignored, a clock does not go back\n`,
      );
      return;
    }
    Object.assign(entry, next);
  };
  const timer = setInterval(look, CLOCK_FILE_POLL_MS);
  // The clock alone keeps no process alive.
  timer.unref();
  const stop = () => {
    clearInterval(timer);
    following.delete(stop);
  };
  following.add(stop);
  return stop;
}

function simulatedDate(now: () => number): DateConstructor {
  class SimulatedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(now());
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return now();
    }
  }
  return SimulatedDate as DateConstructor;
}

/**
 * Installs `setting` (a ClockSetting or its text; anything else is an InputError) as this process's clock and answers the setting as installed (a running
 * clock given without an anchor is anchored now, at the real instant) and an undo that restores
 * the clock before it. The wall setting installs nothing. Installs nest: each undo restores its
 * predecessor.
 */
export function installClock(
  given: ClockSetting | string,
  field = "setting",
): { setting: ClockSetting; uninstall: () => void } {
  const setting = checkedClockSetting(given, field);
  if (setting.kind === "wall") return { setting, uninstall: () => undefined };
  const realNow = RealDate.now();
  let entry: Installed;
  let fileText = "";
  if (setting.kind === "file") {
    const held = readClockFile(setting.path, field);
    fileText = held.text;
    entry = { setting, ...held.clock, previous: globalThis.Date };
  } else {
    const anchored: ClockSetting =
      setting.kind === "running" && setting.anchorMs === undefined
        ? { ...setting, anchorMs: realNow }
        : setting;
    entry = {
      setting: anchored,
      atMs: anchored.atMs,
      anchorMs: anchored.kind === "running" ? (anchored.anchorMs as number) : realNow,
      rate: anchored.kind === "running" ? anchored.rate : 1,
      previous: globalThis.Date,
    };
  }
  // A clock that reads no real instant now is refused before it is installed (exit 2).
  checkedReading(entry, realNow, field);
  const stopFollowing =
    setting.kind === "file" ? followClockFile(entry, setting.path, field, fileText) : undefined;
  // Whole milliseconds, as the wall clock's: a fractional Date.now() breaks integer columns.
  globalThis.Date = simulatedDate(() => {
    const reading = Math.floor(entry.atMs + (RealDate.now() - entry.anchorMs) * entry.rate);
    // A running clock that has since run past the last instant fails every reader, never one
    // that would judge a call at no instant.
    if (reading > LATEST_CLOCK_MS)
      throw new Error(
        `the clock ${formatClockSetting(entry.setting)} has run past 9999-12-31: restart with a nearer instant`,
      );
    return reading;
  });
  stack.push(entry);
  let undone = false;
  return {
    setting: entry.setting,
    uninstall() {
      if (undone) return;
      undone = true;
      stopFollowing?.();
      const index = stack.indexOf(entry);
      // Already undone by restoreWallClock: the clock in force now is another's, left as it is.
      if (index < 0) return;
      // Undone out of order (a test's restore after a command's): the later one keeps its Date.
      if (index === stack.length - 1) globalThis.Date = entry.previous;
      else (stack[index + 1] as Installed).previous = entry.previous;
      stack.splice(index, 1);
    },
  };
}

/**
 * Every installed clock undone at once: the wall clock again. For a host that runs one job after
 * another in one process (a test runner's worker), where a job that failed before its own undo
 * must not leave its clock to the next.
 */
export function restoreWallClock(): void {
  for (const stop of following.values()) stop();
  stack.length = 0;
  globalThis.Date = RealDate;
}

/** The clock in force: its setting (anchored) and its speed (1 for the wall and fixed clocks). */
export function currentClock(): { setting: ClockSetting; rate: number; text: string } {
  const top = stack.at(-1);
  const setting: ClockSetting = top?.setting ?? { kind: "wall" };
  return { setting, rate: top?.rate ?? 1, text: formatClockSetting(setting) };
}

/**
 * The clock in force as the value to hand a process this one starts, so that it reads the same
 * time: a fixed clock is handed on as a running clock at x1 anchored where this one's started
 * (the child must not start again at the fixed instant); undefined for the wall clock.
 */
export function clockForChildren(): string | undefined {
  const top = stack.at(-1);
  if (!top) return undefined;
  // A stepped clock: the children follow the same file.
  if (top.setting.kind === "file") return formatClockSetting(top.setting);
  return formatClockSetting({
    kind: "running",
    at: new RealDate(top.atMs).toISOString(),
    atMs: top.atMs,
    rate: top.rate,
    anchorMs: top.anchorMs,
  });
}

/** The clock in force as a document (`cxo clock --json`, the emulators' `GET /_emulator/clock`). */
export function clockDocument(): {
  now: string;
  kind: ClockSetting["kind"];
  rate: number;
  setting: string | null;
} {
  const { setting, rate, text } = currentClock();
  return {
    now: new Date().toISOString(),
    kind: setting.kind,
    rate,
    setting: setting.kind === "wall" ? null : text,
  };
}
