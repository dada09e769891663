import { isSkillId } from "../core/ids.ts";
import { InputError, type InputProblem } from "../core/input-error.ts";
import {
  type InstantInput,
  instantInputMs,
  instantInputProblem,
  ZONED_INSTANT_RULE,
} from "../core/instant-input.ts";
import { parseNanp, parseUk } from "../core/phone-number.ts";
import type { Operation } from "../core/store/index.ts";
import type { NewScheduledCallback, ScheduledCallbacksPort } from "../platform/ports/scheduled-callbacks.ts";

/**
 * Scheduling and cancelling CXone's scheduled callbacks from cxo (`cxo callbacks`, SDK group
 * `callbacks`): a call an agent of the skill places at a set time, outside any list.
 *
 * Checked before anything is sent (bad input, exit 2): the number is an E.164 North American
 * number, or a UK one (+44: sent as 44 and its digits, as a list carries it); the time has an offset (CXone reads a time without one in a zone no source names) and
 * is in the future; and the number has not revoked consent for the skill (a callback to it would
 * be a call after the revocation: the caller is told to record a new consent first).
 *
 * Each write goes through the journal. A POST is not idempotent, so a re-driven schedule first
 * looks for the callback on the skill (same number, same time) before it asks for another.
 */
export interface ScheduleParams {
  /** E.164, North American (+1NXXNXXXXXX) or UK (+44…). */
  phone: string;
  /** The skill (the campaign id on the production platform). */
  campaign: string;
  /** When the call is to be placed: ISO 8601 with a zone, or a Date (InstantInput); in the future. */
  at: InstantInput;
  agent?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
  notes?: string | undefined;
}

const NANP_DIALLABLE = /^\+1[2-9]\d{2}[2-9]\d{6}$/;

/** The callback to send, or an InputError naming every field that is wrong. */
export function checkSchedule(params: ScheduleParams, nowMs: number): NewScheduledCallback {
  const problems: InputProblem[] = [];
  const phone = typeof params?.phone === "string" ? params.phone.trim() : "";
  // NANP: the area code and the exchange each start with 2–9 (CXone refuses the rest, after the fact).
  if (!((NANP_DIALLABLE.test(phone) && parseNanp(phone)) || parseUk(phone)))
    problems.push({
      field: "phone",
      rule: "must be an E.164 North American number such as +13125550123, or a UK one such as +447700900123",
    });
  const atProblem = instantInputProblem(params?.at);
  const atMs = atProblem === undefined ? instantInputMs(params.at, "at") : undefined;
  if (atMs === undefined) problems.push({ field: "at", rule: atProblem ?? ZONED_INSTANT_RULE });
  else if (atMs <= nowMs)
    problems.push({ field: "at", rule: "is in the past: a callback is a call to come" });
  if (typeof params?.campaign !== "string" || !isSkillId(params.campaign.trim()))
    problems.push({ field: "campaign", rule: "must be a skill id (digits)" });
  if (params?.agent !== undefined && !/^\d+$/.test(String(params.agent).trim()))
    problems.push({ field: "agent", rule: "must be an agent id (digits)" });
  for (const field of ["firstName", "lastName", "notes"] as const) {
    const value = params?.[field];
    if (value !== undefined && (typeof value !== "string" || value.length > 500))
      problems.push({ field, rule: "must be text of at most 500 characters" });
  }
  if (problems.length > 0) throw new InputError(problems);
  return {
    phone,
    skillId: params.campaign.trim(),
    at: new Date(atMs as number).toISOString(),
    agentId: params.agent === undefined ? undefined : String(params.agent).trim(),
    firstName: params.firstName,
    lastName: params.lastName,
    notes: params.notes,
  };
}

export const SCHEDULE_CALLBACK = "callbacks.schedule";
export const CANCEL_SCHEDULED_CALLBACK = "callbacks.cancel";

/** Schedules one callback, once: a re-drive finds the one an earlier run made before asking again. */
export function scheduleOperation(
  port: ScheduledCallbacksPort,
): Operation<NewScheduledCallback, { callbackId: string; found: boolean }> {
  return {
    kind: SCHEDULE_CALLBACK,
    async effect(callback, ctx) {
      if (ctx.redriven) {
        const atMs = Date.parse(callback.at);
        const made = (await port.forSkill(callback.skillId, ctx.signal)).find(
          (c) => c.phone === callback.phone && Date.parse(c.callbackAt ?? "") === atMs,
        );
        if (made) return { callbackId: made.callbackId, found: true };
      }
      return { ...(await port.create(callback, ctx.signal)), found: false };
    },
    finish: (settled, callback) =>
      settled.ok
        ? { outcome: "done", status: 200, details: { ...callback, ...settled.value } }
        : { outcome: "failed", details: { ...callback, error: messageOf(settled.error) } },
  };
}

/** Deletes one callback ("gone": CXone no longer held it). */
export function cancelOperation(
  port: ScheduledCallbacksPort,
): Operation<{ callbackId: string }, "deleted" | "gone"> {
  return {
    kind: CANCEL_SCHEDULED_CALLBACK,
    effect: (payload, ctx) => port.cancel(payload.callbackId, "cancelled with cxo", ctx.signal),
    finish: (settled, payload) =>
      settled.ok
        ? { outcome: "done", status: 200, details: { ...payload, result: settled.value } }
        : { outcome: "failed", details: { ...payload, error: messageOf(settled.error) } },
  };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
