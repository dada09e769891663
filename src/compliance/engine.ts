import { BoundedCache } from "../core/bounded-cache.ts";
import type { Candidates } from "./candidates.ts";
import { isoTextOf, type LocalTime, localTimeOf } from "./local-time.ts";
import { governs } from "./row-scope.ts";
import { type CallingHoursRow, RULE_TABLE, type RuleRow } from "./rule-table.ts";
import { capRowsOf, touchReachOf } from "./rules/caps.ts";
import {
  callingHoursRows,
  callingMargin,
  parseWindow,
  windowTextOn,
  zoneBoundariesOf,
} from "./rules/hours.ts";
import { judgeVerdict } from "./rules/judge.ts";
import { confirmationVerdict } from "./rules/kinds.ts";
import {
  type Calendar,
  type CallingHoursOf,
  candidatesOf,
  DAY_MS,
  type Prepared,
  type Window,
} from "./rules/prepared.ts";
import type { ComplianceInput, Verdict } from "./verdict.ts";
import { VerdictCache } from "./verdict-cache.ts";

/** The engine's options: how many entries each of its caches holds (tests give a tiny bound to exercise eviction). */
export interface ComplianceEngineOptions {
  /** One bound for every cache instead of each one's own (CACHE_LIMITS); 2 or more. */
  cacheLimit?: number | undefined;
  /**
   * The rule book it judges by (default RULE_TABLE): the built-in one with the dates
   * `rules.effectiveDates` moves (effective-dates.ts ruleTableWith). An input's own `ruleTable`
   * (an evidence record replayed with the book it was made under) still wins.
   */
  ruleTable?: readonly RuleRow[] | undefined;
}

/**
 * Each cache's bound (entries), all under one rule (BoundedCache: least recently used first).
 * The verdicts' is above the situations a million-contact list meets (about 30,000 in the
 * emulator's lists): a bound below them recomputes every situation again part way through.
 */
const CACHE_LIMITS = {
  verdicts: 100_000,
  /** The verdict keys' ids of declared zones, states and registry findings. */
  ids: 20_000,
  localTimes: 20_000,
  isoTexts: 20_000,
  /** Governing rows per jurisdictions and scope (a few hundred combinations). */
  governing: 10_000,
  callingHours: 10_000,
  zoneBoundaries: 5_000,
  windows: 1_000,
} as const;

/**
 * The compliance engine: pure (no clock, no I/O). Given a number, the instant, what the
 * contact's record declares, consent, DNC membership and the attempt history, it returns every
 * reason the call is not allowed and the earliest instant at which it would be.
 *
 * The rules are pure functions by family (rules/: hours, caps, registries and DNC, consent,
 * kinds and exemptions, destination) of a call prepared here; this class owns what they are
 * asked again and again — local times, ISO texts, windows, the rows governing a scope, a zone's
 * boundaries, verdicts of a situation — each in a BoundedCache. One engine per runtime (an SDK
 * client's, a CLI run's, a worker's): its caches live and go with it.
 */
export class ComplianceEngine implements Calendar {
  private readonly localTimes: BoundedCache<string, number, LocalTime>;
  private readonly isoTexts: BoundedCache<string, number, string>;
  private readonly windows: BoundedCache<null, string, Window>;
  private readonly governing: BoundedCache<readonly RuleRow[], string, RuleRow[]>;
  private readonly hourRows: BoundedCache<null, readonly RuleRow[], CallingHoursOf>;
  private readonly boundaries: BoundedCache<string, string, readonly number[]>;
  private readonly verdicts: VerdictCache;
  /** The rule book this engine judges by (evidence records name its version). */
  readonly ruleTable: readonly RuleRow[];
  /** evaluateUncached, bound once: the verdict cache's maker on a miss (no closure per question). */
  private readonly compute = (input: ComplianceInput) => this.evaluateUncached(input);

  constructor(options: ComplianceEngineOptions = {}) {
    const limit = (name: keyof typeof CACHE_LIMITS) => options.cacheLimit ?? CACHE_LIMITS[name];
    this.localTimes = new BoundedCache(limit("localTimes"));
    this.isoTexts = new BoundedCache(limit("isoTexts"));
    this.windows = new BoundedCache(limit("windows"));
    this.governing = new BoundedCache(limit("governing"));
    this.hourRows = new BoundedCache(limit("callingHours"));
    this.boundaries = new BoundedCache(limit("zoneBoundaries"));
    this.verdicts = new VerdictCache({ verdicts: limit("verdicts"), ids: limit("ids") });
    this.ruleTable = options.ruleTable ?? RULE_TABLE;
  }

  /** The verdict of a call (a situation's verdict reused for every number in it: verdict-cache.ts). */
  evaluate(input: ComplianceInput): Verdict {
    return this.verdicts.verdict(input, this.compute);
  }

  /**
   * The verdict without the verdict cache: for a caller that asks each situation and instant once
   * (the strategy planner judges each hour of its horizon once per situation), where caching
   * would only copy and freeze every verdict.
   */
  evaluateUncached(input: ComplianceInput): Verdict {
    if (input.purpose !== "revocation-confirmation") return judgeVerdict(this.prepare(input));
    const { purpose: _purpose, ...plain } = input;
    return confirmationVerdict(this.prepare(input), this.evaluateUncached(plain));
  }

