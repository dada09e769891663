import type { ContactWarehouse } from "./contacts.ts";

/**
 * How long after its start a generated contact's own lastUpdateTime can be, at most
 * (`ContactWarehouse.generated`: ≤ 737 s of queue, talk, wrap-up, hold and ring, then ≤ 30 s
 * more). A scan therefore knows that lastUpdateTime is in [start, start + this] without building
 * the contact. Changed contacts (overrides) and contacts that ended during the run are not bound
 * by it: they are always built.
 */
export const NATURAL_UPDATE_LAG_MS = 15 * 60_000;

/** What a scan query asks, as `ContactWarehouse.scanQuery` has resolved it. */
export interface ScanRange {
  /** Positions [lo, hi) in start order: the query's start-date and visibility bounds. */
  lo: number;
  hi: number;
  /** Changed or ended contacts before `lo` that may still match (a late lastUpdateTime). */
  early: readonly number[];
  /** The skills kept. */
  skillIds: ReadonlySet<number>;
  /** lastUpdateTime must be at or after this (updatedSince, a startDate on lastUpdateTime). */
  updatedFrom: number;
  /** lastUpdateTime must be before this (an endDate on lastUpdateTime; inclusive or not). */
  updatedTo: number | null;
  /** The query's whole filter, on a built contact. */
  matches: (position: number) => boolean;
}

/**
 * A scan query without an agent filter, answered without building every contact of [lo, hi):
 * the generated contacts that started well inside the lastUpdateTime bounds match by their skill
 * slot alone (arithmetic), those that started well before the lower bound cannot match, and only
 * the rest (a band of `NATURAL_UPDATE_LAG_MS` at each bound, changed and ended contacts) is
 * built. Each page of an incremental listing (keyed on updatedSince, so every page is a new
 * query) cost the whole range twice before: 60 pages of a 60,000-contact tenant, 5 s of the
 * emulator's CPU for one first read of agents' dispositions.
 */
export class BoundedScan {
  private readonly w: ContactWarehouse;
  private readonly r: ScanRange;
  /** Slots (position % skill count) whose skill is kept. */
  private readonly slots: number[] = [];
  /** Generated positions: [lo, a) cannot match, [a, b) and [c, genHi) are built, [b, c) match by slot. */
  private readonly a: number;
  private readonly b: number;
  private readonly c: number;
  private readonly genHi: number;
  /** Changed contacts (from `lo` on), ended ones, and `early`: always built, in position order. */
  private readonly special: number[];
  private readonly changed = new Set<number>();

  constructor(w: ContactWarehouse, r: ScanRange) {
    this.w = w;
    this.r = r;
    w.skillIds.forEach((id, slot) => {
      if (r.skillIds.has(id)) this.slots.push(slot);
    });
    const genHi = Math.min(r.hi, w.total);
    const clamp = (p: number) => Math.min(Math.max(p, r.lo), genHi);
    const from = r.updatedFrom;
    this.genHi = genHi;
    this.a = from === Number.NEGATIVE_INFINITY ? r.lo : clamp(w.firstAt(from - NATURAL_UPDATE_LAG_MS));
    this.b = from === Number.NEGATIVE_INFINITY ? r.lo : Math.max(this.a, clamp(w.firstAt(from)));
    this.c =
      r.updatedTo === null ? genHi : Math.max(this.b, clamp(w.firstAt(r.updatedTo - NATURAL_UPDATE_LAG_MS)));
    for (const id of w.overrides.keys()) {
      const p = w.positionOf(id);
      if (p >= r.lo && p < genHi) this.changed.add(p);
    }
    const special = new Set<number>([...r.early, ...this.changed]);
    for (let p = Math.max(r.lo, w.total); p < r.hi; p++) special.add(p);
    this.special = [...special].sort((x, y) => x - y);
  }

  /** Every match of the query. */
  count(): number {
    const { r } = this;
    let total = 0;
    for (const p of this.special) if (r.matches(p)) total++;
    total += this.slotCount(this.b, this.c);
    for (const p of this.changed) if (p >= this.b && p < this.c && this.slotKept(p)) total--;
    for (let p = this.a; p < this.b; p++) if (!this.changed.has(p) && r.matches(p)) total++;
    for (let p = this.c; p < this.genHi; p++) if (!this.changed.has(p) && r.matches(p)) total++;
    return total;
  }

  /**
   * Matches [first, first + count) in lastUpdateTime order (ties by position): the changed and
   * ended ones, then generated contacts in start order until the next one starts after the
   * `first + count`-th lastUpdateTime found (it, and every later one, can only come after it).
   */
  inChangeOrder(first: number, count: number): number[] {
    const { w, r } = this;
    const need = first + count;
    const found: Array<[number, number]> = [];
    for (const p of this.special) if (r.matches(p)) found.push([w.facts(p).lastUpdateMs, p]);
    let threshold = Number.POSITIVE_INFINITY;
    const settle = () => {
      found.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      if (found.length > need) found.length = need;
      if (found.length === need) threshold = (found[need - 1] as [number, number])[0];
    };
    settle();
    for (let p = this.a; p < this.genHi; p++) {
      if (w.startMs(p) > threshold) break;
      if (this.changed.has(p)) continue;
      const sure = p >= this.b && p < this.c;
      if (sure ? !this.slotKept(p) : !r.matches(p)) continue;
      found.push([w.facts(p).lastUpdateMs, p]);
      if (found.length >= 2 * need) settle();
    }
    settle();
    return found.slice(first, first + count).map(([, p]) => p);
  }

  private slotKept(p: number): boolean {
    return this.r.skillIds.has(this.w.skillIds[p % this.w.skillIds.length] as number);
  }

  /** Generated positions in [from, to) whose slot is kept. */
  private slotCount(from: number, to: number): number {
    if (from >= to) return 0;
    const S = this.w.skillIds.length;
    const below = (x: number, s: number) => (x <= s ? 0 : Math.floor((x - s - 1) / S) + 1);
    return this.slots.reduce((sum, s) => sum + below(to, s) - below(from, s), 0);
  }
}
