import type { ScheduleParams } from "../campaigns/scheduled-callbacks.ts";
import { InputError } from "../core/input-error.ts";
import type { Operation } from "../core/store/index.ts";
import type { ScheduledCallback, ScheduledCallbacksPort } from "../platform/ports/scheduled-callbacks.ts";
import { runCall } from "./call.ts";
import { type ClientRuntime, idOf, type RequestOptions } from "./runtime.ts";

/**
 * SDK group `callbacks`: CXone's scheduled callbacks (calls an agent of a skill places at a set
 * time, outside any list): list them, schedule one, cancel one. Input is checked before anything
 * is sent (campaigns/scheduled-callbacks.ts); a platform without them (the seed API) answers
 * NotSupportedError, nothing sent. Deleting those to revoked numbers is `consent.cancelCallbacks`.
 */
export interface CallbacksListParams {
  /** One skill's pending callbacks (the campaign id on the production platform). */
  campaign?: string;
  /** The callbacks targeted at one agent. */
  agent?: string;
}

export interface CallbacksGroup {
  /** Pending callbacks: one skill's, one agent's, or (neither named) every outbound voice skill's. */
  list(params?: CallbacksListParams, options?: RequestOptions): Promise<ScheduledCallback[]>;
  schedule(params: ScheduleParams, options?: RequestOptions): Promise<{ callbackId: string; at: string }>;
  cancel(
    callbackId: string,
    options?: RequestOptions,
  ): Promise<{ callbackId: string; result: "deleted" | "gone" }>;
}

export function callbacksGroup(runtime: ClientRuntime): CallbacksGroup {
  /** The port, or the platform's refusal (after the input was checked: bad input is exit 2 anywhere). */
  const port = (): ScheduledCallbacksPort => {
    const refusal = runtime.port.support.unsupported("scheduledCallbacks");
    if (refusal) throw refusal;
    const found = runtime.port.scheduledCallbacks;
    if (!found) throw new InputError({ field: "platform", rule: "this platform has no scheduled callbacks" });
    return found;
  };
  /** The journaled writes, and the store with what a killed run left of them re-driven. */
  const journaled = async () => {
    const { cancelOperation, scheduleOperation } = await import("../campaigns/scheduled-callbacks.ts");
    const ops = { cancel: cancelOperation(port()), schedule: scheduleOperation(port()) };
    const store = await runtime.storeFor("callbacks", [ops.schedule, ops.cancel] as Operation<
      never,
      unknown
    >[]);
    return { ...ops, store };
  };
  return {
    list: (params, options) =>
      runCall(runtime, options, async (signal) => {
        if (params?.campaign !== undefined)
          runtime.port.support.checkId?.("campaign", idOf(params.campaign, "campaign"), "campaign");
        if (params?.agent !== undefined && !/^\d+$/.test(idOf(params.agent, "agent")))
          throw new InputError({ field: "agent", rule: "must be an agent id (digits)" });
        if (params?.campaign !== undefined) return port().forSkill(params.campaign, signal);
        if (params?.agent !== undefined) return port().forAgent(params.agent, signal);
        return (await port().pending(signal)).callbacks;
      }),
    schedule: (params, options) =>
      runCall(runtime, options, async (signal) => {
        const { checkSchedule } = await import("../campaigns/scheduled-callbacks.ts");
        const callback = checkSchedule(params, Date.now());
        await refuseRevoked(runtime, callback);
        const { schedule, store } = await journaled();
        const made = await store.journal.run(schedule, {
          target: `skill:${callback.skillId}`,
          payload: callback,
          signal,
        });
        return { callbackId: made.callbackId, at: callback.at };
      }),
    cancel: (callbackId, options) =>
      runCall(runtime, options, async (signal) => {
        if (!/^\d+$/.test(idOf(callbackId, "callbackId")))
          throw new InputError({ field: "callbackId", rule: "must be a callback id (digits)" });
        const { cancel, store } = await journaled();
        const result = await store.journal.run(cancel, {
          target: `scheduled-callback:${callbackId}`,
          payload: { callbackId },
          signal,
        });
        return { callbackId, result };
      }),
  };
}

/** A callback to a number that revoked consent for the skill would be a call after it: refused. */
async function refuseRevoked(
  runtime: ClientRuntime,
  callback: { phone: string; skillId: string; at: string },
): Promise<void> {
  const { dncListFor } = await import("../campaigns/compliance/blocked-numbers.ts");
  const lookup = await dncListFor(await runtime.store(), [callback.phone]);
  const revoked = lookup
    .suppressions?.(callback.phone, callback.skillId, Date.parse(callback.at))
    .find((s) => s.code === "consent_revoked");
  if (revoked) throw new InputError({ field: "phone", rule: `refused, nothing sent: ${revoked.message}` });
}
