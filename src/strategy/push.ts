import { createHash } from "node:crypto";
import { z } from "zod";
import type { ComplianceEngine } from "../compliance/engine.ts";
import { ZIP_PATTERN } from "../compliance/nyc-zips.ts";
import type { CallVoice } from "../compliance/rule-table.ts";
import type { CampaignKind } from "../compliance/touches.ts";
import type { CampaignVoice } from "../compliance/voice-rules.ts";
import { accountIdProblem, accountIdsOf } from "../consent/account-id.ts";
import { InputError } from "../core/input-error.ts";
import { zodProblems } from "../core/input-file.ts";
import { zonedInstantIssue, zonedInstantText } from "../core/instant-input.ts";
import { isListPhone, listRowSchema } from "./list-format.ts";
import { DEFAULT_STALE_MINUTES, MAX_STALE_MINUTES } from "./plan-format.ts";
import { accountsAtRisk } from "./push-accounts.ts";
import { PlanColumns } from "./push-plan.ts";

/**
 * Handing a plan to the dialer (issue 55 §3; issue 76): each record's next planned attempt
 * becomes a calling-list record — ordinary predictive work whose window is its time range of the
 * day and its expiration (a real callback, a row marked `callback`, keeps its call-request time),
 * scored by the model's estimate. Later attempts of a record are not sent: they are re-planned
 * from what the first one gave (`deferred` counts them). The orchestration — which records go
 * now, what the skill may do with them, the journaled writes — is push-run.ts.
 */
/** Kept for callers of this module: the plan's default dial window (plan-format.ts). */
export { DEFAULT_STALE_MINUTES };

/** An account id's rule (consent/account-id.ts) as a schema: empty or over 128 characters is refused. */
const accountIdText = () =>
  z.coerce.string().superRefine((value, ctx) => {
    const problem = accountIdProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
  });

/** What push reads of a plan row (other columns are ignored); numbers may come as CSV text. */
const pushRowSchema = z.object({
  recordId: z.preprocess((v) => (typeof v === "number" ? String(v) : v), z.string().min(1)),
  phone: listRowSchema.shape.phone,
  // The one rule of an instant (core/instant-input.ts), as RFC 3339 text: what every reader takes.
  attemptAt: z.string().transform(zonedInstantIssue),
  attempt: z.coerce.number().int().min(1),
  estimate: z.coerce.number().min(0).max(1),
  campaign: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string().optional()),
  // Plan file version 2: the dial window the row was planned for; the list's ZIP code.
  staleMinutes: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    z.coerce.number().int().min(0).max(MAX_STALE_MINUTES).optional(),
  ),
  zip: listRowSchema.shape.zip,
  // The kind the plan was made for (the rule table's kind-limited rows follow it).
  kind: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    z.enum(["sales", "collections"]).optional(),
  ),
  accountId: z.preprocess((v) => (v === "" || v === null ? undefined : v), accountIdText().optional()),
  // Issue 100: every debt of a record whose number the list gave several (a CSV cell: JSON text).
  accountIds: z.preprocess(accountIdsOf, z.array(accountIdText()).min(1, "lists no account").optional()),
  // Issue 79: what the planner judged the row with beyond its number (the list row's).
  state: listRowSchema.shape.state,
  lastTransactionAt: listRowSchema.shape.lastTransactionAt,
  numberType: listRowSchema.shape.numberType,
  // A UK number's recorded consent (its TPS/CTPS listing is judged with it at the push).
  consent: listRowSchema.shape.consent,
  // The voice the row was planned for, and its introduction.
  voice: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    z.enum(["live", "prerecorded", "ai"]).optional(),
  ),
  announcement: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.literal("live").optional()),
  discloses: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.literal("ai").optional()),
  // Issue 76 §3: a real callback (an agent's promise, a consumer's request) goes as a callback.
  callback: z.preprocess(
    (v) =>
      v === "" || v === null || v === undefined ? undefined : v === "true" ? true : v === "false" ? false : v,
    z.boolean().optional(),
  ),
});

const REQUIRED = ["recordId", "phone", "attemptAt", "attempt", "estimate"] as const;

