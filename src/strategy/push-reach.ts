import type { DebtCalls } from "../compliance/debt-calls.ts";
import type { ComplianceEngine } from "../compliance/engine.ts";
import {
  type AccountAttempt,
  ATTEMPT_LOOKBACK_MS,
  type AttemptTime,
  type CampaignCaps,
} from "../compliance/index.ts";
import type { CampaignKind, Channel, NumberType, Registrations } from "../compliance/touches.ts";
import type { CampaignVoice } from "../compliance/voice-rules.ts";
import type { GrantLookup } from "../consent/grants.ts";
import { type NanpNumber, parseNanpOrUk } from "../core/phone-number.ts";
import { SignalSlices } from "../core/signal-slices.ts";
import { DAY_MS } from "../core/time-units.ts";
import type { SkillState } from "../platform/ports/diagnosis.ts";
import type { TimedListRecord } from "../platform/ports/lists.ts";
import { type DialRecord, type DialRefusal, dialRefusals, dialScope } from "./may-dial.ts";

/**
 * What CXone may dial from a pushed list (issue 76 §1), judged before anything is sent. A pushed
 * record is dialable anywhere in its window `[callAt, callAt + staleMinutes]` (its time range of
 * the day and its expiration, plan-push.ts), and the skill decides how often: after an
 * unanswered dial it loads the record again after `minimumRetryMinutes` while `loadNonFresh` is
 * on, up to `maximumAttempts` — inside the window, since the record expires at its end. So each
 * record may be dialled `dialsPerRecord` times, every one anywhere in its window. That set, with
 * the history, is asked of the function the planner asks (may-dial.ts: Regulation F per account,
 * the compliance engine — calling hours in every zone of the number, state caps, campaign caps —
 * and the skill's hours and schedule in the record's zone), so that a plan made for the skill is
 * accepted whole by its push the same day with the same facts.
 *
 * Three questions per record, so each refusal names its cause:
 * 1. the plan's rows alone, one dial each: a rule broken here is the plan's own (a row edited by
 *    hand, a stale plan, settings changed since, or planned without these rules) — refused, the
 *    row named;
 * 2. with the attempts made since (the lists cxo pushed before): a rule broken only now is left
 *    out, like a number revoked since (the plan was right when made);
 * 3. with the dials the skill's retry settings allow: a rule broken only here is the skill's —
 *    refused naming the setting, unless the push may set the skill (`fitSkill`).
 * Pure: no clock, no I/O.
 */

/** The skill's behaviour a push must own (SkillState's dialling part). */
export type SkillDialing = Pick<
  SkillState,
  "maxAttempts" | "minRetryMinutes" | "loadNonFresh" | "zoneHours" | "schedule" | "window" | "evidence"
>;

/** How many times the skill may dial one record within a window of `staleMinutes`. */
export function dialsPerRecord(skill: SkillDialing, staleMinutes: number): number {
  // Not shown is not "off": a skill whose retry settings cannot be read may reload (the worst).
  if (skill.loadNonFresh === false) return 1;
  const most = skill.maxAttempts ?? Number.POSITIVE_INFINITY;
  const gap = skill.minRetryMinutes ?? 0;
  const inWindow = gap > 0 ? 1 + Math.floor(staleMinutes / gap) : Number.POSITIVE_INFINITY;
  return Math.max(1, Math.min(most, inWindow));
}

/** The settings that make a record dialled more than once, as a refusal names them. */
export function retryCause(skill: SkillDialing): string {
  return `the skill's retry settings (loadNonFresh ${String(skill.loadNonFresh ?? "not shown")}, maximumAttempts ${String(skill.maxAttempts ?? "not shown")}, minimumRetryMinutes ${String(skill.minRetryMinutes ?? "not shown")})`;
}

/** What the planner judged a row with beyond its number, from the list row (issue 79). */
export interface JudgedWith {
  /** The list's address state. */
  state?: string | undefined;
  /** The consumer's last transaction (an established business relationship). */
  lastTransactionMs?: number | undefined;
  numberType?: NumberType | undefined;
  /** A UK number's recorded consent, as planned (its TPS/CTPS listing is judged with it). */
  consent?: boolean | undefined;
}

