import type { CampaignCaps, ComplianceEngine } from "../compliance/index.ts";
import { ConflictError } from "../core/http/errors.ts";
import { InputError, type InputProblem } from "../core/input-error.ts";
import type { Store } from "../core/store/index.ts";
import { PUSHES, type PushedSlice, pushedPlanOf } from "../core/store/pushed-lists.ts";
import { MINUTE_MS } from "../core/time-units.ts";
import type { ListsPort, RetrySettings, TimedListRecord } from "../platform/ports/lists.ts";
import { type PlanRecords, type PushParams, type PushSummary, pushKeyOf } from "./push.ts";
import { DEFAULT_BATCH_RECORDS, type SliceSend, sendSlice } from "./push-batches.ts";
import {
  type BlockedRecords,
  blockedCounts,
  type RecordScreen,
  screenInChunks,
  withoutBlocked,
} from "./push-blocked.ts";
import {
  callSpan,
  dueNow,
  type HeldLists,
  heldBy,
  listsHeld,
  oneRecordPerAccount,
  pendingAccounts,
  removeBlocked,
} from "./push-held.ts";
import { SKILL_SNAPSHOTS, type SkillSnapshot, skillRetryOperation } from "./push-operations.ts";
import type { PlanColumns } from "./push-plan.ts";
import {
  judgeReach,
  type MadeDial,
  type ReachRefusal,
  type ReachVerdict,
  type SellerScope,
  type SkillDialing,
} from "./push-reach.ts";
import { refuseWhileRemoving } from "./push-removing.ts";
import { rememberPushedSkill } from "./skill-watch.ts";

/**
 * One run of `strategy push` (issues 55, 62, 78, 76), in this order, nothing sent before the
 * checks pass:
 * 1. every row of the plan is re-checked by the compliance engine and the skill's hours and
 *    schedule (hours in every zone, caps, Regulation F): a row outside the rules refuses the push;
 * 2. the records whose number became blocked are taken out of the lists the plan already went out in;
 * 3. the records due go out: those whose window opens within the next day (an ordinary record's
 *    time range recurs daily: sent earlier, it could be dialled a day early), less the blocked, one
 *    record per collections account (another record of the account waits until its outcome is
 *    known), judged with the skill's retry settings and the attempts made since
 *    (push-reach.ts): a dial the skill could make against a rule refuses the push, unless
 *    `fitSkill` sets the skill to what the plan needs first;
 * 4. real callbacks are counted against CXone's cap per 15 minutes (50 + 100 per agent logged in).
 * The plan's key is the digest of the plan as given; each day's list is a slice under it, so a
 * re-run the same day sends nothing again and the next day's run sends the next day's records.
 */
export interface PushRun {
  /** The runtime's compliance engine: every record is judged by it before it is sent. */
  engine: ComplianceEngine;
  /** Which of these records may no longer be called (asked when the push runs, and again after). */
  screen: RecordScreen;
  signal?: AbortSignal | undefined;
  /**
   * When this run began (ms), before its store re-drove the pushes an earlier run left pending:
   * a push finished since then by that re-drive is reported `resumed`, not `store`.
   */
  runStartedMs?: number | undefined;
  /** The skill as read before anything is sent. */
  skill: SkillDialing;
  /** Agents logged in to the skill now, for the callback cap (undefined: read as none). */
  agentsLoggedIn?: () => Promise<number | undefined>;
  campaignCaps?: CampaignCaps | undefined;
  nowMs: number;
  /**
   * Every call of the plan's numbers and debts already made, gathered once
   * (compliance/debt-calls.ts: the dials on every list cxo pushed, CXone's completed
   * contacts, imported touches, the histories given to plans), and the pushed records dialled.
   */
  made: {
    dials: readonly MadeDial[];
    /** The pushed records dialled, each on its list (`dialledOn`). */
    dialled: ReadonlySet<string>;
  };
  /** The declared kind, the seller and its registrations. */
  seller?: SellerScope | undefined;
}

/** CXone's cap on timed call requests per skill (NICE help "Timed Call Requests"). */
const CALLBACK_BASE = 50;
const CALLBACK_PER_AGENT = 100;
const CALLBACK_PERIOD_MS = 15 * MINUTE_MS;
/** What `fitSkill` sets: one dial per record, no non-fresh reload. */
const FITTED: RetrySettings = { maximumAttempts: 1, loadNonFresh: false };

