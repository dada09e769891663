import { createHash } from "node:crypto";
import { z } from "zod";
import { ConflictError } from "../core/http/errors.ts";
import { InputError } from "../core/input-error.ts";
import { zodProblems } from "../core/input-file.ts";
import { failureFinish, type Operation, type Store } from "../core/store/index.ts";
import type {
  ListRemovalResult,
  ListsPort,
  TimedListRecord,
  TimedListResult,
} from "../platform/ports/lists.ts";
import { E164_NANP } from "./list-format.ts";
import { listZoneOf } from "./list-zone.ts";
import { DEFAULT_STALE_MINUTES, MAX_STALE_MINUTES } from "./plan-format.ts";
import { accountsAtRisk } from "./push-accounts.ts";
import { blockedCounts, type RecordScreen, withoutBlocked } from "./push-blocked.ts";

/**
 * Handing a plan to the dialer (issue 55 §3): each record's next planned attempt becomes a
 * calling-list record carrying its time (`callAt` = the row's attemptAt, stale after the hour
 * the compliance engine judged legal, scored by the model's estimate). Later attempts of a record
 * are not sent: they are re-planned from what the first one gave (`deferred` counts them).
 *
 * Journaled like every write: the journal row's key is the digest of the plan AS GIVEN (its
 * records before any is left out as blocked: issue 78 §2), so the same plan is pushed once
 * whatever was revoked since. The store remembers a finished push (nothing is uploaded again: a
 * re-run names the list that holds the plan, and takes out of it the records whose number may no
 * longer be called); a push that failed or stopped half way (a crash, a lost answer) is finished
 * by running it again: the list is found by its name and an upload already sent is found and
 * waited for, not sent twice. Every send asks the data dir first (a pending payload a killed run
 * left is screened again before it is re-driven), and again once the upload is in: a revocation
 * recorded while the push ran is taken out of the list (issue 78 §12).
 */
export const PUSH_KIND = "strategy.push";
export const PUSH_REMOVE_KIND = "strategy.push.remove";
const PUSHES = "strategy.pushes";

/** Kept for callers of this module: the plan's default dial window (plan-format.ts). */
export { DEFAULT_STALE_MINUTES };

/** Days the records stay in the list after the last one's time. */
const EXPIRY_DAYS = 7;

const OFFSET = /(?:Z|[+-]\d{2}:\d{2})$/;

/** What push reads of a plan row (other columns are ignored); numbers may come as CSV text. */
const pushRowSchema = z.object({
  recordId: z.preprocess((v) => (typeof v === "number" ? String(v) : v), z.string().min(1)),
  phone: z.string().regex(E164_NANP, "must be an E.164 North American number such as +13125550123"),
  attemptAt: z
    .string()
    .regex(OFFSET, "must be ISO 8601 WITH an offset (e.g. 2026-03-09T18:00:00-04:00)")
    .refine((v) => !Number.isNaN(Date.parse(v)), "is not a date"),
  attempt: z.coerce.number().int().min(1),
  estimate: z.coerce.number().min(0).max(1),
  campaign: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string().optional()),
  // Plan file version 2: the dial window the row was planned for; the list's ZIP code.
  staleMinutes: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    z.coerce.number().int().min(0).max(MAX_STALE_MINUTES).optional(),
  ),
  zip: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.coerce.string().optional()),
  accountId: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.coerce.string().optional()),
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
   * than this is refused (issue 62 §3).
   */
  staleMinutes?: number;
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
  /** Records not sent (or taken out) because their number may no longer be called, per code (issue 62). */
  blocked?: Record<string, number>;
  /**
   * Records this run took out of the list (issue 78 §2, §12): their number became blocked after
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
  /** `created`: this run made the list and uploaded; `resumed`: it finished an earlier run's push; `store`: pushed before, nothing sent. */
  source: "created" | "resumed" | "store";
  planDigest: string;
}

interface PushPayload {
  /** The journal key, also the store's record of the finished push. */
  key: string;
  request: { listName: string; campaignId: string; expiresAt: string; records: TimedListRecord[] };
  /** An earlier run of this push exists: a list of this name is its own, to be finished. */
  adopt: boolean;
  /** Records of the plan left out before the payload was written (blocked then). */
  excluded?: string[];
}