export interface PushedRecord extends TimedListRecord, JudgedWith {
  /** The plan row it came from (1-based). */
  row: number;
  accountId?: string | undefined;
  /**
   * Every debt of a record whose number the list gave several, `accountId` first: its
   * dials count toward each, and a rule of any of them refuses it.
   */
  accountIds?: readonly string[] | undefined;
}

/**
 * A call already made (a pushed list's dial, a completed contact, a touch, the history given to a
 * plan: compliance/debt-calls.ts), with whether an agent talked on it and the debts it
 * is about (the one it names, else every account its number was read for).
 */
export interface MadeDial {
  phone: string;
  atMs: number;
  accounts: readonly string[];
  /** The call's source named its debt (it is about that debt alone). */
  named?: boolean | undefined;
  conversation: boolean;
  campaignId?: string | undefined;
  /** Issue 79: a touch made elsewhere (`cxo touches import`): its channel and seller. */
  channel?: Channel | undefined;
  seller?: string | undefined;
}

export interface ReachRefusal {
  recordId: string;
  row: number;
  phone: string;
  /** The engine's reason code (or `outside_skill_hours`). */
  code: string;
  /** Whose it is: the plan row itself, or the skill's settings. */
  cause: "plan" | "skill";
  message: string;
}

export interface ReachVerdict {
  /** Dials CXone may make per record under the skill as it is. */
  dialsPerRecord: number;
  /** Rules a row breaks by itself (cause `plan`) or through the skill's retries (cause `skill`). */
  refusals: ReachRefusal[];
  /** Records to leave out: their number or account became blocked by the attempts made since. */
  leftOut: Map<string, string[]>;
}

/**
 * The records judged, one at a time (issue 88 L13: a million are never objects at once): each,
 * and the others on its number and of its account among them (as dial windows).
 */
export interface ReachRecords {
  readonly count: number;
  /** The longest dial window among them, when known without asking each. */
  readonly staleMinutes?: number | undefined;
  at(i: number): PushedRecord;
  samePhone(i: number): readonly PushedRecord[];
  /**
   * The others of its account, or of `account` (one debt of a record of several); undefined: the
   * record has no account.
   */
  sameAccount(i: number, account?: string): readonly PushedRecord[] | undefined;
}

/** Records given as objects (a small plan, a test), grouped by number and account. */
export function reachRecordsOf(records: readonly PushedRecord[]): ReachRecords {
  const byPhone = groupBy(records, (r) => r.phone);
  const byAccount = new Map<string, PushedRecord[]>();
  for (const r of records)
    for (const account of debtsOf(r)) {
      if (account === undefined) continue;
      const list = byAccount.get(account);
      if (list) list.push(r);
      else byAccount.set(account, [r]);
    }
  return {
    count: records.length,
    at: (i) => records[i] as PushedRecord,
    samePhone: (i) => (byPhone.get((records[i] as PushedRecord).phone) ?? []).filter((r) => r !== records[i]),
    sameAccount: (i, named) => {
      const account = named ?? (records[i] as PushedRecord).accountId;
      return account === undefined
        ? undefined
        : (byAccount.get(account) ?? []).filter((r) => r !== records[i]);
    },
  };
}

export interface ReachInput {
  /** The runtime's compliance engine (the planner's rules, may-dial.ts). */
  engine: ComplianceEngine;
  records: ReachRecords | readonly PushedRecord[];
  skill: SkillDialing;
  /** Attempts made since (the lists cxo pushed to the campaign), counted toward every cap. */
  made: readonly MadeDial[];
  campaignId: string;
  campaignCaps?: CampaignCaps | undefined;
  /** Judge as if the skill dialled each record once (the push sets it so: `fitSkill`). */
  assumeOneDial?: boolean | undefined;
  /** Issue 79: the declared kind, the seller and its registrations (the rule table's scope). */
  seller?: SellerScope | undefined;
  /** The push's signal: the work gives the event loop a turn every few milliseconds (the lease's renewal runs). */
  signal?: AbortSignal | undefined;
}

