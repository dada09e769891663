import { debtAccounts } from "../consent/accounts.ts";
import type { Store } from "../core/store/index.ts";
import { ATTEMPT_LOOKBACK_MS } from "./attempts.ts";
import { type CallWindow, type CountedCall, callsOf, type DebtCalls } from "./debt-calls.ts";
import type { DncList } from "./dnc.ts";
import type { ComplianceEngine } from "./engine.ts";
import { type AccountAttempt, REG_F_PERIOD_MS, regFReasons } from "./reg-f.ts";
import { regFPatterns } from "./reg-f-patterns.ts";
import type { DncRegistries } from "./registry/lookup.ts";
import { sqlOf } from "./store-sql.ts";
import type { AttemptTime, ComplianceInput, Verdict } from "./verdict.ts";

/**
 * One call checked against the rules with the local store's facts: the calls of the number and
 * of its debt (debt-calls.ts: cxo's calls, the imported touches, the histories given to plans,
 * and CXone's dials when the caller read them), the internal DNC list and the imported registry
 * copies (national, state). The I/O is here; the decision is the engine's (engine.ts), with Regulation F's
 * presumptions per debt (reg-f.ts) for a collections call.
 */
export type CallToCheck = Pick<
  ComplianceInput,
  (typeof SHARED_FIELDS)[number] | "number" | "atMs" | "consent"
> & {
  /** The record's declared time zone (the engine's `declaredZone`). */
  zone?: string | undefined;
  /** The consumer's address state (the engine's `addressState`). */
  state?: string | undefined;
};

/** The fields a call carries into the engine's input as they are (one list, so the two cannot drift). */
const SHARED_FIELDS = [
  "campaignCaps",
  "campaignId",
  "channel",
  "kind",
  "accountId",
  "seller",
  "zip",
  "registrations",
  "lastTransactionMs",
  "numberType",
  "voice",
  "purpose",
  "explainCaps",
  "searchDays",
  "ruleTable",
] as const satisfies readonly (keyof ComplianceInput)[];

/**
 * The decision for one call once its calls are known (no I/O but the registry bits). `debt`: the
 * calls about its debt (its number's and its account's), for a collections call: Regulation F's 7
 * calls in 7 days and 7 days after a conversation, as the planner and a push judge them.
 */
export function judgeCall(
  engine: ComplianceEngine,
  dnc: DncList,
  call: CallToCheck,
  attempts: readonly AttemptTime[],
  registries: DncRegistries,
  debt?: readonly AccountAttempt[],
): Verdict {
  const input = inputOf(dnc, call, attempts, registries);
  const verdict = engine.evaluate(input);
  return debt === undefined ? verdict : withRegulationF(engine, verdict, input, debt);
}

function sharedFieldsOf(call: CallToCheck): Partial<ComplianceInput> {
  const fields: Partial<Record<(typeof SHARED_FIELDS)[number], unknown>> = {};
  for (const key of SHARED_FIELDS) if (call[key] !== undefined) fields[key] = call[key];
  return fields as Partial<ComplianceInput>;
}

function inputOf(
  dnc: DncList,
  call: CallToCheck,
  attempts: readonly AttemptTime[],
  registries: DncRegistries,
): ComplianceInput {
  return {
    number: call.number,
    atMs: call.atMs,
    declaredZone: call.zone,
    addressState: call.state,
    consent: call.consent,
    onDnc: dnc.has(call.number.e164),
    suppressions: dnc.suppressions?.(call.number.e164, call.campaignId, call.atMs, call.accountId) ?? [],
    registries: registries.findings(call.number),
    attempts,
    textStopsMs: dnc.textStops?.(call.number.e164),
    ...sharedFieldsOf(call),
  };
}

/**
 * Regulation F's reasons the rule table does not give (the 7 days after a conversation; its 7 in
 * 7 is a row of the table, counted once), and the earliest instant both allow.
 */
function withRegulationF(
  engine: ComplianceEngine,
  verdict: Verdict,
  input: ComplianceInput,
  debt: readonly AccountAttempt[],
): Verdict {
  const channel = input.channel ?? "call";
  if (channel !== "call" && channel !== "callback" && channel !== "voicemail") return verdict;
  const patterns = regFPatterns(debt, {
    atMs: input.atMs,
    phone: input.number.e164,
    channel,
    zone: verdict.zones[0],
  });
  const warned = patterns.length === 0 ? verdict : { ...verdict, warnings: patterns };
  const known = new Set(verdict.reasons.map((r) => r.code));
  const extra = regFReasons(debt, input.atMs).filter((r) => !known.has(r.code));
  if (extra.length === 0) return warned;
  return {
    ...warned,
    allowed: false,
    reasons: [...verdict.reasons, ...extra],
    nextAllowedAt: verdict.nextAllowedAt === null ? null : nextAllowedWithDebt(engine, input, debt),
  };
}

