import type { ComplianceClient } from "../compliance/compliance-client.ts";
import type { SkillVoices } from "../compliance/declared-voice.ts";
import type { ComplianceEngine, DncRegistries } from "../compliance/index.ts";
import type { RndCheckResult } from "../compliance/rnd/check-numbers.ts";
import type { Registrations } from "../compliance/touches.ts";
import { rememberedAccounts } from "../consent/remembered-accounts.ts";
import { clockNowMs } from "../core/clock/now.ts";
import { sellerOf } from "../core/config/seller.ts";
import { InputError } from "../core/input-error.ts";
import { idOf, needClient } from "../core/params.ts";
import type { Store } from "../core/store/index.ts";
import type { ClientContext } from "../platform/client-context.ts";
import type { RndQuestion } from "../platform/ports/rnd.ts";
import type { AutoCapacity } from "./capacity.ts";
import type { ExpectedLift } from "./expected-lift.ts";
import type { PlanHistorySource } from "./history.ts";
import type { ListRow } from "./list-format.ts";
import type { Model } from "./model-format.ts";
import type { ListKeys } from "./plan-calls.ts";
import type { PlanRow } from "./plan-format.ts";
import type { PlanRndCounts, RndScreen } from "./rnd-screen.ts";
import type { SkillHours } from "./skill-hours.ts";
import type { StoredRules } from "./stored-rules.ts";
import type { CollectionsOrSales, HistoryAttempt, PlanOptions, PlanSummary } from "./types.ts";
export interface StrategyPlanParams extends Omit<PlanOptions, "capacityPerHour" | "history"> {
  /**
   * The attempts already made, counted toward every cap: attempts; `{ file }`: an outcomes export
   * (`cxo outcomes export`: NDJSON, CSV or Parquet), read once for its attempts and for the
   * summary's `expectedLift`, measured on its last weeks; or `"campaign"`: the campaign's outcomes
   * of the 7 days before `from` up to now, read through the platform (needs a client). Absent: none
   * counted (said in the summary's notes).
   */
  history?: readonly HistoryAttempt[] | { file: string } | "campaign" | undefined;
  /**
   * Most attempts planned in any one hour; `"auto"`: what the dialer can make now, from the
   * campaign's staffing and recent outcomes (see `capacity`; needs a client).
   */
  capacityPerHour?: number | "auto" | undefined;
  /**
   * Receives each planned attempt as it is made; the answer's `rows` is then empty (a list of a
   * million records is planned in constant memory this way). A promise it returns is awaited
   * before the next row is planned: the plan never runs ahead of where the rows go.
   */
  onRow?: ((row: PlanRow) => unknown) | undefined;
  /**
   * Receives the planned attempts a batch at a time (up to a batch of the list's records' rows),
   * in the list's order; the answer's `rows` is then empty. A promise it returns is awaited
   * before the next batch is planned (e.g. a file's write). Not with `onRow`.
   */
  onBatch?: ((rows: PlanRow[]) => unknown) | undefined;
  /**
   * Reads the campaign's name from the platform when the data dir does not know it (a report's
   * title), with the call's signal. Default: the answer's `campaignName` is the data dir's alone,
   * and nothing more is read.
   */
  nameCampaign?: boolean | undefined;
}

/**
 * A list `plan` reads: rows (read once: with the RND configured, held whole to be read twice), or
 * a function answering a fresh read of the same rows each time it is called (a file streamed
 * once for the RND, once more to plan: constant memory however long the list).
 */
export type StrategyPlanRows =
  | AsyncIterable<ListRow>
  | Iterable<ListRow>
  | (() => AsyncIterable<ListRow> | Iterable<ListRow>);

/**
 * The list `strategy.plan` takes: its rows (`StrategyPlanRows`), or a CXone calling list by its
 * id, read as a function is (afresh for each read) through the client's `campaigns.contacts`:
 * each contact's id is the row's recordId, with its phone, state and call consent (no accountId).
 */
export type StrategyPlanList = StrategyPlanRows | { /** The calling list's id. */ listId: string };

export interface StrategyPlan {
  /** The planned attempts (empty when `onRow` or `onBatch` was given). */
  rows: PlanRow[];
  /** What was planned, with the lift the plan can promise (`expectedLift`: from a history file). */
  summary: PlanSummary & { expectedLift: ExpectedLift };
  /** How `capacityPerHour: "auto"` was worked out (absent otherwise). */
  capacity?: AutoCapacity;
  /** The campaign planned for (each row's `campaign`): `params.campaign`, else the model's. */
  campaign: string;
  /** The campaign's name: the data dir's, else the platform's; absent when neither knows it. */
  campaignName?: string;
  /** The horizon: its start (ISO 8601, UTC) and its days. */
  from: string;
  days: number;
  /** What the RND said of the list's numbers (absent when `compliance.rnd` is not configured). */
  rnd?: PlanRndCounts;
}

