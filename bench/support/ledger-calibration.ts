import { exactUpper } from "../../src/core/binomial-interval.ts";
import { abandonmentLedger, type LedgerHour } from "../../src/dialer/abandonment/ledger.ts";
import { regimeOf } from "../../src/dialer/abandonment/regimes.ts";
import { samplingPlan } from "../../src/dialer/abandonment/sampling-plan.ts";
import type { Scenario } from "../../src/dialer/pacing/scenario.ts";
import type { DaysResult } from "../../src/dialer/simulator/day/result.ts";
import { Random } from "../../src/dialer/simulator/des/prng.ts";

/**
 * Issue 67's calibration rows. (1) The ledger's 95% interval against the simulator's truth: for
 * each simulated day of a run kept with `ledgerCounts`, the ledger reads what a dialer counts
 * (live answers and abandons less the people hung up on as machines, the machine verdicts) and
 * a simulated operator's estimate (a review of `reviewed` machine-classified calls, a binomial
 * draw from the run's true share of people among them), and its Ofcom figure for the day must
 * cover the day's true abandonment (every abandoned person, the hidden ones included). (2) The
 * sampling plan: simulated operators with a true share around "under X%" review an initial
 * sample, follow the plan, and claim "under X%" when the exact bound says so; a claim is wrong
 * when the true share is not under X.
 */
export interface CoverageResult {
  days: number;
  /** Days whose interval holds the day's true abandonment. */
  coverage: number;
  /** Days whose interval holds the run's long-run true rate (the propensity; information). */
  coverageOfMean: number;
  /** Mean interval width (points of abandonment) and mean true rate. */
  meanWidth: number;
  meanTrue: number;
  /** The runs' true share of people among machine verdicts, mean. */
  trueShare: number;
}

const HOUR_MS = 3_600_000;

export function ledgerCoverage(
  runs: ReadonlyArray<{ scenario: Scenario; result: DaysResult }>,
  options: { reviewed: number; seed: number },
): CoverageResult {
  const ofcom = regimeOf("ofcom-24h")!;
  const random = new Random(options.seed);
  let days = 0;
  let covered = 0;
  let coveredMean = 0;
  let width = 0;
  let truth = 0;
  let shares = 0;
  for (const { scenario, result } of runs) {
    const ledger = result.ledger;
    if (!ledger) throw new Error("ledgerCoverage needs runs kept with ledgerCounts");
    const totalHidden = ledger.hidden.reduce((a, b) => a + b, 0);
    const totalMachines = ledger.machines.reduce((a, b) => a + b, 0);
    const share = totalMachines > 0 ? totalHidden / totalMachines : 0;
    shares += share;
    let found = 0;
    for (let i = 0; i < options.reviewed; i++) if (random.uniform() < share) found++;
    const estimate = { sampled: options.reviewed, foundLive: found };
    const lives = result.lives.reduce((a, b) => a + b, 0);
    const mean = lives > 0 ? result.abandons.reduce((a, b) => a + b, 0) / lives : 0;
    for (let d = 0; d < result.days; d++) {
      const trueLives = result.lives[d] as number;
      if (trueLives <= 0) continue;
      const dayTruth = (result.abandons[d] as number) / trueLives;
      const hours = dayHours(scenario, result, d);
      const at = ((result.calendarDays[d] as number) * 24 + 23.5) * HOUR_MS;
      const [figure] = abandonmentLedger({ at, hours, estimate, regimes: [ofcom] }).regimes;
      const interval = figure?.interval95;
      if (!interval) continue;
      days++;
      if (dayTruth >= interval[0] && dayTruth <= interval[1]) covered++;
      if (mean >= interval[0] && mean <= interval[1]) coveredMean++;
      width += interval[1] - interval[0];
      truth += dayTruth;
    }
  }
  return {
    days,
    coverage: days > 0 ? covered / days : 0,
    coverageOfMean: days > 0 ? coveredMean / days : 0,
    meanWidth: days > 0 ? width / days : 0,
    meanTrue: days > 0 ? truth / days : 0,
    trueShare: runs.length > 0 ? shares / runs.length : 0,
  };
}

