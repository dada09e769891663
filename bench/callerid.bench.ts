import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { tallyDataset } from "../src/callerid/dataset.ts";
import { callerIdHealth, type TestedSeries, testSeries } from "../src/callerid/health.ts";
import { CallTally } from "../src/callerid/tally.ts";
import type { Series } from "../src/callerid/types.ts";
import { wilson } from "../src/core/binomial-interval.ts";
import {
  DEFAULT_POOL,
  familyShape,
  type LabelSpec,
  type PoolShape,
  simulatePool,
} from "./support/callerid-simulate.ts";
import type { BenchRow } from "./types.ts";

/**
 * Issue 66 §5: caller-ID health on simulated pools (bench/support/callerid-simulate.ts; parameters in
 * docs/callerid.md "Simulated pools"), seeded, each rate with its Wilson 95% interval. A label
 * starts at a uniform hour of days 7–18 of 21; "caught within d days" is the first hour at or
 * after its start at which the number (its carrier's series, when split) is `suspect`, no more
 * than d×24 h later. A false alarm is an unlabelled number `suspect` at any time in the 21 days.
 * Baseline in the same run: the operators' rule, at the end of each day "today's answer rate
 * below k × the number's own average of the 7 days before", with k set in each scenario so that
 * its false alarms match the rate asked (the α-quantile of unlabelled numbers' lowest ratio):
 * both rules at the same false-alarm rate.
 * Then scale: 2,000 numbers in one pool, and 25,000,000 outcomes over 2,000 numbers read from a
 * Parquet dataset with DuckDB (generated here, in a temp dir, by DuckDB itself).
 */
const HOUR = 3_600_000;
const DAY = 86_400_000;
const REPS = 200;

/** The unseen shape: other volumes per number (40–300 a day), an evening-heavy profile, a lower rate, 50 numbers. */
const UNSEEN: PoolShape = {
  ...DEFAULT_POOL,
  numbers: 50,
  callsPerDay: [40, 300],
  hourProfile: { 15: 0.5, 16: 0.6, 17: 0.8, 18: 1, 19: 1.4, 20: 1.6, 21: 1.6, 22: 1.4, 23: 1, 0: 0.6 },
  hourAnswer: { 15: 0.8, 16: 0.85, 17: 0.9, 18: 1, 19: 1.1, 20: 1.2, 21: 1.2, 22: 1.1, 23: 0.95, 0: 0.85 },
  baseAnswerRate: 0.25,
  ageingPerDay: 0.015,
  badDayShare: 0.2,
  badDayFactor: 0.6,
};

/**
 * A second unseen shape, chosen before it was ever run and never tuned on: 30 numbers of 80–400
 * calls a day, a split shift (a morning block UTC 12–15 and an evening block 19–22, nothing
 * between), answers lower in the morning, a higher list rate (0.35), slower ageing (0.5 %/day),
 * fewer but milder bad days (10 % at × 0.75), numbers' own levels × U[0.85, 1.15].
 */
const UNSEEN_2: PoolShape = {
  ...DEFAULT_POOL,
  numbers: 30,
  callsPerDay: [80, 400],
  hourProfile: { 12: 1.2, 13: 1.4, 14: 1.3, 15: 1, 19: 0.8, 20: 1, 21: 1, 22: 0.7 },
  hourAnswer: { 12: 0.85, 13: 0.9, 14: 0.95, 15: 1, 19: 1.1, 20: 1.15, 21: 1.1, 22: 1 },
  baseAnswerRate: 0.35,
  ageingPerDay: 0.005,
  badDayShare: 0.1,
  badDayFactor: 0.75,
  numberSpread: 0.15,
};

/**
 * Issue 80 §5's pools, as the issue gives them: campaigns of 26–34 numbers (drawn per pool), 60–230
 * calls a day per number (drawn per number, log-uniform), the label (× 0.5) on a number of at
 * least 120 calls a day; the rest as the default pool. Never tuned on.
 */
const ISSUE_80: PoolShape = {
  ...DEFAULT_POOL,
  numbers: 30,
  numbersRange: [26, 34],
  callsPerDay: [60, 230],
};

