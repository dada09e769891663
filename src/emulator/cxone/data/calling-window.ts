import { IANAZone } from "luxon";

/**
 * When a real tenant's history could have called whom (issue 64 §2): a production tenant dials a
 * number only inside its called party's calling window, so its completed contacts bunch in the
 * called zones' days, and who answers depends on the local hour and weekday. The warehouse draws
 * each contact's start from the time some called zone is open and its number from the zones open
 * then, and its answer from the local hour and weekday.
 *
 * The area codes are ones whose every calling rule is the federal 08:00–21:00 local on every day
 * (not Texas, Florida, Minnesota or Nova Scotia, whose stricter state or provincial hours would
 * need the rule table here), spread so that at every UTC half hour but 11:00–12:00 one of them is
 * open: Guam closes at 11:00 UTC and Puerto Rico opens at 12:00, and no single-zone NANP area
 * code is inside 08:00–21:00 between. test/emulator/cxone/calling-window.test.ts checks each
 * generated contact against the compliance engine itself.
 */
export const CALLED_AREAS: readonly { npa: string; zone: string }[] = [
  { npa: "212", zone: "America/New_York" },
  { npa: "303", zone: "America/Denver" },
  { npa: "415", zone: "America/Los_Angeles" },
  { npa: "787", zone: "America/Puerto_Rico" },
  { npa: "808", zone: "Pacific/Honolulu" },
  { npa: "671", zone: "Pacific/Guam" },
];

/** Every offset of these zones is a whole half hour, so a UTC half hour is one local half hour. */
const SLOT_MS = 30 * 60_000;
const OPEN_FROM_MIN = 8 * 60;
const OPEN_UNTIL_MIN = 21 * 60;

export interface OpenArea {
  npa: string;
  /** Local hour (0–23) and ISO weekday (1 = Monday … 7 = Sunday) at the slot's start. */
  hour: number;
  weekday: number;
}

/**
 * A zone's offset at a slot's start, remembered: every emulator start and every reset (the admin
 * route, called between tests) walks the history's slots again, mostly the same ones, and each
 * Luxon offset is an Intl formatToParts (~0.7 s of CPU a reset of a 30-day history on a loaded
 * machine). Forgotten wholesale past a bound, so a long-running emulator does not grow.
 */
const offsets = new Map<string, number>();
const OFFSETS_KEPT = 200_000;

function offsetAt(zone: IANAZone, slotMs: number): number {
  const key = `${zone.name}@${slotMs}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    if (offsets.size >= OFFSETS_KEPT) offsets.clear();
    offset = zone.offset(slotMs);
    offsets.set(key, offset);
  }
  return offset;
}

/**
 * The half-hour slots of [startMs, endMs) in which some called area is open, as a piecewise map
 * from "open time" (the sum of open slots' lengths) to the instant, so contacts spread evenly
 * over open time land only in open slots and stay in start order.
 */
export class CallingWindows {
  private readonly slotStarts: number[] = [];
  /** Open time before each kept slot (its clipped start in open time). */
  private readonly before: number[] = [];
  private readonly lengths: number[] = [];
  private readonly open: OpenArea[][] = [];
  readonly openMs: number;

  /** `anyHour`: every slot counts as open, each area with its local hour (option `history`). */
  constructor(startMs: number, endMs: number, anyHour = false) {
    const zones = CALLED_AREAS.map((a) => IANAZone.create(a.zone));
    let sum = 0;
    for (let slot = Math.floor(startMs / SLOT_MS) * SLOT_MS; slot < endMs; slot += SLOT_MS) {
      const areas: OpenArea[] = [];
      CALLED_AREAS.forEach((area, i) => {
        const local = new Date(slot + offsetAt(zones[i] as IANAZone, slot) * 60_000);
        const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
        if (anyHour || (minute >= OPEN_FROM_MIN && minute + 30 <= OPEN_UNTIL_MIN))
          areas.push({ npa: area.npa, hour: local.getUTCHours(), weekday: local.getUTCDay() || 7 });
      });
      if (areas.length === 0) continue;
      const from = Math.max(slot, startMs);
      const length = Math.min(slot + SLOT_MS, endMs) - from;
      if (length <= 0) continue;
      this.slotStarts.push(from);
      this.before.push(sum);
      this.lengths.push(length);
      this.open.push(areas);
      sum += length;
    }
    this.openMs = sum;
  }

  /** The instant `u` ms of open time after the start (0 ≤ u < openMs). */
  instantAt(u: number): number {
    const i = this.indexBy(this.before, u);
    return (
      (this.slotStarts[i] as number) +
      Math.min(u - (this.before[i] as number), (this.lengths[i] as number) - 1)
    );
  }

  /** The areas open at an instant `instantAt` returned. */
  openAt(ms: number): OpenArea[] {
    return this.open[this.indexBy(this.slotStarts, ms)] as OpenArea[];
  }

  /** The last index whose value is ≤ x (0 when none). */
  private indexBy(values: number[], x: number): number {
    let lo = 0;
    let hi = values.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if ((values[mid] as number) <= x) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/**
 * The share of dialled calls a person answers, by the called party's local hour and weekday:
 * few in the working morning, more at lunch and most in the early evening; Saturdays answer
 * better through the day and Sundays worse (the shape published answer-rate studies show).
 */
export function answerRate(hour: number, weekday: number): number {
  const byHour = hour < 10 ? 0.18 : hour < 12 ? 0.24 : hour < 14 ? 0.3 : hour < 17 ? 0.24 : 0.4;
  const byDay = weekday === 6 ? 1.25 : weekday === 7 ? 0.7 : 1;
  return byHour * byDay;
}
