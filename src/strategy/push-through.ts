import type { ComplianceClient } from "../compliance/compliance-client.ts";
import type { CampaignVoice } from "../compliance/voice-rules.ts";
import { rememberedAccounts } from "../consent/remembered-accounts.ts";
import { clockNowMs } from "../core/clock/now.ts";
import { sellerOf } from "../core/config/seller.ts";
import { checkWholeNumber, InputError } from "../core/input-error.ts";
import { idOf, paramsOf } from "../core/params.ts";
import type { Lease, Operation, Store } from "../core/store/index.ts";
import type { ClientContext } from "../platform/client-context.ts";
import type { SkillState } from "../platform/ports/diagnosis.ts";
import type { ListsPort, TimedListRecord } from "../platform/ports/lists.ts";
import type { PlanRecords, PushParams, PushSummary } from "./push.ts";
import type { SkillDialing } from "./push-reach.ts";
import type { SkillRestore } from "./push-run.ts";

/** `push`'s parameters and plan, checked before anything is read: InputError naming the field. */
function checkedPush(client: ClientContext, plan: unknown, params: PushParams) {
  const given = paramsOf(params) as Partial<PushParams>;
  const campaign = idOf(given.campaign, "campaign");
  client.port.support.checkId?.("campaign", campaign, "campaign");
  if (
    given.listName !== undefined &&
    (typeof given.listName !== "string" || !/^\S.{0,99}$/.test(given.listName))
  )
    throw new InputError({
      field: "listName",
      rule: "must be 1-100 characters, not starting with a space",
    });
  const stale = given.staleMinutes;
  checkWholeNumber(stale, "staleMinutes", [1, 1440], "must be a whole number of minutes from 1 to 1440");
  if (plan === null || typeof plan !== "object" || !(Symbol.iterator in plan || Symbol.asyncIterator in plan))
    throw new InputError({ field: "plan", rule: "must be the plan's rows (an iterable of plan rows)" });
  if (given.fitSkill !== undefined && typeof given.fitSkill !== "boolean")
    throw new InputError({ field: "fitSkill", rule: "must be true or false" });
  if (given.takeOutOnly !== undefined && typeof given.takeOutOnly !== "boolean")
    throw new InputError({ field: "takeOutOnly", rule: "must be true or false" });
  checkWholeNumber(
    given.batchRecords,
    "batchRecords",
    [1, 500_000],
    "must be a whole number of records from 1 to 500000 (CXone takes at most 500,000 records in one calling list file)",
  );
  checkWholeNumber(
    given.leaseWaitMs,
    "leaseWaitMs",
    [0, 3_600_000],
    "must be a whole number of milliseconds from 0 to 3600000 (an hour)",
  );
  return { given, campaign, stale };
}

/**
 * `strategy.push` (strategy/push-run.ts says what a run does): the plan read and checked, the
 * skill read, then — holding the plan's lease (strategy/push-lease.ts), so that one run of a
 * push goes at a time across every process sharing the store — the data dir's facts brought up
 * to date, an earlier run's pending rows re-driven, the push journaled and audited.
 */