const ci = (k: number, n: number) => {
  const [lo, hi] = wilson(k, n, 1.96);
  return `${((100 * k) / n).toFixed(1)}% [${(100 * lo).toFixed(1)}, ${(100 * hi).toFixed(1)}], n=${n}`;
};

/** First hour at or after `fromMs` at which the tested series is suspect. */
function suspectAt(t: TestedSeries, fromMs: number): number | undefined {
  let status = "ok";
  let c = 0;
  for (let i = 0; i < t.series.hours.length; i++) {
    while (c < t.run.changes.length && t.run.changes[c]?.index === i)
      status = t.run.changes[c++]?.status ?? status;
    const at = (t.series.hours[i]?.hour ?? 0) * HOUR;
    if (status === "suspect" && at >= fromMs) return at;
  }
  return undefined;
}

/** The operators' rule on one series: each day end with today's rate ÷ the 7 days before. */
function operatorRatios(series: Series): Array<{ at: number; ratio: number }> {
  const days = new Map<number, { calls: number; answered: number }>();
  for (const h of series.hours) {
    const day = Math.floor((h.hour * HOUR) / DAY);
    const d = days.get(day) ?? { calls: 0, answered: 0 };
    d.calls += h.calls;
    d.answered += h.answered;
    days.set(day, d);
  }
  const keys = [...days.keys()].sort((a, b) => a - b);
  const out: Array<{ at: number; ratio: number }> = [];
  keys.forEach((day, i) => {
    if (i < 7) return;
    let calls = 0;
    let answered = 0;
    for (const k of keys.slice(i - 7, i)) {
      calls += days.get(k)?.calls ?? 0;
      answered += days.get(k)?.answered ?? 0;
    }
    const today = days.get(day) as { calls: number; answered: number };
    if (calls > 0 && answered > 0 && today.calls > 0)
      out.push({ at: (day + 1) * DAY, ratio: today.answered / today.calls / (answered / calls) });
  });
  return out;
}

interface Tallies {
  /** The oracle (true rates, true drop, threshold set from the null runs): the ceiling. */
  oracle?: Oracle;
  /** A simple peer-comparison CUSUM (issue 80 §5), its threshold set on the null numbers. */
  peer?: Oracle;
  caught1: number;
  caught3: number;
  labelled: number;
  falseAlarms: number;
  nulls: number;
  opCaught3: number;
  opFalse: number;
}

/**
 * A CUSUM whose threshold is set to the (1 − α) quantile of the unlabelled numbers' 21-day maxima
 * over the scenario's pools (exact calibration on the truth, not a bound): the ceiling when it
 * knows each number's true answer rate in every hour and the label's true factor (the optimal
 * detector for that drop: no test on these data does better on average); the peer-comparison
 * baseline when it reads each hour's rate from the other numbers' calls that hour. `klPerCall` is
 * the mean evidence a labelled call carries (nats), `threshold` what the false-alarm rate needs.
 */
interface Oracle {
  caught1: number;
  caught3: number;
  falseAlarms: number;
  nulls: number;
  threshold: number;
  klPerCall: number;
}

class CalibratedRuns {
  private nullMaxima: number[] = [];
  private labelled: Array<{ atMs: number; path: Array<[number, number]> }> = [];
  private kl = 0;
  private klCalls = 0;
  private readonly factor: number;
  constructor(factor: number) {
    this.factor = factor;
  }

  /** One series, tested hour by hour against `rate` (the true rate, or the peers'). */
  add(series: Series, rate: (hour: number) => number | undefined, target?: number): void {
    const f = this.factor;
    let s = 0;
    let max = 0;
    const path: Array<[number, number]> = [];
    for (const h of series.hours) {
      const p = rate(h.hour);
      if (p === undefined) continue;
      s = Math.max(
        0,
        s + h.answered * Math.log(f) + (h.calls - h.answered) * Math.log((1 - f * p) / (1 - p)),
      );
      max = Math.max(max, s);
      path.push([h.hour * HOUR, s]);
      if (target !== undefined && h.hour * HOUR >= target) {
        const q = f * p;
        this.kl += h.calls * (q * Math.log(f) + (1 - q) * Math.log((1 - q) / (1 - p)));
        this.klCalls += h.calls;
      }
    }
    if (target === undefined) this.nullMaxima.push(max);
    else this.labelled.push({ atMs: target, path });
  }

