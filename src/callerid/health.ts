import { SignalSlices } from "../core/signal-slices.ts";
import {
  checkDesignRatio,
  checkFalseAlarmRate,
  DEFAULT_DESIGN_RATIO,
  DEFAULT_FALSE_ALARM_RATE,
  thresholdsFor,
  WATCH_FACTOR,
} from "./calibration.ts";
import { type CusumRun, type LevelReading, runCusum } from "./cusum.ts";
import { cohortOf, expectedRates, levelled, totals } from "./expectation.ts";
import { type Baseline, type Level, levelsOf } from "./levels.ts";
import { type NullMember, nullShift } from "./null-simulation.ts";
import type { CallerIdHealthRow, HealthOptions, HourCount, Series } from "./types.ts";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString();
/** "2026-11-11 20:00 UTC": how a person reads an instant of this check (the summary, the report). */
export const utcMinute = (at: string | undefined): string =>
  at === undefined || at === "" ? "" : `${at.slice(0, 10)} ${at.slice(11, 16)} UTC`;
const round = (x: number, digits = 4): number => Number(x.toFixed(digits));

/** A series tested: the row, and the CUSUM's run (its hours' indices) for callers that need the path. */
export interface TestedSeries {
  series: Series;
  row: CallerIdHealthRow;
  run: CusumRun;
  /** The expected answer rate of each of the series' hours (the level applied). */
  rates: readonly number[];
  /** The CUSUM's thresholds for this series. */
  thresholds: { suspectAt: number; watchAt: number };
}

/**
 * Caller-ID health of every series (pure: counts in, verdicts out). Series are grouped into
 * cohorts (same campaign, same carrier); each is tested against its cohort's other members in
 * the same hours (expectation.ts) with a CUSUM (cusum.ts) whose thresholds keep false alarms at
 * or under the rate asked per number per 21 days (calibration.ts; a number split over k carriers
 * runs k tests at rate/k each).
 */
export function testSeries(all: readonly Series[], options: HealthOptions = {}): TestedSeries[] {
  const out: TestedSeries[] = [];
  for (const _step of testingSteps(all, options, out));
  return sortedTests(out);
}

/**
 * `testSeries` for an SDK call bounded by its signal (issue 80 §2): a look at the signal after
 * each series' test, and a turn of the event loop every slice (a series' threshold is a Markov
 * chain of its own: 100,000 numbers are seconds of work).
 */
export async function testSeriesWithin(
  all: readonly Series[],
  options: HealthOptions,
  signal: AbortSignal | undefined,
): Promise<TestedSeries[]> {
  const slices = new SignalSlices(signal, 20, 1);
  const out: TestedSeries[] = [];
  for (const _step of testingSteps(all, options, out)) await slices.tick();
  return sortedTests(out);
}

/**
 * Passes of a campaign's tests at most (issue 91 §4): the first tests every number against all
 * its peers; a number found suspect is then left out of its peers' expectation over its suspect
 * hours and the campaign tested again, until no new suspect hours are found.
 */
const MAX_PASSES = 3;

/** The tests, campaign by campaign, each campaign's appended to `out` once its passes are done. */
function* testingSteps(all: readonly Series[], options: HealthOptions, out: TestedSeries[]): Generator<void> {
  const alpha = checkFalseAlarmRate(options.falseAlarmRate ?? DEFAULT_FALSE_ALARM_RATE);
  const ratio = checkDesignRatio(options.designRatio ?? DEFAULT_DESIGN_RATIO);
  const campaigns = new Map<string, Series[]>();
  for (const s of all) {
    const list = campaigns.get(s.campaignId);
    if (list) list.push(s);
    else campaigns.set(s.campaignId, [s]);
  }
  for (const series of campaigns.values()) {
    const hidden = new Map<Series, Set<number>>();
    // Each cohort's shift is simulated in the first pass and kept for the next (the simulation is
    // most of the check's CPU; a peer's suspect hours move the others' rates by a few per cent).
    const shifts = new Map<string, number>();
    let tested: TestedSeries[] = [];
    for (let p = 0; p < MAX_PASSES; p++) {
      tested = yield* testingPass(series, hidden, shifts, alpha, ratio, options);
      if (!hideSuspectHours(tested, hidden)) break;
    }
    out.push(...tested);
  }
}