export async function pushPlan(
  port: ListsPort,
  store: Pick<Store, "journal" | "kv">,
  planned: PlanRecords,
  params: PushParams,
  run: PushRun,
): Promise<PushSummary> {
  const campaign = params.campaign;
  const { plan } = planned;
  const { digest, listName, key } = pushKeyOf(planned, campaign, params.listName);
  // 1. The whole plan, as given, against the rules and the skill's hours: nothing sent yet.
  await refuseBrokenPlan(planned, campaign, run);
  const stored = pushedPlanOf(await store.kv.get(PUSHES, key), listName) ?? { slices: [] };
  const known = await listsHeld(store, stored, plan);
  const blocked = await screenInChunks(
    run.screen,
    plan.records,
    (i) => plan.timed(plan.order[i] as number),
    campaign,
    run.signal,
  );
  const counts = blockedCounts(blocked);
  const base = {
    campaign,
    deferred: planned.deferred,
    ...callSpan(plan),
    staleMinutes: planned.staleMinutes,
    accountsAtRisk: 0,
    planDigest: digest,
    callbacks: 0,
  };
  // 2. What became blocked is taken out of the lists already sent (what CXone keeps stops it here).
  const { removal, held: pushed } = await removeBlocked(port, store, key, known, blocked, run.signal);
  refuseWhileRemoving(pushed.plan.slices);
  // 3. The records due now.
  const { due, later, pastAtPush, horizonMs, nextPushAt } = dueNow(plan, pushed, run.nowMs);
  const { send: candidates, held } = oneRecordPerAccount(
    plan,
    due.filter((i) => params.takeOutOnly !== true && !blocked.has(plan.idOf(i))),
    pendingAccounts(pushed, plan, run.made, run.nowMs),
  );
  const { judged, changed } = await judgeWithSkill(
    port,
    store,
    plan,
    candidates,
    run.made.dials,
    params,
    run,
  );
  for (const [id, codes] of judged.leftOut) {
    blocked.set(id, codes);
    for (const code of codes) counts[code] = (counts[code] ?? 0) + 1;
  }
  const records = candidates.filter((i) => !judged.leftOut.has(plan.idOf(i)));
  const callbacks = records.filter((i) => plan.isCallback(i));
  if (callbacks.length > 0)
    checkCallbackCap(
      callbacks.map((i) => plan.timed(i)),
      (await run.agentsLoggedIn?.()) ?? 0,
    );
  const skill = skillSummary(run.skill, judged.dialsPerRecord, changed);
  const outcome = {
    ...base,
    pastAtPush,
    later: later.length,
    ...(nextPushAt ? { nextPushAt } : {}),
    heldForAccount: held.length,
    ...recordsNamed(plan, blocked, held),
    skill,
    ...(Object.keys(counts).length > 0 ? { blocked: counts } : {}),
    ...(removal && removal.removed.length > 0 ? { removed: removal.removed.length } : {}),
    ...(removal && removal.failed.length > 0 ? { notRemoved: removal.failed } : {}),
  };
  const slices = pushed.plan.slices;
  const lists = () =>
    slices.filter((s) => s.open !== true).map((s) => ({ listId: s.listId, listName: s.listName }));
  if (records.length === 0) {
    // Nothing due, or everything due blocked: a plan never sent and wholly blocked is refused.
    if (slices.length === 0 && due.length > 0) refuseWhollyBlocked(plan, due, blocked);
    return summary(outcome, await nothingSent(store, key, run, pushed));
  }
  // 4. Upload this day's list (a slice of the plan's key), in batches (push-batches.ts).
  const day = daysList(planned, { key, listName }, pushed, { records, due, held, blocked, horizonMs });
  const lastEnd = Date.parse(day.expiresAt);
  const sent = await sendSlice(port, store, {
    ...day,
    campaign,
    screen: run.screen,
    batchRecords: params.batchRecords ?? DEFAULT_BATCH_RECORDS,
    signal: run.signal,
  });
  const late = sent.removal?.removed.length ?? 0;
  await rememberCounted(store, campaign, run, {
    lastEnd,
    staleMinutes: plan.staleMinutes,
    changed,
    fitSkill: params.fitSkill === true,
  });
  return summary(
    {
      ...outcome,
      callbacks: callbacks.filter((i) => !sent.excluded.has(plan.idOf(i))).length,
      ...(late > 0 ? { removed: (outcome.removed ?? 0) + late } : {}),
      ...(sent.removal && sent.removal.failed.length > 0
        ? { notRemoved: [...(outcome.notRemoved ?? []), ...sent.removal.failed] }
        : {}),
    },
    {
      listId: sent.listId,
      listName: sent.listName,
      jobId: sent.jobId,
      records: sent.holds,
      source: sent.fresh ? "created" : "resumed",
      slice: day.index + 1,
      lists: [...lists(), { listId: sent.listId, listName: sent.listName }],
    },
  );
}

