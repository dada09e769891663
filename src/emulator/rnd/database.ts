import { hashString, mix32 } from "../random.ts";

/**
 * The emulated Reassigned Numbers Database's contents and its one rule (docs/emulator-rnd.md).
 *
 * What the RND holds is public (reassigned.us FAQ): every permanently disconnected US number and
 * the date of its MOST RECENT permanent disconnection. What a query answers is the FCC's
 * supplemental guidance (Public Notice DA 21-1637, December 2021): "yes" when the number is in
 * the database and the date asked is the same as or before its disconnection date; "no" when it
 * is in the database with an earlier disconnection, or not in it and the date asked is on or
 * after 27 January 2021 (when every provider had to keep disconnection records); "no data" when
 * it is not in it and the date asked is earlier.
 */

/** The first day every voice provider (small ones included) had to keep disconnection records (DA 21-1637). */
export const RND_DATA_START = "2021-01-27";

export type RndResult = "yes" | "no" | "no data";

/** The answer for one number whose last permanent disconnection was `disconnectedOn` (null: never), asked about `date`. */
export function rndAnswer(disconnectedOn: string | null, date: string): RndResult {
  if (disconnectedOn !== null) return disconnectedOn >= date ? "yes" : "no";
  return date >= RND_DATA_START ? "no" : "no data";
}

const DAY_MS = 86_400_000;

/**
 * The database: numbers set through the admin API, and for every other number a seeded draw (a
 * share `disconnectRate` of all numbers, each on a day between RND_DATA_START and `dataAsOf`),
 * so a world of any size costs no memory and one seed always gives the same answers.
 */
export class RndDatabase {
  private readonly explicit = new Map<string, string | null>();
  private readonly seed: number;
  private readonly rate: number;
  /** The database's date: the last day its disconnections reach (it is updated monthly). */
  dataAsOf: string;

  constructor(options: { seed: number; disconnectRate: number; dataAsOf: string }) {
    this.seed = options.seed;
    this.rate = options.disconnectRate;
    this.dataAsOf = options.dataAsOf;
  }

  /** The last permanent disconnection of a 10-digit number, or null. */
  disconnectedOn(tn: string): string | null {
    if (this.explicit.has(tn)) return this.explicit.get(tn) ?? null;
    const h = mix32(hashString(tn) ^ mix32(this.seed ^ 0x52_4e_44));
    if (h / 0x1_0000_0000 >= this.rate) return null;
    const start = Date.parse(`${RND_DATA_START}T00:00:00Z`);
    const days = Math.max(1, Math.floor((Date.parse(`${this.dataAsOf}T00:00:00Z`) - start) / DAY_MS) + 1);
    const day = mix32(h ^ 0x5bd1e995) % days;
    return new Date(start + day * DAY_MS).toISOString().slice(0, 10);
  }

  /** Sets (a date) or clears (null: never disconnected) what the database holds for a number. */
  set(tn: string, disconnectedOn: string | null): void {
    this.explicit.set(tn, disconnectedOn);
  }

  clear(): void {
    this.explicit.clear();
  }
}

/** The most recent 15th up to `nowMs` (providers report by the 15th of each month). */
export function defaultDataAsOf(nowMs: number): string {
  const now = new Date(nowMs);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const fifteenth = now.getUTCDate() >= 15 ? Date.UTC(y, m, 15) : Date.UTC(y, m - 1, 15);
  return new Date(fifteenth).toISOString().slice(0, 10);
}