export interface StrategyCapacityParams {
  /** Outcomes read over the last `days` days up to now (default 7). */
  days?: number;
}

/**
 * A plan's rules, built in one place for every caller (`client.strategy.plan` and `cxo strategy
 * plan`), so that a plan reads what its push will read: the data dir's DNC list, registry copies,
 * consent ledger and known campaigns, the touches imported for its window; agents' "Do Not Call"
 * dispositions set in CXone since the last read (a CXone that cannot answer fails the plan); the
 * synced CXone DNC groups; the skill's hours and weekly schedule; the RND's answers; the history
 * and capacity read through the platform when asked for. When the CLI built its own rules it read
 * neither the dispositions nor the skill's hours, and a daily plan-and-push was refused by the push.
 */
export interface PlanSources {
  store(): Promise<Store>;
  /** The runtime's compliance engine (a client's, a CLI run's). */
  complianceEngine(): Promise<ComplianceEngine>;
  dncRegistries(): Promise<DncRegistries>;
  /** The seller (per-seller caps) and its state registrations. */
  seller: string | undefined;
  registrations: Registrations | undefined;
  /** The voice each skill's calls use (`compliance.skills`): a plan's default with the spec's. */
  skillVoices?: SkillVoices | undefined;
  /** The Reassigned Numbers Database, when `compliance.rnd` is configured. */
  rnd?: ((questions: RndQuestion[]) => Promise<RndCheckResult>) | undefined;
  /**
   * The client's platform and settings; undefined when no CXone connection is configured: the
   * plan is then made on the data dir's rules and the law alone, and its notes say so.
   */
  client?: ClientContext | undefined;
}

/**
 * A client's sources: its store, registries, settings, RND and platform (none for a client
 * without a connection: the plan is made on the data dir's rules and the law alone); `signal` is
 * the call's.
 */
export function clientPlanSources(client: ComplianceClient, signal?: AbortSignal): PlanSources {
  return {
    store: () => client.store(),
    complianceEngine: () => client.complianceEngine(),
    dncRegistries: () => client.dncRegistries(),
    seller: sellerOf(client.consent, client.tenant),
    registrations: client.registrations,
    skillVoices: client.skillVoices,
    ...(client.rnd
      ? {
          rnd: async (questions: RndQuestion[]) => {
            const { checkNumbersOfClient } = await import("../compliance/rnd/check-of-client.ts");
            return checkNumbersOfClient(client, questions, { signal });
          },
        }
      : {}),
    ...(client.missingConnection ? {} : { client }),
  };
}

/** A plan ready to be made: the model checked, the options with every rule, the rows to read. */
export interface PreparedPlan {
  model: Model;
  options: PlanOptions;
  summary: PlanSummary;
  fromMs: number;
  campaign: string;
  /** The list as the planner reads it (each account's numbers remembered as it goes). */
  rows: AsyncIterable<ListRow> | Iterable<ListRow>;
  /** How `capacityPerHour: "auto"` was worked out. */
  capacity?: AutoCapacity | undefined;
  rnd?: RndScreen | undefined;
  /** The campaign's name (a report's title): the data dir's, else the platform's; undefined: unknown. */
  campaignName(): Promise<string | undefined>;
  /** The lift the plan can promise, from the history file's outcomes (or why it cannot be yet). */
  expectedLift(): Promise<ExpectedLift>;
}

export interface PrepareHooks {
  /**
   * Called once the kind is known and before anything is sent to CXone or the RND: the CLI
   * checks its list file through here, so that bad input sends nothing.
   */
  beforeSending?: ((kind: CollectionsOrSales) => Promise<ListKeys>) | undefined;
}

/**
 * The one path to a plan's options. `list` is called for each read of the list (the RND is asked
 * about its consent dates before it is planned). Bad input is an InputError naming the field,
 * before anything is read or sent.
 */