/** What the store keeps of a finished push: its list, and the plan's records the list does not hold. */
interface PushedList {
  listId: string;
  jobId: string;
  /** Record ids left out or taken out (absent in pushes recorded before issue 78: none known). */
  excluded?: string[];
}

interface PushEffect extends TimedListResult {
  /** The plan's records not in the list after this effect. */
  excluded: string[];
  removal: ListRemovalResult | undefined;
}

/**
 * The plan's rows, checked, as the list's records (each record's earliest planned attempt).
 * `staleMinutes`: the dial window the push gives (absent: the plan's own). Every row must have
 * been planned for at least that window: the dialer may call a record anywhere in it, and the
 * planner made the rules hold only over the window it was given (a row without `staleMinutes`,
 * from a plan file of version 1, was judged at its instants alone: 0 minutes).
 */
export async function planRecords(
  rows: AsyncIterable<unknown> | Iterable<unknown>,
  params: { campaign: string; staleMinutes?: number | undefined },
  field = "plan",
): Promise<PlanRecords> {
  const first = new Map<
    string,
    Omit<TimedListRecord, "staleMinutes" | "timeZone"> & { atMs: number; accountId?: string | undefined }
  >();
  // Each record id's phone and planned attempts, with the row they came from: a plan edited by
  // hand may hold one id for two people, or one attempt twice, and push would keep one silently.
  const planned = new Map<string, { phone: string; row: number; attempts: Set<number> }>();
  // The smallest window a row was planned for, and the first row that has it.
  let narrowest: { minutes: number; row: number } | undefined;
  let row = 0;
  let deferred = 0;
  for await (const value of rows as AsyncIterable<unknown>) {
    row++;
    if (typeof value !== "object" || value === null || Array.isArray(value))
      throw new InputError({ field, row, rule: "is not a plan row (an object)" });
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
    if (r.campaign !== undefined && r.campaign !== params.campaign)
      throw new InputError({
        field: "campaign",
        row,
        rule: `the plan was made for campaign ${r.campaign}, not ${params.campaign}`,
      });
    const window = r.staleMinutes ?? 0;
    if (params.staleMinutes !== undefined && window < params.staleMinutes)
      throw shortWindow(window, params.staleMinutes, r.staleMinutes === undefined, row);
    if (narrowest === undefined || window < narrowest.minutes) narrowest = { minutes: window, row };
    const known = planned.get(r.recordId);
    if (known && (known.phone !== r.phone || known.attempts.has(r.attempt)))
      throw new InputError({
        field: "recordId",
        row,
        rule: `${JSON.stringify(r.recordId)} is also row ${known.row} of ${field}, ${
          known.phone !== r.phone ? "with another phone" : `for attempt ${r.attempt} too`
        }: each record id is one contact, each attempt planned once`,
      });
    if (known) known.attempts.add(r.attempt);
    else planned.set(r.recordId, { phone: r.phone, row, attempts: new Set([r.attempt]) });
    const atMs = Date.parse(r.attemptAt);
    const earlier = first.get(r.recordId);
    if (earlier && earlier.atMs <= atMs) {
      deferred++;
      continue;
    }
    if (earlier) deferred++;
    first.set(r.recordId, {
      externalId: r.recordId,
      phone: r.phone,
      callAt: r.attemptAt,
      score: Math.round(r.estimate * 1000),
      ...(r.zip === undefined ? {} : { zip: r.zip }),
      atMs,
      accountId: r.accountId,
    });
  }
  if (first.size === 0 || narrowest === undefined)
    throw new InputError({ field, rule: "has no rows: nothing to push" });
  const staleMinutes = params.staleMinutes ?? narrowest.minutes;
  // A version-1 plan given no window: the dialer needs one, and the plan was checked for none.
  if (staleMinutes < 1) throw shortWindow(narrowest.minutes, 1, true, narrowest.row);
  const records = [...first.values()]
    .sort((a, b) => a.atMs - b.atMs || a.externalId.localeCompare(b.externalId))
    .map(({ atMs, accountId: _account, ...record }) => ({
      ...record,
      staleMinutes,
      // The zone CXone times the record by: the stricter of the number's zones over its window.
      timeZone: listZoneOf(record.phone, atMs, atMs + staleMinutes * 60_000) ?? "",
    }));
  return {
    records,
    deferred,
    staleMinutes,
    accountsAtRisk: accountsAtRisk([...first.values()], staleMinutes),
  };
}

