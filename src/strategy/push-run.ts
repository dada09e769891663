import { createHash } from "node:crypto";
import type { CampaignCaps } from "../campaigns/compliance/index.ts";
import { ConflictError } from "../core/http/errors.ts";
import { InputError, type InputProblem } from "../core/input-error.ts";
import type { Store } from "../core/store/index.ts";
import type { ListRemovalResult, ListsPort, RetrySettings } from "../platform/ports/lists.ts";
import { type PlanRecords, type PushParams, type PushSummary, pushKeyOf } from "./push.ts";
import { blockedCounts, type RecordScreen, withoutBlocked } from "./push-blocked.ts";
import {
  adoptionOf,
  PUSHES,
  type PushedPlan,
  type PushedSlice,
  pushedPlanOf,
  pushOperation,
  removeOperation,
  SKILL_SNAPSHOTS,
  type SkillSnapshot,
  skillRetryOperation,
} from "./push-operations.ts";
import {
  dialledOn,
  judgeReach,
  type MadeDial,
  type PushedRecord,
  type ReachRefusal,
  type SellerScope,
  type SkillDialing,
} from "./push-reach.ts";
import { afterRemoval, refuseWhileRemoving } from "./push-removing.ts";
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
   * (campaigns/compliance/debt-calls.ts: the dials on every list cxo pushed, CXone's completed
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

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** CXone's cap on timed call requests per skill (NICE help "Timed Call Requests"). */
const CALLBACK_BASE = 50;
const CALLBACK_PER_AGENT = 100;
const CALLBACK_PERIOD_MS = 15 * MINUTE_MS;
/** What `fitSkill` sets: one dial per record, no non-fresh reload. */
const FITTED: RetrySettings = { maximumAttempts: 1, loadNonFresh: false };

export async function pushPlan(
  port: ListsPort,
  store: Pick<Store, "journal" | "kv">,
  plan: PlanRecords,
  params: PushParams,
  run: PushRun,
): Promise<PushSummary> {
  const campaign = params.campaign;
  const { digest, listName, key } = pushKeyOf(plan.records, campaign, params.listName);
  // 1. The whole plan, as given, against the rules and the skill's hours: nothing sent yet.
  refuseBrokenPlan(plan, campaign, run);
  const known = pushedPlanOf(await store.kv.get(PUSHES, key), listName) ?? { slices: [] };
  const blocked = await run.screen(plan.records, campaign);
  const counts = blockedCounts(blocked);
  const times = plan.records.map((r) => Date.parse(r.callAt));
  const base = {
    campaign,
    deferred: plan.deferred,
    firstCallAt: new Date(least(times)).toISOString(),
    lastCallAt: new Date(-least(times.map((t) => -t))).toISOString(),
    staleMinutes: plan.staleMinutes,
    accountsAtRisk: 0,
    planDigest: digest,
    callbacks: 0,
  };
  // 2. What became blocked is taken out of the lists already sent (what CXone keeps stops it here).
  const { removal, plan: pushed } = await removeBlocked(port, store, key, known, plan, blocked, run.signal);
  refuseWhileRemoving(pushed.slices);
  // 3. The records due now.
  const { due, later, pastAtPush, horizonMs, nextPushAt } = dueNow(plan, pushed, run.nowMs);
  const { send: candidates, held } = oneRecordPerAccount(
    due.filter((r) => !blocked.has(r.externalId)),
    pendingAccounts(pushed, plan, run.made, run.nowMs),
  );
  const { judged, changed } = await judgeWithSkill(port, store, candidates, run.made.dials, params, run);
  for (const [id, codes] of judged.leftOut) {
    blocked.set(id, codes);
    for (const code of codes) counts[code] = (counts[code] ?? 0) + 1;
  }
  const records = candidates.filter((r) => !judged.leftOut.has(r.externalId));
  const callbacks = records.filter((r) => r.callback === true);
  if (callbacks.length > 0) checkCallbackCap(callbacks, (await run.agentsLoggedIn?.()) ?? 0);
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
  const lists = () => pushed.slices.map((s) => ({ listId: s.listId, listName: s.listName }));
  if (records.length === 0) {
    // Nothing due, or everything due blocked: a plan never sent and wholly blocked is refused.
    if (pushed.slices.length === 0 && due.length > 0) withoutBlocked(due, blocked);
    return summary(outcome, await nothingSent(store, key, run, plan, pushed, listName));
  }
  // 4. Upload this day's list (a slice of the plan's key).
  const index = pushed.slices.length;
  const sliceName = index === 0 ? listName : `${listName} #${index + 1}`;
  const sliceKey = index === 0 ? key : `${key}-s${index + 1}`;
  const earlier = await store.journal.findByKey(sliceKey);
  const lastEnd = -least(records.map((r) => -(Date.parse(r.callAt) + r.staleMinutes * MINUTE_MS)));
  const result = await store.journal.run(pushOperation(port, run.screen), {
    target: `call-list:${sliceName}`,
    payload: {
      key,
      request: {
        listName: sliceName,
        campaignId: campaign,
        expiresAt: new Date(lastEnd).toISOString(),
        records: records.map(({ row: _row, accountId: _account, ...record }) => record),
      },
      ...adoptionOf(
        earlier,
        [...blocked.keys()].filter((id) => due.some((r) => r.externalId === id)),
      ),
      slice: { horizonMs, held: held.map((r) => r.externalId), index },
      earlier: pushed,
    },
    idempotencyKey: sliceKey,
    signal: run.signal,
  });
  refuseWhileRemoving([{ ...result, removing: result.removal?.failed.map((f) => f.externalId) }]);
  const out = new Set(result.excluded);
  const late = result.removal?.removed.length ?? 0;
  await rememberCounted(store, campaign, run, {
    lastEnd,
    staleMinutes: plan.staleMinutes,
    changed,
    fitSkill: params.fitSkill === true,
  });
  return summary(
    {
      ...outcome,
      callbacks: callbacks.filter((r) => !out.has(r.externalId)).length,
      ...(late > 0 ? { removed: (outcome.removed ?? 0) + late } : {}),
      ...(result.removal && result.removal.failed.length > 0
        ? { notRemoved: [...(outcome.notRemoved ?? []), ...result.removal.failed] }
        : {}),
    },
    {
      listId: result.listId,
      listName: result.listName,
      jobId: result.jobId,
      records: records.filter((r) => !out.has(r.externalId)).length,
      source: result.created && result.uploaded ? "created" : "resumed",
      slice: index + 1,
      lists: [...lists(), { listId: result.listId, listName: result.listName }],
    },
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

/** The records of the plan due now (their window opens within the day), those later, those past. */
function dueNow(plan: PlanRecords, pushed: PushedPlan, nowMs: number) {
  const sentOrOut = new Set(pushed.slices.flatMap((s) => [...sentOf(s, plan), ...s.excluded]));
  const staleMs = plan.staleMinutes * MINUTE_MS;
  const horizonMs = nowMs + DAY_MS - staleMs;
  let pastAtPush = 0;
  const due: PushedRecord[] = [];
  const later: PushedRecord[] = [];
  for (const record of plan.pushed) {
    if (sentOrOut.has(record.externalId)) continue;
    const atMs = Date.parse(record.callAt);
    if (atMs + staleMs <= nowMs) pastAtPush++;
    else if (record.callback === true || atMs <= horizonMs) due.push(record);
    else later.push(record);
  }
  const nextPushAt =
    later.length > 0
      ? new Date(least(later.map((r) => Date.parse(r.callAt))) - DAY_MS + staleMs).toISOString()
      : undefined;
  return { due, later, pastAtPush, horizonMs, nextPushAt };
}

/**
 * Step 4: the day's records with the skill's retries and the dials made since. A dial only the
 * retry settings make unlawful refuses the push, unless `fitSkill` sets them first.
 */
async function judgeWithSkill(
  port: ListsPort,
  store: Pick<Store, "journal" | "kv">,
  records: readonly PushedRecord[],
  made: readonly MadeDial[],
  params: PushParams,
  run: PushRun,
): Promise<{
  judged: ReturnType<typeof judgeReach>;
  changed?: { before: RetrySettings; after: RetrySettings };
}> {
  const judge = (skill: SkillDialing) =>
    judgeReach({
      records,
      skill,
      made,
      campaignId: params.campaign,
      campaignCaps: run.campaignCaps,
      seller: run.seller,
    });
  const judged = judge(run.skill);
  const skillRefusals = judged.refusals.filter((r) => r.cause === "skill");
  if (judged.refusals.length > skillRefusals.length)
    throw refused(judged.refusals, "the plan breaks a rule with the attempts made since");
  if (skillRefusals.length === 0) return { judged };
  if (params.fitSkill !== true)
    throw refused(
      skillRefusals,
      "the skill's retry settings let CXone dial these records more often than the rules allow: change them (one attempt per record, no non-fresh reload), or push with fitSkill (--fit-skill) to have cxo set them, audited, restorable",
    );
  const changed = await fitSkill(port, store, params.campaign, run.signal);
  const fitted = judge({ ...run.skill, ...skillOf(changed.after) });
  if (fitted.refusals.length > 0)
    throw refused(fitted.refusals, "the plan breaks a rule even with one dial per record");
  return { judged: fitted, changed };
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
  store: Pick<Store, "journal">,
  key: string,
  run: PushRun,
  plan: PlanRecords,
  pushed: PushedPlan,
  listName: string,
): Promise<Pick<PushSummary, "listId" | "listName" | "jobId" | "records" | "source" | "slice" | "lists">> {
  const last = pushed.slices.at(-1);
  return {
    listId: last?.listId ?? "",
    listName: last?.listName ?? listName,
    jobId: last?.jobId ?? "",
    records: pushed.slices.reduce((n, s) => n + sentOf(s, plan).length, 0),
    source: last ? await storeOrResumed(store, key, run) : "waiting",
    slice: pushed.slices.length,
    lists: pushed.slices.map((s) => ({ listId: s.listId, listName: s.listName })),
  };
}

async function storeOrResumed(
  store: Pick<Store, "journal">,
  key: string,
  run: PushRun,
): Promise<"store" | "resumed"> {
  const earlier = await store.journal.findByKey(key);
  return run.runStartedMs !== undefined &&
    earlier !== undefined &&
    earlier.attempts > 1 &&
    Date.parse(earlier.updatedAt) >= run.runStartedMs
    ? "resumed"
    : "store";
}

/** The records a slice's list holds (a push before issue 76 held the plan's records less `excluded`). */
function sentOf(slice: PushedSlice, plan: PlanRecords): string[] {
  if (slice.sent) return slice.sent.filter((id) => !slice.excluded.includes(id));
  const out = new Set(slice.excluded);
  return plan.records.map((r) => r.externalId).filter((id) => !out.has(id));
}

/** Issue 78 §2: the records now blocked are taken out of every list of the plan that holds them. */
async function removeBlocked(
  port: ListsPort,
  store: Pick<Store, "journal" | "kv">,
  key: string,
  known: PushedPlan,
  plan: PlanRecords,
  blocked: Map<string, string[]>,
  signal: AbortSignal | undefined,
): Promise<{ removal: ListRemovalResult | undefined; plan: PushedPlan }> {
  let current = known;
  let removal: ListRemovalResult | undefined;
  for (let i = 0; i < known.slices.length; i++) {
    const slice = current.slices[i] as PushedSlice;
    // Blocked now, or asked before and not yet taken out by CXone (still pending).
    const pending = new Set(slice.removing);
    const fresh = sentOf(slice, plan).filter((id) => blocked.has(id) || pending.has(id));
    if (fresh.length === 0) continue;
    const done = await store.journal.run(removeOperation(port), {
      target: `call-list:${slice.listName}`,
      payload: { key, plan: current, slice: i, externalIds: fresh },
      idempotencyKey: `${key}-remove-${i}-${createHash("sha256").update(fresh.join("\n")).digest("hex").slice(0, 16)}`,
      signal,
    });
    removal = {
      removed: [...(removal?.removed ?? []), ...done.removed],
      failed: [...(removal?.failed ?? []), ...done.failed],
    };
    // As the operation's checkpoint has it: only what CXone took out is excluded.
    const after = afterRemoval(slice, done);
    current = { ...current, slices: current.slices.map((s, j) => (j === i ? after : s)) };
  }
  return { removal, plan: current };
}

/** Accounts with a record in a list already sent whose outcome is not known yet (not dialled on that list, window open). */
function pendingAccounts(
  pushed: PushedPlan,
  plan: PlanRecords,
  made: { dialled: ReadonlySet<string> },
  nowMs: number,
): Set<string> {
  // Each record with the lists it is on: dialled on that list, not on an earlier day's.
  const listsOf = new Map<string, string[]>();
  for (const s of pushed.slices)
    for (const id of sentOf(s, plan)) listsOf.set(id, [...(listsOf.get(id) ?? []), s.listId]);
  const pending = new Set<string>();
  for (const r of plan.pushed)
    if (
      r.accountId !== undefined &&
      (listsOf.get(r.externalId) ?? []).some(
        (listId) => !made.dialled.has(dialledOn(listId, r.externalId)),
      ) &&
      Date.parse(r.callAt) + r.staleMinutes * MINUTE_MS > nowMs
    )
      pending.add(r.accountId);
  return pending;
}

/** Issue 76 §2: one record per collections account per list, the earliest; the rest wait. */
function oneRecordPerAccount(
  records: readonly PushedRecord[],
  pending: Set<string>,
): { send: PushedRecord[]; held: PushedRecord[] } {
  const taken = new Set<string>();
  const send: PushedRecord[] = [];
  const held: PushedRecord[] = [];
  const byTime = [...records].sort((a, b) => Date.parse(a.callAt) - Date.parse(b.callAt));
  for (const record of byTime) {
    const account = record.accountId;
    if (account === undefined) send.push(record);
    else if (pending.has(account) || taken.has(account)) held.push(record);
    else {
      taken.add(account);
      send.push(record);
    }
  }
  return { send, held };
}

/** Issue 76 §3: real callbacks within CXone's cap in every 15-minute period, or the push is refused. */
function checkCallbackCap(callbacks: readonly PushedRecord[], agents: number): void {
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
function refuseBrokenPlan(plan: PlanRecords, campaign: string, run: PushRun): void {
  const planCheck = judgeReach({
    records: plan.rows,
    skill: run.skill,
    made: [],
    campaignId: campaign,
    campaignCaps: run.campaignCaps,
    assumeOneDial: true,
    seller: run.seller,
  });
  if (planCheck.refusals.length > 0) throw refused(planCheck.refusals, "the plan breaks a rule by itself");
}

/** The blocked and held records by name (the audit record lists them; capped like it). */
function recordsNamed(
  plan: PlanRecords,
  blocked: ReadonlyMap<string, readonly string[]>,
  held: readonly { externalId: string }[],
): Pick<PushSummary, "blockedRecords" | "heldRecords"> {
  const phoneOf = new Map(plan.records.map((r) => [r.externalId, r.phone]));
  return {
    ...(blocked.size > 0
      ? {
          blockedRecords: [...blocked].slice(0, 1000).map(([recordId, codes]) => ({
            recordId,
            phone: phoneOf.get(recordId) ?? "",
            codes: [...codes],
          })),
        }
      : {}),
    ...(held.length > 0 ? { heldRecords: held.slice(0, 1000).map((r) => r.externalId) } : {}),
  };
}