  result(alpha: number): Oracle {
    const sorted = [...this.nullMaxima].sort((a, b) => a - b);
    const threshold = sorted[Math.floor((1 - alpha) * sorted.length)] ?? 0;
    let caught1 = 0;
    let caught3 = 0;
    for (const run of this.labelled) {
      const hit = run.path.find(([at, v]) => at >= run.atMs && v >= threshold);
      const delay = hit ? hit[0] - run.atMs : Number.POSITIVE_INFINITY;
      if (delay <= DAY) caught1 += 1;
      if (delay <= 3 * DAY) caught3 += 1;
    }
    return {
      caught1,
      caught3,
      falseAlarms: sorted.filter((m) => m >= threshold).length,
      nulls: sorted.length,
      threshold,
      klPerCall: this.klCalls > 0 ? this.kl / this.klCalls : 0,
    };
  }
}

/** The peer-comparison baseline's rate of each hour: the other numbers' pooled answers over calls. */
function peerRates(all: readonly Series[]): (series: Series) => (hour: number) => number | undefined {
  const byHour = new Map<number, { calls: number; answered: number }>();
  for (const s of all)
    for (const h of s.hours) {
      const cell = byHour.get(h.hour) ?? { calls: 0, answered: 0 };
      cell.calls += h.calls;
      cell.answered += h.answered;
      byHour.set(h.hour, cell);
    }
  return (series) => {
    const own = new Map(series.hours.map((h) => [h.hour, h]));
    return (hour) => {
      const all = byHour.get(hour) as { calls: number; answered: number };
      const mine = own.get(hour) as { calls: number; answered: number };
      const calls = all.calls - mine.calls;
      if (calls <= 0) return undefined;
      return Math.min(0.99, Math.max(0.005, (all.answered - mine.answered) / calls));
    };
  };
}

/** The scenarios run on this many pools each: CALLERID_BENCH_REPS (a quick pass) or the record's. */
const repsOf = (record: number): number => {
  const asked = Number(process.env.CALLERID_BENCH_REPS);
  return Number.isFinite(asked) && asked > 0 ? Math.min(record, asked) : record;
};

function scenario(
  shape: PoolShape,
  label: LabelSpec,
  alpha: number,
  split: boolean,
  seed0: number,
  reps = REPS,
): Tallies {
  const t: Tallies = {
    caught1: 0,
    caught3: 0,
    labelled: 0,
    falseAlarms: 0,
    nulls: 0,
    opCaught3: 0,
    opFalse: 0,
  };
  const nullMinima: number[] = [];
  const labelledRuns: Array<{ atMs: number; ratios: Array<{ at: number; ratio: number }> }> = [];
  const oracle = split ? undefined : new CalibratedRuns(label.factor);
  const peer = split ? undefined : new CalibratedRuns(0.5);
  for (let r = 0; r < repsOf(reps); r++) {
    const pool = simulatePool(shape, seed0 + r, label, { splitCarriers: split });
    const target = pool.labelled as { callerId: string; atMs: number };
    const peersOf = peerRates(pool.series);
    for (const s of oracle ? pool.series : []) {
      const at = s.name === target.callerId ? target.atMs : undefined;
      oracle?.add(s, (hour) => pool.trueRate(s.name, hour * HOUR), at);
      peer?.add(s, peersOf(s), at);
    }
    const tested = testSeries(pool.series, { falseAlarmRate: alpha });
    let detected = Number.POSITIVE_INFINITY;
    const falseNumbers = new Set<string>();
    for (const x of tested) {
      const mine = x.series.name === target.callerId;
      if (mine && (label.carrier === undefined || !split || x.series.carrier === label.carrier)) {
        const at = suspectAt(x, target.atMs);
        if (at !== undefined) detected = Math.min(detected, at - target.atMs);
      } else if (!mine && x.run.firstSuspectIndex !== undefined) falseNumbers.add(x.series.name);
    }
    t.labelled += 1;
    if (detected <= DAY) t.caught1 += 1;
    if (detected <= 3 * DAY) t.caught3 += 1;
    t.falseAlarms += falseNumbers.size;
    t.nulls += new Set(pool.series.map((s) => s.name)).size - 1;
    // The baseline sees each number as a whole (operators do not split by carrier).
    const whole = split ? simulatePool(shape, seed0 + r, label).series : pool.series;
    for (const s of whole) {
      const ratios = operatorRatios(s);
      if (s.name === target.callerId) labelledRuns.push({ atMs: target.atMs, ratios });
      else nullMinima.push(Math.min(...ratios.map((r) => r.ratio)));
    }
  }
  // k: the α-quantile of the unlabelled numbers' lowest ratio (so the rule's false alarms are α).
  nullMinima.sort((a, b) => a - b);
  const k = nullMinima[Math.floor(alpha * nullMinima.length)] ?? 0;
  t.opFalse = nullMinima.filter((m) => m < k).length;
  for (const run of labelledRuns) {
    const hit = run.ratios.find((r) => r.at >= run.atMs && r.ratio < k);
    if (hit !== undefined && hit.at - run.atMs <= 3 * DAY) t.opCaught3 += 1;
  }
  if (oracle) t.oracle = oracle.result(alpha);
  if (peer) t.peer = peer.result(alpha);
  return t;
}

