import { ConflictError } from "../core/http/errors.ts";
import { type Finish, failureFinish, type JournalEntry, type Operation } from "../core/store/index.ts";
import { PUSHES, type PushedPlan, type PushedSlice } from "../core/store/pushed-lists.ts";
import type {
  ListRemovalResult,
  ListsPort,
  RetrySettings,
  TimedListRecord,
  TimedListResult,
} from "../platform/ports/lists.ts";
import { type RecordScreen, withoutBlocked } from "./push-blocked.ts";
import { afterRemoval, notRemovedEvents, pendingRemoval } from "./push-removing.ts";

/**
 * The journaled writes of a push (issue 55 §3, 78 §2, 76): uploading one day's list of a plan,
 * taking records out of a list already sent, and setting the skill's retry settings to what the
 * plan needs (and back). Each is one Operation: the journal row is the audit record, and a run
 * stopped half way is finished by the next one.
 */
export const PUSH_KIND = "strategy.push";
export const PUSH_REMOVE_KIND = "strategy.push.remove";
export const SKILL_FIT_KIND = "strategy.skill-fit";
export const SKILL_RESTORE_KIND = "strategy.skill-restore";
/** Each batch's records the list holds after its upload, by the batch's key (issue 88 L13). */
export const PUSH_SENT = "strategy.push-sent";
export const SKILL_SNAPSHOTS = "strategy.skill-snapshots";

export interface PushPayload {
  /** The store's key of the plan's push (every slice's record is kept under it). */
  key: string;
  request: {
    listName: string;
    campaignId: string;
    expiresAt: string;
    records: TimedListRecord[];
    columns?: { zip: boolean; callbacks: boolean; debts?: boolean | undefined } | undefined;
    knownJobs?: string[] | undefined;
  };
  /** An earlier run of this push exists: a list of this name is its own, to be finished. */
  adopt: boolean;
  /** Records of the plan left out before the payload was written (blocked then). */
  excluded?: string[];
  /** Of `excluded`, those no run of this slice has sent: an upload adopted from an earlier run lacks them. */
  unsent?: string[];
  /**
   * Of `excluded`, those an earlier run's upload may hold (it was sent before they were blocked):
   * if that upload is the one the list holds, they are taken out of it.
   */
  mayHold?: string[];
  /** The slice this upload makes, and the plan's earlier ones (the store's record is rewritten whole). */
  slice?: { horizonMs: number | null; held: string[]; index: number };
  earlier?: PushedPlan;
  /**
   * One batch of a slice sent in batches (issue 88 L13): its key, and whether it is the slice's
   * last. Absent: the slice in one upload (pushes before batches).
   */
  batch?: { key: string; last: boolean };
}

/**
 * What a run about to upload a slice takes from the earlier runs of it (the slice's last journal
 * row, kept whether it failed or was left pending): whether a list of the name is theirs to
 * finish, and which of the records blocked now (`excluded`) an upload of theirs may hold. A run
 * whose upload CXone took but whose answer was lost recorded a failure; the next run adopts that
 * upload, which holds every record it sent, numbers revoked since among them.
 */
export function adoptionOf(
  earlier: JournalEntry | undefined,
  excluded: readonly string[],
): Pick<PushPayload, "adopt" | "excluded" | "unsent" | "mayHold"> {
  if (earlier === undefined) return { adopt: false, excluded: [...excluded], unsent: [...excluded] };
  const before = earlier.payload as Partial<PushPayload> & { foreignList?: boolean };
  // A list of the name that an earlier run found and did not make stays someone else's.
  const adopt = before.foreignList !== true;
  // Rows written before `unsent` was kept: what they left out is what they never sent.
  const neverSent = new Set(before.unsent ?? before.excluded ?? []);
  return {
    adopt,
    excluded: [...excluded],
    unsent: excluded.filter((id) => neverSent.has(id)),
    mayHold: adopt ? excluded.filter((id) => !neverSent.has(id)) : [],
  };
}