/**
 * The list this run sends (push-batches.ts): the plan's open one, else the next; its name and
 * key; the day's records blocked before anything is sent (left out of it for good).
 */
function daysList(
  planned: PlanRecords,
  named: { key: string; listName: string },
  pushed: HeldLists,
  day: {
    records: number[];
    due: readonly number[];
    held: readonly number[];
    blocked: ReadonlyMap<string, unknown>;
    horizonMs: number;
  },
): Omit<SliceSend, "campaign" | "screen" | "batchRecords" | "signal"> {
  const { plan } = planned;
  const slices = pushed.plan.slices;
  const index = slices.at(-1)?.open === true ? slices.length - 1 : slices.length;
  const lastEnd = -least(
    day.records.map((i) => -(plan.atOf(plan.firstRow(i)) + plan.staleMinutes * MINUTE_MS)),
  );
  const excluded: string[] = [];
  for (const i of day.due) if (day.blocked.has(plan.idOf(i))) excluded.push(plan.idOf(i));
  return {
    key: named.key,
    index,
    listName: index === 0 ? named.listName : `${named.listName} #${index + 1}`,
    sliceKey: index === 0 ? named.key : `${named.key}-s${index + 1}`,
    plan,
    records: day.records,
    excluded,
    held: day.held.map((i) => plan.idOf(i)),
    horizonMs: day.horizonMs,
    expiresAt: new Date(lastEnd).toISOString(),
    pushed: pushed.plan,
  };
}

/** Every record due is blocked and none was ever sent: refused, nothing to push. */
function refuseWhollyBlocked(plan: PlanColumns, due: readonly number[], blocked: BlockedRecords): void {
  withoutBlocked(
    due.map((i) => ({ externalId: plan.idOf(i) })),
    blocked,
  );
}

/**
 * What this push counted on the skill: the service's watch compares the skill with it until the
 * last record's window ends (skill-watch.ts).
 */
async function rememberCounted(
  store: Pick<Store, "kv">,
  campaign: string,
  run: PushRun,
  pushed: {
    lastEnd: number;
    staleMinutes: number;
    changed: { before: RetrySettings; after: RetrySettings } | undefined;
    /** Pushed with `fitSkill`: cxo owns the retry settings, whether or not this push changed them. */
    fitSkill: boolean;
  },
): Promise<void> {
  const { changed } = pushed;
  await rememberPushedSkill(store, {
    skillId: campaign,
    pushedAt: new Date(run.nowMs).toISOString(),
    untilMs: pushed.lastEnd,
    staleMinutes: pushed.staleMinutes,
    // A push given `fitSkill` owns the retries even when the skill already dialled once a record
    // (issue 89's week: a supervisor's raise was answered by taking the day's records out).
    fitted:
      pushed.fitSkill || changed !== undefined || Boolean(await store.kv.get(SKILL_SNAPSHOTS, campaign)),
    counted: { ...run.skill, ...(changed ? skillOf(changed.after) : {}), active: undefined },
  });
}

/** What the summary says of the skill: its retry settings as CXone dials with them now. */
function skillSummary(
  read: SkillDialing,
  dialsPerRecord: number,
  changed: { before: RetrySettings; after: RetrySettings } | undefined,
): PushSummary["skill"] {
  return {
    maximumAttempts: changed?.after.maximumAttempts ?? read.maxAttempts,
    minimumRetryMinutes: changed?.after.minimumRetryMinutes ?? read.minRetryMinutes,
    loadNonFresh: changed?.after.loadNonFresh ?? read.loadNonFresh,
    scheduled: read.schedule !== undefined,
    dialsPerRecord,
    ...(changed ? { changed: { before: { ...changed.before }, after: { ...changed.after } } } : {}),
    evidence: read.evidence,
  };
}

