import { accountsOfPhones, holdsAccounts, numbersOfAccounts } from "../../consent/accounts.ts";
import type { RecordSpan } from "../../consent/dnc-group-copy.ts";
import { CONSENT_GRANTS, type Grant, grantInForce, grantsOf } from "../../consent/grants.ts";
import { type NanpNumber, parseNanpOrUk } from "../../core/phone-number.ts";
import type { Store } from "../../core/store/index.ts";
import { holdsCheckpoints } from "../../core/store/kv.ts";
import type { PresentedCallerId } from "../../platform/ports/diagnosis.ts";
import { ATTEMPT_LOOKBACK_MS } from "../attempts.ts";
import { dncListFor } from "../blocked-numbers.ts";
import { type CountedCall, callsOf, type DebtCalls } from "../debt-calls.ts";
import { type DncList, dncAddedAt, holdsDncNumbers } from "../dnc.ts";
import type { ComplianceEngine } from "../engine.ts";
import { REG_F_PERIOD_MS } from "../reg-f.ts";
import type { DncRegistries } from "../registry/lookup.ts";
import { evidenceOfPhones, holdsRndEvidence, type RndEvidence } from "../rnd/evidence-store.ts";
import { RND_CITATION } from "../rnd/rnd-suppressions.ts";
import { judgeRndAnswer, rndRefusalMessage } from "../rnd/verdict.ts";
import { sqlOf } from "../store-sql.ts";
import type { Suppression } from "../suppression.ts";
import type { Registrations } from "../touches.ts";
import { touchId, touchOfCall } from "../touches-store.ts";
import { type CampaignVoice, type VoiceFacts, voiceFacts } from "../voice-rules.ts";
import type { CxoneCopyHistory } from "./cxone-copy.ts";
import type {
  ConsentBasis,
  DncConsulted,
  EvidenceCall,
  EvidenceInputs,
  EvidenceSuppression,
  RndFact,
} from "./record.ts";
import type { EvidenceAttempt, InputCall, ScratchAttempts } from "./scratch.ts";

/**
 * What the engine reads for each attempt of a chunk, gathered from the store in a few batched
 * queries per chunk (never one per attempt), as of the attempt's instant where the store keeps
 * the instant: the revocations received before it, the grant given before it, the RND answer
 * asked before it, the internal list's numbers added before it, the calls before it (the same
 * input's, from the scratch file, and the store's: cxo's calls and imported touches, each once),
 * the copy of the CXone DNC groups in force at the attempt (cxone-copy.ts: never a later sync's).
 * The DNC registry copies are those in the data dir now; each is kept in the record with its
 * date, so a copy newer than the attempt is seen.
 */
export interface GatherContext {
  /** The run's compliance engine (its runtime's): how far back each attempt's rules count. */
  engine: ComplianceEngine;
  store: Store;
  registries: DncRegistries;
  scratch: ScratchAttempts;
  ruleBook: string;
  seller: string | undefined;
  registrations: Registrations;
  rndNoData: "allow" | "refuse";
  /** The caller's word on consent for every attempt with no grant (`declared`); undefined: none. */
  consent?: boolean | undefined;
  /** Lists cxo pushed from plans: their records' consent was judged by the plan (`plan`). */
  planLists: ReadonlySet<string>;
  /** The copy of the CXone DNC groups, every sync the store keeps (read as of each attempt). */
  cxoneCopy: CxoneCopyHistory;
  /** What the store holds at all (holdingsOf): a table with nothing in it is not asked per chunk. */
  holds: Holdings;
  /** Each campaign's declared voice (its skill's or its spec's): an attempt's voice when it names none. */
  voices?: ReadonlyMap<string, CampaignVoice> | undefined;
  /** Each campaign's skill's presented caller id: an attempt's when its own record names none. */
  callerIds?: ReadonlyMap<string, PresentedCallerId> | undefined;
}

export interface Holdings {
  internalDnc: boolean;
  grants: boolean;
  rnd: boolean;
  /** Any account's numbers read (the records' `debts`). */
  accounts: boolean;
}

/** Whether the store holds any internal-list number, consent grant, RND answer (read once per run). */
export async function holdingsOf(store: Store): Promise<Holdings> {
  const sql = sqlOf(store);
  const [internalDnc, grants, rnd, accounts] = await Promise.all([
    holdsDncNumbers(sql),
    holdsCheckpoints(sql, CONSENT_GRANTS),
    holdsRndEvidence(sql),
    holdsAccounts(sql),
  ]);
  return { internalDnc, grants, rnd, accounts };
}

