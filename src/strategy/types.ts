import type { CampaignCaps, DncRegistries } from "../compliance/index.ts";
import type { InstantInput } from "../core/instant-input.ts";
import type { DispositionMap } from "../outcomes/disposition-map.ts";
import type { CanonicalRecord } from "../outcomes/record-format.ts";
import type { ExpectedLift } from "./expected-lift.ts";
import type { PlanHistorySource } from "./history.ts";
import type { ListRow } from "./list-format.ts";
import type { Model, RpcDefinition, SegmentKey } from "./model-format.ts";
import type { SkillHours } from "./skill-hours.ts";

/**
 * What `learn` reads from each outcome record: the canonical export record (an NDJSON line of
 * `cxo outcomes export`, a row of the Parquet dataset) or any object with these fields.
 * `extra.listId` (when present) is the record's list, for the `list` segment key.
 */
export type OutcomeRecord = Pick<
  CanonicalRecord,
  "campaignId" | "startTime" | "phoneNumber" | "dispositionCode" | "agentId" | "durationSeconds"
> &
  Partial<Pick<CanonicalRecord, "id" | "extra">>;

export interface LearnOptions {
  /** The campaign learned for; records of other campaigns are skipped (counted). */
  campaign: string;
  /**
   * Window, start inclusive, end exclusive (ISO 8601 with an offset or Z, or a Date: InstantInput);
   * absent = everything read.
   */
  from?: InstantInput | undefined;
  to?: InstantInput | undefined;
  /** Segment keys, in order (default ["state"]). */
  keys?: readonly SegmentKey[] | undefined;
  /** Attempt-number bucket bounds for the `attemptBucket` key (default [1, 3]: 1, 2-3, 4+). */
  attemptBuckets?: readonly number[] | undefined;
  /** What counts as a right-party contact (default DEFAULT_RPC). */
  rpc?: RpcDefinition | undefined;
  /** Disposition code → category (default: the outcomes' default map). */
  dispositionMap?: DispositionMap | undefined;
  /** Prior strength in pseudo-attempts per level (default 20). */
  priorStrength?: number | undefined;
  /** Recorded in the model (`learnedFrom.source`). */
  source?: "campaign" | "dataset" | "history" | undefined;
}

export type CollectionsOrSales = "sales" | "collections";

/** A prior attempt (from `--history`: an outcomes export; matched to list records by phone). */
export interface HistoryAttempt {
  phone: string;
  atMs: number;
  campaignId?: string | undefined;
  /** An agent talked on it (Reg F: no call within 7 days after a conversation). */
  conversation: boolean;
  /** A planned attempt may be dialled up to this instant (its dial window); absent: made at atMs. */
  untilMs?: number | undefined;
  /** The touch's channel (absent: a call), its account and its seller, when known. */
  channel?: import("../compliance/touches.ts").Channel | undefined;
  accountId?: string | undefined;
  seller?: string | undefined;
  /** CXone's contact id, when the history gives one (the same call from two sources counts once). */
  contactId?: string | undefined;
}