/** The goal of issue 80 §5: each of ≤ 1 day and ≤ 3 days at least this share of the ceiling's. */
const OF_CEILING = 0.95;

interface Scenario {
  name: string;
  shape: PoolShape;
  label: LabelSpec;
  alpha: number;
  split: boolean;
  seed: number;
  reps: number;
  /** Absolute goals where no ceiling is computed (the carrier split). */
  caught3?: number;
}

const all = (factor: number): LabelSpec => ({ factor, fromDay: 7, toDay: 18 });
const SCENARIOS: Scenario[] = [
  {
    name: "×0.5 label, α 5%",
    shape: DEFAULT_POOL,
    label: all(0.5),
    alpha: 0.05,
    split: false,
    seed: 10_000,
    reps: REPS,
  },
  {
    name: "×0.5 label, α 1%",
    shape: DEFAULT_POOL,
    label: all(0.5),
    alpha: 0.01,
    split: false,
    seed: 20_000,
    reps: REPS,
  },
  {
    name: "×0.3 label, α 1%",
    shape: DEFAULT_POOL,
    label: all(0.3),
    alpha: 0.01,
    split: false,
    seed: 30_000,
    reps: REPS,
  },
  {
    name: "AT&T-only ×0.4 label, carrier column, α 5%",
    shape: DEFAULT_POOL,
    label: { ...all(0.4), carrier: "AT&T" },
    alpha: 0.05,
    split: true,
    seed: 40_000,
    reps: REPS,
    caught3: 0.65,
  },
  {
    name: "unseen shape, ×0.5 label, α 5%",
    shape: UNSEEN,
    label: all(0.5),
    alpha: 0.05,
    split: false,
    seed: 50_000,
    reps: 100,
  },
  {
    name: "unseen shape, ×0.3 label, α 1%",
    shape: UNSEEN,
    label: all(0.3),
    alpha: 0.01,
    split: false,
    seed: 60_000,
    reps: 100,
  },
  {
    name: "unseen shape 2, ×0.5 label, α 5%",
    shape: UNSEEN_2,
    label: all(0.5),
    alpha: 0.05,
    split: false,
    seed: 70_000,
    reps: 100,
  },
  {
    name: "unseen shape 2, ×0.3 label, α 1%",
    shape: UNSEEN_2,
    label: all(0.3),
    alpha: 0.01,
    split: false,
    seed: 80_000,
    reps: 100,
  },
  {
    name: "issue 80 shape, ×0.5 label, α 5%",
    shape: ISSUE_80,
    label: { ...all(0.5), minCallsPerDay: 120 },
    alpha: 0.05,
    split: false,
    seed: 90_000,
    reps: 100,
  },
  {
    name: "issue 80 shape, ×0.5 label, α 1%",
    shape: ISSUE_80,
    label: { ...all(0.5), minCallsPerDay: 120 },
    alpha: 0.01,
    split: false,
    seed: 100_000,
    reps: 100,
  },
];

