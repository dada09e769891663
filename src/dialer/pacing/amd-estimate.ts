import { z } from "zod";

/**
 * The operator's estimate of the people the answering-machine detector hangs up on as machines
 * (issue 67 §1): `machines.falsePositive` in the pacing scenario, the campaign's `pacing` spec
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
