import { z } from "zod";

/**
 * The model file `cxo strategy learn` writes and `cxo strategy plan` reads (docs/strategy.md has
 * the table; this file is the contract). Versioned JSON: a reader refuses a version it does not
 * know (exit 2, naming `version`).
 *
 * A slot is an hour of the week in the CALLED PARTY's local time: `slot = (isoWeekday - 1) * 24 +
 * hour`, so 0 is Monday 00:00–00:59 local and 167 is Sunday 23:00–23:59 local.
 *
 * Estimates are shrunk hierarchically with a Beta-binomial prior: `all` (every attempt of the
 * window, every hour, every segment pooled) → `campaign` (per slot, every segment pooled) →
 * the segment's hour of day (not written) → each segment (per slot). A level's prior is
 * Beta(m·p, m·(1−p)) where p is its parent's estimate for the slot and m the prior strength
 * (pseudo-attempts; `slotStrength` for the segment's slots); the estimate is the posterior
 * mean and `interval90` its 5% and 95% quantiles. A slot with no attempts keeps its parent's
 * estimate and is marked `tried: false`: untried, not zero.
 */
export const MODEL_VERSION = 1 as const;
export const SLOTS_PER_WEEK = 168;

/** The segment keys a model may be learned with, besides `column:NAME`. */
export const SEGMENT_KEYS = ["state", "areaCode", "list", "attemptBucket"] as const;
/**
 * `column:NAME`: the value of a list column (in plan, the list row's column NAME; in learn, the
 * outcome record's `extra.NAME`, or the dataset's `extra->>'NAME'`), e.g. `column:segment`.
 */
export type ColumnKey = `column:${string}`;
export type SegmentKey = "state" | "areaCode" | "list" | "attemptBucket" | ColumnKey;
/** A column name a `column:NAME` key may carry. */
export const COLUMN_KEY = /^column:([A-Za-z_][A-Za-z0-9_]{0,63})$/;
/** The column NAME of a `column:NAME` key; undefined for the others. */
export const columnOfKey = (key: string): string | undefined => COLUMN_KEY.exec(key)?.[1];

export const segmentKeySchema = z.union([
  z.enum(SEGMENT_KEYS),
  z
    .string()
    .regex(COLUMN_KEY, "must be one of state, areaCode, list, attemptBucket or column:NAME")
    .transform((key) => key as ColumnKey),
]);

/** Hour of week 0..167 in the called party's local time (0 = Monday 00:00). */
export const slotSchema = z
  .number()
  .int()
  .min(0)
  .max(SLOTS_PER_WEEK - 1);

export const slotStatsSchema = z.strictObject({
  /** Attempts learned from in this slot. */
  attempts: z.number().int().min(0),
  /** Right-party contacts among them. */
  rpcs: z.number().int().min(0),
  /** Posterior mean of the RPC rate per attempt. */
  estimate: z.number().min(0).max(1),
  /** The 90% credible interval [5%, 95%] of the RPC rate. */
  interval90: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]),
  /** False when no attempt was ever made in this slot (the estimate is the parent's). */
  tried: z.boolean(),
});
export type SlotStats = z.infer<typeof slotStatsSchema>;

const weekSchema = z.array(slotStatsSchema).length(SLOTS_PER_WEEK, "must hold 168 hour-of-week slots");

/** What counts as a right-party contact. */
export const rpcDefinitionSchema = z.strictObject({
  /** Outcome-map categories that count (default: success, warm, neutral). */
  categories: z.array(z.string().min(1)).min(1),
  /** Only an attempt an agent talked on (a conversation) counts (default: true). */
  requireConversation: z.boolean(),
});
/** What counts as a right-party contact: outcome categories, and whether an agent must have talked. */
export type RpcDefinition = z.infer<typeof rpcDefinitionSchema>;

export const DEFAULT_RPC: RpcDefinition = {
  categories: ["success", "warm", "neutral"],
  requireConversation: true,
};

/** Attempt-number buckets: upper bounds (inclusive) of each bucket but the last, e.g. [1, 3] → "1", "2-3", "4+". */
export const DEFAULT_ATTEMPT_BUCKETS = [1, 3] as const;

export const segmentSchema = z.strictObject({
  /** Canonical key: `state=FL|attemptBucket=2-3` (the model's keys, in order). */
  key: z.string(),
  values: z.record(z.string(), z.string()),
  slots: weekSchema,
});
export type Segment = z.infer<typeof segmentSchema>;

export const modelSchema = z.strictObject({
  version: z.literal(MODEL_VERSION),
  campaign: z.string().min(1),
  /** The window learned from: start inclusive, end exclusive (ISO 8601 UTC); where it came from. */
  learnedFrom: z.strictObject({
    from: z.string().nullable(),
    to: z.string().nullable(),
    source: z.enum(["campaign", "dataset", "history"]),
    records: z.number().int().min(0),
    /** Records skipped: another campaign, no usable phone number, unparsable time. */
    skipped: z.number().int().min(0),
  }),
  keys: z.array(segmentKeySchema),
  attemptBuckets: z.array(z.number().int().min(1)),
  rpc: rpcDefinitionSchema,
  /**
   * Prior strength m (pseudo-attempts) of the campaign and hour-of-day levels; `plan`'s Thompson
   * draws take each slot's evidence as m + its attempts.
   */
  priorStrength: z.number().positive(),
  /**
   * Strength of the slot level (a segment's slot at its hour of day), estimated from the data
   * (learn.ts, slotLevelStrength). Absent in files written before it existed, whose slots were
   * shrunk with `priorStrength`: both read alike, as `plan` uses the estimates written.
   */
  slotStrength: z.number().positive().optional(),
  priors: z.strictObject({
    /** Everything pooled: one rate. */
    all: slotStatsSchema,
    /** Per slot, every segment pooled, shrunk toward `all`. */
    campaign: weekSchema,
  }),
  /** Per segment × slot, shrunk toward `priors.campaign`. */
  segments: z.array(segmentSchema),
});
/**
 * A learned contact-strategy model (`strategy.learn` gives it, `plan` and `evaluate` read it): the
 * RPC rate per segment × hour of week, shrunk toward the campaign's; versioned, as its file is.
 */
export type Model = z.infer<typeof modelSchema>;
