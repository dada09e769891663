import { z } from "zod";
import { httpUrlSchema, nonEmptySchema } from "./client-schema.ts";

/**
 * `compliance.rnd` (issue 79 §3): the FCC's Reassigned Numbers Database. When `url` is set,
 * `cxo compliance rnd check`, `strategy plan` and `campaigns contacts` ask it about every number
 * with a consent date (the answers kept in the store as evidence) and refuse a number it reports
 * permanently disconnected on or after its consent date. The client secret is a secret: never
 * logged, shown or recorded.
 */
export const rndSchema = z.strictObject({
  /** The RND API's base URL (`CXO_RND_URL`); its token URL is `{url}/oauth/token` unless `tokenUrl` says otherwise. */
  url: httpUrlSchema.optional(),
  tokenUrl: httpUrlSchema.optional(),
  /** The caller's API credentials at the RND (`CXO_RND_CLIENT_ID`, `CXO_RND_CLIENT_SECRET`). */
  clientId: nonEmptySchema.optional(),
  clientSecret: nonEmptySchema.optional(),
  /** Numbers per query: the RND takes at most 1,000 per API call (reassigned.us FAQ). */
  batchSize: z
    .number()
    .int()
    .min(1)
    .max(1000, "must be at most 1000 (the RND's limit per query)")
    .default(1000),
  /**
   * An answer is reused for the same number and consent date this many days; older, the number
   * is asked again (the database is updated monthly; the safe harbor needs its latest data).
   */
  maxAgeDays: z.number().int().min(0).max(31).default(30),
  /** "no data" (the database cannot say): `allow` (no safe harbor, reported) or `refuse`. */
  noData: z.enum(["allow", "refuse"]).default("allow"),
});

export type RndSettings = z.infer<typeof rndSchema>;

/** createClient's `rnd`: the settings' rules, with the URL and the credentials required. */
export const rndClientSchema = rndSchema.extend({
  url: httpUrlSchema,
  clientId: nonEmptySchema,
  clientSecret: nonEmptySchema,
});

/** One campaign's TSR call-detail fields (16 CFR 310.5(a)(2)), where its records do not say. */
const tsrFieldsSchema = z.strictObject({
  /** The seller the calls are made for (default: `consent.seller`). */
  seller: z.string().min(1).max(200).optional(),
  /** The telemarketer placing the calls (your company, or the call centre you run for the seller). */
  telemarketer: z.string().min(1).max(200).optional(),
  /** Whether the calls deliver a prerecorded message (a robocall); leave unset when unknown. */
  robocall: z.boolean().optional(),
});

/**
 * `compliance.tsr` (issue 79 §4): the FTC Telemarketing Sales Rule's call-detail fields the
 * platform's records do not carry, stamped on every exported outcome record (NDJSON, CSV,
 * Parquet): the defaults, and per campaign id (`campaigns: {"101": {seller: …}}`) what differs.
 */
export const tsrSchema = tsrFieldsSchema.extend({
  campaigns: z.record(z.string().min(1), tsrFieldsSchema).default({}),
});

export type TsrSettings = z.infer<typeof tsrSchema>;

/** `compliance.rnd` and `compliance.tsr` (schema.ts joins them to client-schema.ts's registrations). */
export const rndTsrSchema = z.strictObject({
  rnd: rndSchema.default(rndSchema.parse({})),
  tsr: tsrSchema.default(tsrSchema.parse({})),
});