/**
 * Step 4: the day's records with the skill's retries and the dials made since. A dial only the
 * retry settings make unlawful refuses the push, unless `fitSkill` sets them first.
 */
async function judgeWithSkill(
  port: ListsPort,
  store: Pick<Store, "journal" | "kv">,
  plan: PlanColumns,
  candidates: readonly number[],
  made: readonly MadeDial[],
  params: PushParams,
  run: PushRun,
): Promise<{
  judged: ReachVerdict;
  changed?: { before: RetrySettings; after: RetrySettings };
}> {
  const records = plan.reach(candidates.map((i) => plan.firstRow(i)));
  const judge = (skill: SkillDialing) =>
    judgeReach({
      engine: run.engine,
      records,
      skill,
      made,
      campaignId: params.campaign,
      campaignCaps: run.campaignCaps,
      seller: run.seller,
      signal: run.signal,
    });
  const judged = await judge(run.skill);
  const skillRefusals = judged.refusals.filter((r) => r.cause === "skill");
  if (judged.refusals.length > skillRefusals.length)
    throw refused(judged.refusals, "the plan breaks a rule with the attempts made since");
  // With `fitSkill` the skill dials each record once and is then done with it (maximumAttempts
  // 1), even where its settings already dial once (loadNonFresh off, several attempts allowed):
  // a record CXone has not finalised is one a supervisor's later reload can dial again at once —
  // issue 91's sales week, a Florida 4th call in 24 hours 30 minutes after the first.
  const fitted = run.skill.maxAttempts === 1 && run.skill.loadNonFresh === false;
  if (skillRefusals.length === 0 && (params.fitSkill !== true || fitted)) return { judged };
  if (params.fitSkill !== true)
    throw refused(
      skillRefusals,
      "the skill's retry settings let CXone dial these records more often than the rules allow: change them (one attempt per record, no non-fresh reload), or push with `fitSkill` to have cxo set them, audited, restorable",
    );
  const changed = await fitSkill(port, store, params.campaign, run.signal);
  const once = await judge({ ...run.skill, ...skillOf(changed.after) });
  if (once.refusals.length > 0)
    throw refused(once.refusals, "the plan breaks a rule even with one dial per record");
  return { judged: once, changed };
}

type Outcome = Omit<
  PushSummary,
  "listId" | "listName" | "jobId" | "records" | "source" | "slice" | "lists" | "warnings"
>;

/** The summary with every warning the human output prints (issue 76 §2: `--json` carries them too). */
function summary(
  outcome: Outcome,
  list: Pick<PushSummary, "listId" | "listName" | "jobId" | "records" | "source" | "slice" | "lists">,
): PushSummary {
  const warnings: string[] = [];
  if (outcome.pastAtPush > 0)
    warnings.push(`${outcome.pastAtPush} record(s) had a window already past: not sent`);
  if (outcome.later > 0)
    warnings.push(
      `${outcome.later} record(s) open more than a day ahead: push the same plan again from ${outcome.nextPushAt} (a record's time range recurs daily, so it goes out the day before its window)`,
    );
  if (outcome.heldForAccount > 0)
    warnings.push(
      `${outcome.heldForAccount} record(s) held: another record of their account is in the list or its outcome is not known yet (Regulation F: one record per account per list); push again after the outcome, or re-plan`,
    );
  if (outcome.deferred > 0)
    warnings.push(
      `${outcome.deferred} later planned attempt(s) not sent: re-plan after the first attempts' outcomes`,
    );
  if (outcome.blocked)
    warnings.push(
      `left out, their number or account may no longer be called: ${Object.entries(outcome.blocked)
        .map(([code, n]) => `${code} ${n}`)
        .join(", ")}`,
    );
  if (outcome.skill.changed)
    warnings.push(
      `the skill's retry settings were set to ${JSON.stringify(outcome.skill.changed.after)} (were ${JSON.stringify(outcome.skill.changed.before)}): restore with cxo strategy restore-skill --campaign ${outcome.campaign}`,
    );
  if (outcome.notRemoved && outcome.notRemoved.length > 0)
    warnings.push(
      `${outcome.notRemoved.length} blocked record(s) could NOT be taken out of the list: remove them in CXone before the dialer reaches them`,
    );
  return { ...outcome, ...list, warnings };
}