export async function pushThrough(
  client: ComplianceClient,
  lists: () => ListsPort,
  plan: Iterable<unknown> | AsyncIterable<unknown>,
  params: PushParams,
  signal: AbortSignal | undefined,
): Promise<PushSummary> {
  const { given, campaign, stale } = checkedPush(client, plan, params);
  const [{ planRecords, pushKeyOf }, { withPushLease, DEFAULT_PUSH_LEASE_WAIT_MS }] = await Promise.all([
    import("./push.ts"),
    import("./push-lease.ts"),
  ]);
  // The plan's accounts are remembered before the numbers are screened: a revocation of an
  // account reaches every number this plan gives it (issue 77 §2). Its rows are checked first.
  const engine = await client.complianceEngine();
  const remembered = await rememberedAccounts(client, plan, `plan pushed to ${campaign}`);
  const planned = await planRecords(engine, remembered, { campaign, staleMinutes: stale });
  // A platform without timed lists refuses before anything is read from it or sent.
  const port = lists();
  // Issue 76 §1: the skill as CXone will dial with it, read before anything is sent.
  // No wider than the hours held after a drift cxo acted on (skill-hours-held.ts), as plan reads it.
  const { skillAsHeld } = await import("./skill-hours-held.ts");
  const skill = await skillAsHeld(await client.store(), await client.port.diagnosis.skill(campaign, signal));
  requireListDialer(skill, campaign);
  // 47 CFR 64.1601(e): the number the skill's calls present, before anything is sent.
  const callerIdWarnings = await callerIdOfPush(client, skill, planned.kind, campaign);
  // The skill changed since the last push in a way that push did not count: not before it is
  // put back or that push's records taken out (exit 1; `cxo serve` or `cxo strategy watch`).
  await (await import("./watch-skills.ts")).refuseOnSkillDrift(client, skill);
  // One run of this push at a time, from here: before the list is looked up (a re-drive of an
  // earlier run's row looks it up too) and before the facts the run is judged with are read.
  const { key } = pushKeyOf(planned, campaign, given.listName);
  const store = await client.store();
  return withPushLease(
    store,
    key,
    { waitMs: given.leaseWaitMs ?? DEFAULT_PUSH_LEASE_WAIT_MS, signal },
    async (held) => {
      const summary = await pushLeased(
        client,
        port,
        planned,
        { ...given, campaign },
        { skill, key, ...held },
      );
      summary.warnings.push(...callerIdWarnings);
      return summary;
    },
  );
}

/** The skill's presented caller id judged for the plan's kind (else the campaign's): warnings, or a refusal. */
async function callerIdOfPush(
  client: ComplianceClient,
  skill: SkillState,
  kind: PlanRecords["kind"],
  campaign: string,
): Promise<string[]> {
  const [{ checkPresentedCallerId }, { findKnownCampaign }] = await Promise.all([
    import("../compliance/caller-id-check.ts"),
    import("../campaigns/known-campaigns.ts"),
  ]);
  const store = await client.store();
  const declared = kind ?? (await findKnownCampaign(store, campaign))?.kind;
  return checkPresentedCallerId(store, skill, declared, clockNowMs());
}