export interface PushParams {
  /** The campaign (production: a Personal Connection skill id) the list feeds. */
  campaign: string;
  /** The list's name (default `cxo plan <campaign> <digest>`): the key the list is found by. */
  listName?: string;
  /**
   * Minutes after a record's time the dialer may still call it (1–1440). Default: the window the
   * plan was made for (its rows' `staleMinutes`, the smallest); a plan made for a shorter window
   * than this is refused.
   */
  staleMinutes?: number;
  /**
   * When the skill's retry settings would let CXone dial a record more often than
   * the plan allows, set them to what the plan needs (one attempt per record, no non-fresh
   * reload) — a snapshot kept, the change journaled, `strategy.restoreSkill` puts them back —
   * instead of refusing the push. Default false: refused, nothing sent.
   */
  fitSkill?: boolean;
  /**
   * One run of a push (its plan, campaign and list name) goes at a time across every process
   * sharing the store: how long this run waits for another to finish before it gives up with a
   * `PushInProgressError`, nothing sent (0–3,600,000 ms; default 60,000).
   */
  leaseWaitMs?: number;
  /**
   * Records per upload (1–500,000; default 50,000): a larger day's list goes in several uploads,
   * each its own CXone upload job, a run stopped between them going on where it stopped.
   */
  batchRecords?: number;
  /**
   * Only take out of the lists this plan already went out in the records a rule blocks now (a
   * number revoked since, a cap used up); nothing is sent. What the autopilot does while CXone's
   * DNC groups cannot be written (docs/autopilot.md). Default false.
   */
  takeOutOnly?: boolean;
}

/** What the skill may do with the pushed records, as read before anything was sent. */
export interface PushSkill {
  maximumAttempts: number | undefined;
  minimumRetryMinutes: number | undefined;
  loadNonFresh: boolean | undefined;
  /** Whether the skill dials on a weekly schedule. */
  scheduled: boolean;
  /** Dials CXone may make per record within its window under these settings. */
  dialsPerRecord: number;
  /** The retry settings this push wrote (`fitSkill`): before and after. */
  changed?: { before: Record<string, unknown>; after: Record<string, unknown> } | undefined;
  evidence: string;
}

export interface PushSummary {
  campaign: string;
  listId: string;
  listName: string;
  jobId: string;
  /** Records sent (each record's next planned attempt). */
  records: number;
  /** Later planned attempts not sent (re-plan after the first one's outcome). */
  deferred: number;
  /**
   * Collections accounts with two or more records in the list within Regulation F's 7 days of
   * each other: a conversation on one would make a later call about the debt within 7 days a
   * presumed violation, which no plan can foresee (re-plan daily from the attempts).
   */
  accountsAtRisk: number;
  /** Records not sent (or taken out) because their number may no longer be called, per code. */
  blocked?: Record<string, number>;
  /**
   * Records this run took out of the list: their number became blocked after
   * the list was made, or while its upload ran.
   */
  removed?: number;
  /** Records this run tried to take out and the platform did not (with its reason): call them off by hand. */
  notRemoved?: Array<{ externalId: string; reason: string }>;
  /** Records whose time had already passed (the dialer will skip those gone stale). */
  pastAtPush: number;
  firstCallAt: string;
  lastCallAt: string;
  /** The dial window each record was given: its call time plus this many minutes. */
  staleMinutes: number;
  /**
   * `created`: this run made the list and uploaded; `resumed`: it finished an earlier run's push;
   * `store`: pushed before, nothing sent; `waiting`: no record of the plan is due within the next
   * day yet, nothing sent (push again from `nextPushAt`).
   */
  source: "created" | "resumed" | "store" | "waiting";
  planDigest: string;
  /**
   * Records whose window opens more than a day ahead: a time range recurs daily,
   * so a record goes out within the day before its window — the next run of the same push sends
   * them (`nextPushAt`: the earliest it can).
   */
  later: number;
  nextPushAt?: string | undefined;
  /**
   * Records held back because another record of their account is in the list or its outcome is
   * not known yet (issue 76 §2: one record per account per list); a later run sends them when
   * Regulation F allows, else re-plan.
   */
  /**
   * Every record left out because its number or account may no longer be called (or a rule
   * since the plan blocks it), with its codes (the first 1,000; `blocked` counts them all).
   */
  blockedRecords?: Array<{ recordId: string; phone: string; codes: string[] }>;
  /** The records held back for their account (the first 1,000; `heldForAccount` counts them). */
  heldRecords?: string[];
  heldForAccount: number;
  /** Records sent as real callbacks (a row marked `callback`): under CXone's cap. */
  callbacks: number;
  /** Which list of the plan this run made or finished (1: the first day's). */
  slice: number;
  /** Every list the plan went out in so far. */
  lists: Array<{ listId: string; listName: string }>;
  skill: PushSkill;
  /** Everything the human output warns of, for `--json` readers too. */
  warnings: string[];
}

