import path from "node:path";
import { InputError } from "../input-error.ts";
import { zonedInstantMs, zonedInstantProblem } from "../instant-input.ts";

/**
 * The one clock every cxo process reads (`CXO_CLOCK`, `--clock`): unset is the machine's wall
 * clock; an ISO instant with an offset is a FIXED clock (the process's clock starts at that
 * instant and runs on in real time, so waits, timeouts and leases behave); `<instant>@x<N>` is a
 * RUNNING clock that read `<instant>` at its anchor and runs N times faster than the wall from
 * there. The anchor is the real instant at which the running clock read `<instant>`:
 * `<instant>@x<N>~<real instant>`. Processes given the same anchored value read the same time
 * whenever each started; one given no anchor anchors at its own start and passes the anchored
 * value on to every process it starts (docs/clock.md). `file:<absolute path>` is a STEPPED clock:
 * the anchored running clock the file holds, followed when the file is rewritten.
 */
export type ClockSetting =
  | { kind: "wall" }
  | { kind: "fixed"; atMs: number; at: string }
  | { kind: "running"; atMs: number; at: string; rate: number; anchorMs?: number }
  /**
   * A STEPPED clock: `file:<absolute path>`, a file that holds an anchored running clock
   * (`<instant>@x<N>~<anchor>`). Every process given it reads the file's clock and follows the
   * file when it is rewritten: whoever drives a simulated day (a test, a bench) steps it forward
   * over a stretch in which nothing is due instead of waiting that stretch out (docs/clock.md).
   */
  | { kind: "file"; path: string };

/** At most a year of simulated time per real second: beyond that, timers cannot follow. */
export const MAX_RATE = 31_536_000;

const RATE = /^x(\d+(\.\d+)?)$/;
/** A stepped clock's text: `file:` and the absolute path of the file that holds the clock. */
const FILE_PREFIX = "file:";

/**
 * The last instant a clock may read: 9999-12-31T23:59:59.999Z. Past it a year has five digits
 * (ISO text no reader takes back) and, further on, a Date is invalid: every rule's dates compare
 * false with NaN, which would judge a call under no rule at all (Low).
 */
export const LATEST_CLOCK_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

// An ISO 8601 instant with a zone (core/instant-input.ts): a clock without an offset would read
// differently in each process's zone, and an impossible day ("2026-02-31") is refused, not moved.
function instantMs(text: string, field: string, what: string): number {
  const ms = zonedInstantMs(text);
  if (ms === undefined) throw new InputError({ field, rule: `${what} ${zonedInstantProblem(text)}` });
  return ms;
}

/**
 * What a clock reads at real instant `realMs`: a running clock's instant plus the real time since
 * its anchor times its speed. An InputError naming `field` when that is not an instant between
 * 1970 and the end of year 9999 (an anchor long ago at a high speed overflows).
 */
export function checkedReading(
  setting: { atMs: number; rate: number; anchorMs: number },
  realMs: number,
  field: string,
): number {
  const reading = Math.floor(setting.atMs + (realMs - setting.anchorMs) * setting.rate);
  if (!Number.isFinite(reading) || reading < 0 || reading > LATEST_CLOCK_MS)
    throw new InputError({
      field,
      rule: `reads ${Number.isFinite(reading) ? `${reading} ms since 1970` : "no instant"} now, outside 1970 to 9999-12-31: not a real instant (its speed from its anchor overflows); give a nearer anchor or a lower speed`,
    });
  return reading;
}

/**
 * Reads a clock setting; `field` names where it came from (`CXO_CLOCK`, `--clock`) in the error.
 * An empty or absent value is the wall clock; anything malformed is an InputError (exit 2).
 */
