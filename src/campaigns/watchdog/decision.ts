/**
 * The watchdog's decision, pure: classify one metrics sample, count streaks, decide whether to
 * fail over (or back). No I/O, no clock; table-tested.
 *
 * - A sample is trusted only with a minimum sample size: `callsInWindow ≥ minSample`. When CXone
 *   does not report `callsInWindow`, the sample is insufficient (unless `minSample` is 0): a
 *   rate computed from 3 calls says nothing, and the seed's watchdog failed over on those.
 * - A breach is a trusted sample with `successRate < threshold`. Failover happens only after
 *   `breaches` CONSECUTIVE breaches (hysteresis: one bad window does not move traffic). A
 *   healthy sample resets the streak; an insufficient one neither extends nor resets it (it
 *   carries no information either way).
 * - While an incident is open no second failover starts. With fail-back enabled, `breaches`
 *   consecutive healthy samples of the primary fail back; any breach resets that streak.
 */

export interface DecisionConfig {
  /** Success rate (fraction) below which a trusted sample is a breach. */
  threshold: number;
  /** Calls in the window needed to trust a sample; 0 trusts every sample. */
  minSample: number;
  /** Consecutive breaches before failing over (and healthy samples before failing back). */
  breaches: number;
  failBack: boolean;
}

export interface Sample {
  successRate: number;
  callsInWindow: number | undefined;
}

export type Verdict = "breach" | "healthy" | "insufficient";

export interface Counters {
  /** Consecutive breaches while no incident is open. */
  breaches: number;
  /** Consecutive healthy samples while an incident is open (towards fail-back). */
  healthy: number;
  incidentOpen: boolean;
}

export type Action = "none" | "failover" | "fail-back";

export interface Decision {
  verdict: Verdict;
  counters: Counters;
  action: Action;
}

export function classify(sample: Sample, config: Pick<DecisionConfig, "threshold" | "minSample">): Verdict {
  const trusted =
    config.minSample === 0 ||
    (sample.callsInWindow !== undefined && sample.callsInWindow >= config.minSample);
  if (!trusted) return "insufficient";
  return sample.successRate < config.threshold ? "breach" : "healthy";
}

export function decide(counters: Counters, sample: Sample, config: DecisionConfig): Decision {
  const verdict = classify(sample, config);
  if (verdict === "insufficient") return { verdict, counters, action: "none" };
  if (!counters.incidentOpen) {
    if (verdict === "healthy") return { verdict, counters: { ...counters, breaches: 0 }, action: "none" };
    const breaches = counters.breaches + 1;
    if (breaches >= config.breaches)
      return { verdict, counters: { breaches, healthy: 0, incidentOpen: true }, action: "failover" };
    return { verdict, counters: { ...counters, breaches }, action: "none" };
  }
  if (verdict === "breach") return { verdict, counters: { ...counters, healthy: 0 }, action: "none" };
  const healthy = counters.healthy + 1;
  if (config.failBack && healthy >= config.breaches)
    return { verdict, counters: { breaches: 0, healthy, incidentOpen: false }, action: "fail-back" };
  return { verdict, counters: { ...counters, healthy }, action: "none" };
}
