import { DateTime } from "luxon";
import tdigest from "tdigest";
import { localDayOf } from "../core/local-day.ts";
import type { Categorizer } from "./disposition-map.ts";
import { type CanonicalRecord, dispositionNameOf } from "./record-format.ts";

/**
 * Streaming analysis of outcome records: constant memory whatever the number of records (counts
 * per category, code, day, hour and campaign; call durations in a t-digest). Records are fed in
 * the order received; the same records in the same order give the same figures, which is how a
 * resumed export recomputes its state from the file it already wrote.
 */
export interface RateRow {
  records: number;
  converted: number;
  conversionRate: number;
}

export interface DurationStats {
  /** Records with a duration (durationSeconds, or endTime − startTime). */
  count: number;
  missing: number;
  mean: number | null;
  min: number | null;
  max: number | null;
  /** Approximate (t-digest), exact for small or integer-valued sets. */
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

/** The figures of an analysis of outcome records: counts, conversion, categories, codes, days, hours, campaigns, durations. */
export interface OutcomeAnalysis {
  totalRecords: number;
  converted: number;
  /** Converted / total, a fraction in [0, 1] (0 when there are no records). */
  conversionRate: number;
  /** Every category of the map, with its count (zero included). */
  categories: Record<string, number>;
  /**
   * Codes the map does not list (or "(none)" for a record without a code), with their counts;
   * a code with a disposition name is listed as "name (code)", e.g. "Sale (11)".
   */
  unknownCodes: Record<string, number>;
  unknownRecords: number;
  durationSeconds: DurationStats;
  /** In the analysis zone (UTC unless --tz), oldest first. */
  byDay: Array<{ day: string } & RateRow>;
  /** 0–23 in the analysis zone; every hour present. */
  byHour: Array<{ hour: number } & RateRow>;
  byCampaign: Array<{ campaignId: string } & RateRow>;
  zone: string;
}

interface Tally {
  records: number;
  converted: number;
}

const BUCKET_MS = 15 * 60_000; // every real zone offset is a multiple of 15 minutes
const NO_CODE = "(none)";

/**
 * `unknownCodes` as people read it (issue 50 §6): the records with no disposition at all, apart
 * from the codes the map does not list (`(none)` is not a code).
 */
export function unknownCodesParts(unknownCodes: Record<string, number>): {
  noDisposition: number;
  outside: Array<[code: string, records: number]>;
  outsideRecords: number;
} {
  const outside = Object.entries(unknownCodes).filter(([code]) => code !== NO_CODE);
  return {
    noDisposition: unknownCodes[NO_CODE] ?? 0,
    outside,
    outsideRecords: outside.reduce((sum, [, n]) => sum + n, 0),
  };
}

const rate = (t: Tally): RateRow => ({
  records: t.records,
  converted: t.converted,
  conversionRate: t.records === 0 ? 0 : t.converted / t.records,
});

export class OutcomeAnalyzer {
  private readonly categorizer: Categorizer;
  private readonly zone: string;
  private total = 0;
  private converted = 0;
  private readonly categories = new Map<string, number>();
  private readonly unknown = new Map<string, number>();
  private readonly days = new Map<string, Tally>();
  private readonly hours: Tally[] = Array.from({ length: 24 }, () => ({ records: 0, converted: 0 }));
  private readonly campaigns = new Map<string, Tally>();
  private readonly digest = new tdigest.TDigest();
  private durationCount = 0;
  private durationSum = 0;
  private durationMin = Number.POSITIVE_INFINITY;
  private durationMax = Number.NEGATIVE_INFINITY;
  private readonly buckets = new Map<number, { day: string; hour: number }>();

  constructor(categorizer: Categorizer, zone = "UTC") {
    this.categorizer = categorizer;
    this.zone = zone;
    for (const category of Object.keys(categorizer.map.categories)) this.categories.set(category, 0);
  }

  add(record: CanonicalRecord): void {
    this.total += 1;
    const name = dispositionNameOf(record);
    const category = this.categorizer.categoryOf(record.dispositionCode, name);
    const converted = this.categorizer.isConversion(category);
    if (converted) this.converted += 1;
    if (category === undefined) {
      const code = record.dispositionCode ?? NO_CODE;
      const key = name === null ? code : `${name} (${code})`;
      this.unknown.set(key, (this.unknown.get(key) ?? 0) + 1);
    } else this.categories.set(category, (this.categories.get(category) ?? 0) + 1);

    const start = Date.parse(record.startTime);
    if (Number.isFinite(start)) {
      const { day, hour } = this.bucketOf(start);
      count(this.days, day, converted);
      const h = this.hours[hour] as Tally;
      h.records += 1;
      if (converted) h.converted += 1;
    }
    count(this.campaigns, record.campaignId, converted);

    const duration = durationOf(record, start);
    if (duration !== null) {
      this.durationCount += 1;
      this.durationSum += duration;
      if (duration < this.durationMin) this.durationMin = duration;
      if (duration > this.durationMax) this.durationMax = duration;
      this.digest.push(duration);
    }
  }

  result(): OutcomeAnalysis {
    const unknownCodes = Object.fromEntries(
      [...this.unknown.entries()].sort(([a], [b]) => a.localeCompare(b)),
    );
    const has = this.durationCount > 0;
    const [p50, p90, p99] = has ? (this.digest.percentile([0.5, 0.9, 0.99]) as number[]) : [];
    return {
      totalRecords: this.total,
      converted: this.converted,
      conversionRate: this.total === 0 ? 0 : this.converted / this.total,
      categories: Object.fromEntries(this.categories),
      unknownCodes,
      unknownRecords: [...this.unknown.values()].reduce((sum, n) => sum + n, 0),
      durationSeconds: {
        count: this.durationCount,
        missing: this.total - this.durationCount,
        mean: has ? this.durationSum / this.durationCount : null,
        min: has ? this.durationMin : null,
        max: has ? this.durationMax : null,
        p50: p50 ?? null,
        p90: p90 ?? null,
        p99: p99 ?? null,
      },
      byDay: [...this.days.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([day, t]) => ({ day, ...rate(t) })),
      byHour: this.hours.map((t, hour) => ({ hour, ...rate(t) })),
      byCampaign: [...this.campaigns.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([campaignId, t]) => ({ campaignId, ...rate(t) })),
      zone: this.zone,
    };
  }

  /** Day and hour of a time in the analysis zone; memoised per 15 minutes (luxon is not cheap). */
  private bucketOf(ms: number): { day: string; hour: number } {
    const key = Math.floor(ms / BUCKET_MS);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      const at = key * BUCKET_MS;
      bucket = { day: localDayOf(at, this.zone), hour: DateTime.fromMillis(at, { zone: this.zone }).hour };
      if (this.buckets.size > 100_000) this.buckets.clear();
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}

function count(map: Map<string, Tally>, key: string, converted: boolean): void {
  let tally = map.get(key);
  if (!tally) {
    tally = { records: 0, converted: 0 };
    map.set(key, tally);
  }
  tally.records += 1;
  if (converted) tally.converted += 1;
}

function durationOf(record: CanonicalRecord, startMs: number): number | null {
  if (
    record.durationSeconds !== null &&
    Number.isFinite(record.durationSeconds) &&
    record.durationSeconds >= 0
  )
    return record.durationSeconds;
  if (record.endTime === null || !Number.isFinite(startMs)) return null;
  const end = Date.parse(record.endTime);
  return Number.isFinite(end) && end >= startMs ? (end - startMs) / 1000 : null;
}