/** The push itself, its lease held: `signal` ends it if the caller aborts or the lease is lost. */
async function pushLeased(
  client: ComplianceClient,
  port: ListsPort,
  planned: PlanRecords,
  params: PushParams,
  held: { skill: SkillDialing; key: string; lease: Lease; signal: AbortSignal },
): Promise<PushSummary> {
  const { campaign } = params;
  const { signal, skill } = held;
  const [{ pushPlan }, { pushOperation, removeOperation, skillRetryOperation }, { redrivePushes }] =
    await Promise.all([import("./push-run.ts"), import("./push-operations.ts"), import("./push-lease.ts")]);
  const [{ dncListFor }, { blockedRecords }, { findKnownCampaign }, { fencedStore }] = await Promise.all([
    import("../compliance/blocked-numbers.ts"),
    import("./push-blocked.ts"),
    import("../campaigns/known-campaigns.ts"),
    import("../core/store/index.ts"),
  ]);
  const blockedStore = await client.store();
  // Agents' "Do Not Call" in CXone since the last read, first (issue 77 §3).
  const { freshDispositions } = await import("../consent/fresh-dispositions.ts");
  await freshDispositions(client, signal);
  // Issue 77 §1: the ledger reaches CXone before more records do, and a skill the consent group
  // does not scrub is refused (a revocation after this push could not stop CXone dialling it).
  // While CXone's DNC routes fail, the push goes on on a fresh copy (issue 101 §4). A push that
  // only takes records out sends nothing: it needs neither (what the ledger and the copy hold
  // blocks the records it takes out).
  const coverageWarnings = params.takeOutOnly === true ? [] : await beforeSending(client, campaign, signal);
  // Asked of the data dir each time (issue 78 §2): before this push, before a re-drive of an
  // earlier one, and after an upload. Only the records' numbers are looked up (by index).
  // Every record a screen found blocked, with its number and why: the push's audit names them.
  const blockedSeen = new Map<string, { phone: string; codes: string[] }>();
  // A UK record's TPS/CTPS listing as the copies stand now (push-uk.ts): the kind the plan was
  // made for, else the campaign spec's.
  const { ukScreenOf } = await import("./push-uk.ts");
  const ukCodes = await ukScreenOf(
    blockedStore,
    await client.dncRegistries(),
    planned.plan,
    planned.kind ?? (await findKnownCampaign(blockedStore, campaign))?.kind,
  );
  const screen = async (records: readonly TimedListRecord[], listCampaign: string) => {
    const found = blockedRecords(
      records,
      await dncListFor(
        blockedStore,
        records.map((r) => r.phone),
      ),
      listCampaign,
      ukCodes,
    );
    const phoneOf = new Map(records.map((r) => [r.externalId, r.phone]));
    for (const [id, codes] of found) blockedSeen.set(id, { phone: phoneOf.get(id) ?? "", codes });
    return found;
  };
  const runStartedMs = clockNowMs();
  // An earlier run's pending rows of this plan are re-driven under the lease this run holds;
  // another plan's only under its own (push-lease.ts).
  const store: Store = await client.storeFor("strategy", async (s) =>
    redrivePushes(
      s,
      [
        pushOperation(port, screen) as Operation<never, unknown>,
        removeOperation(port) as Operation<never, unknown>,
        skillRetryOperation(port) as Operation<never, unknown>,
      ],
      held.key,
    ),
  );
  const known = await findKnownCampaign(blockedStore, campaign);
  const counted = await madeBefore(client, blockedStore, planned, campaign, signal);
  // CXone's pending callbacks on the skill are calls it will place: every cap counts them too.
  const { callbackDials } = await import("./callback-dials.ts");
  const { accountsOfPhones } = await import("../consent/accounts.ts");
  const callbacks = await callbackDials(client, campaign, signal, (phones) =>
    accountsOfPhones(blockedStore.db, phones),
  );
  const made = { ...counted, dials: [...counted.dials, ...callbacks] };
  // What the push declares the skill to dial (a debt's "Do Not Call" follows it: consent.agentDoNotCall).
  if (planned.kind !== undefined && known?.kind === undefined) {
    const { rememberDeclaredKind } = await import("../campaigns/known-campaigns.ts");
    await rememberDeclaredKind(blockedStore, campaign, planned.kind);
  }
  const { declaredVoice } = await import("../compliance/declared-voice.ts");
  const declared = declaredVoice(campaign, known?.voice, client.skillVoices);
  const { voice, grants } = await voiceOfPush(blockedStore, planned, declared);
  // Fenced: a journal row of this push is written only while its lease is held.
  const summary = await pushPlan(port, fencedStore(store, held.lease), planned, params, {
    engine: await client.complianceEngine(),
    screen,
    signal,
    runStartedMs,
    skill,
    campaignCaps: known?.contactCaps,
    nowMs: clockNowMs(),
    made,
    seller: {
      // The kind the plan was made for, else the campaign spec's (issue 79).
      kind: planned.kind ?? known?.kind,
      seller: sellerOf(client.consent, client.tenant),
      registrations: client.registrations,
      voice,
      grants,
    },
    agentsLoggedIn: async () =>
      (await client.port.live.read([campaign], signal)).snapshots.find((s) => s.campaignId === campaign)
        ?.agentsLoggedIn,
  });
  summary.warnings.push(...coverageWarnings);
  await auditPush(client, summary, blockedSeen);
  return summary;
}

const voiceText = (v: CampaignVoice) =>
  [v.voice, v.announcement && "announcement live", v.discloses && "discloses ai"].filter(Boolean).join(", ");