/** A run that sent nothing: the plan's last list (pushed before), or none yet (`waiting`). */
async function nothingSent(
  store: Pick<Store, "journal" | "kv">,
  key: string,
  run: PushRun,
  held: HeldLists,
): Promise<Pick<PushSummary, "listId" | "listName" | "jobId" | "records" | "source" | "slice" | "lists">> {
  const slices = held.plan.slices;
  const last = slices.at(-1);
  // A slice left open whose records are all sent, out or no longer due: it is done.
  if (last?.open === true) {
    const { open: _open, ...closed } = last;
    await store.kv.set(PUSHES, key, { ...held.plan, slices: [...slices.slice(0, -1), closed] });
  }
  return {
    listId: last?.listId ?? "",
    listName: last?.listName ?? "",
    jobId: last?.jobId ?? "",
    records: slices.reduce((n, _s, i) => n + heldBy(held, i).length, 0),
    source: last ? await storeOrResumed(store, key, run, last) : "waiting",
    slice: slices.length,
    lists: slices.map((s) => ({ listId: s.listId, listName: s.listName })),
  };
}

async function storeOrResumed(
  store: Pick<Store, "journal">,
  key: string,
  run: PushRun,
  last: PushedSlice,
): Promise<"store" | "resumed"> {
  // Any batch of the plan's last list finished by this run's re-drive of an earlier run's row.
  for (const k of [key, ...(last.batches ?? []).map((b) => b.key)]) {
    const earlier = await store.journal.findByKey(k);
    if (
      run.runStartedMs !== undefined &&
      earlier !== undefined &&
      earlier.attempts > 1 &&
      Date.parse(earlier.updatedAt) >= run.runStartedMs
    )
      return "resumed";
  }
  return "store";
}

/** Issue 76 §3: real callbacks within CXone's cap in every 15-minute period, or the push is refused. */
function checkCallbackCap(callbacks: readonly TimedListRecord[], agents: number): void {
  const cap = CALLBACK_BASE + CALLBACK_PER_AGENT * agents;
  const periods = new Map<number, number>();
  for (const r of callbacks) {
    const period = Math.floor(Date.parse(r.callAt) / CALLBACK_PERIOD_MS) * CALLBACK_PERIOD_MS;
    periods.set(period, (periods.get(period) ?? 0) + 1);
  }
  const over = [...periods].filter(([, n]) => n > cap);
  if (over.length > 0)
    throw new InputError(
      over.map(([period, n]) => ({
        field: "callback",
        rule: `${n} callbacks fall in the 15 minutes from ${new Date(period).toISOString()}: CXone takes at most ${cap} per skill per 15 minutes (50 + 100 per agent logged in; ${agents} now) and rejects a larger upload whole — spread them over later periods, or push once more agents are logged in`,
      })),
    );
}

/** Sets the skill to what the plan needs (journaled; the skill's own settings kept to restore). */
async function fitSkill(
  port: ListsPort,
  store: Pick<Store, "journal" | "kv">,
  skillId: string,
  signal: AbortSignal | undefined,
): Promise<{ before: RetrySettings; after: RetrySettings }> {
  const kept = await store.kv.get<SkillSnapshot | null>(SKILL_SNAPSHOTS, skillId);
  return store.journal.run(skillRetryOperation(port), {
    target: `skill:${skillId}`,
    payload: { skillId, change: FITTED, kept: kept?.before },
    signal,
  });
}

/**
 * The smallest of `values` (Infinity when none), in a loop: `Math.min(...values)` passes each
 * value as an argument, and a plan of 1,000,000 records overflowed the call stack (issue 88 L13).
 */
function least(values: readonly number[]): number {
  let min = Number.POSITIVE_INFINITY;
  for (const value of values) if (value < min) min = value;
  return min;
}

const skillOf = (settings: RetrySettings): Partial<SkillDialing> => ({
  maxAttempts: settings.maximumAttempts,
  minRetryMinutes: settings.minimumRetryMinutes,
  loadNonFresh: settings.loadNonFresh,
});