export async function preparePlan(
  sources: PlanSources | undefined,
  list: () => AsyncIterable<ListRow> | Iterable<ListRow>,
  model: unknown,
  params: StrategyPlanParams,
  signal?: AbortSignal,
  hooks: PrepareHooks = {},
): Promise<PreparedPlan> {
  const [
    { modelSchema },
    { zodProblems },
    { newPlanSummary, checkPlanInput },
    stored,
    { findKnownCampaign },
  ] = await Promise.all([
    import("./model-format.ts"),
    import("../core/input-file.ts"),
    import("./plan.ts"),
    import("./stored-rules.ts"),
    import("../campaigns/known-campaigns.ts"),
  ]);
  const parsed = modelSchema.safeParse(model);
  if (!parsed.success)
    throw new InputError(
      zodProblems(parsed.error).map((p) => ({
        ...p,
        field: p.field === "(document)" ? "model" : `model.${p.field}`,
      })),
    );
  const { onRow: _onRow, onBatch: _onBatch, capacityPerHour, history, ...rest } = params;
  const { isHistoryFile, historyFileOf, expectedLiftOf } = await import("./history.ts");
  if (history !== undefined && history !== "campaign" && !Array.isArray(history) && !isHistoryFile(history))
    throw new InputError({
      field: "history",
      rule: 'must be the attempts already made (an array), { file } (an outcomes export) or "campaign" (its outcomes, through the platform)',
    });
  const { checkHistoryAccounts, planCalls, keepingWhatThePlanRead } = await import("./plan-calls.ts");
  if (Array.isArray(history)) await checkHistoryAccounts(history);
  const fixed = capacityPerHour === "auto" ? undefined : capacityPerHour;
  const { fromMs } = checkPlanInput(parsed.data, { ...rest, capacityPerHour: fixed });
  let fileRead: Awaited<ReturnType<typeof historyFileOf>> | undefined = isHistoryFile(history)
    ? await historyFileOf(history.file, signal)
    : undefined;
  // Measured now, so the file's outcomes are not held beside the list while it is planned.
  const lift = await expectedLiftOf(fileRead?.outcomes, parsed.data);
  const file = fileRead && { file: fileRead.file, attempts: fileRead.attempts };
  fileRead = undefined;
  if (file) await checkHistoryAccounts(file.attempts);
  const campaign = rest.campaign ?? parsed.data.campaign;
  const client = sources?.client;
  const platform = (): ClientContext =>
    needClient(client, 'capacity auto and history "campaign" need a client (createClient) with a connection');
  // Nothing sent before the list is checked (the kind: the caller's, else the campaign spec's).
  const known = sources ? await findKnownCampaign(await sources.store(), campaign) : undefined;
  const listKeys =
    client || sources?.rnd ? await hooks.beforeSending?.(rest.kind ?? known?.kind ?? "sales") : undefined;
  const auto =
    capacityPerHour === "auto" ? await autoCapacityOf(platform(), campaign, {}, signal) : undefined;
  const read =
    history === "campaign"
      ? await campaignHistoryOf(platform(), campaign, fromMs, rest.days, signal)
      : undefined;
  const summary = newPlanSummary();
  const rnd = sources?.rnd ? await screened(list, sources.rnd) : undefined;
  if (rnd) summary.notes.push(rnd.note);
  const ruled = sources ? await rulesOf(sources, campaign, signal) : undefined;
  const rules = ruled?.rules;
  summary.notes.push(...(ruled?.notes ?? []));
  const skill = rest.skillHours
    ? { hours: rest.skillHours }
    : await skillHoursOf(client, campaign, sources !== undefined, signal);
  if (skill.note) summary.notes.push(skill.note);
  // Where the history's summary stands: before staleMinutes.
  if (read) summary.history = read.source;
  else if (file) summary.history = { source: "file", file: file.file, attempts: file.attempts.length };
  else if (Array.isArray(history)) summary.history = { source: "given", attempts: history.length };
  const givenHistory = read?.attempts ?? file?.attempts ?? (history as readonly HistoryAttempt[] | undefined);
  // Every call of the list's numbers and debts, as a push, a check and a scrub count them.
  const horizon = { fromMs, toMs: fromMs + rest.days * 86_400_000 };
  const counted = sources
    ? await planCalls(sources, campaign, horizon, givenHistory, signal, listKeys)
    : undefined;
  const given: PlanOptions = {
    ...rest,
    ...(skill.hours ? { skillHours: skill.hours } : {}),
    capacityPerHour: auto ? auto.capacityPerHour : fixed,
    history: givenHistory,
    ...(counted ? { calls: counted.calls, accountCalls: counted.accountCalls } : {}),
    ...(sources ? { debtsOfNumbers: debtsOfNumbersIn(sources) } : {}),
  };
  const kind = rest.kind ?? known?.kind;
  const withRnd = rules && rnd ? { ...rules, blocked: rnd.blocked(rules.blocked) } : rules;
  return {
    model: parsed.data,
    options: withRnd ? stored.withStoredRules(given, withRnd) : given,
    summary,
    fromMs,
    campaign,
    rows: sources
      ? keepingWhatThePlanRead(await rememberedAccounts(sources, list(), "plan list", kind), sources, {
          // A history read from the campaign is CXone's own record, read again next time.
          history: read ? undefined : givenHistory,
          campaign,
          kind: rest.kind,
          actor: client?.actor,
        })
      : list(),
    capacity: auto,
    rnd: rnd?.screen,
    campaignName: async () =>
      rules?.campaignName ??
      (client && params.nameCampaign ? await platformNameOf(client, campaign, signal) : undefined),
    expectedLift: async () => lift,
  };
}

