import { exactInterval, wilson } from "../../core/binomial-interval.ts";
import { type FalsePositiveEstimate, falsePositiveRate } from "../pacing/amd-estimate.ts";
import { LEDGER_HOURS, REGIMES, type Regime, type RegimeId } from "./regimes.ts";
import { type SamplingPlan, samplingPlan } from "./sampling-plan.ts";

/**
 * The abandonment ledger (issue 67 §2): from a campaign's counts per clock hour (the dialer's
 * live answers and abandons, and the machine verdicts), the figure each regime of the rule
 * table defines over the window it defines, with its counts, a 95% interval and the headroom
 * left; and the operator's AMD estimate with its interval. Pure: counts in, figures out.
 *
 * The interval is Wilson's for the campaign's abandonment rate, widened by the hours' spread
 * when it is larger than a binomial's (a dispersion φ from the window's hours: the counts are
 * read as k/φ of n/φ), and, where the regime counts the AMD estimate, from the lower end of the
 * estimate's interval to its upper end.
 */
export interface LedgerHour {
  /** Hours since the epoch (UTC). */
  hour: number;
  /** Live answers and abandons as the dialer counted them. */
  live: number;
  abandoned: number;
  /** Calls the detector classified as machines (hung up). */
  machines: number;
  /** Attempted connections (every dial, answered or not) to United Kingdom (+44) numbers. */
  attemptedUk?: number;
}

export interface LedgerInput {
  at: number;
  hours: readonly LedgerHour[];
  estimate?: FalsePositiveEstimate | undefined;
  regimes?: readonly Regime[];
}

export interface WindowSpan {
  from: string;
  to: string;
  words: string;
}

export interface RegimeFigure {
  regime: RegimeId;
  authority: string;
  citation: string;
  confidence: Regime["confidence"];
  window: WindowSpan;
  /** Abandoned and live answers as the regime counts them (the AMD estimate included where it counts it). */
  abandoned: number;
  live: number;
  /** The dialer's own count. */
  counted: { abandoned: number; live: number };
  /** Machine verdicts in the window and the people among them by the estimate; `inFigure` where the regime counts them. */
  amd: { machines: number; estimatedPeople: number; inFigure: boolean };
  /** abandoned / live; null with no live answer. */
  rate: number | null;
  interval95: [number, number] | null;
  limit: number;
  /** Abandons the window can still take at its live answers so far: limit × live − abandoned. */
  headroom: number;
  over: boolean;
  /**
   * Where the regime counts them (Ofcom's, for PECR as amended): the attempted connections to the
   * country's numbers in the window, every dial answered or not, with the source.
   */
  attempted?: { country: "GB"; attempts: number; citation: string };
  /** Ofcom's "any 24 hours": the worst rolling window in the data kept (null when no live answer). */
  worst?: {
    window: WindowSpan;
    abandoned: number;
    live: number;
    rate: number;
    interval95: [number, number];
  } | null;
}

export interface AmdFigure {
  estimate: FalsePositiveEstimate | null;
  /** The share of machine verdicts that were live people (0 without an estimate). */
  rate: number;
  /** Exact 95% interval from the review's counts; null for a bare rate (no evidence behind it). */
  interval95: [number, number] | null;
  /** Machine verdicts over the last 30 days and the people among them (point and interval). */
  machines: number;
  people: { estimate: number; interval95: [number, number] | null };
}

export interface Ledger {
  at: string;
  regimes: RegimeFigure[];
  amd: AmdFigure;
}

const HOUR_MS = 3_600_000;
const iso = (hour: number) => new Date(hour * HOUR_MS).toISOString();

/** The first hour (inclusive) and the hour after the last of a regime's window at `at`. */
function span(regime: Regime, at: number): [number, number] {
  const now = Math.floor(at / HOUR_MS);
  const end = now + 1;
  if (regime.window.kind === "rolling") return [end - (regime.window.hours as number), end];
  if (regime.window.kind === "utc-day") return [Math.floor(now / 24) * 24, end];
  const date = new Date(at);
  return [Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / HOUR_MS, end];
}

interface Sums {
  live: number;
  abandoned: number;
  machines: number;
  /** Pearson's dispersion of the hours (≥ 1). */
  phi: number;
}

function sums(hours: readonly LedgerHour[], from: number, to: number): Sums {
  let live = 0;
  let abandoned = 0;
  let machines = 0;
  for (const h of hours)
    if (h.hour >= from && h.hour < to) {
      live += h.live;
      abandoned += h.abandoned;
      machines += h.machines;
    }
  return { live, abandoned, machines, phi: dispersion(hours, from, to, abandoned / live) };
}

/** Pearson's χ² over the hours with live answers, per degree of freedom, at least 1. */
export function dispersion(hours: readonly LedgerHour[], from: number, to: number, p: number): number {
  if (!(p > 0 && p < 1)) return 1;
  let chi = 0;
  let k = 0;
  for (const h of hours)
    if (h.hour >= from && h.hour < to && h.live > 0) {
      chi += (h.abandoned - p * h.live) ** 2 / (p * (1 - p) * h.live);
      k++;
    }
  return k >= 2 ? Math.max(1, chi / (k - 1)) : 1;
}