/** The first instant every rule and Regulation F allow: each debt call leaves the period 8 × 24 h after it. */
function nextAllowedWithDebt(
  engine: ComplianceEngine,
  input: ComplianceInput,
  debt: readonly AccountAttempt[],
): string | null {
  let atMs = input.atMs;
  for (let step = 0; step < 20; step++) {
    if (regFReasons(debt, atMs).length > 0) {
      const leaves = debt.map((a) => a.atMs + REG_F_PERIOD_MS).filter((t) => t > atMs);
      if (leaves.length === 0) return null;
      atMs = Math.min(...leaves);
      continue;
    }
    const verdict = engine.evaluate({ ...input, atMs });
    if (verdict.allowed || verdict.nextAllowedAt === null) return verdict.nextAllowedAt;
    const next = Date.parse(verdict.nextAllowedAt);
    if (next <= atMs) return null;
    atMs = next;
  }
  return null;
}

/** The confirmation row's 5 minutes, and a minute to spare. */
const CONFIRMATION_LOOKBACK_MS = 6 * 60_000;

/**
 * Judges the call with what the store (and CXone, when the caller read its dials: `platform`)
 * says was called: the number's calls and, when an account is named, the debt's on its other
 * numbers. A check naming an account cxo read in a collections list or plan, with no kind
 * declared, is judged as the collections call it is (Regulation F per debt).
 */
export async function checkCall(
  engine: ComplianceEngine,
  store: Store,
  dnc: DncList,
  call: CallToCheck,
  /** Required, so no caller can forget the National DNC Registry (NO_REGISTRIES where none applies). */
  registries: DncRegistries,
  /** CXone's calls in the window (debt-calls.ts), asked only when a rule counts calls. */
  platform?: (window: CallWindow) => Promise<readonly CountedCall[] | undefined>,
): Promise<Verdict> {
  const account = call.accountId;
  const kind =
    call.kind ??
    (account !== undefined && (await debtAccounts(sqlOf(store), [account])).has(account)
      ? "collections"
      : undefined);
  const judged = { ...call, kind };
  // Only as far back, and by account only when, a cap that governs this call counts (or, for a
  // debt, Regulation F's period).
  const reach = engine.touchReach({
    number: call.number,
    atMs: call.atMs,
    declaredZone: call.zone,
    addressState: call.state,
    consent: call.consent,
    onDnc: false,
    campaignCaps: call.campaignCaps,
    channel: call.channel,
    kind,
    accountId: account,
    zip: call.zip,
    numberType: call.numberType,
    voice: call.voice,
  });
  const debt = kind === "collections";
  // A confirmation of a revocation reads the touches of its 5 minutes (was one sent already?).
  const confirming = call.purpose === "revocation-confirmation" ? CONFIRMATION_LOOKBACK_MS : 0;
  const lookbackMs = Math.max(reach.lookbackMs, debt ? REG_F_PERIOD_MS : 0, confirming);
  if (lookbackMs === 0) return judgeCall(engine, dnc, judged, [], registries);
  const window = { fromMs: call.atMs - Math.min(lookbackMs, ATTEMPT_LOOKBACK_MS), toMs: call.atMs };
  const calls = await callsOf(
    { store, platform: await platform?.(window) },
    { phones: [call.number.e164], accounts: account === undefined ? [] : [account], window },
  );
  return judgeWithCalls(engine, dnc, judged, calls, registries);
}

/**
 * The decision with the gathered calls: the number's own and, for its account, the debt's on its
 * other numbers (a per-number rule counts the first alone); for a collections call, Regulation F
 * over all of them. What a check and each contact of a scrub are judged with.
 */
export function judgeWithCalls(
  engine: ComplianceEngine,
  dnc: DncList,
  call: CallToCheck,
  calls: DebtCalls,
  registries: DncRegistries,
): Verdict {
  return judgeCounted(engine, dnc, call, calls.forCheck(call.number.e164, call.accountId), registries);
}

/**
 * The decision once the calls a check counts are gathered (its number's, and its debt's on other
 * numbers, oldest first): what `compliance check` decides, and what an evidence record is made and
 * replayed with (evidence/judge.ts).
 */
export function judgeCounted(
  engine: ComplianceEngine,
  dnc: DncList,
  call: CallToCheck,
  counted: readonly CountedCall[],
  registries: DncRegistries,
): Verdict {
  // A call to another number naming another debt is not about this one; every call to this
  // number is (issue 100: a number's calls count toward each debt it is listed for).
  const debt =
    call.kind === "collections"
      ? counted
          .filter(
            (c) =>
              call.accountId === undefined ||
              c.accountId === undefined ||
              c.accountId === call.accountId ||
              c.phone === call.number.e164,
          )
          .map((c) => ({
            atMs: c.atMs,
            conversation: c.conversation,
            channel: c.channel,
            phone: c.phone,
          }))
      : undefined;
  return judgeCall(engine, dnc, call, counted, registries, debt);
}