/**
 * The debts the store has read each number for (consent/accounts.ts, kind collections): a number
 * a list gives one debt is for every debt cxo knows it for.
 */
function debtsOfNumbersIn(sources: PlanSources) {
  return async (phones: readonly string[]): Promise<Map<string, string[]>> => {
    const { accountsOfPhones, debtAccounts } = await import("../consent/accounts.ts");
    const { db } = await sources.store();
    const ofPhone = await accountsOfPhones(db, phones);
    const debts = await debtAccounts(db, [...ofPhone.values()].flat());
    const out = new Map<string, string[]>();
    for (const [phone, accounts] of ofPhone) {
      const known = accounts.filter((account) => debts.has(account));
      if (known.length > 0) out.set(phone, known);
    }
    return out;
  };
}

/**
 * The data dir's rules, after agents' "Do Not Call" in CXone since the last read (issue 77 §3) and
 * a stale or missing copy of the CXone DNC groups (issue 62) were brought in, when a connection is
 * configured: a plan never relies on a ledger that may lack a revocation.
 */
async function rulesOf(
  sources: PlanSources,
  campaign: string,
  signal: AbortSignal | undefined,
): Promise<{ rules: StoredRules; notes: string[] }> {
  const [{ storedRulesFor }, { ensureFreshCxoneDncFor }, { freshDispositions }] = await Promise.all([
    import("./stored-rules.ts"),
    import("../compliance/cxone-dnc-freshness.ts"),
    import("../consent/fresh-dispositions.ts"),
  ]);
  const store = await sources.store();
  const { client } = sources;
  const notes: string[] = [];
  if (client) {
    await freshDispositions(client, signal);
    // While CXone's DNC routes fail, an old copy stands in for a skill a group of it scrubs.
    notes.push(
      ...(await ensureFreshCxoneDncFor(store, client.port, campaign, {
        nowMs: clockNowMs(),
        maxAgeMinutes: client.cxoneDncMaxAgeMinutes,
        actor: client.actor,
        ...(signal ? { signal } : {}),
      })),
    );
  }
  const rules = await storedRulesFor(store, await sources.dncRegistries(), campaign, {
    seller: sources.seller,
    registrations: sources.registrations,
    skillVoices: sources.skillVoices,
  });
  return { rules, notes };
}

/** The campaign's own hours as the platform shows them, or why the plan is made without them. */
interface SkillHoursRead {
  hours?: SkillHours;
  note?: string;
}

/**
 * Issue 76 §2: a plan is made for what the campaign's skill can dial (its hours, its weekly
 * schedule, the seed API's campaign window), read as the push reads it. Without a connection
 * configured, or for a campaign the platform does not know, it is made on the law alone and its
 * notes say so.
 */
async function skillHoursOf(
  client: ClientContext | undefined,
  campaign: string,
  local: boolean,
  signal: AbortSignal | undefined,
): Promise<SkillHoursRead> {
  if (!client)
    return {
      note: local
        ? "no CXone connection configured: planned on the data dir's rules and the law alone, not the campaign's own hours (agents' Do Not Call dispositions in CXone not read)"
        : "no client: planned on the law alone, not the campaign's own hours",
    };
  const [{ ConfigError }, { NotFoundError }] = await Promise.all([
    import("../core/config/errors.ts"),
    import("../core/http/errors.ts"),
  ]);
  try {
    // No wider than the hours held after a drift cxo acted on (skill-hours-held.ts), as push reads it.
    const { skillAsHeld } = await import("./skill-hours-held.ts");
    const skill = await skillAsHeld(
      await client.store(),
      await client.port.diagnosis.skill(campaign, signal),
    );
    // The skill changed since a push in a way it did not count: no new plan until it is dealt with.
    await (await import("./watch-skills.ts")).refuseOnSkillDrift(client, skill);
    return { hours: { zoneHours: skill.zoneHours, schedule: skill.schedule, window: skill.window } };
  } catch (error) {
    if (error instanceof ConfigError)
      return {
        note: "no CXone connection configured: planned on the law alone, not the campaign's own hours",
      };
    if (error instanceof NotFoundError)
      return { note: `the platform has no campaign ${campaign}: planned on the law alone` };
    throw error;
  }
}

