import { createHash } from "node:crypto";
import { IANAZone } from "luxon";
import { z } from "zod";
import { canonicalJson } from "../core/audit/canonical-json.ts";
import { ID_PATTERN } from "../core/ids.ts";
import { NANP_E164, NANP_RULE } from "../core/phone-number.ts";
import { falsePositiveEstimateSchema } from "../dialer/pacing/amd-estimate.ts";
import { PACING_WINDOWS } from "../dialer/pacing/types.ts";
import type { CampaignDefinition } from "../platform/types.ts";
import { WEEKDAYS } from "../platform/weekdays.ts";

/**
 * The user's campaign spec (YAML or JSON), validated before anything is sent to CXone. Field
 * names are the user's (`queue`, `window.start`), not the wire's; `toDefinition` maps them to
 * the port's CampaignDefinition. Every rule names the law or limit it enforces, so an operator
 * who hits it knows why.
 */

/** TCPA (47 CFR 64.1200(c)(1)): no calls before 08:00 or after 21:00. */
export const EARLIEST_CALL = "08:00";
export const LATEST_CALL = "21:00";
/** FTC TSR 16 CFR 310.4(b)(4)(i): at most 3% of live-answered calls abandoned. */
export const MAX_ABANDONMENT = 0.03;

const idField = (what: string) =>
  z.string().regex(ID_PATTERN, `must be a ${what} id (letters, digits, . _ : -; at most 128 characters)`);

const clock = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a 24-hour time HH:MM (e.g. 08:00)")
  .refine(
    (value) => value >= EARLIEST_CALL && value <= LATEST_CALL,
    `must be within ${EARLIEST_CALL}–${LATEST_CALL} (TCPA calling hours)`,
  );

const positiveInt = (what: string) =>
  z.number().int(`must be a whole number of ${what}`).positive(`must be at least 1 ${what}`);

const predictiveSchema = z.strictObject({
  answerRatio: z
    .number()
    .gt(0, "must be greater than 0 (a fraction of dialed calls answered)")
    .max(1, "must be at most 1 (a fraction of dialed calls answered)"),
  maxCallsInFlight: z.number().int("must be a whole number of calls").positive("must be greater than 0"),
  callRate: z.number().positive("must be greater than 0 (calls per second)"),
  abandonmentThreshold: z
    .number()
    .min(0, "must be 0 or more")
    .max(
      MAX_ABANDONMENT,
      "must be at most 0.03: the 3% rule (FTC TSR 16 CFR 310.4(b)(4)(i)) caps abandoned live-answered calls at 3%",
    ),
});

const complianceSchema = z
  .strictObject({
    // Named zones only: Intl also accepts fixed offsets ("+05:00"), which ignore DST and so
    // would move the calling window by an hour for half the year.
    timeZone: z
      .string()
      .refine(
        (zone) =>
          (/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)+$/.test(zone) || zone === "UTC") && IANAZone.isValidZone(zone),
        {
          message: "must be an IANA time zone such as America/New_York (not an offset or abbreviation)",
        },
      ),
    window: z.strictObject({ start: clock, end: clock }),
    allowedDays: z
      .array(z.enum(WEEKDAYS, { message: `must be one of ${WEEKDAYS.join(", ")}` }))
      .min(1, "must list at least one day")
      .refine((days) => new Set(days).size === days.length, "must not repeat a day"),
    maxCallsPerContactPerDay: positiveInt("calls").optional(),
    maxCallsPerContactPerWeek: positiveInt("calls").optional(),
    maxCallsPerDay: positiveInt("calls").optional(),
  })
  .superRefine((value, ctx) => {
    if (value.window.start >= value.window.end)
      ctx.addIssue({
        code: "custom",
        path: ["window", "end"],
        message: `must be after window.start (${value.window.start})`,
      });
    const { maxCallsPerContactPerDay: day, maxCallsPerContactPerWeek: week } = value;
    if (day !== undefined && week !== undefined && day > week)
      ctx.addIssue({
        code: "custom",
        path: ["maxCallsPerContactPerWeek"],
        message: `must be at least maxCallsPerContactPerDay (${day})`,
      });
  });