/** Adds each tested series' suspect hours (its excursions that reached `suspectAt`) to `hidden`; whether any was new. */
function hideSuspectHours(tested: readonly TestedSeries[], hidden: Map<Series, Set<number>>): boolean {
  let added = false;
  for (const t of tested)
    for (const [from, to] of t.run.suspectSpans) {
      const set = hidden.get(t.series) ?? new Set<number>();
      hidden.set(t.series, set);
      for (let i = from; i < to; i++) {
        const hour = (t.series.hours[i] as HourCount).hour;
        if (!set.has(hour)) {
          set.add(hour);
          added = true;
        }
      }
    }
  return added;
}

/** One pass over a campaign's series, each lending its peers all its hours but `hidden`'s. */
function* testingPass(
  all: readonly Series[],
  hidden: ReadonlyMap<Series, ReadonlySet<number>>,
  shifts: Map<string, number>,
  alpha: number,
  ratio: number,
  options: HealthOptions,
): Generator<void, TestedSeries[]> {
  const out: TestedSeries[] = [];
  const cohorts = new Map<string, Series[]>();
  const splits = new Map<string, number>();
  for (const s of all) {
    const key = `${s.campaignId}\u0000${s.carrier ?? ""}`;
    // Appended in place: copying the cohort for each member was quadratic in distinct caller ids
    // (issue 78 §10: 100,000 numbers took 110 s).
    const cohort = cohorts.get(key);
    if (cohort) cohort.push(s);
    else cohorts.set(key, [s]);
    const numberKey = `${s.campaignId}\u0000${s.name}`;
    splits.set(numberKey, (splits.get(numberKey) ?? 0) + 1);
  }
  const visible = new Map<Series, HourCount[]>();
  for (const [s, hours] of hidden)
    visible.set(
      s,
      s.hours.filter((h) => !hours.has(h.hour)),
    );
  // Each series' expectation from its cohort; a number's own level from all its series.
  const expectations = [...cohorts.values()].flatMap((members) => {
    const cohort = cohortOf(members, visible);
    return members
      .filter((series) => series.hours.length > 0)
      .map((series) => ({ series, ...expectedRates(series, cohort, options, visible.get(series)) }));
  });
  const baselines = new Map<string, Baseline>();
  for (const e of expectations) {
    if (!e.baseline) continue;
    const key = `${e.series.campaignId}\u0000${e.series.name}`;
    const sum = baselines.get(key) ?? { answered: 0, expected: 0, calls: 0 };
    sum.answered += e.baseline.answered;
    sum.expected += e.baseline.expected;
    sum.calls = (sum.calls ?? 0) + e.baseline.calls;
    baselines.set(key, sum);
  }
  const levels = levelsByCampaign(baselines);
  // Prepared cohort by cohort: each member's threshold from the chain, then one shift for the
  // cohort from its simulated nulls (null-simulation.ts), then the tests.
  const byCohort = new Map<string, Prepared[]>();
  for (const e of expectations) {
    const numberKey = `${e.series.campaignId}\u0000${e.series.name}`;
    const level = e.baseline ? levels.get(numberKey) : undefined;
    const prepared = prepare(
      e,
      level,
      ratio,
      alpha / (splits.get(numberKey) ?? 1),
      splits.get(numberKey) ?? 1,
      options,
    );
    const key = `${e.series.campaignId}\u0000${e.series.carrier ?? ""}`;
    const list = byCohort.get(key);
    if (list) list.push(prepared);
    else byCohort.set(key, [prepared]);
  }
  for (const [key, members] of byCohort) {
    const simulated = members.flatMap((m) => (m.null ? [m.null] : []));
    let shift = shifts.get(key);
    if (shift === undefined) {
      shift =
        options.calibration === "chain" || simulated.length < 2 ? 0 : yield* nullShift(simulated, ratio, key);
      shifts.set(key, shift);
    }
    for (const m of members) {
      const suspectAt = Math.max(0.5, m.thresholds.suspectAt + (m.null ? shift : 0));
      const thresholds = { suspectAt, watchAt: Math.max(suspectAt / 2, suspectAt - Math.log(WATCH_FACTOR)) };
      const run = runCusum(m.series.hours, m.rates, ratio, thresholds, m.reading);
      out.push({
        series: m.series,
        run,
        rates: run.rates,
        thresholds,
        row: rowOf(m.series, run.rates, run, thresholds, m.source, m.peers),
      });
      yield;
    }
  }
  return out;
}