/** One scenario's rows: ours, the ceiling, ours ÷ ceiling, false alarms, met (and the baselines). */
function rowsOf(suite: string, sc: Scenario, t: Tallies): BenchRow[] {
  const fa = t.falseAlarms / t.nulls;
  const o = t.oracle;
  const p = t.peer;
  const share = (k: number) => k / t.labelled;
  const of = (ours: number, ceiling: number) => (ceiling > 0 ? ours / ceiling : ours > 0 ? 1 : 1);
  process.stderr.write(
    `callerid ${sc.name}: caught ≤3d ${ci(t.caught3, t.labelled)}, ≤1d ${ci(t.caught1, t.labelled)}, false alarms ${ci(t.falseAlarms, t.nulls)}; operators' rule ≤3d ${ci(t.opCaught3, t.labelled)}, false ${ci(t.opFalse, t.nulls)}${o ? `; ceiling (oracle) ≤3d ${ci(o.caught3, t.labelled)}, ≤1d ${ci(o.caught1, t.labelled)}, threshold ${o.threshold.toFixed(2)} nats, ${o.klPerCall.toFixed(3)} nats per labelled call; ours ÷ ceiling ≤1d ${of(t.caught1, o.caught1).toFixed(3)}, ≤3d ${of(t.caught3, o.caught3).toFixed(3)}` : ""}${p ? `; peer CUSUM ×0.5 ≤3d ${ci(p.caught3, t.labelled)}, ≤1d ${ci(p.caught1, t.labelled)}, false ${ci(p.falseAlarms, p.nulls)}, threshold ${p.threshold.toFixed(2)}` : ""}\n`,
  );
  const faRow: BenchRow = {
    suite,
    metric: `${sc.name}: false alarms per number per 21 days`,
    unit: "share",
    ours: fa,
    ...(p ? { baseline: p.falseAlarms / p.nulls, baselineLabel: "peer CUSUM, set on the null numbers" } : {}),
    target: `≤ ${sc.alpha}`,
    met: fa <= sc.alpha,
  };
  if (!o)
    return [
      {
        suite,
        metric: `${sc.name}: caught within 3 days`,
        unit: "share",
        ours: share(t.caught3),
        baseline: share(t.opCaught3),
        baselineLabel: "operators' rule at the same false alarms",
        target: `≥ ${sc.caught3}`,
        met: share(t.caught3) >= (sc.caught3 ?? 1),
      },
      faRow,
    ];
  const rows: BenchRow[] = [];
  for (const [days, ours, ceiling, peer] of [
    [3, t.caught3, o.caught3, p?.caught3 ?? 0],
    [1, t.caught1, o.caught1, p?.caught1 ?? 0],
  ] as const) {
    rows.push({
      suite,
      metric: `${sc.name}: caught within ${days} day${days > 1 ? "s" : ""} (ceiling ${share(ceiling).toFixed(3)}; peer CUSUM ${share(peer).toFixed(3)})`,
      unit: "share",
      ours: share(ours),
      baseline: share(ceiling),
      baselineLabel: "ceiling: oracle of true rates and drop",
      target: `≥ ${OF_CEILING} × ceiling`,
      met: share(ours) >= OF_CEILING * share(ceiling),
    });
    rows.push({
      suite,
      metric: `${sc.name}: caught within ${days} day${days > 1 ? "s" : ""}, ours ÷ ceiling`,
      unit: "ratio",
      ours: of(ours, ceiling),
      target: `≥ ${OF_CEILING}`,
      met: of(ours, ceiling) >= OF_CEILING && fa <= sc.alpha,
    });
  }
  return [...rows, faRow];
}