/** Who is calling, and how, for the rows that depend on it (row-scope.ts, voice-rules.ts). */
export interface SellerScope {
  kind?: CampaignKind | undefined;
  seller?: string | undefined;
  registrations?: Registrations | undefined;
  /** The voice the plan was made for (its rows', else the campaign spec's); undefined: live. */
  voice?: CampaignVoice | undefined;
  /** The consent ledger's grants of the pushed numbers and accounts: a record's consent form. */
  grants?: GrantLookup | undefined;
}

const REG_F_REACH_MS = 9 * DAY_MS;
/** The longest cap window (and a day to spare): touches further away count toward no cap. */
const LOOKBACK_MS = ATTEMPT_LOOKBACK_MS + DAY_MS;

export async function judgeReach(input: ReachInput): Promise<ReachVerdict> {
  const { skill, made } = input;
  const records = "count" in input.records ? input.records : reachRecordsOf(input.records);
  const slices = new SignalSlices(input.signal);
  const k = input.assumeOneDial ? 1 : dialsPerRecord(skill, longestStale(records));
  const madeByPhone = groupBy(made, (d) => d.phone);
  const madeByAccount = byAccount(made);
  const refusals: ReachRefusal[] = [];
  const leftOut = new Map<string, string[]>();
  // The plan's scope, as the planner judged it (may-dial.ts): one function for both.
  const scope = dialScope(
    {
      engine: input.engine,
      campaignId: input.campaignId,
      campaignCaps: input.campaignCaps,
      kind: input.seller?.kind,
      seller: input.seller?.seller,
      registrations: input.seller?.registrations,
      voice: input.seller?.voice,
    },
    skill,
  );
  const artificial = input.seller?.voice !== undefined && input.seller.voice.voice !== "live";
  for (let i = 0; i < records.count; i++) {
    await slices.tick();
    const record = records.at(i);
    const atMs = Date.parse(record.callAt);
    const untilMs = atMs + record.staleMinutes * 60_000;
    const refuse = (reason: { code: string; message: string }, cause: "plan" | "skill") =>
      refusals.push({ recordId: record.externalId, row: record.row, phone: record.phone, cause, ...reason });
    if (record.timeZone === "" && record.callback !== true) {
      refuse(
        {
          code: "unknown_time_zone",
          message:
            "the number has no time zone, and CXone applies a record's time range only once it has one",
        },
        "plan",
      );
      continue;
    }
    const number = parseNanpOrUk(record.phone);
    if (!number) {
      refuse(
        { code: "not_dialable", message: `${record.phone} is not a dialable NANP or UK number` },
        "plan",
      );
      continue;
    }
    const interval = (r: TimedListRecord) => intervalOf(r, input.campaignId);
    const accountCall = (r: TimedListRecord) => accountCallOf(r, input.campaignId);
    const planOnly = records.samePhone(i).map(interval);
    // Each debt the record is for, judged with its own calls (issue 100: a cap of any refuses it).
    const views = debtsOf(record).map((debt) => {
      const asDebt = debt === record.accountId ? record : { ...record, accountId: debt };
      return {
        dial: dialRecordOf(asDebt, number, input.seller, artificial, atMs),
        history: madeNear(asDebt, madeByPhone, madeByAccount, input.campaignId),
        accountOthers: debt === undefined ? undefined : records.sameAccount(i, debt)?.map(accountCall),
        accountMade: debtMade(madeByAccount, debt, atMs, untilMs),
      };
    });
    type View = (typeof views)[number];
    const ask = (counted: (v: View) => [AttemptTime[], AccountAttempt[] | undefined], alone = false) =>
      uniqueReasons(
        views.flatMap((v) => {
          const [attempts, account] = counted(v);
          return dialRefusals(scope, v.dial, atMs, untilMs, { attempts, account, aloneAllowed: alone });
        }),
      );
    // 1. The plan's rows alone, one dial each: what the planner asked.
    const own = ask((v) => [planOnly, v.accountOthers]);
    for (const reason of own) refuse(reasonOf(reason, "the plan row"), "plan");
    if (own.length > 0) continue;
    // 2. With the dials made since: a rule broken only now leaves the record out.
    const since = ask(
      (v) => [[...planOnly, ...v.history], v.accountOthers && [...v.accountOthers, ...v.accountMade]],
      true,
    );
    if (since.length > 0) {
      leftOut.set(record.externalId, codesOf(since));
      continue;
    }
    // 3. With the dials the skill's retry settings allow: a rule broken only here is the skill's.
    if (k > 1) {
      const repeat = <T>(items: T[], times: number) => items.flatMap((x) => Array<T>(times).fill(x));
      const retries = ask(
        (v) => [
          [...repeat(planOnly, k), ...repeat([interval(record)], k - 1), ...v.history],
          v.accountOthers && [
            ...repeat(v.accountOthers, k),
            ...repeat([retryCallOf(record, input.campaignId, skill)], k - 1),
            ...v.accountMade,
          ],
        ],
        true,
      );
      for (const reason of retries) refuse(reasonOf(reason, `${k} dials (${retryCause(skill)})`), "skill");
    }
  }
  return { dialsPerRecord: k, refusals, leftOut };
}