/** The interval of (abandoned + people) / (live + people) with `people` within [lo, hi]. */
export function rateInterval(s: Sums, people: [number, number] | null): [number, number] | null {
  if (s.live <= 0) return null;
  const [pLo, pHi] = people ?? [0, 0];
  const lo = wilson((s.abandoned + pLo) / s.phi, (s.live + pLo) / s.phi)[0];
  const hi = wilson((s.abandoned + pHi) / s.phi, (s.live + pHi) / s.phi)[1];
  return [lo, hi];
}

export function amdFigure(estimate: FalsePositiveEstimate | undefined, machines: number): AmdFigure {
  const rate = falsePositiveRate(estimate);
  const interval95 =
    estimate && "sampled" in estimate ? exactInterval(estimate.foundLive, estimate.sampled) : null;
  return {
    estimate: estimate ?? null,
    rate,
    interval95,
    machines,
    people: {
      estimate: rate * machines,
      interval95: interval95 ? [interval95[0] * machines, interval95[1] * machines] : null,
    },
  };
}

function regimeFigure(regime: Regime, input: LedgerInput, amd: AmdFigure): RegimeFigure {
  const [from, to] = span(regime, input.at);
  const s = sums(input.hours, from, to);
  const inFigure = regime.countsAmdEstimate && amd.estimate !== null;
  const people = s.machines * amd.rate;
  const peopleRange: [number, number] | null = inFigure
    ? amd.interval95
      ? [amd.interval95[0] * s.machines, amd.interval95[1] * s.machines]
      : [people, people]
    : null;
  const abandoned = s.abandoned + (inFigure ? people : 0);
  const live = s.live + (inFigure ? people : 0);
  const rate = live > 0 ? abandoned / live : null;
  const figure: RegimeFigure = {
    regime: regime.id,
    authority: regime.authority,
    citation: regime.citation,
    confidence: regime.confidence,
    window: { from: iso(from), to: iso(to), words: regime.window.words },
    abandoned,
    live,
    counted: { abandoned: s.abandoned, live: s.live },
    amd: { machines: s.machines, estimatedPeople: people, inFigure },
    rate,
    interval95: rateInterval(s, peopleRange),
    limit: regime.limit,
    headroom: regime.limit * live - abandoned,
    over: rate !== null && rate > regime.limit,
  };
  if (regime.countsAttempted) {
    let attempts = 0;
    for (const h of input.hours) if (h.hour >= from && h.hour < to) attempts += h.attemptedUk ?? 0;
    figure.attempted = {
      country: regime.countsAttempted.country,
      attempts,
      citation: regime.countsAttempted.citation,
    };
  }
  if (regime.window.worstRolling) figure.worst = worstRolling(regime, input, amd);
  return figure;
}

/** The worst of every rolling window of the regime's length that ends in the data kept. */
function worstRolling(regime: Regime, input: LedgerInput, amd: AmdFigure): RegimeFigure["worst"] {
  const length = regime.window.hours as number;
  const now = Math.floor(input.at / HOUR_MS);
  let worst: RegimeFigure["worst"] = null;
  for (let end = now + 1; end > now + 1 - LEDGER_HOURS + length; end--) {
    const s = sums(input.hours, end - length, end);
    const counts = regime.countsAmdEstimate && amd.estimate !== null;
    const people = counts ? s.machines * amd.rate : 0;
    const live = s.live + people;
    if (live <= 0) continue;
    const rate = (s.abandoned + people) / live;
    if (worst && rate <= worst.rate) continue;
    const range: [number, number] | null = counts
      ? amd.interval95
        ? [amd.interval95[0] * s.machines, amd.interval95[1] * s.machines]
        : [people, people]
      : null;
    worst = {
      window: { from: iso(end - length), to: iso(end), words: regime.window.words },
      abandoned: s.abandoned + people,
      live,
      rate,
      interval95: rateInterval(s, range) as [number, number],
    };
  }
  return worst;
}

export function abandonmentLedger(input: LedgerInput): Ledger {
  const now = Math.floor(input.at / HOUR_MS);
  const month = sums(input.hours, now + 1 - 30 * 24, now + 1);
  const amd = amdFigure(input.estimate, month.machines);
  return {
    at: new Date(input.at).toISOString(),
    regimes: (input.regimes ?? REGIMES).map((regime) => regimeFigure(regime, input, amd)),
    amd,
  };
}

/** The review's plan for the ledger's estimate (sampling-plan.ts), from its evidence. */
export function planOf(estimate: FalsePositiveEstimate | undefined, under: number): SamplingPlan {
  return estimate && "sampled" in estimate
    ? samplingPlan(estimate.sampled, estimate.foundLive, under)
    : samplingPlan(0, 0, under);
}