/**
 * Issue 91 §4: pools of several labels, on shapes the check was not tuned on. Each pool is its
 * own shape (`familyShape`: 20–40 numbers, 40–300 calls a day, its own calling hours, rate,
 * ageing, bad days, spread and carriers) with a label on each of a random third of its busier
 * half (each from its own hour of days 7–18, × 0.3–× 0.6 or × 0.5); and the issue's intro pools
 * (issue 80's shape with a × 0.5 label on a third of the numbers of ≥ 120 calls a day). Clean
 * numbers' false alarms against the rate asked (goal: between half and all of it), labels caught
 * within 1 and 3 days (goal: × 0.5 within 3 days ≥ 0.9 at 5 %), and the plain peer-comparison
 * CUSUM (its threshold the (1 − α) quantile of the clean numbers' maxima: the truth) beside.
 */
interface Family {
  name: string;
  shape: (seed: number) => PoolShape;
  label: LabelSpec;
  alpha: number;
  seed: number;
  reps: number;
  /** Goal on ≤ 3 days, when the family has one. */
  caught3?: number;
}

const ISSUE_91: LabelSpec = { factor: 0.5, fromDay: 7, toDay: 18, share: 1 / 3, minCallsPerDay: 120 };
const busier = (factorRange?: [number, number]): LabelSpec => ({
  factor: 0.5,
  fromDay: 7,
  toDay: 18,
  share: 1 / 3,
  busier: true,
  ...(factorRange ? { factorRange } : {}),
});
const FAMILIES: Family[] = [
  {
    name: "issue 91 pools (issue 80 shape, ×0.5 on a third of ≥ 120/day), α 5%",
    shape: () => ISSUE_80,
    label: ISSUE_91,
    alpha: 0.05,
    seed: 110_000,
    reps: 60,
    caught3: 0.9,
  },
  {
    name: "families, ×0.5 on a third of the busier, α 5%",
    shape: familyShape,
    label: busier(),
    alpha: 0.05,
    seed: 120_000,
    reps: 80,
    caught3: 0.9,
  },
  {
    name: "families, ×0.3–×0.6 on a third of the busier, α 5%",
    shape: familyShape,
    label: busier([0.3, 0.6]),
    alpha: 0.05,
    seed: 130_000,
    reps: 80,
  },
  {
    name: "families, ×0.3–×0.6 on a third of the busier, α 1%",
    shape: familyShape,
    label: busier([0.3, 0.6]),
    alpha: 0.01,
    seed: 140_000,
    reps: 80,
  },
];

interface FamilyTally {
  labels: Array<{ factor: number; delay: number; peerMs: Array<[number, number]> }>;
  clean: number;
  falseAlarms: number;
  /** The peer CUSUM's clean maxima. */
  peerNulls: number[];
  /** Rows whose `calls` is not the history's count and says neither why (must stay 0). */
  callsUnexplained: number;
}

function familyRun(f: Family): FamilyTally {
  const t: FamilyTally = { labels: [], clean: 0, falseAlarms: 0, peerNulls: [], callsUnexplained: 0 };
  for (let r = 0; r < repsOf(f.reps); r++) {
    const pool = simulatePool(f.shape(f.seed + r), f.seed + r, f.label);
    const labels = new Map(pool.labels.map((l) => [l.callerId, l]));
    const peersOf = peerRates(pool.series);
    const tested = testSeries(pool.series, { falseAlarmRate: f.alpha });
    for (const x of tested) {
      const label = labels.get(x.series.name);
      // The plain peer-comparison CUSUM for × 0.5 (the issue's baseline): its path.
      const rate = peersOf(x.series);
      let s = 0;
      let max = 0;
      const path: Array<[number, number]> = [];
      for (const h of x.series.hours) {
        const p = rate(h.hour);
        if (p === undefined) continue;
        s = Math.max(
          0,
          s + h.answered * Math.log(0.5) + (h.calls - h.answered) * Math.log((1 - 0.5 * p) / (1 - p)),
        );
        max = Math.max(max, s);
        path.push([h.hour * HOUR, s]);
      }
      t.callsUnexplained += callsUnexplained(x);
      if (!label) {
        t.clean += 1;
        if (x.run.firstSuspectIndex !== undefined) t.falseAlarms += 1;
        t.peerNulls.push(max);
        continue;
      }
      const at = suspectAt(x, label.atMs);
      t.labels.push({
        factor: label.factor,
        delay: at === undefined ? Number.POSITIVE_INFINITY : at - label.atMs,
        peerMs: path.filter(([ms]) => ms >= label.atMs),
      });
    }
  }
  return t;
}