export interface PlanOptions {
  /** The campaign planned for: must be the model's (exit 2 naming `model.campaign`). */
  campaign?: string | undefined;
  /** The segment keys expected: must be the model's (exit 2 naming `model.keys`). */
  keys?: readonly SegmentKey[] | undefined;
  /**
   * Start of the horizon: ISO 8601 with an offset (or Z), or a Date (InstantInput); a local time
   * without offset is refused.
   */
  from: InstantInput;
  /** Horizon length in days (1..31). */
  days: number;
  /**
   * The horizon's end when earlier than `days` after `from` (ISO 8601 with an offset or Z, or a
   * Date: InstantInput; after `from`): no attempt is planned in an hour starting at or after it
   * (the autopilot plans up to the day's evening).
   */
  until?: InstantInput | undefined;
  /** Planned attempts per record within the horizon (default 1). */
  attemptsPerRecord?: number | undefined;
  /**
   * The dial window each planned attempt is made for, in minutes (0–1440, default 59): the dialer
   * may place it anywhere in `[attemptAt, attemptAt + staleMinutes]` and every rule is made to
   * hold over that interval. `push` refuses a longer window than this.
   */
  staleMinutes?: number | undefined;
  /** Minimum hours between two planned attempts of a record (default 24). */
  minGapHours?: number | undefined;
  kind?: CollectionsOrSales | undefined;
  /**
   * The voice the campaign's calls use (default: the campaign spec's when this data
   * dir created it, else `live`). A `prerecorded` or `ai` voice needs each record's prior express
   * consent — written, for sales — read from the list's `consent` and the consent ledger's grants
   * (`consent grant`): a record without it is not planned (ruled out by the engine's code).
   */
  voice?: import("../compliance/rule-table.ts").CallVoice | undefined;
  /** `live`: a live person introduces the call (California's rule for a prerecorded or AI voice). */
  announcement?: "live" | undefined;
  /** `ai`: the introduction says the voice is artificial (California, 2025). */
  discloses?: "ai" | undefined;
  /**
   * The consent ledger's grants (consent/grants.ts), read per record: a record whose list row says
   * nothing of consent has the grant's; a prerecorded or AI voice asks whether it is written.
   */
  grants?: import("../consent/grants.ts").GrantLookup | undefined;
  /** The seller planning (per-seller caps count its touches; default: every touch counts). */
  seller?: string | undefined;
  /** The seller's state registrations (`compliance.registrations`): a declared sales plan needs them. */
  registrations?: import("../compliance/touches.ts").Registrations | undefined;
  /** Most attempts planned in any one hour (all zones); absent = unlimited. */
  capacityPerHour?: number | undefined;
  /** Prior attempts: count toward every cap (absent: none counted, said in the summary's notes). */
  history?: readonly HistoryAttempt[] | undefined;
  /**
   * Every call counted toward the caps: the history given, each call once with the store's (cxo's
   * calls, imported touches, histories given before) and CXone's (compliance/debt-calls.ts).
   * Absent: the history alone. (`history` still says what was given: the summary and notes.)
   */
  calls?: readonly HistoryAttempt[] | undefined;
  /**
   * Each debt's calls on every number cxo has read for it (compliance/debt-calls.ts),
   * beyond the list's own numbers: counted toward Regulation F and the per-account caps. Absent:
   * the history's calls to the list's numbers (and those naming an account) alone.
   */
  accountCalls?: ReadonlyMap<string, readonly HistoryAttempt[]> | undefined;
  /**
   * The debts cxo has read each of these numbers for, beyond this list (a client's plan asks its
   * store, consent/accounts.ts): a collections record of a number known for another debt is for
   * that debt too. Absent: the list's own accounts alone.
   */
  debtsOfNumbers?:
    | ((phones: readonly string[]) => Promise<ReadonlyMap<string, readonly string[]>>)
    | undefined;
  campaignCaps?: CampaignCaps | undefined;
  /**
   * The platform's own calling hours, weekly schedule and campaign window (a
   * client's plan reads them from the campaign's skill): no attempt is planned in a window the
   * skill would hold back (ruled out as `outside_skill_hours`).
   */
  skillHours?: SkillHours | undefined;
  /** Internal DNC list (E.164 numbers). */
  dnc?: ReadonlySet<string> | undefined;
  /**
   * The data dir's revocations (consent ledger) and CXone DNC groups: a number they
   * cover for this campaign is never planned (`consent_revoked`, `cxone_dnc`).
   */
  blocked?: import("../compliance/dnc.ts").DncList | undefined;
  registries?: DncRegistries | undefined;
  /** The list's id, for the `list` segment key. */
  listId?: string | undefined;
  /**
   * Pseudo-attempts of the contact-level prior: how much a record's own earlier attempts (the
   * history's) move its rates away from its segment's (default 2; plan-contact.ts).
   */
  contactStrength?: number | undefined;
  /**
   * The Thompson draws' spread as a share of the posterior's standard deviation, above 0 and at
   * most 1 (1: the posterior itself; default 0.3): lower explores the hours the model rates
   * poorly less often.
   */
  exploration?: number | undefined;
  /** Seed of the Thompson sampling: same inputs and seed → same plan (default 1). */
  seed?: number | undefined;
}

/** Read by `plan` after the rows are consumed. */
export interface PlanSummary {
  /**
   * The lift to expect over calling at any hour, measured on held-out weeks of the outcome
   * history the model did not learn from (expected-lift.ts), or why it cannot be yet.
   */
  expectedLift?: ExpectedLift | undefined;
  records: number;
  planned: number;
  /** Records no legal hour was left for. */
  unplannable: number;
  /** Slots ruled out per rule code. */
  ruledOutByRule: Record<string, number>;
  /** Records never planned because a revocation or a CXone DNC group covers them, per code. */
  suppressed?: Record<string, number>;
  /**
   * Collections numbers of several debts: each is one record, dialled once, every
   * call counted toward each debt; `rows` the list rows folded into another number's record.
   */
  sharedNumbers?: { numbers: number; rows: number } | undefined;
  /** Notes for the user (e.g. "history empty: planned from the model's priors"). */
  notes: string[];
  /** Where the attempts already made came from, and how many (absent: no history given). */
  history?: PlanHistorySource | undefined;
  /** The dial window every attempt was planned for, in minutes (each row's `staleMinutes`). */
  staleMinutes?: number | undefined;
}

export type LearnFunction = (records: AsyncIterable<OutcomeRecord>, options: LearnOptions) => Promise<Model>;
export type PlanFunction = (
  list: AsyncIterable<ListRow> | Iterable<ListRow>,
  model: Model,
  options: PlanOptions,
  summary?: PlanSummary,
) => AsyncIterable<import("./plan-format.ts").PlanRow>;
