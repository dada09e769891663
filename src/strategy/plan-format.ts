import { z } from "zod";
import { NUMBER_TYPES } from "../compliance/touches.ts";
import { slotSchema } from "./model-format.ts";

/**
 * The dial window a plan is made for, by default (issue 62 §3): a pushed attempt may be dialled
 * anywhere in `[attemptAt, attemptAt + staleMinutes]`, and the planner makes every rule hold over
 * that whole interval. 59: the last minute of the planned hour.
 */
export const DEFAULT_STALE_MINUTES = 59;
/** The longest dial window a plan or a push takes: a day. */
export const MAX_STALE_MINUTES = 1440;
// The plan file's version is told by its rows: version 2 rows carry `staleMinutes` (and `zip`);
// a version-1 row (no `staleMinutes`) was judged at its planned instants alone, and `push` takes
// it as made for a 0-minute window (docs/strategy.md, "The dial window").

/**
 * One planned attempt (`cxo strategy plan --out plan.ndjson|plan.csv`), the unit `push` uploads.
 * `attemptAt` is the start of the chosen hour, ISO 8601 with the called party's zone offset
 * (e.g. 2026-03-09T18:00:00-04:00); `zone` is that IANA zone; `slot` the hour of week in it.
 * `estimate`/`interval` are the RPC rate and 90% interval the choice was made on: the record's
 * segment's in that slot, times its own factor when it has earlier attempts (plan-contact.ts).
 * `ruledOut` says why better hours were not chosen: each slot rated higher
 * than the chosen one that a rule refused in the horizon, once, with the first rule that refused
 * it (rule codes: the compliance engine's reason codes, including `reg_f_7_in_7` and
 * `reg_f_after_conversation`, plus `capacity`). A record no legal hour is left for has no row;
 * the plan summary counts it.
 *
 * `campaign` is the campaign the plan was made for (the model's): `push` refuses a plan row of
 * another campaign. Plans written before it existed have none.
 *
 * `staleMinutes` (version 2) is the dial window the row was planned for: every rule holds for a
 * call placed anywhere in `[attemptAt, attemptAt + staleMinutes]`; `push` refuses to give the
 * dialer a longer window. `zip` is the list row's ZIP code, when it had one (push sends it).
 * `kind` (issue 79) is the campaign kind the plan was made for, when one was declared; `state`,
 * `lastTransactionAt` and `numberType` are the list row's, when it had them: push judges the row
 * with them as the plan did. `voice` (issue 92 §2) is the voice the row was planned for (`live`,
 * `prerecorded`, `ai`), with `announcement: live` and `discloses: ai` when the campaign says so:
 * push judges the row with them and the record's grant.
 *
 * `consent` (a UK number's only) is the consent the row was planned with (the list row's, else
 * the ledger's grant), when one is recorded: push judges the number's TPS/CTPS listing with it.
 *
 * `accountIds` names every debt of a record whose number the list gives several debts:
 * one record, dialled once, each call counted toward each debt (`accountId` is the first).
 *
 * CSV: the same columns in this order; `interval` as `lo;hi`, `ruledOut` and `accountIds` as JSON.
 */
export const ruledOutSchema = z.strictObject({ slot: slotSchema, rule: z.string() });
export type RuledOut = z.infer<typeof ruledOutSchema>;

export const planRowSchema = z.strictObject({
  recordId: z.string(),
  phone: z.string(),
  accountId: z.string().optional(),
  /**
   * Every debt the record is for, when its number is listed for several: dialled once,
   * each call counted toward every one of them; `accountId` is the first.
   */
  accountIds: z.array(z.string()).optional(),
  attemptAt: z.string(),
  zone: z.string(),
  slot: slotSchema,
  /** 1-based: the record's first, second … planned attempt. */
  attempt: z.number().int().min(1),
  estimate: z.number().min(0).max(1),
  interval: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]),
  ruledOut: z.array(ruledOutSchema),
  campaign: z.string().optional(),
  staleMinutes: z.number().int().min(0).max(MAX_STALE_MINUTES).optional(),
  zip: z.string().optional(),
  /** The kind the plan was made for, when declared: `push` judges its rows as that kind. */
  kind: z.enum(["sales", "collections"]).optional(),
  /** The list row's address state, last transaction and number type, when it had them (push judges with them). */
  state: z.string().optional(),
  lastTransactionAt: z.string().optional(),
  numberType: z.enum(NUMBER_TYPES).optional(),
  /** A UK (+44) number's recorded consent, when known: push judges its TPS/CTPS listing with it. */
  consent: z.boolean().optional(),
  /** The voice the row was planned for, and its introduction (push judges with them). */
  voice: z.enum(["live", "prerecorded", "ai"]).optional(),
  announcement: z.literal("live").optional(),
  discloses: z.literal("ai").optional(),
});
/**
 * One planned attempt (`strategy.plan`'s rows, a plan file's lines): the record and number, when
 * to dial it (`attemptAt`, its zone and hour-of-week slot, the dial window `staleMinutes`), the
 * model's estimate with its interval, the hours ruled out and why, and what `push` judges the row
 * with again (campaign, kind, state, number type, consent, voice).
 */
export type PlanRow = z.infer<typeof planRowSchema>;

export const PLAN_CSV_COLUMNS = [
  "recordId",
  "phone",
  "accountId",
  "attemptAt",
  "zone",
  "slot",
  "attempt",
  "estimate",
  "interval",
  "ruledOut",
  "campaign",
  "staleMinutes",
  "zip",
  "kind",
  "state",
  "lastTransactionAt",
  "numberType",
  "voice",
  "announcement",
  "discloses",
  "accountIds",
  "consent",
] as const satisfies ReadonlyArray<keyof PlanRow>;