  /**
   * How far back a check of this call must read touches, and whether by account (caps.ts): a
   * check reads no more than the caps that govern it count.
   */
  touchReach(input: ComplianceInput): { lookbackMs: number; byAccount: boolean } {
    return touchReachOf(input, this.governingRows(input, candidatesOf(input)));
  }

  /**
   * How far inside the calling hours a call placed anywhere in `[startMs, endMs]` is in one of
   * the number's zones (hours.ts callingMargin): the seconds to the nearer edge of the strictest
   * window (negative: outside; null: no window that day, or not one of the number's zones).
   */
  callingMarginIn(
    input: Pick<ComplianceInput, "number" | "addressState" | "declaredZone">,
    zone: string,
    startMs: number,
    endMs: number,
  ): number | null {
    return callingMargin(
      this.prepare({ ...input, atMs: startMs, consent: true, onDnc: false }),
      zone,
      startMs,
      endMs,
    );
  }

  /** A zone's local calendar facts at an instant (a segmentation asks the same pairs for every contact). */
  localAt(zone: string, ms: number): LocalTime {
    return this.localTimes.memo(zone, ms, localTimeOf);
  }

  /** The instant's ISO text in a zone (UTC when none), as luxon's `toISO({ suppressMilliseconds: true })`. */
  isoIn(ms: number, zone: string | undefined): string {
    return this.isoTexts.memo(zone ?? "UTC", ms, isoTextIn);
  }

  /** A calling-hours row's window on a local weekday (1 = Monday … 7 = Sunday); null: no calls that day. */
  windowOn(row: CallingHoursRow, weekday: number): Window | null {
    const text = windowTextOn(row, weekday);
    return text === null ? null : this.windows.memo(null, text, windowOf);
  }

  /** The calling-hours rows of a governing set, with their key. */
  callingHoursOf(rows: readonly RuleRow[]): CallingHoursOf {
    return this.hourRows.memo(null, rows, () => callingHoursRows(rows));
  }

  /** One zone's midnights and window openings in [fromMs, toMs]: where a refused call's search looks. */
  zoneBoundaries(zone: string, hours: CallingHoursOf, fromMs: number, toMs: number): readonly number[] {
    return this.boundaries.memo(zone, `${hours.rowKey}|${fromMs}|${toMs}`, () =>
      zoneBoundariesOf(this, zone, hours.hourRows, fromMs, toMs),
    );
  }

  /**
   * The first instant after `input.atMs` at which the call's clock rules (calling hours, days
   * without calls, holidays) can answer otherwise: the next local midnight, window opening or
   * window closing in any of its candidate zones. Between the two instants those rules' answer
   * holds, so a caller asking many instants of one situation (the forecast's slots) asks once
   * per stretch. At most a day and a half on: a caller asks again there.
   */
  nextClockChange(input: ComplianceInput): number {
    const p = this.prepare(input);
    const hours = this.callingHoursOf(p.rows);
    // Whole UTC days around the instant: every zone's next midnight is inside, and the answer
    // is remembered per zone, rows and day.
    const fromMs = Math.floor(input.atMs / DAY_MS) * DAY_MS - DAY_MS;
    const toMs = fromMs + 3 * DAY_MS;
    let next = input.atMs + DAY_MS + DAY_MS / 2;
    for (const zone of p.zones) {
      const points = this.boundaries.memo(zone, `${hours.rowKey}|${fromMs}|${toMs}|closings`, () =>
        zoneBoundariesOf(this, zone, hours.hourRows, fromMs, toMs, true),
      );
      for (const t of points) if (t > input.atMs && t < next) next = t;
    }
    return next;
  }

  /** The call with its candidates, governing rows and caps: what every rule family judges. */
  private prepare(input: ComplianceInput): Prepared {
    // Issue 100 (Low): an instant that is not one (an overflowing clock, a NaN) matched no rule's
    // dates, so the call was allowed with no rule applied. Nothing is judged at no instant.
    if (!Number.isFinite(input.atMs))
      throw new Error(
        `the instant to judge is not a real instant (${String(input.atMs)}): check CXO_CLOCK and the time given; nothing was judged`,
      );
    const candidates = candidatesOf(input);
    const rows = this.governingRows(input, candidates);
    return {
      input,
      candidates,
      zones: candidates.zones.map((z) => z.zone),
      rows,
      capRows: capRowsOf(input, rows),
      spanMs: input.untilMs === undefined ? undefined : Math.max(0, input.untilMs - input.atMs),
      calendar: this,
    };
  }

  /** The rows that govern a call: its jurisdictions' rows that govern its channel, kind, number type and purpose. */
  private governingRows(input: ComplianceInput, candidates: Candidates): RuleRow[] {
    const table = input.ruleTable ?? this.ruleTable;
    const key = `${candidates.jurisdictions.join(",")}|${input.channel ?? ""}|${input.kind ?? ""}|${input.numberType ?? ""}|${input.purpose ?? ""}`;
    return this.governing.memo(table, key, () =>
      table.filter((row) => candidates.jurisdictions.includes(row.jurisdiction) && governs(row, input)),
    );
  }
}

// The caches' makers, made once (a closure per call cost the hot lookups their time).
const isoTextIn = (zone: string, ms: number) => isoTextOf(ms, zone);
const windowOf = (_: null, text: string) => parseWindow(text);