/** The longest dial window of the records (minutes). */
function longestStale(records: ReachRecords): number {
  if (records.staleMinutes !== undefined) return records.staleMinutes;
  // In a loop: a spread of a million records' values overflowed the call stack (issue 88 L13).
  let stale = 0;
  for (let i = 0; i < records.count; i++) {
    const minutes = records.at(i).staleMinutes;
    if (minutes > stale) stale = minutes;
  }
  return stale;
}

/** The dials made, by each account they were about. */
function byAccount(made: readonly MadeDial[]): Map<string, MadeDial[]> {
  const madeByAccount = new Map<string, MadeDial[]>();
  for (const d of made)
    for (const account of d.accounts) {
      const list = madeByAccount.get(account);
      if (list) list.push(d);
      else madeByAccount.set(account, [d]);
    }
  return madeByAccount;
}

/** A list record as the dial window it may be dialled in. */
function intervalOf(r: TimedListRecord, campaignId: string): AttemptTime {
  const from = Date.parse(r.callAt);
  return { atMs: from, untilMs: from + r.staleMinutes * 60_000, campaignId };
}

/** A list record as a call about its debt, to its number. */
const accountCallOf = (r: TimedListRecord, campaignId: string): AccountAttempt => ({
  ...intervalOf(r, campaignId),
  conversation: false,
  phone: r.phone,
});

/**
 * A retry of the record: its retries are minimumRetryMinutes apart, so at 5 minutes or more they
 * are no "two calls within 5 minutes" (Regulation F's patterns) and are not counted as calls to
 * its number there; under 5 minutes they are.
 */
const retryCallOf = (r: TimedListRecord, campaignId: string, dialing: SkillDialing): AccountAttempt =>
  (dialing.minRetryMinutes ?? 0) >= 5
    ? { ...intervalOf(r, campaignId), conversation: false }
    : accountCallOf(r, campaignId);

/**
 * The list record as CXone holds it: timed by its own zone, its consent the plan's business — but
 * for a prerecorded or AI voice its form (written, AI disclosed) is the ledger's grant, as planned. */
function dialRecordOf(
  record: PushedRecord,
  number: NanpNumber,
  seller: SellerScope | undefined,
  artificial: boolean,
  atMs: number,
): DialRecord {
  const form = artificial
    ? seller?.grants?.factsOf(record.phone, record.accountId, seller.kind, atMs)
    : undefined;
  return {
    number,
    zones: record.timeZone === "" ? [] : [record.timeZone],
    state: record.state,
    zip: record.zip,
    consent: true,
    onDnc: false,
    lastTransactionMs: record.lastTransactionMs,
    numberType: record.numberType,
    accountId: record.accountId,
    writtenConsent: form?.writtenConsent,
    aiDisclosed: form?.aiDisclosed,
  };
}

/** A debt's calls made since, near the record's window (Regulation F's period on either side). */
function debtMade(
  madeByAccount: ReadonlyMap<string, readonly MadeDial[]>,
  debt: string | undefined,
  atMs: number,
  untilMs: number,
): AccountAttempt[] {
  if (debt === undefined) return [];
  return (madeByAccount.get(debt) ?? [])
    .filter((d) => d.atMs > atMs - REG_F_REACH_MS && d.atMs < untilMs + REG_F_REACH_MS)
    .map((d) => ({ atMs: d.atMs, conversation: d.conversation, channel: d.channel, phone: d.phone }));
}

