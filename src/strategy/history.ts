import type { CountedCall, DebtCalls } from "../compliance/debt-calls.ts";
import { agentOn } from "../core/call-agent.ts";
import { DAY_MS, MINUTE_MS } from "../core/time-units.ts";
import { canonicalRecord } from "../outcomes/record-format.ts";
import type { ExpectedLift } from "./expected-lift.ts";
import type { Model } from "./model-format.ts";
import { nanpE164 } from "./place.ts";
import type { HistoryAttempt, OutcomeRecord } from "./types.ts";

/**
 * The attempts already made, as `plan` counts them toward every cap (issue 55 §2): from a
 * history file (`--history FILE`, an `outcomes export`) or from the campaign's outcomes read
 * through the platform (`--history campaign`).
 */

/** How far before the horizon the campaign's outcomes are read: the longest window a cap looks back on (Regulation F's 7 days, a week's cap). */
export const HISTORY_LOOKBACK_DAYS = 7;

/**
 * An outcome record as a prior attempt (a conversation: an agent talked on it), with its contact
 * id (the same call read from CXone is counted once) and its account column when the file has one
 * (`accountId`, or `extra.accountId`); undefined without a number or a time.
 */
export function historyAttemptOf(record: OutcomeRecord): HistoryAttempt | undefined {
  const atMs = typeof record.startTime === "string" ? Date.parse(record.startTime) : Number.NaN;
  if (typeof record.phoneNumber !== "string" || !Number.isFinite(atMs)) return undefined;
  const contactId = textOf((record as { contactId?: unknown }).contactId) ?? textOf(record.id);
  const accountId =
    textOf((record as { accountId?: unknown }).accountId) ??
    textOf((record.extra as Record<string, unknown> | undefined)?.accountId);
  return {
    phone: record.phoneNumber,
    atMs,
    campaignId: record.campaignId,
    // An agent on the call, its id as text (cxo's export) or a JSON number (CXone's own ids).
    conversation: agentOn((record as { agentId?: unknown }).agentId),
    ...(contactId ? { contactId } : {}),
    ...(accountId ? { accountId } : {}),
  };
}

const textOf = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : undefined;

/** Every attempt of the records, read to the end. */
export async function historyOf(
  records: AsyncIterable<OutcomeRecord> | Iterable<OutcomeRecord>,
): Promise<HistoryAttempt[]> {
  const attempts: HistoryAttempt[] = [];
  for await (const record of records) {
    const attempt = historyAttemptOf(record);
    if (attempt) attempts.push(attempt);
  }
  return attempts;
}

/**
 * The window of the campaign's outcomes a plan from `fromMs` over `days` counts: from
 * HISTORY_LOOKBACK_DAYS before the horizon to now (whole minutes; no later than the horizon's
 * end: a plan of past days reads what was dialled up to then). Undefined when it is empty.
 */
export function campaignHistoryWindow(
  fromMs: number,
  days: number,
  nowMs: number,
): { from: string; to: string } | undefined {
  const start = Math.floor((fromMs - HISTORY_LOOKBACK_DAYS * DAY_MS) / MINUTE_MS) * MINUTE_MS;
  const end = Math.floor(Math.min(nowMs, fromMs + days * DAY_MS) / MINUTE_MS) * MINUTE_MS;
  if (end <= start) return undefined;
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

/** What the plan counted as attempts already made (the `--json` summary's `history`). */
export interface PlanHistorySource {
  source: "file" | "campaign" | "given";
  attempts: number;
  /** The file read (source file). */
  file?: string;
  /** The outcomes' window (source campaign). */
  from?: string;
  to?: string;
}

/**
 * The campaign's outcomes of the window (campaignHistoryWindow) as the attempts already made,
 * through an outcome listing (the SDK's `outcomes.list`: reads only).
 */
export async function readCampaignHistory(
  list: (query: {
    campaignId: string;
    from: string;
    to: string;
  }) => AsyncIterable<{ raw: Record<string, unknown> }>,
  campaign: string,
  fromMs: number,
  days: number,
  nowMs: number,
): Promise<{ attempts: HistoryAttempt[]; source: PlanHistorySource }> {
  const window = campaignHistoryWindow(fromMs, days, nowMs);
  if (!window) return { attempts: [], source: { source: "campaign", attempts: 0 } };
  const attempts = await historyOf(
    (async function* (): AsyncIterable<OutcomeRecord> {
      for await (const call of list({ campaignId: campaign, ...window })) yield canonicalRecord(call.raw);
    })(),
  );
  return { attempts, source: { source: "campaign", attempts: attempts.length, ...window } };
}

/** An attempt already made as every count of a debt's calls gathers it (compliance/debt-calls.ts). */
export function countedCallOf(a: HistoryAttempt, source: CountedCall["source"] = "history"): CountedCall {
  const call: CountedCall = { phone: nanpE164(a.phone), atMs: a.atMs, conversation: a.conversation, source };
  if (a.campaignId !== undefined && a.campaignId !== "") call.campaignId = a.campaignId;
  if (a.channel !== undefined) call.channel = a.channel;
  if (a.accountId !== undefined) call.accountId = a.accountId;
  if (a.seller !== undefined) call.seller = a.seller;
  if (a.contactId !== undefined) call.contactId = a.contactId;
  return call;
}

/**
 * The gathered calls as a plan counts them: per number (`history`, a call naming its debt keeps
 * it), and each debt's on every number (`accountCalls`, for Regulation F and per-account caps).
 */
export function planCallsOf(calls: DebtCalls): {
  history: HistoryAttempt[];
  accountCalls: Map<string, HistoryAttempt[]>;
} {
  const attemptOf = (c: CountedCall): HistoryAttempt => ({
    phone: c.phone,
    atMs: c.atMs,
    campaignId: c.campaignId,
    conversation: c.conversation,
    channel: c.channel,
    accountId: c.accountId,
    seller: c.seller,
  });
  return {
    history: calls.all.map(attemptOf),
    accountCalls: new Map(
      calls.accounts.map((account) => [account, calls.ofAccount(account).map(attemptOf)]),
    ),
  };
}

export const isHistoryFile = (history: unknown): history is { file: string } =>
  typeof history === "object" &&
  history !== null &&
  !Array.isArray(history) &&
  typeof (history as { file?: unknown }).file === "string";

/** `history: { file }`: the outcomes export read once, for the attempts and for the lift. */
export async function historyFileOf(file: string, signal: AbortSignal | undefined) {
  const { readOutcomeRecords } = await import("./files.ts");
  const outcomes: OutcomeRecord[] = [];
  for await (const record of readOutcomeRecords(file, "history", signal)) outcomes.push(record);
  return { file, outcomes, attempts: await historyOf(outcomes) };
}

/**
 * The lift the plan can promise, measured on held-out weeks of the history file's outcomes (never
 * on the model's own training data), or why it cannot be yet.
 */
export async function expectedLiftOf(
  outcomes: readonly OutcomeRecord[] | undefined,
  model: Model,
): Promise<ExpectedLift> {
  if (outcomes === undefined) {
    const reason =
      "no outcome history given: `history` FILE (an outcomes export) lets the lift be measured on its last weeks";
    return { estimated: false, reason, headline: `expected lift: cannot be estimated yet (${reason})` };
  }
  const { expectedLift } = await import("./expected-lift.ts");
  return expectedLift(outcomes, model);
}