/** 1 when a row's `calls` is neither its series' count nor, with the reason given, its count since onset. */
function callsUnexplained(x: TestedSeries): number {
  const all = x.series.hours.reduce((n, h) => n + h.calls, 0);
  const row = x.row;
  if (row.evidence.windowCalls !== all) return 1;
  if (row.evidence.callsCounted !== "since onset") return row.calls === all ? 0 : 1;
  const since = x.series.hours.slice(x.run.onsetIndex ?? 0).reduce((n, h) => n + h.calls, 0);
  return row.calls === since ? 0 : 1;
}

function familyRows(suite: string, f: Family, t: FamilyTally): BenchRow[] {
  const n = t.labels.length;
  const within = (days: number, pick = (_f: number) => true) =>
    t.labels.filter((l) => pick(l.factor) && l.delay <= days * DAY).length;
  const sorted = [...t.peerNulls].sort((a, b) => a - b);
  const peerH = sorted[Math.floor((1 - f.alpha) * sorted.length)] ?? 0;
  const peerFalse = sorted.filter((m) => m >= peerH).length;
  const peerWithin = (days: number) =>
    t.labels.filter((l) =>
      l.peerMs.some(([ms, v]) => v >= peerH && ms - (l.peerMs[0]?.[0] ?? ms) <= days * DAY),
    ).length;
  const fa = t.falseAlarms / Math.max(1, t.clean);
  const buckets = (
    [
      ["×0.3–0.4", (x: number) => x < 0.4],
      ["×0.4–0.5", (x: number) => x >= 0.4 && x < 0.5],
      ["×0.5–0.6", (x: number) => x >= 0.5],
    ] as const
  )
    .map(([name, pick]) => {
      const k = t.labels.filter((l) => pick(l.factor)).length;
      return k > 0 && f.label.factorRange ? ` ${name} ${ci(within(3, pick), k)};` : "";
    })
    .join("");
  process.stderr.write(
    `callerid ${f.name}: ${n} labels, caught ≤3d ${ci(within(3), n)}, ≤1d ${ci(within(1), n)};${buckets} false alarms on clean numbers ${ci(t.falseAlarms, t.clean)} (asked ${f.alpha}); plain peer CUSUM ×0.5 set on the clean numbers for α (${ci(peerFalse, sorted.length)}, threshold ${peerH.toFixed(2)}) ≤3d ${ci(peerWithin(3), n)}, ≤1d ${ci(peerWithin(1), n)}; rows whose calls differ from the history's count unexplained: ${t.callsUnexplained}\n`,
  );
  return [
    {
      suite,
      metric: `${f.name}: caught within 3 days (plain peer CUSUM ${(peerWithin(3) / n).toFixed(3)}; within 1 day ${(within(1) / n).toFixed(3)})`,
      unit: "share",
      ours: within(3) / n,
      baseline: peerWithin(3) / n,
      baselineLabel: "plain peer-comparison CUSUM, threshold set on the clean numbers for α",
      target: f.caught3 !== undefined ? `≥ ${f.caught3}` : "reported",
      met: within(3) / n >= (f.caught3 ?? 0),
    },
    {
      suite,
      metric: `${f.name}: false alarms on clean numbers per 21 days`,
      unit: "share",
      ours: fa,
      target: `${f.alpha / 2} to ${f.alpha}`,
      met: fa >= f.alpha / 2 && fa <= f.alpha,
    },
    {
      suite,
      metric: `${f.name}: rows whose calls differ from the history's count without saying why`,
      unit: "rows",
      ours: t.callsUnexplained,
      target: "0",
      met: t.callsUnexplained === 0,
    },
  ];
}