export function parseClockSetting(value: string | undefined, field = "CXO_CLOCK"): ClockSetting {
  if (value !== undefined && value !== null && typeof value !== "string")
    throw new InputError({
      field,
      rule: `must be text, an ISO instant with an offset, <instant>@x<N> or file:<path> (got ${typeof value})`,
    });
  const text = value?.trim() ?? "";
  if (text === "" || text === "wall") return { kind: "wall" };
  if (text.startsWith(FILE_PREFIX)) {
    const file = text.slice(FILE_PREFIX.length);
    if (!path.isAbsolute(file))
      throw new InputError({
        field,
        rule: `a stepped clock is file:<absolute path> (every process must read the same file; got "${text}")`,
      });
    return { kind: "file", path: file };
  }
  const [instantPart = "", ratePart, ...extra] = text.split("@");
  if (extra.length > 0)
    throw new InputError({
      field,
      rule: `one "@x<N>" at most: <instant> or <instant>@x<N>[~<anchor>] (got "${text}")`,
    });
  const atMs = instantMs(instantPart, field, "the instant");
  if (ratePart === undefined) return { kind: "fixed", atMs, at: instantPart };
  const [rateText = "", anchorText, ...more] = ratePart.split("~");
  const rateMatch = RATE.exec(rateText);
  const rate = rateMatch ? Number(rateMatch[1]) : Number.NaN;
  if (!rateMatch || !(rate > 0) || rate > MAX_RATE || more.length > 0)
    throw new InputError({
      field,
      rule: `the speed after "@" must be x<N>, N > 0 and at most ${MAX_RATE} (got "@${ratePart}")`,
    });
  const setting: ClockSetting = { kind: "running", atMs, at: instantPart, rate };
  if (anchorText !== undefined) setting.anchorMs = instantMs(anchorText, field, "the anchor after ~");
  return setting;
}

/** The setting as text `parseClockSetting` reads back (an anchored running clock keeps its anchor). */
export function formatClockSetting(setting: ClockSetting): string {
  if (setting.kind === "wall") return "wall";
  if (setting.kind === "file") return `${FILE_PREFIX}${setting.path}`;
  if (setting.kind === "fixed") return setting.at;
  const anchor = setting.anchorMs === undefined ? "" : `~${new Date(setting.anchorMs).toISOString()}`;
  return `${setting.at}@x${setting.rate}${anchor}`;
}

/**
 * A setting given as an object (the SDK's `installClock`), checked as strictly as the text: a
 * malformed one would give every reader of the date in the process NaN.
 */
export function checkedClockSetting(value: unknown, field = "setting"): ClockSetting {
  if (typeof value === "string") return parseClockSetting(value, field);
  const v = value as Partial<Record<string, unknown>> | null;
  if (typeof v !== "object" || v === null)
    throw new InputError({ field, rule: "must be a clock setting (parseClockSetting's answer) or its text" });
  if (v.kind === "wall") return { kind: "wall" };
  if (v.kind === "file") {
    if (typeof v.path !== "string")
      throw new InputError({ field: `${field}.path`, rule: "the clock file's absolute path" });
    return parseClockSetting(`${FILE_PREFIX}${v.path}`, field);
  }
  const at = typeof v.at === "string" ? v.at : undefined;
  const atMs = typeof v.atMs === "number" && Number.isFinite(v.atMs) ? v.atMs : undefined;
  if ((v.kind !== "fixed" && v.kind !== "running") || at === undefined || atMs === undefined)
    throw new InputError({ field, rule: "must be a clock setting (parseClockSetting's answer) or its text" });
  if (v.kind === "fixed") return { kind: "fixed", at, atMs };
  const rate = v.rate;
  if (typeof rate !== "number" || !(rate > 0) || rate > MAX_RATE)
    throw new InputError({ field: `${field}.rate`, rule: `a number above 0 and at most ${MAX_RATE}` });
  const anchorMs = v.anchorMs;
  if (anchorMs !== undefined && !(typeof anchorMs === "number" && Number.isFinite(anchorMs)))
    throw new InputError({ field: `${field}.anchorMs`, rule: "epoch milliseconds, or absent" });
  return { kind: "running", at, atMs, rate, ...(anchorMs === undefined ? {} : { anchorMs }) };
}