interface ChunkFacts {
  /** The calls before the chunk's attempts, by how far back they reach (none for 0). */
  calls: Map<number, DebtCalls>;
  reach: Map<EvidenceAttempt, number>;
  debts: Set<string>;
  dnc: DncList;
  added: Map<string, number>;
  grants: Map<string, Grant>;
  rnd: Map<string, Array<RndEvidence & { askedMs: number }>>;
  /** Every record the chunk's numbers ever had in the CXone DNC copy. */
  spans: Map<string, RecordSpan[]>;
  /** The accounts cxo read each number for. */
  accountsOf: Map<string, string[]>;
}

/** The kept inputs of every attempt of a chunk (time-ordered), in its order. */
export async function inputsOfChunk(
  ctx: GatherContext,
  chunk: readonly EvidenceAttempt[],
): Promise<EvidenceInputs[]> {
  const facts = await factsOf(ctx, chunk);
  return chunk.map((attempt) => inputsOf(ctx, facts, attempt));
}

/**
 * How far back any cap that may govern the attempt counts (its jurisdictions' caps, of every kind
 * when none is declared; Regulation F's period for a debt): the calls read for it. Most states
 * have no cap: their attempts read none.
 */
function reachOf(engine: ComplianceEngine, a: EvidenceAttempt): number {
  const reach = engine.touchReach({
    number: parseNanpOrUk(a.phone) as NanpNumber,
    atMs: a.atMs,
    declaredZone: a.zone,
    addressState: a.state,
    consent: true,
    onDnc: false,
    channel: a.channel,
    kind: a.kind,
    accountId: a.accountId,
    zip: a.zip,
  });
  const debt = a.accountId !== undefined || a.kind === "collections" ? REG_F_PERIOD_MS : 0;
  return Math.min(Math.max(reach.lookbackMs, debt), ATTEMPT_LOOKBACK_MS);
}

async function factsOf(ctx: GatherContext, chunk: readonly EvidenceAttempt[]): Promise<ChunkFacts> {
  const { store } = ctx;
  const phones = [...new Set(chunk.map((a) => a.phone))];
  const accounts = [...new Set(chunk.flatMap((a) => (a.accountId === undefined ? [] : [a.accountId])))];
  const reach = new Map(chunk.map((a) => [a, reachOf(ctx.engine, a)]));
  const byReach = new Map<number, EvidenceAttempt[]>();
  for (const [a, ms] of reach) if (ms > 0) byReach.set(ms, [...(byReach.get(ms) ?? []), a]);
  const calls = new Map<number, DebtCalls>();
  const { holds } = ctx;
  const [dnc, added, grants, rnd, spans, accountsOf] = await Promise.all([
    dncListFor(store, phones, [], accounts, { cxoneGroups: false }),
    holds.internalDnc ? dncAddedAt(store, phones) : new Map<string, number>(),
    holds.grants ? grantsOf(store, phones, accounts) : new Map<string, Grant>(),
    holds.rnd
      ? evidenceOfPhones(sqlOf(store), phones)
      : new Map<string, Array<RndEvidence & { askedMs: number }>>(),
    ctx.cxoneCopy.spansOf(store, phones),
    holds.accounts ? accountsOfPhones(sqlOf(store), phones) : new Map<string, string[]>(),
    (async () => {
      for (const [ms, attempts] of byReach) calls.set(ms, await callsReaching(ctx, attempts, ms));
    })(),
  ]);
  const debts = new Set<string>();
  for (const found of calls.values())
    for (const account of accounts) if (found.isDebt(account)) debts.add(account);
  return { calls, reach, debts, dnc, added, grants, rnd, spans, accountsOf };
}

/** The calls (the input's and the store's) to these attempts' numbers and debts, `reachMs` before the first. */
async function callsReaching(
  ctx: GatherContext,
  attempts: readonly EvidenceAttempt[],
  reachMs: number,
): Promise<DebtCalls> {
  const phones = [...new Set(attempts.map((a) => a.phone))];
  const accounts = [...new Set(attempts.flatMap((a) => (a.accountId === undefined ? [] : [a.accountId])))];
  const window = {
    fromMs: (attempts[0] as EvidenceAttempt).atMs - reachMs,
    toMs: (attempts[attempts.length - 1] as EvidenceAttempt).atMs,
  };
  const accountNumbers =
    accounts.length === 0 ? new Map<string, string[]>() : await numbersOfAccounts(sqlOf(ctx.store), accounts);
  const numbers = [...new Set([...phones, ...[...accountNumbers.values()].flat()])];
  const given = ctx.scratch.callsOf(numbers, accounts, window.fromMs, window.toMs);
  return callsOf({ store: ctx.store, given }, { phones, accounts, window });
}

