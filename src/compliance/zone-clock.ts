import { IANAZone, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from "luxon";
import { INDIANA_ZONES } from "./geography.ts";

/**
 * Local time in the NANP zones without Intl, for a process that checks one number and exits.
 *
 * luxon reads a zone's offset through Intl.DateTimeFormat, and V8 builds the list of every
 * locale ICU has the first time any Intl formatter is made in a process: ~115 M instructions,
 * more than `node -e 0` takes in all, and a quarter of `cxo compliance check`, the command a
 * dialing script runs once per number. The same ICU time-zone data answers through the Date
 * object's local time, which costs no locale list: with process.env.TZ set to the zone (Node
 * re-reads it on assignment), `getTimezoneOffset()` is the zone's offset at that instant, the
 * offset Intl would give (test/compliance/zone-clock.test.ts compares the two for every
 * zone below, on each side of every transition from 2000 to 2050).
 *
 * TZ is set and restored around each reading, synchronously, so no other JavaScript sees it; a
 * long-running process (cxo serve, a scrub) keeps luxon's own zones, since it pays Intl's cost
 * once and reads offsets far more often. `useProcessClockZones()` turns this on (the CLI's
 * `compliance check` does); zones not listed here always use luxon's IANAZone.
 */

/**
 * The zones the compliance tables name (phone prefixes, states and provinces, overrides): a test
 * checks that every zone of those tables is listed, and that each is a zone ICU knows.
 */
export const NANP_ZONES: ReadonlySet<string> = new Set([
  "America/Adak",
  "America/Anchorage",
  "America/Anguilla",
  "America/Antigua",
  "America/Atikokan",
  "America/Barbados",
  "America/Blanc-Sablon",
  "America/Boise",
  "America/Cambridge_Bay",
  "America/Cayman",
  "America/Chicago",
  "America/Creston",
  "America/Dawson",
  "America/Dawson_Creek",
  "America/Denver",
  "America/Detroit",
  "America/Dominica",
  "America/Edmonton",
  "America/Fort_Nelson",
  "America/Glace_Bay",
  "America/Goose_Bay",
  "America/Grand_Turk",
  "America/Grenada",
  "America/Halifax",
  ...INDIANA_ZONES,
  "America/Inuvik",
  "America/Iqaluit",
  "America/Jamaica",
  "America/Juneau",
  "America/Kentucky/Louisville",
  "America/Kentucky/Monticello",
  "America/Los_Angeles",
  "America/Lower_Princes",
  "America/Menominee",
  "America/Metlakatla",
  "America/Moncton",
  "America/Montserrat",
  "America/Nassau",
  "America/New_York",
  "America/Nome",
  "America/North_Dakota/Beulah",
  "America/North_Dakota/Center",
  "America/North_Dakota/New_Salem",
  "America/Phoenix",
  "America/Port_of_Spain",
  "America/Puerto_Rico",
  "America/Rankin_Inlet",
  "America/Regina",
  "America/Resolute",
  "America/Santo_Domingo",
  "America/Sitka",
  "America/St_Johns",
  "America/St_Kitts",
  "America/St_Lucia",
  "America/St_Thomas",
  "America/St_Vincent",
  "America/Swift_Current",
  "America/Toronto",
  "America/Tortola",
  "America/Vancouver",
  "America/Whitehorse",
  "America/Winnipeg",
  "America/Yakutat",
  "Atlantic/Bermuda",
  "Pacific/Guam",
  "Pacific/Honolulu",
  "Pacific/Pago_Pago",
  "Pacific/Saipan",
]);

/** Before this instant (local mean times, offsets in seconds) luxon's own zone answers. */
const FROM_MS = Date.UTC(1900, 0, 1);

function formatOffset(offset: number, format: ZoneOffsetFormat): string {
  const hours = Math.trunc(Math.abs(offset / 60));
  const minutes = Math.trunc(Math.abs(offset % 60));
  const sign = offset >= 0 ? "+" : "-";
  const two = (n: number) => String(n).padStart(2, "0");
  if (format === "short") return `${sign}${two(hours)}:${two(minutes)}`;
  if (format === "narrow") return `${sign}${hours}${minutes > 0 ? `:${minutes}` : ""}`;
  if (format === "techie") return `${sign}${two(hours)}${two(minutes)}`;
  throw new RangeError(`Value format ${format} is out of range for property format`);
}

/** The zone's offset (minutes east of UTC) at `ms`, read through the Date object's local time. */
export function processClockOffset(zone: string, ms: number): number {
  const env = process.env;
  const saved = env.TZ;
  env.TZ = zone;
  try {
    const offset = -new Date(ms).getTimezoneOffset();
    return offset === 0 ? 0 : offset;
  } finally {
    if (saved === undefined) delete env.TZ;
    else env.TZ = saved;
  }
}

/** A luxon zone equal to `IANAZone.create(name)` but for where its offsets come from. */
class ProcessClockZone extends Zone {
  readonly #name: string;
  #intl: IANAZone | undefined;

  constructor(name: string) {
    super();
    this.#name = name;
  }

  private get intl(): IANAZone {
    this.#intl ??= IANAZone.create(this.#name);
    return this.#intl;
  }

  override get type(): string {
    return "iana";
  }

  override get name(): string {
    return this.#name;
  }

  get ianaName(): string {
    return this.#name;
  }

  override get isUniversal(): boolean {
    return false;
  }

  override get isValid(): boolean {
    return true;
  }

  override offsetName(ts: number, options: ZoneOffsetOptions): string | null {
    return this.intl.offsetName(ts, options);
  }

  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return formatOffset(this.offset(ts), format);
  }

  override offset(ts: number): number {
    if (!Number.isFinite(ts)) return Number.NaN;
    if (ts < FROM_MS) return this.intl.offset(ts);
    return processClockOffset(this.#name, ts);
  }

  override equals(other: Zone): boolean {
    return other.type === "iana" && other.name === this.#name;
  }
}

/** A quarter of an hour: every offset in use is a whole number of them. */
const BUCKET_MS = 15 * 60_000;
const MAX_BUCKETS = 100_000;

/**
 * A NANP zone whose offsets are remembered per quarter hour (UTC): a run that judges a million
 * calls asks a zone's offset at a million instants, each an Intl (or process clock) reading —
 * a tenth of an evidence run's time. A quarter hour is remembered only when its first and last
 * millisecond have the same offset (no transition inside it: a zone changes its offset at most a
 * few times a year, never twice within a quarter hour); one with a transition is asked each time.
 * So each answer is the zone's own (test/compliance/zone-clock.test.ts: on each side of
 * every transition, 2000 to 2050).
 */
class QuarterHourZone extends Zone {
  readonly #inner: Zone;
  readonly #buckets = new Map<number, number | null>();
  #lastBucket = Number.NaN;
  #lastOffset = 0;

  constructor(inner: Zone) {
    super();
    this.#inner = inner;
  }

  override get type(): string {
    return this.#inner.type;
  }

  override get name(): string {
    return this.#inner.name;
  }

  get ianaName(): string {
    return this.#inner.name;
  }

  override get isUniversal(): boolean {
    return false;
  }

  override get isValid(): boolean {
    return this.#inner.isValid;
  }

  override offsetName(ts: number, options: ZoneOffsetOptions): string | null {
    return this.#inner.offsetName(ts, options);
  }

  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return formatOffset(this.offset(ts), format);
  }

  override offset(ts: number): number {
    if (!Number.isFinite(ts)) return Number.NaN;
    const bucket = Math.floor(ts / BUCKET_MS);
    if (bucket === this.#lastBucket) return this.#lastOffset;
    let known = this.#buckets.get(bucket);
    if (known === undefined) {
      const start = bucket * BUCKET_MS;
      const first = this.#inner.offset(start);
      known = first === this.#inner.offset(start + BUCKET_MS - 1) ? first : null;
      if (this.#buckets.size >= MAX_BUCKETS) this.#buckets.clear();
      this.#buckets.set(bucket, known);
    }
    if (known === null) return this.#inner.offset(ts);
    this.#lastBucket = bucket;
    this.#lastOffset = known;
    return known;
  }

  override equals(other: Zone): boolean {
    return other.type === "iana" && other.name === this.#inner.name;
  }
}

let enabled = false;
const zones = new Map<string, QuarterHourZone>();
const intlZones = new Map<string, QuarterHourZone>();

/** From now on, NANP zones read their offsets through the process clock (see above). */
export function useProcessClockZones(on = true): void {
  enabled = on;
}

/**
 * What to hand luxon for a zone name: for a NANP zone, that zone with its offsets remembered per
 * quarter hour, read through the process clock when that is on, else through Intl (luxon's
 * IANAZone); any other zone by its name (luxon's IANAZone).
 */
export function zoneFor(name: string): string | Zone {
  if (!NANP_ZONES.has(name)) return name;
  const made = enabled ? zones : intlZones;
  let zone = made.get(name);
  if (!zone) {
    zone = new QuarterHourZone(enabled ? new ProcessClockZone(name) : IANAZone.create(name));
    made.set(name, zone);
  }
  return zone;
}

/**
 * The locale of the engine's DateTimes: output is ISO text and numbers only, so any locale gives
 * the same; naming one spares luxon asking Intl for the system's (the same ~115 M instructions).
 */
export const ENGINE_LOCALE = "en-US";
