import type { ScheduleParams } from "../campaigns/scheduled-callbacks.ts";
import type { AsyncList } from "../core/http/pagination.ts";
import { InputError } from "../core/input-error.ts";
import { partOrRefuse } from "../core/not-supported-error.ts";
import type { ScheduledCallback, ScheduledCallbacksPort } from "../platform/ports/scheduled-callbacks.ts";
import { runCall, runItems } from "./call.ts";
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
  /**
   * Pending callbacks: one skill's, one agent's, or (neither named) every outbound voice skill's,
   * as a listing (`for await`, or `toArray()`), as `campaigns.list` and `outcomes.list` answer.
   * Bad input and a platform without callbacks are refused when it is first iterated.
   */
  list(params?: CallbacksListParams, options?: RequestOptions): AsyncList<ScheduledCallback>;
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
    return partOrRefuse(runtime.port.scheduledCallbacks, {
      platform: runtime.port.support.name,
      operation: "scheduledCallbacks",
      why: "this platform's port has no scheduled callbacks",
      alternative:
        "schedule and cancel callbacks on a client of the production platform (connection.platform: cxone)",
    });
  };
  return {
    list: (params, options) =>
      runItems(runtime, options, async function* (signal) {
        if (params?.campaign !== undefined)
          runtime.port.support.checkId?.("campaign", idOf(params.campaign, "campaign"), "campaign");
        if (params?.agent !== undefined && !/^\d+$/.test(idOf(params.agent, "agent")))
          throw new InputError({ field: "agent", rule: "must be an agent id (digits)" });
        if (params?.campaign !== undefined) yield* await port().forSkill(params.campaign, signal);
        else if (params?.agent !== undefined) yield* await port().forAgent(params.agent, signal);
        else yield* (await port().pending(signal)).callbacks;
      }),
    schedule: (params, options) =>
      runCall(runtime, options, async (signal) => {
        const { scheduleCallback } = await import("../campaigns/callbacks-of-client.ts");
        return scheduleCallback(runtime, port, params, signal);
      }),
    cancel: (callbackId, options) =>
      runCall(runtime, options, async (signal) => {
        const { cancelCallback } = await import("../campaigns/callbacks-of-client.ts");
        return cancelCallback(runtime, port, callbackId, signal);
      }),
  };
}