/** A series ready to test: its rates, the chain's thresholds, the level's reading, its null model. */
interface Prepared {
  series: Series;
  source: "peers" | "baseline";
  peers: number;
  rates: number[];
  thresholds: { suspectAt: number; watchAt: number };
  reading: LevelReading | undefined;
  null: NullMember | undefined;
}

function prepare(
  e: ReturnType<typeof expectedRates> & { series: Series },
  level: Level | undefined,
  ratio: number,
  alpha: number,
  splits: number,
  options: HealthOptions,
): Prepared {
  const { series } = e;
  const rates = level ? levelled(e.rates, level.level) : e.rates;
  const first = (series.hours[0] as { hour: number }).hour;
  const last = (series.hours.at(-1) as { hour: number }).hour;
  let calls = 0;
  let expected = 0;
  series.hours.forEach((h, i) => {
    calls += h.calls;
    expected += h.calls * (rates[i] as number);
  });
  const after = series.hours.findIndex((h) => h.hour >= first + (options.baselineDays ?? 7) * 24);
  const fromIndex = after < 0 ? series.hours.length : after;
  const thresholds = thresholdsFor(
    {
      activeHours: series.hours.length,
      spanHours: last - first + 1,
      callsPerHour: calls / series.hours.length,
      rate: calls > 0 ? expected / calls : 0,
      ratio,
      ...(e.hourError !== undefined ? { hourError: e.hourError } : {}),
      ...(level
        ? { levelError: level.error, afterLevel: (series.hours.length - fromIndex) / series.hours.length }
        : {}),
    },
    alpha,
  );
  // The level is read again as the window goes (cusum.ts) on a number tested whole; a number split
  // over carriers keeps the level of its first days (read from all its carriers together).
  const online = level !== undefined && splits === 1;
  const reading = online ? { base: e.rates, fromIndex, prior: level.prior, level: level.level } : undefined;
  return {
    series,
    source: e.source,
    peers: e.peers,
    rates,
    thresholds,
    reading,
    null: level
      ? {
          hours: series.hours,
          base: e.rates,
          hourErrors: e.hourErrors,
          prior: level.prior,
          fromIndex,
          online,
          suspectAt: thresholds.suspectAt,
          alpha,
        }
      : undefined,
  };
}

function sortedTests(out: TestedSeries[]): TestedSeries[] {
  return out.sort(
    (a, b) =>
      a.row.campaignId.localeCompare(b.row.campaignId) ||
      a.row.callerId.localeCompare(b.row.callerId) ||
      (a.row.carrier ?? "").localeCompare(b.row.carrier ?? ""),
  );
}

/** The numbers' own levels (levels.ts), read campaign by campaign (key: campaign NUL number). */
function levelsByCampaign(baselines: ReadonlyMap<string, Baseline>): Map<string, Level> {
  const byCampaign = new Map<string, Map<string, Baseline>>();
  for (const [key, b] of baselines) {
    const campaign = key.slice(0, key.indexOf("\u0000"));
    const group = byCampaign.get(campaign) ?? new Map<string, Baseline>();
    group.set(key, b);
    byCampaign.set(campaign, group);
  }
  const out = new Map<string, Level>();
  for (const group of byCampaign.values()) for (const [key, level] of levelsOf(group)) out.set(key, level);
  return out;
}

/** The rows of `testSeries`, one per number (a pool's members each get the pool's verdict). */
export function callerIdHealth(all: readonly Series[], options: HealthOptions = {}): CallerIdHealthRow[] {
  return rowsOf(testSeries(all, options));
}