/**
 * The plan's rows, checked, as the list's records (each record's earliest planned attempt).
 * `staleMinutes`: the dial window the push gives (absent: the plan's own). Every row must have
 * been planned for at least that window: the dialer may call a record anywhere in it, and the
 * planner made the rules hold only over the window it was given (a row without `staleMinutes`,
 * from a plan file of version 1, was judged at its instants alone: 0 minutes).
 */
export async function planRecords(
  /** The runtime's compliance engine: each row's list zone is the stricter of its number's (list-zone.ts). */
  engine: ComplianceEngine,
  rows: AsyncIterable<unknown> | Iterable<unknown>,
  params: { campaign: string; staleMinutes?: number | undefined },
  field = "plan",
): Promise<PlanRecords> {
  // Issue 88 L13: the rows go into columns as they are read (push-plan.ts), never kept as objects.
  const plan = new PlanColumns();
  // The smallest window a row was planned for, and the first row that has it.
  let narrowest: { minutes: number; row: number } | undefined;
  let row = 0;
  let deferred = 0;
  let kind: CampaignKind | undefined;
  let voice: CampaignVoice | undefined;
  for await (const value of rows as AsyncIterable<unknown>) {
    row++;
    const r = checkedRow(value, row, field, params.campaign);
    kind = agreedKind(kind, r.kind, row);
    voice = agreedVoice(voice, r, row);
    const window = r.staleMinutes ?? 0;
    if (params.staleMinutes !== undefined && window < params.staleMinutes)
      throw shortWindow(window, params.staleMinutes, r.staleMinutes === undefined, row);
    if (narrowest === undefined || window < narrowest.minutes) narrowest = { minutes: window, row };
    // Each record id's phone and planned attempts: a plan edited by hand may hold one id for two
    // people, or one attempt twice, and push would keep one silently.
    const known = plan.recordOf(r.recordId);
    if (known >= 0) {
      const otherPhone = plan.phoneOf(known) !== r.phone;
      if (otherPhone || plan.hasAttempt(known, r.attempt))
        throw new InputError({
          field: "recordId",
          row,
          rule: `${JSON.stringify(r.recordId)} is also row ${plan.firstMetRow(known) + 1} of ${field}, ${
            otherPhone ? "with another phone" : `for attempt ${r.attempt} too`
          }: each record id is one contact, each attempt planned once`,
        });
      // A later planned attempt of a record is not sent (re-planned from the first's outcome).
      deferred++;
    }
    plan.add({
      recordId: r.recordId,
      phone: r.phone,
      attemptAt: r.attemptAt,
      atMs: Date.parse(r.attemptAt),
      attempt: r.attempt,
      score: Math.round(r.estimate * 1000),
      callback: r.callback === true,
      zip: r.zip,
      accountId: r.accountId,
      accountIds: r.accountIds,
      state: r.state,
      lastTransactionMs: r.lastTransactionAt === undefined ? undefined : Date.parse(r.lastTransactionAt),
      numberType: r.numberType,
      consent: r.consent,
    });
  }
  if (plan.records === 0 || narrowest === undefined)
    throw new InputError({ field, rule: "has no rows: nothing to push" });
  const staleMinutes = params.staleMinutes ?? narrowest.minutes;
  // A version-1 plan given no window: the dialer needs one, and the plan was checked for none.
  if (staleMinutes < 1) throw shortWindow(narrowest.minutes, 1, true, narrowest.row);
  plan.windowed(engine, staleMinutes);
  const firsts: Array<{ accountId: string; atMs: number }> = [];
  for (let i = 0; i < plan.records; i++)
    for (const accountId of plan.accountsOf(i)) firsts.push({ accountId, atMs: plan.atOf(plan.firstRow(i)) });
  return {
    plan,
    deferred,
    staleMinutes,
    accountsAtRisk: accountsAtRisk(firsts, staleMinutes),
    ...(kind === undefined ? {} : { kind }),
    ...(voice === undefined ? {} : { voice }),
  };
}

/** The plan's voice: every row that names one names the same voice and introduction (one campaign's calls). */
function agreedVoice(
  known: CampaignVoice | undefined,
  r: { voice?: CallVoice | undefined; announcement?: "live" | undefined; discloses?: "ai" | undefined },
  row: number,
): CampaignVoice | undefined {
  if (r.voice === undefined) return known;
  const given: CampaignVoice = {
    voice: r.voice,
    ...(r.announcement ? { announcement: r.announcement } : {}),
    ...(r.discloses ? { discloses: r.discloses } : {}),
  };
  const said = (v: CampaignVoice) =>
    [v.voice, v.announcement && "announcement live", v.discloses && "discloses ai"]
      .filter(Boolean)
      .join(", ");
  if (known !== undefined && said(known) !== said(given))
    throw new InputError({
      field: "voice",
      row,
      rule: `is ${said(given)}, but the plan's earlier rows are ${said(known)}: a plan is made for one campaign's voice`,
    });
  return given;
}