interface PushEffect extends TimedListResult {
  /** The plan's records not in the list after this effect. */
  excluded: string[];
  removal: ListRemovalResult | undefined;
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
      // An earlier run's upload (not this one's) holds every record that run sent: those of the
      // payload, and those blocked since it was sent (`mayHold`), which this run's payload lacks.
      // No job at all (nothing left to send, no earlier upload): the list holds none of them.
      const remove =
        result.jobId === ""
          ? []
          : result.uploaded
            ? [...after.keys()].filter((id) => !before.has(id))
            : [...new Set([...(payload.mayHold ?? []), ...before.keys(), ...after.keys()])];
      const removal =
        remove.length > 0
          ? await port.removeRecords(
              { listId: result.listId, listName: result.listName, externalIds: remove },
              ctx.signal,
            )
          : undefined;
      // A record CXone did not take out is still in the list: pending, never excluded.
      const notOut = new Set(removal?.failed.map((f) => f.externalId));
      const excluded = [...new Set([...(payload.excluded ?? []), ...before.keys(), ...after.keys()])].filter(
        (id) => !notOut.has(id),
      );
      return { ...result, excluded, removal };
    },
    finish(settled, payload) {
      const { records, ...request } = payload.request;
      const context = { ...request, records: records.length };
      if (!settled.ok) {
        // A list of the name that this push did not make: a run again must not take it over.
        const foreignList = settled.error instanceof ConflictError;
        // The ids it tried to send (not the records): a run again sends this batch as it was, so
        // that an upload CXone took is adopted whole and no record of it goes in another batch.
        return failureFinish(settled.error, {
          details: context,
          retainPayload: {
            ...payload,
            request: context,
            foreignList,
            ...(payload.batch ? { ids: records.map((r) => r.externalId), earlier: undefined } : {}),
          },
        });
      }
      const result = settled.value;
      if (payload.batch) return batchFinish({ ...payload, batch: payload.batch }, result, context);
      const sliceDone: PushedSlice = {
        listId: result.listId,
        listName: result.listName,
        jobId: result.jobId,
        horizonMs: payload.slice?.horizonMs ?? null,
        excluded: result.excluded,
        held: payload.slice?.held ?? [],
        sent: records.filter((r) => !result.excluded.includes(r.externalId)).map((r) => r.externalId),
        ...pendingRemoval([], result.removal),
      };
      const plan: PushedPlan = {
        campaign: payload.request.campaignId,
        slices: [...(payload.earlier?.slices ?? []).slice(0, payload.slice?.index ?? 0), sliceDone],
      };
      return pushedFinish(payload, result, context, sliceDone, { sent: sliceDone.sent }, [
        { namespace: PUSHES, key: payload.key, value: plan },
      ]);
    },
  };
}

/**
 * A push (or a batch of one) done: the audit's record of what went out and what did not
 * (issue 77 §5), `said` first after the request, and the payload kept without its records.
 */
function pushedFinish(
  payload: PushPayload,
  result: PushEffect,
  context: Record<string, unknown>,
  sliceDone: PushedSlice,
  said: Record<string, unknown>,
  checkpoints: NonNullable<Finish["checkpoints"]>,
): Finish {
  return {
    outcome: "done",
    status: result.uploaded ? 201 : 200,
    after: { listId: result.listId, listName: result.listName, jobId: result.jobId },
    details: {
      ...context,
      ...said,
      created: result.created,
      uploaded: result.uploaded,
      excluded: result.excluded.length,
      ...(result.removal ? { removed: result.removal.removed, notRemoved: result.removal.failed } : {}),
    },
    events: notRemovedEvents(sliceDone, payload.request.campaignId, result.removal),
    // The records were only needed to send them: the finished row keeps their count.
    retainPayload: {
      ...payload,
      request: context,
      excluded: undefined,
      unsent: undefined,
      mayHold: undefined,
      earlier: undefined,
    },
    checkpoints,
  };
}

/** A batch of a slice done: its records in `PUSH_SENT`, the slice's record updated (issue 88 L13). */
function batchFinish(
  payload: PushPayload & { batch: { key: string; last: boolean } },
  result: PushEffect,
  context: Record<string, unknown>,
): Finish {
  const index = payload.slice?.index ?? 0;
  const before = payload.earlier?.slices[index];
  const going = before?.open === true ? before : undefined;
  const out = new Set(result.excluded);
  const sent = payload.request.records.filter((r) => !out.has(r.externalId)).map((r) => r.externalId);
  const sliceDone: PushedSlice = {
    listId: result.listId,
    listName: result.listName,
    jobId: result.jobId || (going?.jobId ?? ""),
    horizonMs: payload.slice?.horizonMs ?? null,
    excluded: [...new Set([...(going?.excluded ?? []), ...result.excluded])],
    held: payload.slice?.held ?? [],
    batches: [...(going?.batches ?? []), { key: payload.batch.key, jobId: result.jobId }],
    ...(payload.batch.last ? {} : { open: true as const }),
    ...(payload.request.columns ? { columns: payload.request.columns } : {}),
    ...pendingRemoval(going?.removing ?? [], result.removal),
  };
  const plan: PushedPlan = {
    campaign: payload.request.campaignId,
    slices: [...(payload.earlier?.slices ?? []).slice(0, index), sliceDone],
  };
  return pushedFinish(payload, result, context, sliceDone, { batch: payload.batch.key, sent }, [
    { namespace: PUSH_SENT, key: payload.batch.key, value: sent },
    { namespace: PUSHES, key: payload.key, value: plan },
  ]);
}

