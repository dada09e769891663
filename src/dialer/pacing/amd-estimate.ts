import { z } from "zod";
import { REGIMES } from "../abandonment/regimes.ts";

/**
 * The operator's estimate of the people the answering-machine detector hangs up on as machines:
 * `machines.falsePositive` in the pacing scenario, the campaign's `pacing` spec
 * and the live loop. Ofcom's persistent-misuse policy counts these calls as abandoned and asks
 * for a reasoned estimate of them (a vendor's quoted accuracy alone is not accepted), so the
 * estimate comes with its evidence: `{sampled, foundLive}` — machine-classified calls reviewed
 * (their recordings listened to) and how many of them were live people — or a bare `{rate}`.
 *
 * The rate is a share of the MACHINE-CLASSIFIED calls (what a review of their recordings
 * measures): the people hung up on are `rate × machine verdicts`. At most 0.5: a detector that
 * takes more people than machines for machines is no detector.
 */
export type FalsePositiveEstimate = { rate: number } | { sampled: number; foundLive: number };

export const MAX_FALSE_POSITIVE_RATE = 0.5;

const count = (what: string) =>
  z
    .number({ message: `must be a whole number of ${what}` })
    .int(`must be a whole number of ${what}`)
    .min(0, `must be at least 0 ${what}`);

export const falsePositiveEstimateSchema = z.union(
  [
    z.strictObject({
      rate: z
        .number({ message: "must be a share of machine-classified calls, from 0 to 0.5" })
        .min(0, "must be at least 0 (a share of machine-classified calls)")
        .max(MAX_FALSE_POSITIVE_RATE, "must be at most 0.5 (a share of machine-classified calls)"),
    }),
    z
      .strictObject({
        sampled: count("calls reviewed").min(1, "must be at least 1 call reviewed"),
        foundLive: count("live people found"),
      })
      .superRefine((e, ctx) => {
        if (e.foundLive > e.sampled)
          ctx.addIssue({
            code: "custom",
            path: ["foundLive"],
            message: `must be at most sampled (${e.sampled}): live people found among the calls reviewed`,
          });
        else if (e.foundLive / e.sampled > MAX_FALSE_POSITIVE_RATE)
          ctx.addIssue({
            code: "custom",
            path: ["foundLive"],
            message: "must be at most half of sampled (an estimate outside [0, 0.5])",
          });
      }),
  ],
  { message: "must be {rate} or {sampled, foundLive}" },
);

/** The point estimate: the share of machine-classified calls that were live people. */
export function falsePositiveRate(estimate: FalsePositiveEstimate | undefined): number {
  if (!estimate) return 0;
  return "rate" in estimate ? estimate.rate : estimate.foundLive / estimate.sampled;
}

/**
 * What `cxo` does under a regime that counts the people the detector hangs up on (Ofcom's) when
 * the operator gives no estimate of them (issue 67 §3): it warns, and assumes no share. Ofcom
 * publishes no false-positive rate and does not accept a vendor's quoted accuracy as the
 * "reasoned estimate" its policy asks for (docs/pacing.md, "No estimate under Ofcom"), so any
 * default would be a number without evidence: vendors' own accuracy claims run from "80–90%"
 * (errors of either kind) to "no measurable false positive", a span from a share that alone puts
 * a 2–3% target out of reach to none at all. Assuming the top would hold back a campaign whose
 * detector hangs up on nobody; assuming none is what `cxo` counts without an estimate. The
 * operator's own review (`cxo dialer abandonment` lists the calls to listen to) is the estimate.
 * The notice, or null where the regime does not count these people or an estimate (zero
 * included) is given.
 */
export function missingEstimateNotice(
  window: string,
  estimate: FalsePositiveEstimate | undefined,
): string | null {
  if (estimate) return null;
  const regime = REGIMES.find((r) => r.id === window);
  if (!regime?.countsAmdEstimate) return null;
  return (
    `no estimate of the people the answering-machine detector hangs up on as machines: ${regime.authority} ` +
    "counts them as abandoned and asks for a reasoned estimate, and no dialer sees them — the rate paced to " +
    "leaves them out. Review machine-classified calls (cxo dialer abandonment lists them) and set " +
    "pacing.machines.falsePositive ({sampled, foundLive}); {rate: 0} if the detector hangs up on nobody"
  );
}