export const failoverSpecSchema = z.strictObject({
  enabled: z.boolean().default(true),
  threshold: z
    .number()
    .gt(0, "must be greater than 0 (a success-rate fraction)")
    .lt(1, "must be less than 1 (a success-rate fraction)")
    .default(0.15),
  windowMinutes: z
    .number()
    .int("must be a whole number of minutes")
    .min(1, "must be at least 1 minute")
    .max(1440, "must be at most 1440 minutes (24 h)")
    .default(30),
  minSample: z.number().int("must be a whole number of calls").min(0, "must be 0 or more").default(30),
  breaches: z
    .number()
    .int("must be a whole number of evaluations")
    .min(1, "must be at least 1")
    .max(100, "must be at most 100")
    .default(3),
  backupCampaignId: idField("campaign").optional(),
});

/**
 * Live pacing (`cxo serve`, the leader): a controller sets the campaign's dial ratio from its live
 * figures, spending the legal window's abandonment budget (docs/pacing.md, "Live").
 */
export const pacingSpecSchema = z.strictObject({
  mode: z.enum(["auto", "off"], { message: "must be auto or off" }).default("auto"),
  target: z
    .number()
    .gt(0, "must be greater than 0 (an abandonment fraction)")
    .max(
      MAX_ABANDONMENT,
      "must be at most 0.03: the 3% rule (FTC TSR 16 CFR 310.4(b)(4)(i)) caps abandoned live-answered calls at 3%",
    )
    .default(MAX_ABANDONMENT),
  window: z
    .enum(PACING_WINDOWS, { message: `must be one of ${PACING_WINDOWS.join(", ")}` })
    .default("ftc-30d"),
  maxLinesPerAgent: z
    .number()
    .min(1, "must be at least 1 (progressive)")
    .max(3, "must be at most 3 lines per agent")
    .default(3),
  intervalSeconds: z
    .number()
    .int("must be a whole number of seconds")
    .min(1, "must be at least 1 second")
    .max(3600, "must be at most 3600 seconds")
    .default(60),
  maxStep: z.number().gt(0, "must be greater than 0").max(1, "must be at most 1").default(0.25),
  /**
   * What the loop does when the dial ratio in force is not the one it last set (someone changed
   * it outside the loop): `hand-over` (the default) stops the automation for this campaign and
   * leaves the new ratio in force; `reassert` writes the loop's ratio back. docs/pacing.md.
   */
  onOutsideChange: z.enum(["hand-over", "reassert"], { message: "must be hand-over or reassert" }).optional(),
  /**
   * The operator's estimate of the people the answering-machine detector hangs up on as machines
   * (`{rate}` or `{sampled, foundLive}`, a share of the machine verdicts): the controller and
   * Ofcom's window count them as abandoned; `cxo dialer abandonment` shows them.
   */
  machines: z.strictObject({ falsePositive: falsePositiveEstimateSchema }).optional(),
});

export const campaignSpecSchema = z.strictObject({
  name: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
  description: z.string().max(2000, "must be at most 2000 characters").optional(),
  /** May be left out here and given with `--contact-list` (the list ids differ per tenant). */
  contactListId: idField("contact list").optional(),
  queue: idField("queue").optional(),
  /** The state right after creation; paused by default so nothing dials until someone resumes it. */
  status: z.enum(["paused", "active"], { message: "must be paused or active" }).default("paused"),
  predictive: predictiveSchema,
  compliance: complianceSchema,
  failover: failoverSpecSchema.optional(),
  pacing: pacingSpecSchema.optional(),
  /**
   * What the campaign calls about: `collections` (a debt: Regulation F's frequency rules apply,
   * keyed by account) or `sales` (telephonic sales: Florida's and its followers' caps). Read by
   * `cxo strategy plan` as its `--kind` default; local to cxo, not sent to CXone.
   */
  kind: z.enum(["sales", "collections"], { message: "must be sales or collections" }).optional(),
  /**
   * The voice the campaign's calls use — `live` (a person), `prerecorded` or `ai`
   * (an artificial voice: each record needs prior express consent, written for sales; FCC 24-17)
   * — and, for California's rule, `announcement: live` (a live person introduces the call) and
   * `discloses: ai` (the introduction says the voice is artificial). Read by `cxo strategy plan`
   * (its default) and `strategy push`; local to cxo, not sent to CXone.
   */
  voice: z
    .enum(["live", "prerecorded", "ai"], { message: "must be one of live, prerecorded, ai" })
    .optional(),
  announcement: z.literal("live", { message: "must be live (a live person introduces the call)" }).optional(),
  /**
   * The number the campaign's calls present (E.164, NANP): production, the skill's outbound
   * caller id, set when the skill is created. A telemarketing campaign is not started from a
   * skill presenting none, an invalid one, or one of its own blocked numbers (47 CFR 64.1601(e)).
   */
  callerId: z.string().regex(NANP_E164, NANP_RULE).optional(),
  discloses: z
    .literal("ai", { message: "must be ai (the introduction says the voice is artificial)" })
    .optional(),
  /**
   * Per disposition code (or name): `dncRequest: true` marks it as the person's request not to be
   * called again: tagging a call with it records a revocation in the consent ledger.
   * When any code is marked, only marked codes count; else cxo recognises "Do Not Call"-type
   * names (docs/compliance.md). Local to cxo, not sent to CXone.
   */
  dispositions: z
    .record(
      z
        .string()
        .regex(
          /^[\x21-\x7e][\x20-\x7e]{0,63}$/,
          "must be a disposition code or name (printable, at most 64 characters)",
        ),
      z.strictObject({ dncRequest: z.boolean({ message: "must be true or false" }) }),
    )
    .optional(),
  /**
   * Let the create upload the contact list to the campaign's skill although it is running
   * (CXone dials an upload to a running skill at once). Off by default: such a create is refused
   * before anything is uploaded. Not part of the spec's hash (see specHash).
   */
  allowUploadWhileRunning: z.boolean({ message: "must be true or false" }).optional(),
});

