import type { Command } from "commander";
import { clockNowMs } from "../../core/clock/now.ts";
import { InputError } from "../../core/input-error.ts";
import type { AbandonmentReport } from "../../dialer/abandonment/read-ledger.ts";
import { missingEstimateNotice } from "../../dialer/pacing/amd-estimate.ts";
import { withContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";
import { tableLines } from "../text-table.ts";

/**
 * `cxo dialer abandonment --campaign C [--at ISO] [--window W] [--under X] [--json]` (issue 67):
 * the abandonment ledger — per regime of the rule table its figure with the counts, a 95%
 * interval, the limit and the headroom; the AMD false-positive estimate with its interval and
 * the sampling plan. Exit 0 with the ledger, 2 for bad input (nothing sent).
 */
const FLAG_OF: Record<string, string> = {
  campaignId: "--campaign",
  at: "--at",
  window: "--window",
  under: "--under",
};

export function registerDialerAbandonmentCommand(dialer: Command): void {
  dialer
    .command("abandonment")
    .description(
      "the abandonment ledger: each regime's figure with its 95% interval, limit and headroom; the AMD estimate and its sampling plan",
    )
    .option("--campaign <id>", "a campaign created from this data dir")
    .option("--at <iso>", "read the ledger at this instant, ISO-8601 with an offset (default: now)")
    .option(
      "--window <id>",
      "one regime of the rule table: ftc-30d, ofcom-24h, day, crtc-month (default: all)",
    )
    .option(
      "--under <share>",
      "the share the sampling plan is to show the AMD false positives are under (default 0.01)",
    )
    .action(
      withContext(async (ctx, options: Record<string, string | undefined>) => {
        const under = options.under === undefined ? undefined : Number(options.under);
        if (options.under !== undefined && (options.under.trim() === "" || !Number.isFinite(under)))
          throw new InputError({ field: "--under", rule: "must be a number such as 0.01" });
        const params = {
          campaignId: options.campaign as string,
          ...(options.at === undefined ? {} : { at: options.at }),
          ...(options.window === undefined ? {} : { window: options.window }),
          ...(under === undefined ? {} : { under }),
        };
        const { checkAbandonmentParams } = await import("../../dialer/abandonment/params.ts");
        // Checked here first so that bad input sends nothing (no client, no token request).
        await withFlagNames(FLAG_OF, async () => checkAbandonmentParams(params, clockNowMs()));
        const report = await withFlagNames(FLAG_OF, () =>
          ctx.withClient((client) => client.dialer.abandonment(params)),
        );
        ctx.print(report, () => abandonmentText(report));
      }),
    );
}

const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(2)}%`);
const interval = (i: [number, number] | null) => (i ? `${pct(i[0])}–${pct(i[1])}` : "—");
const whole = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

/** The human ledger: one row per regime, then the AMD estimate and the plan. */
export function abandonmentText(r: AbandonmentReport): string {
  const header = ["regime", "window", "abandoned", "live", "rate", "95% interval", "limit", "headroom", ""];
  const rows = r.regimes.map((f) => [
    f.regime,
    f.window.words,
    whole(f.abandoned),
    whole(f.live),
    pct(f.rate),
    interval(f.interval95),
    pct(f.limit),
    whole(Math.floor(f.headroom * 10) / 10),
    [
      f.over ? "OVER" : "",
      f.amd.inFigure ? `incl. ${whole(f.amd.estimatedPeople)} hung up on as machines (estimate)` : "",
      f.worst && f.worst.rate > (f.rate ?? 0)
        ? `worst 24 h ${pct(f.worst.rate)} (${f.worst.window.from} → ${f.worst.window.to})`
        : "",
      f.attempted && f.attempted.attempts > 0
        ? `${f.attempted.attempts} attempted connections to UK numbers`
        : "",
    ]
      .filter(Boolean)
      .join("; "),
  ]);
  const a = r.amd;
  const evidence = a.estimate
    ? "sampled" in a.estimate
      ? `${a.estimate.foundLive} live of ${a.estimate.sampled} machine-classified calls reviewed`
      : "a rate without a review behind it (Ofcom asks for a reasoned estimate)"
    : "none given (pacing.machines.falsePositive in the campaign spec)";
  // Paced under a regime that counts these people (Ofcom's) with no estimate: say so, under the
  // table (issue 67 §3: a warning, no assumed share).
  const notice = r.pacing ? missingEstimateNotice(r.pacing.window, a.estimate ?? undefined) : null;
  const plan = a.plan;
  const planText = plan.shownNow
    ? `the review already shows under ${pct(plan.under)} at 95% (upper bound ${pct(plan.upperNow)})`
    : plan.reviewMore === null
      ? `no review can show under ${pct(plan.under)}: the rate found so far is not under it`
      : `review ${plan.reviewMore} more machine-classified calls to show under ${pct(plan.under)} at 95%, if ${plan.assumes}`;
  return [
    `abandonment ledger of ${r.campaignId} at ${r.at}${r.pacing ? ` (paced under ${r.pacing.window}, target ${pct(r.pacing.target)})` : ""}; counters: ${r.counters}`,
    ...tableLines([header, ...rows]),
    `AMD false positives (people hung up on as machines): ${pct(a.rate)} of machine verdicts, 95% ${interval(a.interval95)}; ${evidence}`,
    ...(notice ? [`WARNING: ${notice}`] : []),
    `  ${whole(a.machines)} machine verdicts in 30 days → ~${whole(Math.round(a.people.estimate * 10) / 10)} people`,
    `sampling plan: ${planText}`,
    a.sample.ids.length > 0
      ? `calls to review (${a.sample.ids.length} of ${a.sample.of}, seed ${a.sample.seed}): ${a.sample.ids.join(" ")}`
      : `calls to review: none listed (${a.sample.of} machine-classified calls in the outcomes)`,
  ].join("\n");
}