/**
 * The touches made since that count toward a record's caps: to its number, and (a per-account
 * cap) about its account on other numbers, within the longest cap window of its dial window.
 */
function madeNear(
  record: PushedRecord,
  madeByPhone: ReadonlyMap<string, readonly MadeDial[]>,
  madeByAccount: ReadonlyMap<string, readonly MadeDial[]>,
  campaignId: string,
): AttemptTime[] {
  const atMs = Date.parse(record.callAt);
  const untilMs = atMs + record.staleMinutes * 60_000;
  const elsewhere =
    record.accountId === undefined
      ? []
      : (madeByAccount.get(record.accountId) ?? []).filter((d) => d.phone !== record.phone);
  // A call to the record's own number names its debt only when it named one; one on another
  // number of the debt is about the record's debt (a per-account cap counts it).
  const near = (d: MadeDial) => d.atMs > atMs - LOOKBACK_MS && d.atMs < untilMs + LOOKBACK_MS;
  const touch = (d: MadeDial, accountId: string | undefined): AttemptTime => ({
    atMs: d.atMs,
    campaignId: d.campaignId ?? campaignId,
    phone: d.phone,
    channel: d.channel,
    accountId,
    seller: d.seller,
  });
  return [
    ...(madeByPhone.get(record.phone) ?? [])
      .filter(near)
      // A call to a number of several debts is about each of them (issue 100): counted as the number's own.
      .map((d) => touch(d, d.accounts.length === 1 && d.named ? d.accounts[0] : undefined)),
    ...elsewhere.filter(near).map((d) => touch(d, record.accountId)),
  ];
}

/**
 * A pushed record dialled on one list: a record id recurs in every day's list of the same
 * records, and a dial on an earlier list says nothing of its outcome on this one.
 */
export const dialledOn = (listId: string, recordId: string): string => `${listId}\u0000${recordId}`;

/**
 * The calls gathered for a push (debt-calls.ts) as dials made: each with the debts it is about,
 * and the pushed records CXone has dialled, each on its list (`dialledOn`).
 */
export function madeDialsOf(calls: DebtCalls): { dials: MadeDial[]; dialled: Set<string> } {
  const dialled = new Set<string>();
  const dials = calls.all.map((c) => {
    if (c.source === "list" && c.recordId !== undefined && c.listId !== undefined)
      dialled.add(dialledOn(c.listId, c.recordId));
    return {
      phone: c.phone,
      atMs: c.atMs,
      // Every debt of its number, and the one it names (issue 100: a shared line's call is about each).
      accounts:
        c.accountId === undefined
          ? calls.accountsOf(c.phone)
          : [c.accountId, ...calls.accountsOf(c.phone).filter((a) => a !== c.accountId)],
      named: c.accountId !== undefined,
      conversation: c.conversation,
      campaignId: c.campaignId,
      channel: c.channel,
      seller: c.seller,
    };
  });
  return { dials, dialled };
}

const codesOf = (reasons: readonly DialRefusal[]) => [...new Set(reasons.map((r) => r.code))];

/** The debts a record is for: each of several, its one account, or none (`[undefined]`). */
function debtsOf(record: PushedRecord): ReadonlyArray<string | undefined> {
  return record.accountIds !== undefined && record.accountIds.length > 1
    ? record.accountIds
    : [record.accountId];
}

/** Each reason once (a number's own rules answer alike for each of its debts). */
function uniqueReasons(reasons: readonly DialRefusal[]): DialRefusal[] {
  const seen = new Set<string>();
  return reasons.filter((r) => {
    const key = `${r.code}\u0000${r.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function reasonOf(reason: DialRefusal, by: string): { code: string; message: string } {
  const cited = reason.citation ? ` (${reason.citation})` : "";
  return { code: reason.code, message: `${reason.message}${cited}; caused by ${by}` };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