export default async function callerIdBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const suite = "callerid";
  const only = process.env.CALLERID_BENCH_ONLY;
  for (const sc of SCENARIOS) {
    if (only && !sc.name.includes(only)) continue;
    rows.push(...rowsOf(suite, sc, scenario(sc.shape, sc.label, sc.alpha, sc.split, sc.seed, sc.reps)));
  }
  for (const f of FAMILIES) {
    if (only && !f.name.includes(only)) continue;
    rows.push(...familyRows(suite, f, familyRun(f)));
  }
  if (process.env.CALLERID_BENCH_REPS) return rows;

  // 2,000 numbers in one pool: time and false alarms.
  const big = { ...DEFAULT_POOL, numbers: 2000 };
  const t0 = performance.now();
  const pool = simulatePool(big, 7, all(0.5));
  const t1 = performance.now();
  const tested = testSeries(pool.series, { falseAlarmRate: 0.01 });
  const t2 = performance.now();
  const bigFalse = tested.filter(
    (x) => x.series.name !== pool.labelled?.callerId && x.run.firstSuspectIndex !== undefined,
  ).length;
  process.stderr.write(
    `callerid 2,000 numbers: simulate ${((t1 - t0) / 1000).toFixed(1)} s, test ${((t2 - t1) / 1000).toFixed(2)} s, false alarms ${ci(bigFalse, 1999)}\n`,
  );
  rows.push({
    suite,
    metric: "2,000 numbers × 21 days: the test itself",
    unit: "s",
    ours: (t2 - t1) / 1000,
    target: "< 60",
    met: (t2 - t1) / 1000 < 60,
  });

  rows.push(...(await datasetScale(suite)));
  return rows;
}

/** 25,000,000 outcomes over 2,000 numbers, 21 days, as a Parquet dataset partitioned by day. */
async function datasetScale(suite: string): Promise<BenchRow[]> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-bench-callerid-"));
  try {
    const g0 = performance.now();
    const instance = await DuckDBInstance.create(":memory:");
    const db = await instance.connect();
    // Calls spread over 21 days × 11 calling hours; number i of 2,000 on 4 campaigns; answered
    // ~28 % (agent_id set), number 17 labelled ×0.5 from day 12.
    await db.run(`COPY (
      SELECT 'call-' || i AS id,
             'camp-' || (i % 4) AS campaign_id,
             make_timestamp(1791158400000000 + (i % 21) * 86400000000 + (13 + (i // 21) % 11) * 3600000000 + (i % 3600) * 1000000) AS start_time,
             CASE WHEN hash(i) % 1000 < (CASE WHEN (i // 7) % 2000 = 17 AND i % 21 >= 12 THEN 140 ELSE 280 END) THEN 'agent-' || (i % 60) ELSE NULL END AS agent_id,
             '+1800' || lpad(CAST(5550000 + (i // 7) % 2000 AS VARCHAR), 7, '0') AS caller_id,
             strftime(make_timestamp(1791158400000000 + (i % 21) * 86400000000), '%Y-%m-%d') AS date
      FROM range(25000000) t(i)
    ) TO '${dir}' (FORMAT parquet, PARTITION_BY (date))`);
    db.closeSync();
    instance.closeSync();
    const g1 = performance.now();
    const tally = new CallTally();
    const counts = await tallyDataset(dir, tally, {});
    const rows = callerIdHealth(tally.result(), { falseAlarmRate: 0.01 });
    const g2 = performance.now();
    const seconds = (g2 - g1) / 1000;
    const labelled = rows.find((r) => r.callerId === "+18005550017");
    process.stderr.write(
      `callerid 25M dataset: generated in ${((g1 - g0) / 1000).toFixed(1)} s; read ${counts.records} records, ${rows.length} rows in ${seconds.toFixed(1)} s; labelled number ${labelled?.status} (ratio ${labelled?.ratio}); suspect ${rows.filter((r) => r.status === "suspect").length}\n`,
    );
    return [
      {
        suite,
        metric: "25,000,000 outcomes over 2,000 numbers (DuckDB, Parquet dataset)",
        unit: "s",
        ours: seconds,
        target: "< 60",
        met: seconds < 60 && counts.records === 25_000_000,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