type PushRow = z.infer<typeof pushRowSchema>;

const absent = (v: unknown) => v === undefined || v === null || v === "";
const STATE = /^[A-Za-z]{2}$/;

/**
 * A well-formed row read without the schema (issue 88 L13: a million rows through it made most
 * of a push's garbage): the same result the schema gives, or undefined for anything it would
 * have to judge (then the schema does, and names what is wrong).
 */
function fastRow(v: Record<string, unknown>): PushRow | undefined {
  const { recordId, phone, attemptAt, attempt, estimate, staleMinutes, zip, accountId, state, kind } = v;
  if (typeof recordId !== "string" || recordId === "") return undefined;
  if (typeof phone !== "string" || !isListPhone(phone)) return undefined;
  // Already RFC 3339 (as a plan writes it), else the schema's to read and rewrite.
  if (typeof attemptAt !== "string" || zonedInstantText(attemptAt) !== attemptAt) return undefined;
  if (typeof attempt !== "number" || !Number.isInteger(attempt) || attempt < 1) return undefined;
  if (typeof estimate !== "number" || !(estimate >= 0 && estimate <= 1)) return undefined;
  if (!absent(v.campaign) && typeof v.campaign !== "string") return undefined;
  if (
    !absent(staleMinutes) &&
    !(
      Number.isInteger(staleMinutes) &&
      (staleMinutes as number) >= 0 &&
      (staleMinutes as number) <= MAX_STALE_MINUTES
    )
  )
    return undefined;
  if (!absent(zip) && !(typeof zip === "string" && ZIP_PATTERN.test(zip))) return undefined;
  // The voice the row was planned for (issue 92 §2): read here too, or a fast row would lose it.
  const { voice, announcement, discloses } = v;
  if (!absent(voice) && voice !== "live" && voice !== "prerecorded" && voice !== "ai") return undefined;
  if (!absent(announcement) && announcement !== "live") return undefined;
  if (!absent(discloses) && discloses !== "ai") return undefined;
  if (!absent(accountId) && (typeof accountId !== "string" || accountIdProblem(accountId) !== undefined))
    return undefined;
  // A record of several debts (issue 100) is the schema's to read.
  if (!absent(v.accountIds)) return undefined;
  if (!absent(state) && !(typeof state === "string" && STATE.test(state))) return undefined;
  if (!absent(kind) && kind !== "sales" && kind !== "collections") return undefined;
  if (!absent(v.lastTransactionAt) || !absent(v.numberType) || !absent(v.callback) || !absent(v.consent))
    return undefined;
  return {
    recordId,
    phone,
    attemptAt,
    attempt,
    estimate,
    campaign: absent(v.campaign) ? undefined : (v.campaign as string),
    staleMinutes: absent(staleMinutes) ? undefined : (staleMinutes as number),
    zip: absent(zip) ? undefined : (zip as string),
    kind: absent(kind) ? undefined : (kind as CampaignKind),
    voice: absent(voice) ? undefined : (voice as CallVoice),
    announcement: absent(announcement) ? undefined : "live",
    discloses: absent(discloses) ? undefined : "ai",
    accountId: absent(accountId) ? undefined : (accountId as string),
    accountIds: undefined,
    state: absent(state) ? undefined : (state as string).toUpperCase(),
    lastTransactionAt: undefined,
    numberType: undefined,
    consent: undefined,
    callback: undefined,
  };
}

/** One plan row, checked: the field and the row named when it is not a row push can send. */
function checkedRow(value: unknown, row: number, field: string, campaign: string) {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new InputError({ field, row, rule: "is not a plan row (an object)" });
  const fast = fastRow(value as Record<string, unknown>);
  if (fast) {
    checkCampaign(fast.campaign, campaign, row);
    return fast;
  }
  const missing = REQUIRED.filter((k) => !(k in value) || (value as Record<string, unknown>)[k] === "");
  if (missing.length > 0)
    throw new InputError(
      missing.map((k) => ({
        field: k,
        row,
        rule: `${field} has no ${k} (a plan row needs ${REQUIRED.join(", ")})`,
      })),
    );
  const parsed = pushRowSchema.safeParse(value);
  if (!parsed.success) throw new InputError(zodProblems(parsed.error).map((p) => ({ ...p, row })));
  const r = parsed.data;
  checkCampaign(r.campaign, campaign, row);
  return withDebts(r, row);
}