/**
 * The voice the skill declares (its own, or its campaign spec's), else the plan's, and for a
 * prerecorded or AI voice the grants of the plan's numbers and accounts (their consent's form).
 */
async function voiceOfPush(store: Store, planned: PlanRecords, declared: CampaignVoice | undefined) {
  // The skill places the calls: a plan made for another voice than the one it declares is refused.
  if (declared && planned.voice && voiceText(declared) !== voiceText(planned.voice))
    throw new InputError({
      field: "voice",
      rule: `the plan was made for ${voiceText(planned.voice)}, but the skill declares ${voiceText(declared)} (compliance.skills or its campaign spec): plan again for the skill's voice`,
    });
  const voice = declared ?? planned.voice;
  if (!voice || voice.voice === "live") return { voice, grants: undefined };
  const { grantLookup } = await import("../consent/grants.ts");
  const phones: string[] = [];
  const accounts: string[] = [];
  for (let i = 0; i < planned.plan.records; i++) {
    phones.push(planned.plan.phoneOf(i));
    accounts.push(...planned.plan.accountsOf(i));
  }
  const grants = await grantLookup(store, { phones, accounts });
  return { voice, grants };
}

/**
 * Every call of the plan's numbers and debts already made, as every count gathers them
 * (compliance/debt-calls.ts): the dials on every list cxo pushed, the skill's (and the
 * pushed skills') completed contacts, the touches imported and the histories given to plans —
 * over the longest cap window before now (a day ahead too: a dialer's record may run ahead of us).
 */
async function madeBefore(
  client: ClientContext,
  store: Store,
  planned: PlanRecords,
  campaign: string,
  signal: AbortSignal,
) {
  const [{ callsOf, callsInWindow }, { ATTEMPT_LOOKBACK_MS }, { madeDialsOf }, { platformCallsOf }] =
    await Promise.all([
      import("../compliance/debt-calls.ts"),
      import("../compliance/attempts.ts"),
      import("./push-reach.ts"),
      import("../compliance/platform-calls.ts"),
    ]);
  const nowMs = clockNowMs();
  const window = { fromMs: nowMs - ATTEMPT_LOOKBACK_MS - 86_400_000, toMs: nowMs + 86_400_000 };
  const sources = { store, platform: await platformCallsOf(client, { skills: [campaign], window, signal }) };
  const { plan } = planned;
  // A large plan (issue 88 L13): every call of the window, whatever its number — bounded by the
  // tenant's activity, where a query by number would hold the plan's numbers several times over.
  // The judge looks up each record's own number and accounts in it (a superset is the same answer).
  if (plan.records > LARGE_PLAN) return madeDialsOf(await callsInWindow(sources, window));
  const phones: string[] = [];
  const accounts: string[] = [];
  for (let i = 0; i < plan.records; i++) {
    phones.push(plan.phoneOf(i));
    accounts.push(...plan.accountsOf(i));
  }
  return madeDialsOf(await callsOf(sources, { phones, accounts, window }));
}

/** Records above which a push reads every call of its window rather than its numbers' calls. */
const LARGE_PLAN = 50_000;

/**
 * Not Personal Connection: named so by the skill, or (where the record names no strategy) no
 * dialer parameters at all — such a skill does not dial calling lists.
 */
function requireListDialer(
  skill: {
    outboundStrategy?: string | undefined;
    maxAttempts?: number | undefined;
    loadNonFresh?: boolean | undefined;
  },
  campaign: string,
): void {
  const strategy = skill.outboundStrategy;
  if (
    (strategy !== undefined && strategy !== "Personal Connection") ||
    (strategy === undefined && skill.maxAttempts === undefined && skill.loadNonFresh === undefined)
  )
    throw new InputError({
      field: "campaign",
      rule: `skill ${campaign} is ${strategy ? `a ${strategy}` : "not a Personal Connection"} skill (no dialer parameters): it does not dial calling lists`,
    });
}