/** A day's counts per clock hour as a dialer sees them: the people hung up on are machines to it. */
function dayHours(scenario: Scenario, result: DaysResult, d: number): LedgerHour[] {
  const ledger = result.ledger!;
  const base = d * result.minutes;
  const dayHour = (result.calendarDays[d] as number) * 24;
  const byHour = new Map<number, LedgerHour>();
  for (let m = 0; m < result.minutes; m++) {
    const hour = dayHour + Math.floor((scenario.startSecond + 60 * m) / 3600);
    let h = byHour.get(hour);
    if (!h) {
      h = { hour, live: 0, abandoned: 0, machines: 0 };
      byHour.set(hour, h);
    }
    const hidden = ledger.hidden[base + m] as number;
    h.live += (result.minuteLives[base + m] as number) - hidden;
    h.abandoned += (result.minuteAbandons[base + m] as number) - hidden;
    h.machines += ledger.machines[base + m] as number;
  }
  return [...byHour.values()];
}

export interface PlanCalibration {
  under: number;
  operators: number;
  /** Operators whose true share is at or over `under`, and the share of them told "under" (wrong). */
  atOrOver: number;
  wrongAmongAtOrOver: number;
  /** Wrong claims among every operator. */
  wrong: number;
  /** Operators truly under who could claim it after the plan (information: the plan's power). */
  shownAmongUnder: number;
  /** Mean reviews the plan asked for beyond the initial sample, where it asked for any. */
  meanReviewMore: number;
}

/** Binomial(n, p) by geometric skips: O(successes), so long reviews of rare events cost little. */
function binomial(random: Random, n: number, p: number): number {
  if (p <= 0 || n <= 0) return 0;
  const logQ = Math.log1p(-p);
  let k = 0;
  let at = Math.floor(Math.log(1 - random.uniform()) / logQ);
  while (at < n) {
    k++;
    at += 1 + Math.floor(Math.log(1 - random.uniform()) / logQ);
  }
  return k;
}

export function planCalibration(options: {
  under: number;
  /** True shares as multiples of `under` (e.g. 0.5 … 1.5). */
  multiples: readonly number[];
  perShare: number;
  initial: number;
  seed: number;
}): PlanCalibration {
  const { under, initial } = options;
  const random = new Random(options.seed);
  let operators = 0;
  let atOrOver = 0;
  let wrongOver = 0;
  let wrong = 0;
  let under_ = 0;
  let shownUnder = 0;
  let asked = 0;
  let askedCount = 0;
  for (const multiple of options.multiples) {
    const share = multiple * under;
    for (let i = 0; i < options.perShare; i++) {
      operators++;
      const k0 = binomial(random, initial, share);
      const plan = samplingPlan(initial, k0, under);
      let claim = plan.shownNow;
      if (!claim && plan.reviewMore !== null && plan.reviewMore > 0) {
        asked += plan.reviewMore;
        askedCount++;
        const k1 = binomial(random, plan.reviewMore, share);
        claim = exactUpper(k0 + k1, initial + plan.reviewMore) < under;
      }
      if (share >= under) {
        atOrOver++;
        if (claim) {
          wrongOver++;
          wrong++;
        }
      } else {
        under_++;
        if (claim) shownUnder++;
      }
    }
  }
  return {
    under,
    operators,
    atOrOver,
    wrongAmongAtOrOver: atOrOver > 0 ? wrongOver / atOrOver : 0,
    wrong: operators > 0 ? wrong / operators : 0,
    shownAmongUnder: under_ > 0 ? shownUnder / under_ : 0,
    meanReviewMore: askedCount > 0 ? asked / askedCount : 0,
  };
}