/** The campaign's name on the platform (a report's title: "PC Collections", not "campaign 703"). */
async function platformNameOf(
  client: ClientContext,
  campaign: string,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  return client.port.campaigns.get(campaign, signal).then(
    (found) => found.name,
    () => undefined,
  );
}

/**
 * Issue 79 §3: the list's numbers with consent dates asked of the RND first (answers kept as
 * evidence), and how to add its refusals to the plan's.
 */
async function screened(
  list: () => AsyncIterable<ListRow> | Iterable<ListRow>,
  check: (questions: RndQuestion[]) => Promise<RndCheckResult>,
) {
  const [{ screenListByRnd, rndNote }, { withRndRefusals }] = await Promise.all([
    import("./rnd-screen.ts"),
    import("../compliance/rnd/rnd-suppressions.ts"),
  ]);
  const screen = await screenListByRnd(list(), check, clockNowMs());
  return {
    screen,
    note: rndNote(screen),
    blocked: (base: StoredRules["blocked"]) => withRndRefusals(base, screen.verdicts),
  };
}

/**
 * `history: "campaign"`: the campaign's outcomes of the 7 days before the horizon up to now,
 * through the platform's outcome listing (reads only), as the attempts already made. A window the
 * platform refuses (older than its retention) names `history`.
 */
async function campaignHistoryOf(
  client: ClientContext,
  campaignId: string,
  fromMs: number,
  days: number,
  signal: AbortSignal | undefined,
): Promise<{ attempts: HistoryAttempt[]; source: PlanHistorySource }> {
  const id = idOf(campaignId, "campaign");
  const [{ readCampaignHistory, HISTORY_LOOKBACK_DAYS }, { outcomeCalls }] = await Promise.all([
    import("./history.ts"),
    import("../outcomes/list-calls.ts"),
  ]);
  try {
    return await readCampaignHistory(
      (query) => outcomeCalls(client.port.outcomes, query, signal),
      id,
      fromMs,
      days,
      clockNowMs(),
    );
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(
      error.problems.map((p) => ({
        ...p,
        field: "history",
        rule: `campaign reads the campaign's outcomes from ${HISTORY_LOOKBACK_DAYS} days before \`from\`: ${p.field} ${p.rule}`,
      })),
    );
  }
}

/** `capacity`: the live agents and the last days' outcomes, then the formula (strategy/capacity.ts). */
export async function autoCapacityOf(
  client: ClientContext,
  campaignId: string,
  params: StrategyCapacityParams,
  signal: AbortSignal | undefined,
): Promise<AutoCapacity> {
  const id = idOf(campaignId, "campaign");
  const days = params.days ?? 7;
  if (!(Number.isInteger(days) && days >= 1 && days <= 90))
    throw new InputError({ field: "days", rule: "must be a whole number of days from 1 to 90" });
  const [{ autoCapacity, countCapacityAttempts }, { canonicalRecord }, { outcomeCalls }] = await Promise.all([
    import("./capacity.ts"),
    import("../outcomes/record-format.ts"),
    import("../outcomes/list-calls.ts"),
  ]);
  const reading = await client.port.live.read([id], signal);
  const agents = reading.snapshots.find((s) => s.campaignId === id)?.agentsLoggedIn;
  // Whole minutes: the listing's window, start inclusive, end exclusive.
  const toMs = Math.floor(clockNowMs() / 60_000) * 60_000;
  const from = new Date(toMs - days * 86_400_000).toISOString();
  const to = new Date(toMs).toISOString();
  const calls = outcomeCalls(client.port.outcomes, { campaignId: id, from, to }, signal);
  const counted = await countCapacityAttempts(
    (async function* () {
      for await (const call of calls) yield canonicalRecord(call.raw);
    })(),
  );
  return autoCapacity({ agentsLoggedIn: agents, ...counted, from, to });
}