/** The refusal: each record, its rule and its cause (exit 2, nothing sent). */
function refused(refusals: readonly ReachRefusal[], why: string): InputError {
  const shown = refusals.slice(0, 50);
  const problems: InputProblem[] = shown.map((r) => ({
    field: `record ${r.recordId} (${r.phone})`,
    row: r.row,
    rule: `${r.code}: ${r.message}`,
  }));
  if (refusals.length > shown.length)
    problems.push({ field: "plan", rule: `and ${refusals.length - shown.length} more record(s) refused` });
  problems.unshift({ field: "plan", rule: `refused, nothing sent: ${why}` });
  return new InputError(problems);
}

export interface SkillRestore {
  campaign: string;
  /** The retry settings put back (the skill's own, from before cxo set them). */
  restored: RetrySettings;
  /** What cxo had set, replaced now. */
  replaced: RetrySettings;
}

/**
 * Puts back the retry settings a push with `fitSkill` replaced (the snapshot it kept), if the
 * skill still holds what cxo wrote: settings changed since by someone else are theirs, and a
 * restore over them is refused (ConflictError) rather than undoing their change.
 */
export async function restoreSkill(
  port: ListsPort,
  store: Pick<Store, "journal" | "kv">,
  skillId: string,
  current: SkillDialing,
  signal?: AbortSignal,
): Promise<SkillRestore> {
  const snapshot = await store.kv.get<SkillSnapshot | null>(SKILL_SNAPSHOTS, skillId);
  if (!snapshot)
    throw new InputError({
      field: "campaign",
      rule: `cxo has not changed skill ${skillId}'s retry settings (no snapshot in this data dir): nothing to restore`,
    });
  const now = {
    maximumAttempts: current.maxAttempts,
    minimumRetryMinutes: current.minRetryMinutes,
    loadNonFresh: current.loadNonFresh,
  };
  const drifted = (Object.keys(snapshot.after) as Array<keyof RetrySettings>).filter(
    (field) => snapshot.after[field] !== undefined && now[field] !== snapshot.after[field],
  );
  if (drifted.length > 0)
    throw new ConflictError(
      `skill ${skillId}'s retry settings changed since cxo set them (${drifted.map((f) => `${f} ${String(now[f])}, cxo wrote ${String(snapshot.after[f])}`).join("; ")}): not restored over someone else's change — set them by hand (cxo's snapshot: ${JSON.stringify(snapshot.before)})`,
      { status: 409, body: { error: "skill_changed" } },
    );
  const written = await store.journal.run(skillRetryOperation(port), {
    target: `skill:${skillId}`,
    payload: { skillId, change: snapshot.before, restore: true },
    signal,
  });
  return { campaign: skillId, restored: written.after, replaced: written.before };
}

/** A plan row that breaks a rule by itself (a hand edit, a stale plan): refused whole, nothing sent. */
async function refuseBrokenPlan(planned: PlanRecords, campaign: string, run: PushRun): Promise<void> {
  const planCheck = await judgeReach({
    engine: run.engine,
    records: planned.plan.reach(planned.plan.allRows()),
    skill: run.skill,
    made: [],
    campaignId: campaign,
    campaignCaps: run.campaignCaps,
    assumeOneDial: true,
    seller: run.seller,
    signal: run.signal,
  });
  if (planCheck.refusals.length > 0) throw refused(planCheck.refusals, "the plan breaks a rule by itself");
}

/** The blocked and held records by name (the audit record lists them; capped like it). */
function recordsNamed(
  plan: PlanColumns,
  blocked: ReadonlyMap<string, readonly string[]>,
  held: readonly number[],
): Pick<PushSummary, "blockedRecords" | "heldRecords"> {
  const phoneOf = (id: string) => {
    const record = plan.recordOf(id);
    return record >= 0 ? plan.phoneOf(record) : "";
  };
  return {
    ...(blocked.size > 0
      ? {
          blockedRecords: [...blocked].slice(0, 1000).map(([recordId, codes]) => ({
            recordId,
            phone: phoneOf(recordId),
            codes: [...codes],
          })),
        }
      : {}),
    ...(held.length > 0 ? { heldRecords: held.slice(0, 1000).map((i) => plan.idOf(i)) } : {}),
  };
}