export type CampaignSpec = z.infer<typeof campaignSpecSchema>;
/** A campaign spec as written (a spec file's content, or an object): fields with defaults may be left out. */
export type CampaignSpecInput = z.input<typeof campaignSpecSchema>;
export type FailoverSpec = z.infer<typeof failoverSpecSchema>;
/** A campaign spec's `pacing`: live pacing on the campaign's own figures (mode, abandonment target, legal window). */
export type PacingSpec = z.infer<typeof pacingSpecSchema>;

/** A validated spec with its contact list resolved: ready to send. */
export type ResolvedCampaignSpec = CampaignSpec & { contactListId: string };

/** Applies the contact list given apart (the CLI's `--contact-list`); a spec without either is bad input. */
export function resolveContactList(
  spec: CampaignSpec,
  override: string | undefined,
): ResolvedCampaignSpec | { problem: { field: string; rule: string } } {
  const contactListId = override ?? spec.contactListId;
  if (contactListId === undefined)
    return {
      problem: { field: "contactListId", rule: "is required (in the spec, or with `contactListId` ID)" },
    };
  return { ...spec, contactListId };
}

/**
 * SHA-256 of the spec's canonical JSON (keys sorted, defaults applied): the same campaign
 * described twice — reordered keys, a default written out or left implicit — hashes the same,
 * so its creation carries the same idempotency key on every run and retry.
 */
export function specHash(spec: ResolvedCampaignSpec): string {
  // A permission, not the campaign: a create refused because its skill was running must find
  // the same half-built campaign when it is run again with the permission added.
  const { allowUploadWhileRunning: _permission, ...campaign } = spec;
  return createHash("sha256").update(canonicalJson(campaign)).digest("hex");
}

export function toDefinition(spec: ResolvedCampaignSpec): CampaignDefinition {
  const { compliance } = spec;
  return {
    name: spec.name,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    status: spec.status,
    contactListId: spec.contactListId,
    ...(spec.allowUploadWhileRunning ? { allowUploadWhileRunning: true } : {}),
    ...(spec.queue === undefined ? {} : { queueId: spec.queue }),
    ...(spec.callerId === undefined ? {} : { callerId: spec.callerId }),
    dialer: { type: "predictive", predictive: { ...spec.predictive } },
    compliance: {
      timeZone: compliance.timeZone,
      windowStart: compliance.window.start,
      windowEnd: compliance.window.end,
      allowedDays: [...compliance.allowedDays],
      ...(compliance.maxCallsPerContactPerDay === undefined
        ? {}
        : { maxCallsPerContactPerDay: compliance.maxCallsPerContactPerDay }),
      ...(compliance.maxCallsPerContactPerWeek === undefined
        ? {}
        : { maxCallsPerContactPerWeek: compliance.maxCallsPerContactPerWeek }),
      ...(compliance.maxCallsPerDay === undefined ? {} : { maxCallsPerDay: compliance.maxCallsPerDay }),
    },
    ...(spec.failover
      ? {
          failover: {
            enabled: spec.failover.enabled,
            threshold: spec.failover.threshold,
            evaluationWindowMinutes: spec.failover.windowMinutes,
          },
        }
      : {}),
  };
}