/** `callerIdHealth` bounded by an SDK call's signal (`testSeriesWithin`). */
export async function callerIdHealthWithin(
  all: readonly Series[],
  options: HealthOptions,
  signal: AbortSignal | undefined,
): Promise<CallerIdHealthRow[]> {
  return rowsOf(await testSeriesWithin(all, options, signal));
}

function rowsOf(tested: readonly TestedSeries[]): CallerIdHealthRow[] {
  const rows: CallerIdHealthRow[] = [];
  for (const { series, row } of tested)
    for (const member of series.members) rows.push({ ...row, callerId: member });
  return rows.sort(
    (a, b) =>
      a.campaignId.localeCompare(b.campaignId) ||
      a.callerId.localeCompare(b.callerId) ||
      (a.carrier ?? "").localeCompare(b.carrier ?? ""),
  );
}

function rowOf(
  series: Series,
  rates: readonly number[],
  run: CusumRun,
  thresholds: { suspectAt: number; watchAt: number },
  source: "peers" | "baseline",
  peers: number,
): CallerIdHealthRow {
  const from = run.onsetIndex ?? 0;
  let expected = 0;
  let windowExpected = 0;
  series.hours.forEach((h, i) => {
    const e = h.calls * (rates[i] as number);
    windowExpected += e;
    if (i >= from) expected += e;
  });
  const recent = totals(series.hours.slice(from));
  const window = totals(series.hours);
  const hourMs = (index: number | undefined) =>
    index === undefined ? undefined : (series.hours[index] as { hour: number }).hour * HOUR_MS;
  const onsetMs = hourMs(run.onsetIndex);
  const sinceMs = hourMs(run.sinceIndex);
  const days = Math.max(1, (series.lastMs - series.firstMs) / DAY_MS);
  const ratio = expected > 0 ? recent.answered / expected : 1;
  const callerId = series.members.length === 1 ? (series.members[0] as string) : series.name;
  const examples = series.unanswered.filter((ms) => ms >= (onsetMs ?? 0)).slice(-5);
  const what =
    run.status === "ok"
      ? `answers as its peers do (${recent.answered} of ${recent.calls}, ${round(expected, 1)} expected)`
      : `${recent.answered} answers of ${recent.calls} calls since ${utcMinute(iso(onsetMs as number))}, ${round(expected, 1)} expected from ${source === "peers" ? `${peers} peer number(s) in the same hours` : "its own first days"}`;
  return {
    callerId,
    campaignId: series.campaignId,
    ...(series.carrier !== undefined ? { carrier: series.carrier } : {}),
    calls: recent.calls,
    answered: recent.answered,
    answerRate: recent.calls > 0 ? round(recent.answered / recent.calls) : 0,
    expectedAnswerRate: recent.calls > 0 ? round(expected / recent.calls) : 0,
    ratio: round(ratio),
    status: run.status,
    ...(sinceMs !== undefined ? { since: iso(sinceMs) } : {}),
    ...(onsetMs !== undefined ? { onset: iso(onsetMs) } : {}),
    evidence: {
      expectation: source,
      peers,
      cusum: round(run.statistic, 3),
      watchAt: round(thresholds.watchAt, 3),
      suspectAt: round(thresholds.suspectAt, 3),
      windowCalls: window.calls,
      callsCounted: run.onsetIndex === undefined ? "window" : "since onset",
      windowAnswered: window.answered,
      windowExpected: round(windowExpected, 1),
      dailyVolume: round(window.calls / days, 1),
      weeklyVolume: round((window.calls / days) * 7, 1),
      firstCallAt: iso(series.firstMs),
      lastCallAt: iso(series.lastMs),
      exampleUnanswered: run.status === "ok" ? [] : examples.map(iso),
      ...(series.members.length > 1 || series.name !== series.members[0]
        ? { pool: { name: series.name, members: series.members } }
        : {}),
      summary: `${callerId}${series.carrier !== undefined ? ` (${series.carrier} subscribers)` : ""} ${what}: ${run.status}.`,
    },
  };
}
