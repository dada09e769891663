/**
 * Issue 67 §3, the small teams' 2–3% cells: how much of a target can any controller spend with
 * at most `risk` of its days over it? An oracle bound, by dynamic programming over one day.
 *
 * The model (a relaxation: every real controller is one of its policies, or worse). A day has N
 * people (known in advance: the controller knows them only by a prior). Each person is dropped
 * by the detector's floor with chance f, whoever paces; on top, the policy may pace: a pacing
 * drop event with chance pmax ÷ c per person, which drops c people at once (drops come in pairs
 * or more when answers find no agent; c = 1 is the most steerable case). It decides person by
 * person, knowing every drop so far (no lag: the dials a real controller places now are answered
 * seconds later). The day is over when its drops exceed ⌊target × N⌋. The best policy for
 * E[drops] − λ × P(over) is found backwards (it is bang-bang: pace at pmax or not), λ is searched
 * so that P(over) = risk, and the two policies either side are mixed.
 *
 *   npx node bench/pacing-seeds/day-budget-bound.ts
 *
 * Prints, per cell, the best mean spend (÷ the target) at each c and pmax (× the target).
 */
interface Result {
  spend: number;
  over: number;
}

function solve(n: number, f: number, pmax: number, target: number, lambda: number, c: number): Result {
  const limit = Math.floor(target * n + 1e-9);
  const cap = limit + 1; // drops > limit: over (absorbing; later drops still counted in the mean)
  const e = pmax / c;
  let v = new Float64Array(cap + 1);
  for (let d = 0; d <= cap; d++) v[d] = d - (d > limit ? lambda : 0);
  const value = (w: Float64Array, d: number) =>
    d >= cap ? (w[cap] as number) + (d - cap) : (w[d] as number);
  const policy: Uint8Array[] = new Array(n);
  for (let i = n - 1; i >= 0; i--) {
    const next = new Float64Array(cap + 1);
    const use = new Uint8Array(cap + 1);
    for (let d = 0; d <= cap; d++) {
      const still = v[d] as number;
      const floorOnly = (1 - f) * still + f * value(v, d + 1);
      const paced = (1 - f - e) * still + f * value(v, d + 1) + e * value(v, d + c);
      if (paced > floorOnly) {
        next[d] = paced;
        use[d] = 1;
      } else next[d] = floorOnly;
    }
    policy[i] = use;
    v = next;
  }
  let dist = new Float64Array(cap + 1);
  dist[0] = 1;
  let extra = 0;
  for (let i = 0; i < n; i++) {
    const use = policy[i] as Uint8Array;
    const nd = new Float64Array(cap + 1);
    for (let d = 0; d <= cap; d++) {
      const p = dist[d] as number;
      if (p === 0) continue;
      const ee = use[d] === 1 ? e : 0;
      nd[d] = (nd[d] as number) + p * (1 - f - ee);
      const up1 = Math.min(d + 1, cap);
      nd[up1] = (nd[up1] as number) + p * f;
      if (d + 1 > cap) extra += p * f * (d + 1 - cap);
      if (ee > 0) {
        const upc = Math.min(d + c, cap);
        nd[upc] = (nd[upc] as number) + p * ee;
        if (d + c > cap) extra += p * ee * (d + c - cap);
      }
    }
    dist = nd;
  }
  let mean = extra;
  for (let d = 0; d <= cap; d++) mean += d * (dist[d] as number);
  return { spend: mean / (target * n), over: dist[cap] as number };
}

function bound(n: number, f: number, pmax: number, target: number, risk: number, c: number): number {
  let lo = 0;
  let hi = 1e5;
  for (let k = 0; k < 50; k++) {
    const mid = (lo + hi) / 2;
    if (solve(n, f, pmax, target, mid, c).over > risk) lo = mid;
    else hi = mid;
  }
  const a = solve(n, f, pmax, target, lo, c);
  const b = solve(n, f, pmax, target, hi, c);
  const w =
    Math.abs(a.over - b.over) < 1e-12 ? 1 : Math.min(1, Math.max(0, (risk - b.over) / (a.over - b.over)));
  return w * a.spend + (1 - w) * b.spend;
}

/** People a day (cxo's own days, the runs of docs/benchmarks.md), the floor P(hold > 2 s) with a 2.5 s detector. */
const FLOOR = 0.00607;
const cells = [
  { name: "team-10 2% (≤ 1% of days)", n: 1087, target: 0.02, risk: 0.01 },
  { name: "team-10 3% (≤ 1% of days)", n: 1171, target: 0.03, risk: 0.01 },
  { name: "long-22-day 2% (a day in 300 over)", n: 2266, target: 0.02, risk: 1 / 300 },
  { name: "long-22-day 2% (a day in 3,000)", n: 2266, target: 0.02, risk: 1 / 3000 },
  { name: "long-22-day 3% (a day in 300 over)", n: 2300, target: 0.03, risk: 1 / 300 },
  { name: "long-22-day 3% (a day in 3,000)", n: 2300, target: 0.03, risk: 1 / 3000 },
];
for (const cell of cells) {
  const row: string[] = [];
  for (const c of [1, 2, 3])
    for (const m of [1.5, 2, 3])
      row.push(
        `c ${c} pmax ${m}×: ${(100 * bound(cell.n, FLOOR, m * cell.target, cell.target, cell.risk, c)).toFixed(1)}%`,
      );
  console.log(`${cell.name}: ${row.join(", ")}`);
}