/**
 * Issue 77 §5: the push's own audit record — the plan's digest, the list, the records sent, and
 * every number left out or taken out with why — written here, beside the journal's record of the
 * upload (which carries the digest only inside its idempotency key). Numbers are whole in the
 * chain (it is the evidence); the board masks them for viewers.
 */
async function auditPush(
  client: ClientContext,
  summary: PushSummary,
  blocked: ReadonlyMap<string, { phone: string; codes: string[] }>,
): Promise<void> {
  const { appendAuditRecords } = await import("../core/audit/audit-log.ts");
  const store = await client.store();
  // Every blocked number with its codes: what the screens found (before and after the upload)
  // and what the rules since the plan left out, as the summary names them.
  const all = new Map(blocked);
  for (const r of summary.blockedRecords ?? []) if (!all.has(r.recordId)) all.set(r.recordId, r);
  const numbers = [...all]
    .slice(0, 1000)
    .map(([recordId, b]) => ({ recordId, phone: b.phone, codes: b.codes }));
  await store.db.transaction((tx) =>
    appendAuditRecords(tx, [
      {
        operation: "strategy.push.record",
        outcome: "done",
        actor: client.actor,
        target: `call-list:${summary.listName}`,
        details: {
          planDigest: summary.planDigest,
          campaign: summary.campaign,
          listId: summary.listId,
          listName: summary.listName,
          jobId: summary.jobId,
          source: summary.source,
          recordsSent: summary.records,
          deferred: summary.deferred,
          staleMinutes: summary.staleMinutes,
          blocked: summary.blocked ?? {},
          blockedNumbers: numbers,
          ...(all.size > numbers.length ? { blockedNumbersOmitted: all.size - numbers.length } : {}),
          heldForAccount: summary.heldForAccount,
          heldRecords: summary.heldRecords ?? [],
          warnings: summary.warnings,
          ...(summary.removed ? { removed: summary.removed } : {}),
          ...(summary.notRemoved ? { notRemoved: summary.notRemoved } : {}),
        },
      },
    ]),
  );
}

/** `strategy.restoreSkill`: the retry settings a push with `fitSkill` replaced, put back (push-run.ts). */
export async function restoreSkillOf(
  client: ClientContext,
  lists: () => ListsPort,
  campaign: string,
  signal: AbortSignal | undefined,
): Promise<SkillRestore> {
  const id = idOf(campaign, "campaign");
  client.port.support.checkId?.("campaign", id, "campaign");
  const port = lists();
  const [{ restoreSkill }, { skillRetryOperation }] = await Promise.all([
    import("./push-run.ts"),
    import("./push-operations.ts"),
  ]);
  const current = await client.port.diagnosis.skill(id, signal);
  const store = await client.storeFor("strategy", async (s) =>
    s.journal.redrivePending([skillRetryOperation(port) as Operation<never, unknown>]),
  );
  return restoreSkill(port, store, id, current, signal);
}

/** Before records are sent: the ledger to CXone (and the coverage), then a stale DNC copy synced. */
async function beforeSending(
  client: ComplianceClient,
  campaign: string,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const [{ honourBeforePush }, { ensureFreshCxoneDncFor }] = await Promise.all([
    import("../consent/client-coverage.ts"),
    import("../compliance/cxone-dnc-freshness.ts"),
  ]);
  // Issue 77 §1: the ledger reaches CXone before more records do, and a skill the consent group
  // does not scrub is refused (a revocation after this push could not stop CXone dialling it).
  const warnings = await honourBeforePush(client, campaign, signal);
  // The numbers as they stand now: a stale copy of the CXone DNC groups is synced first; while
  // CXone's DNC routes fail, an old copy stands in for a skill a group of it scrubs (CXone scrubs
  // at dial time: consent/dnc-copy-stand-in.ts), else the push fails as before.
  const standIn = await ensureFreshCxoneDncFor(await client.store(), client.port, campaign, {
    nowMs: clockNowMs(),
    maxAgeMinutes: client.cxoneDncMaxAgeMinutes,
    actor: client.actor,
    signal,
  });
  return [...warnings, ...standIn];
}