export interface RemovePayload {
  /** The push's key: its record in the store is updated with what was taken out. */
  key: string;
  plan: PushedPlan;
  /** Which of the plan's lists the records are taken out of. */
  slice: number;
  externalIds: string[];
}

/**
 * Taking out of a pushed list the records whose number became blocked since (issue 78 §2):
 * journaled like the push; a removal is idempotent (an id the list no longer holds is refused
 * by the platform, harmlessly), so a re-drive sends it again.
 */
export function removeOperation(port: ListsPort): Operation<RemovePayload, ListRemovalResult> {
  const sliceOf = (payload: RemovePayload) => payload.plan.slices[payload.slice] as PushedSlice;
  return {
    kind: PUSH_REMOVE_KIND,
    effect: (payload, ctx) =>
      port.removeRecords(
        {
          listId: sliceOf(payload).listId,
          listName: sliceOf(payload).listName,
          externalIds: payload.externalIds,
        },
        ctx.signal,
      ),
    finish(settled, payload) {
      const slice = sliceOf(payload);
      const context = { listId: slice.listId, listName: slice.listName, records: payload.externalIds };
      if (!settled.ok) return failureFinish(settled.error, { details: context });
      // Only what CXone took out is excluded; what it did not stays pending (`removing`).
      const after = afterRemoval(slice, settled.value);
      const slices = payload.plan.slices.map((s, i) => (i === payload.slice ? after : s));
      return {
        outcome: settled.value.failed.length === 0 ? "done" : "partial",
        status: 200,
        details: { ...context, removed: settled.value.removed, notRemoved: settled.value.failed },
        events: notRemovedEvents(after, payload.plan.campaign, settled.value),
        checkpoints: [{ namespace: PUSHES, key: payload.key, value: { ...payload.plan, slices } }],
      };
    },
  };
}

/** The skill's own retry settings before cxo changed them, and what cxo wrote. */
export interface SkillSnapshot {
  skillId: string;
  before: RetrySettings;
  after: RetrySettings;
}

interface SkillPayload {
  skillId: string;
  change: RetrySettings;
  /** The snapshot an earlier fit kept: the skill's own settings, which a restore brings back. */
  kept?: RetrySettings | undefined;
  /** A restore: the snapshot is dropped once written. */
  restore?: boolean;
}

/**
 * Sets a skill's retry settings (issue 76 §1 `fitSkill`, and its restore): the snapshot of the
 * settings before is kept in the store (the first one: a second fit keeps the skill's own
 * settings, not cxo's), the journal row is the audit record with both.
 */
export function skillRetryOperation(
  port: ListsPort,
): Operation<SkillPayload, { before: RetrySettings; after: RetrySettings }> {
  return {
    kind: SKILL_FIT_KIND,
    effect: (payload, ctx) => port.setRetrySettings(payload.skillId, payload.change, ctx.signal),
    finish(settled, payload) {
      const context = { skillId: payload.skillId, change: payload.change };
      if (!settled.ok) return failureFinish(settled.error, { details: context });
      const snapshot: SkillSnapshot = {
        skillId: payload.skillId,
        before: payload.kept ?? settled.value.before,
        after: settled.value.after,
      };
      return {
        outcome: "done",
        status: 200,
        before: settled.value.before,
        after: settled.value.after,
        details: { ...context, restore: payload.restore === true },
        checkpoints: [
          {
            namespace: SKILL_SNAPSHOTS,
            key: payload.skillId,
            value: payload.restore ? null : snapshot,
          },
        ],
      };
    },
  };
}