/**
 * A row's debts: `accountIds` names every debt of a record whose number the list gave
 * several, `accountId` the first of them (either may be given alone).
 */
function withDebts(r: PushRow, row: number): PushRow {
  if (r.accountIds === undefined) return r;
  const debts = [...new Set(r.accountIds)];
  if (r.accountId !== undefined && !debts.includes(r.accountId))
    throw new InputError({
      field: "accountIds",
      row,
      rule: `does not name the row's accountId ${r.accountId}: accountIds lists every debt of the record, its accountId among them`,
    });
  const accountId = r.accountId ?? (debts[0] as string);
  return {
    ...r,
    accountId,
    accountIds: debts.length > 1 ? [accountId, ...debts.filter((d) => d !== accountId)] : undefined,
  };
}

/** A row that names a campaign names the one pushed to. */
function checkCampaign(named: string | undefined, campaign: string, row: number): void {
  if (named !== undefined && named !== campaign)
    throw new InputError({
      field: "campaign",
      row,
      rule: `the plan was made for campaign ${named}, not ${campaign}`,
    });
}

/** The plan's kind: every row that names one names the same (a plan is made for one kind). */
function agreedKind(known: CampaignKind | undefined, given: CampaignKind | undefined, row: number) {
  if (given === undefined) return known;
  if (known !== undefined && known !== given)
    throw new InputError({
      field: "kind",
      row,
      rule: `is ${given}, but the plan's earlier rows are ${known}: a plan is made for one kind`,
    });
  return given;
}

/** The list's records from a plan, and what push says of them. */
export interface PlanRecords {
  /** The kind the plan was made for, when its rows say. */
  kind?: CampaignKind | undefined;
  /** The voice the plan was made for, when its rows say. */
  voice?: CampaignVoice | undefined;
  /**
   * Every row of the plan as a dial window (later attempts included), and each record's next
   * planned attempt (what the list gets; the key's digest is over these, in `order`).
   */
  plan: PlanColumns;
  deferred: number;
  staleMinutes: number;
  accountsAtRisk: number;
}

/** A plan row made for a shorter dial window than the push would give the dialer. */
function shortWindow(planned: number, pushed: number, unrecorded: boolean, row: number): InputError {
  const minutes = (n: number) => `${n} minute${n === 1 ? "" : "s"}`;
  const made = unrecorded
    ? "the plan row records no staleMinutes: it comes from a plan file made before plans recorded their dial window (version 1), judged at its instants alone, so it counts as made for 0 minutes"
    : `the plan was made for a ${planned}-minute dial window`;
  return new InputError({
    field: "staleMinutes",
    row,
    rule: `${made}, and the dialer would be given ${minutes(pushed)}: a call late in that window could break a rule the plan did not check (calling hours, frequency caps). Plan it again for a window of at least ${minutes(pushed)}${unrecorded ? "" : `, or push with a window of at most ${minutes(planned)}`}`,
  });
}

/**
 * A push's key: the plan as given (its records before any is left out), the campaign and the
 * list's name. The store keeps the push under it, and one run of it at a time holds its lease.
 */
export function pushKeyOf(
  planned: Pick<PlanRecords, "plan">,
  campaign: string,
  listName?: string,
): { digest: string; listName: string; key: string } {
  const digest = planDigest(planned.plan, campaign);
  const name = listName ?? `cxo plan ${campaign} ${digest.slice(0, 12)}`;
  const nameDigest = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return { digest, listName: name, key: `cxo-plan-push-${digest.slice(0, 40)}-${nameDigest}` };
}

/**
 * The digest of `JSON.stringify([campaign, records])`, the records (each record's next planned
 * attempt as the list holds it) by time then id — taken a piece at a time: a million records'
 * text at once was 150 MB (issue 88 L13). The same bytes, so the same key, as before.
 */
export function planDigest(plan: PlanColumns, campaign: string): string {
  const hash = createHash("sha256").update(`[${JSON.stringify(campaign)},[`);
  const parts: string[] = [];
  for (let i = 0; i < plan.order.length; i++) {
    parts.push(plan.timedJson(plan.order[i] as number));
    if (parts.length === 1000) {
      hash.update(`${i + 1 === parts.length ? "" : ","}${parts.join(",")}`);
      parts.length = 0;
    }
  }
  const rest = parts.join(",");
  return hash
    .update(`${plan.order.length > parts.length && parts.length > 0 ? "," : ""}${rest}]]`)
    .digest("hex");
}