/** The list's records from a plan, and what push says of them. */
export interface PlanRecords {
  records: TimedListRecord[];
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

export function pushOperation(port: ListsPort, screen?: RecordScreen): Operation<PushPayload, PushEffect> {
  return {
    kind: PUSH_KIND,
    async effect(payload, ctx) {
      const adopt = payload.adopt || ctx.redriven || ctx.attempt > 1;
      const records = payload.request.records;
      // Asked again before any send: a payload re-driven after a crash is as old as its run.
      const before = screen ? await screen(records, payload.request.campaignId) : new Map<string, string[]>();
      const sendable = records.filter((r) => !before.has(r.externalId));
      if (sendable.length === 0 && !adopt) withoutBlocked(records, before);
      const result = await port.pushTimed({ ...payload.request, records: sendable, adopt }, ctx.signal);
      // And once the records are in: a revocation recorded while the upload ran is taken out.
      const after = screen ? await screen(records, payload.request.campaignId) : new Map<string, string[]>();
      // An earlier run's upload (not this one's) holds every record of the payload.
      const remove = [...after.keys()].filter((id) => !(result.uploaded && before.has(id)));
      const removal =
        remove.length > 0
          ? await port.removeRecords(
              { listId: result.listId, listName: result.listName, externalIds: remove },
              ctx.signal,
            )
          : undefined;
      const excluded = [...new Set([...(payload.excluded ?? []), ...before.keys(), ...after.keys()])];
      return { ...result, excluded, removal };
    },
    finish(settled, payload) {
      const { records, ...request } = payload.request;
      const context = { ...request, records: records.length };
      if (!settled.ok) {
        // A list of the name that this push did not make: a run again must not take it over.
        const foreignList = settled.error instanceof ConflictError;
        return failureFinish(settled.error, {
          details: context,
          retainPayload: { ...payload, request: context, foreignList },
        });
      }
      const result = settled.value;
      const pushed: PushedList = { listId: result.listId, jobId: result.jobId, excluded: result.excluded };
      return {
        outcome: "done",
        status: result.uploaded ? 201 : 200,
        after: { listId: result.listId, listName: result.listName, jobId: result.jobId },
        details: {
          ...context,
          created: result.created,
          uploaded: result.uploaded,
          excluded: result.excluded.length,
          ...(result.removal ? { removed: result.removal.removed, notRemoved: result.removal.failed } : {}),
        },
        // The records were only needed to send them: the finished row keeps their count.
        retainPayload: { ...payload, request: context, excluded: undefined },
        checkpoints: [{ namespace: PUSHES, key: payload.key, value: pushed }],
      };
    },
  };
}

interface RemovePayload {
  /** The push's key: its record in the store is updated with what was taken out. */
  key: string;
  pushed: PushedList;
  listName: string;
  externalIds: string[];
}

/**
 * Taking out of a pushed list the records whose number became blocked since (issue 78 §2):
 * journaled like the push; a removal is idempotent (an id the list no longer holds is refused
 * by the platform, harmlessly), so a re-drive sends it again.
 */
export function removeOperation(port: ListsPort): Operation<RemovePayload, ListRemovalResult> {
  return {
    kind: PUSH_REMOVE_KIND,
    effect: (payload, ctx) =>
      port.removeRecords(
        { listId: payload.pushed.listId, listName: payload.listName, externalIds: payload.externalIds },
        ctx.signal,
      ),
    finish(settled, payload) {
      const context = {
        listId: payload.pushed.listId,
        listName: payload.listName,
        records: payload.externalIds,
      };
      if (!settled.ok) return failureFinish(settled.error, { details: context });
      const excluded = [...new Set([...(payload.pushed.excluded ?? []), ...payload.externalIds])];
      return {
        outcome: settled.value.failed.length === 0 ? "done" : "partial",
        status: 200,
        details: { ...context, removed: settled.value.removed, notRemoved: settled.value.failed },
        checkpoints: [{ namespace: PUSHES, key: payload.key, value: { ...payload.pushed, excluded } }],
      };
    },
  };
}

export function planDigest(records: readonly TimedListRecord[], campaign: string): string {
  return createHash("sha256")
    .update(JSON.stringify([campaign, records]))
    .digest("hex");
}

export interface PushRun {
  /** Which of these records may no longer be called (asked when the push runs, and again after). */
  screen: RecordScreen;
  signal?: AbortSignal | undefined;
  /**
   * When this run began (ms), before its store re-drove the pushes an earlier run left pending:
   * a push finished since then by that re-drive is reported `resumed`, not `store`.
   */
  runStartedMs?: number | undefined;
}

/**
 * Pushes `plan` (every record of the plan as given: what is blocked now is left out here, and
 * the push is keyed on the plan, not on what is left).
 */
export async function pushPlan(
  port: ListsPort,
  store: Pick<Store, "journal" | "kv">,
  plan: PlanRecords,
  params: PushParams,
  run: PushRun,
): Promise<PushSummary> {
  const { records: planned, deferred } = plan;
  const digest = planDigest(planned, params.campaign);
  const listName = params.listName ?? `cxo plan ${params.campaign} ${digest.slice(0, 12)}`;
  const key = `cxo-plan-push-${digest.slice(0, 40)}-${createHash("sha256").update(listName).digest("hex").slice(0, 8)}`;
  const times = planned.map((r) => Date.parse(r.callAt));
  const lastMs = Math.max(...times);
  const base = {
    campaign: params.campaign,
    listName,
    deferred,
    pastAtPush: times.filter((t) => t < Date.now()).length,
    firstCallAt: new Date(Math.min(...times)).toISOString(),
    lastCallAt: new Date(lastMs).toISOString(),
    staleMinutes: plan.staleMinutes,
    accountsAtRisk: plan.accountsAtRisk,
    planDigest: digest,
  };
  const blocked = await run.screen(planned, params.campaign);
  const counts = blockedCounts(blocked);
  const withBlocked = <T extends object>(summary: T) =>
    Object.keys(counts).length > 0 ? { ...summary, blocked: counts } : summary;
  const known = await store.kv.get<PushedList>(PUSHES, key);
  const earlier = await store.journal.findByKey(key);
  if (known) {
    const redrivenNow =
      run.runStartedMs !== undefined &&
      earlier !== undefined &&
      earlier.attempts > 1 &&
      Date.parse(earlier.updatedAt) >= run.runStartedMs;
    const source = redrivenNow ? "resumed" : "store";
    const out = new Set(known.excluded ?? []);
    // Pushed before: nothing is uploaded again; what became blocked since is taken out of the list.
    const fresh = [...blocked.keys()].filter((id) => !out.has(id));
    let removal: ListRemovalResult | undefined;
    if (fresh.length > 0) {
      removal = await store.journal.run(removeOperation(port), {
        target: `call-list:${listName}`,
        payload: { key, pushed: known, listName, externalIds: fresh },
        idempotencyKey: `${key}-remove-${createHash("sha256").update(fresh.join("\n")).digest("hex").slice(0, 16)}`,
        signal: run.signal,
      });
      for (const id of fresh) out.add(id);
    }
    return withBlocked({
      ...base,
      listId: known.listId,
      jobId: known.jobId,
      records: planned.filter((r) => !out.has(r.externalId)).length,
      source,
      ...(removal ? { removed: removal.removed.length } : {}),
      ...(removal && removal.failed.length > 0 ? { notRemoved: removal.failed } : {}),
    });
  }
  const records = withoutBlocked(planned, blocked);
  const result = await store.journal.run(pushOperation(port, run.screen), {
    target: `call-list:${listName}`,
    payload: {
      key,
      request: {
        listName,
        campaignId: params.campaign,
        expiresAt: new Date(lastMs + EXPIRY_DAYS * 86_400_000).toISOString(),
        records,
      },
      adopt: earlier !== undefined && (earlier.payload as { foreignList?: boolean }).foreignList !== true,
      excluded: [...blocked.keys()],
    },
    idempotencyKey: key,
    signal: run.signal,
  });
  const out = new Set(result.excluded);
  const late = result.removal?.removed.length ?? 0;
  return withBlocked({
    ...base,
    listId: result.listId,
    jobId: result.jobId,
    records: planned.filter((r) => !out.has(r.externalId)).length,
    source: result.created && result.uploaded ? ("created" as const) : ("resumed" as const),
    ...(late > 0 ? { removed: late } : {}),
    ...(result.removal && result.removal.failed.length > 0 ? { notRemoved: result.removal.failed } : {}),
  });
}