function inputsOf(ctx: GatherContext, facts: ChunkFacts, attempt: EvidenceAttempt): EvidenceInputs {
  const number = parseNanpOrUk(attempt.phone) as NanpNumber;
  const { atMs, accountId } = attempt;
  const kind =
    attempt.kind ?? (accountId !== undefined && facts.debts.has(accountId) ? "collections" : undefined);
  const grant = grantInForce(facts.grants, attempt.phone, accountId, kind, atMs);
  const consent = consentOf(ctx, attempt, grant);
  const declared =
    attempt.voice === undefined && attempt.campaignId !== undefined
      ? ctx.voices?.get(attempt.campaignId)
      : undefined;
  const form = grant ? { writtenConsent: grant.written, aiDisclosed: grant.aiDisclosed } : {};
  const voice: VoiceFacts | undefined =
    attempt.voice !== undefined
      ? { voice: attempt.voice, ...form }
      : declared
        ? voiceFacts(declared, form)
        : undefined;
  const reach = ctx.engine.touchReach({
    number,
    atMs,
    declaredZone: attempt.zone,
    addressState: attempt.state,
    consent: consent.basis === "none" ? undefined : true,
    onDnc: false,
    channel: attempt.channel,
    kind,
    accountId,
    zip: attempt.zip,
    voice,
  });
  const lookbackMs = Math.min(
    Math.max(reach.lookbackMs, kind === "collections" ? REG_F_PERIOD_MS : 0),
    ATTEMPT_LOOKBACK_MS,
  );
  const copy = ctx.cxoneCopy.asOf(attempt.phone, facts.spans.get(attempt.phone), attempt.campaignId, atMs);
  const suppressions = [...suppressionsOf(facts, attempt), ...copy.suppressions.map(keptSuppression)];
  const rnd = rndOf(ctx, facts, attempt);
  if (rnd?.refusal) suppressions.push(rnd.refusal);
  const addedMs = facts.added.get(attempt.phone);
  const ofNumber = facts.accountsOf.get(attempt.phone);
  const debts =
    ofNumber === undefined
      ? accountId === undefined
        ? undefined
        : [accountId]
      : [...new Set([...(accountId === undefined ? [] : [accountId]), ...ofNumber])].sort();
  const f = attempt.facts;
  const skillCid = attempt.campaignId === undefined ? undefined : ctx.callerIds?.get(attempt.campaignId);
  // One shape for every record (a spread of the facts made each a slow object, cloned slowly to the judging threads).
  return {
    abandoned: f?.abandoned,
    account: accountId ?? null,
    agent: f?.agent,
    aiAgent: f?.aiAgent,
    attestation: f?.attestation,
    callerId: f?.callerId ?? skillCid?.number,
    callerName: f?.callerName ?? (f?.callerId === undefined ? skillCid?.name : undefined),
    disposition: f?.disposition,
    durationSeconds: f?.durationSeconds,
    outcome: f?.outcome,
    recording: f?.recording,
    safeHarborMessage: f?.safeHarborMessage,
    at: new Date(atMs).toISOString(),
    calls:
      lookbackMs === 0
        ? []
        : callsBefore(facts.calls.get(facts.reach.get(attempt) ?? 0), attempt, atMs - lookbackMs),
    campaign: attempt.campaignId ?? null,
    channel: attempt.channel,
    consent,
    debts,
    dnc: dncOf(
      ctx,
      number,
      atMs,
      copy.consulted,
      addedMs !== undefined && addedMs <= atMs ? addedMs : undefined,
    ),
    id: attempt.id,
    kind: kind ?? null,
    phone: attempt.phone,
    registrations: kind === "sales" && Object.keys(ctx.registrations).length > 0 ? ctx.registrations : null,
    rnd: rnd?.fact ?? null,
    ruleBook: ctx.ruleBook,
    seller: ctx.seller ?? null,
    source: attempt.source,
    state: attempt.state ?? null,
    suppressions,
    textStops: (facts.dnc.textStops?.(attempt.phone) ?? [])
      .filter((t) => t <= atMs)
      .map((t) => new Date(t).toISOString()),
    voice: voice ? sortedVoice(voice) : null,
    zip: attempt.zip ?? null,
    zone: attempt.zone ?? null,
  };
}

/** The grant in force, else a list cxo's plan pushed, else the caller's word, else none. */
function consentOf(ctx: GatherContext, attempt: EvidenceAttempt, grant: Grant | undefined): ConsentBasis {
  if (grant)
    return {
      aiDisclosed: grant.aiDisclosed,
      basis: "grant",
      grantedAt: grant.grantedAt,
      purposes: [...grant.purposes],
      source: grant.source,
      written: grant.written,
    };
  if (attempt.listId !== undefined && ctx.planLists.has(attempt.listId)) return { basis: "plan" };
  if (ctx.consent === true) return { basis: "declared" };
  return { basis: "none" };
}

/**
 * The calls counted toward `attempt`: its number's and its debt's (DebtCalls.forCheck, as
 * `compliance check` counts them) after `fromMs` and before it — an earlier instant, or the same
 * instant earlier in the input — never itself (nor another record of the same call).
 */
function callsBefore(calls: DebtCalls | undefined, attempt: EvidenceAttempt, fromMs: number): EvidenceCall[] {
  const out: EvidenceCall[] = [];
  for (const c of calls?.forCheck(attempt.phone, attempt.accountId) ?? []) {
    if (c.atMs <= fromMs || c.atMs > attempt.atMs || c.contactId === attempt.id) continue;
    const seq = (c as Partial<InputCall>).seq;
    if (c.atMs === attempt.atMs && (seq === undefined || seq >= attempt.seq)) continue;
    out.push(evidenceCallOf(c));
  }
  return out;
}

function evidenceCallOf(c: CountedCall): EvidenceCall {
  const call: EvidenceCall = {
    at: new Date(c.atMs).toISOString(),
    channel: c.channel ?? "call",
    conversation: c.conversation,
    id: c.id ?? storeCallId(c),
    phone: c.phone,
    source: c.source,
  };
  // Canonical key order: account, at, campaign, channel, conversation, id, phone, seller, source.
  const ordered: EvidenceCall = {
    ...(c.accountId === undefined ? {} : { account: c.accountId }),
    at: call.at,
    ...(c.campaignId === undefined ? {} : { campaign: c.campaignId }),
    channel: call.channel,
    conversation: call.conversation,
    id: call.id,
    phone: call.phone,
    ...(c.seller === undefined ? {} : { seller: c.seller }),
    source: call.source,
  };
  return ordered;
}

/** A store row's name: an imported touch by its own key (touches-store.ts), cxo's call by number and instant. */
function storeCallId(c: CountedCall): string {
  if (c.source === "touch") return `touch:${touchId(touchOfCall(c))}`;
  return `${c.source}:${c.phone}@${new Date(c.atMs).toISOString()}`;
}

/** The revocations received before the attempt (blocked-numbers.ts; the CXone DNC copy is cxone-copy.ts's). */
function suppressionsOf(facts: ChunkFacts, attempt: EvidenceAttempt): EvidenceSuppression[] {
  return (
    facts.dnc.suppressions?.(attempt.phone, attempt.campaignId, attempt.atMs, attempt.accountId, {
      replay: true,
    }) ?? []
  ).map(keptSuppression);
}

/** A suppression as a record keeps it (keys in canonical order). */
function keptSuppression(s: Suppression): EvidenceSuppression {
  return {
    citation: s.citation,
    code: s.code,
    confidence: s.confidence,
    message: s.message,
    ruleId: s.ruleId,
  };
}

/** The newest RND answer asked at or before the attempt, and its refusal (rnd/verdict.ts). */
function rndOf(
  ctx: GatherContext,
  facts: ChunkFacts,
  attempt: EvidenceAttempt,
): { fact: RndFact; refusal: EvidenceSuppression | undefined } | undefined {
  let newest: (RndEvidence & { askedMs: number }) | undefined;
  for (const e of facts.rnd.get(attempt.phone) ?? []) if (e.askedMs <= attempt.atMs) newest = e;
  if (!newest) return undefined;
  const judged = judgeRndAnswer(newest.answer, ctx.rndNoData);
  return {
    fact: {
      answer: newest.answer,
      askedAt: newest.askedAt,
      consentDate: newest.consentDate,
      dataAsOf: newest.dataAsOf,
      queryRef: newest.queryRef,
      safeHarbor: judged.safeHarbor,
    },
    refusal:
      judged.refused && judged.code
        ? {
            citation: RND_CITATION,
            code: judged.code,
            confidence: null,
            message: rndRefusalMessage(judged.code, newest.consentDate, newest.dataAsOf),
            ruleId: "us-fcc-reassigned-numbers-database",
          }
        : undefined,
  };
}

const DAY_MS = 86_400_000;

function dncOf(
  ctx: GatherContext,
  number: NanpNumber,
  atMs: number,
  cxone: DncConsulted["cxone"],
  addedMs: number | undefined,
): DncConsulted {
  return {
    cxone,
    internal: addedMs === undefined ? null : { addedAt: new Date(addedMs).toISOString() },
    registries: ctx.registries.findings(number).map((f) => ({
      ageDays: Math.floor((atMs - Date.parse(`${f.asOf}T00:00:00Z`)) / DAY_MS),
      asOf: f.asOf,
      listed: f.listed,
      // The UK's TPS/CTPS: the day the number was registered (absent elsewhere: the bytes of US records stay).
      ...(f.registeredAt === undefined ? {} : { registeredAt: f.registeredAt }),
      registry: f.registry,
    })),
  };
}

/** VoiceFacts with their keys in canonical order. */
function sortedVoice(v: VoiceFacts): VoiceFacts {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v).sort()) {
    const value = (v as unknown as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out as unknown as VoiceFacts;
}
