import { clockNowMs } from "../core/clock/now.ts";
import { InputError } from "../core/input-error.ts";
import { idOf } from "../core/params.ts";
import type { Operation } from "../core/store/index.ts";
import type { ClientContext } from "../platform/client-context.ts";
import type { ScheduledCallbacksPort } from "../platform/ports/scheduled-callbacks.ts";
import type { ScheduleParams } from "./scheduled-callbacks.ts";

/**
 * `callbacks.schedule` and `callbacks.cancel`: each write journaled (what a killed run left is
 * re-driven first) and audited; a callback to a number that revoked consent for its skill is
 * refused before anything is sent. `port` is the platform's, or its refusal (after the input was
 * checked: bad input is exit 2 anywhere).
 */

/** The journaled writes, and the store with what a killed run left of them re-driven. */
async function journaled(client: ClientContext, port: () => ScheduledCallbacksPort) {
  const { cancelOperation, scheduleOperation } = await import("./scheduled-callbacks.ts");
  const ops = { cancel: cancelOperation(port()), schedule: scheduleOperation(port()) };
  const store = await client.storeFor("callbacks", [ops.schedule, ops.cancel] as Operation<never, unknown>[]);
  return { ...ops, store };
}

export async function scheduleCallback(
  client: ClientContext,
  port: () => ScheduledCallbacksPort,
  params: ScheduleParams,
  signal: AbortSignal | undefined,
): Promise<{ callbackId: string; at: string }> {
  const { checkSchedule } = await import("./scheduled-callbacks.ts");
  const callback = checkSchedule(params, clockNowMs());
  await refuseRevoked(client, callback);
  const { schedule, store } = await journaled(client, port);
  const made = await store.journal.run(schedule, {
    target: `skill:${callback.skillId}`,
    payload: callback,
    signal,
  });
  return { callbackId: made.callbackId, at: callback.at };
}

export async function cancelCallback(
  client: ClientContext,
  port: () => ScheduledCallbacksPort,
  callbackId: string,
  signal: AbortSignal | undefined,
): Promise<{ callbackId: string; result: "deleted" | "gone" }> {
  if (!/^\d+$/.test(idOf(callbackId, "callbackId")))
    throw new InputError({ field: "callbackId", rule: "must be a callback id (digits)" });
  const { cancel, store } = await journaled(client, port);
  const result = await store.journal.run(cancel, {
    target: `scheduled-callback:${callbackId}`,
    payload: { callbackId },
    signal,
  });
  return { callbackId, result };
}

/** A callback to a number that revoked consent for the skill would be a call after it: refused. */
async function refuseRevoked(
  client: ClientContext,
  callback: { phone: string; skillId: string; at: string },
): Promise<void> {
  const { dncListFor } = await import("../compliance/blocked-numbers.ts");
  const lookup = await dncListFor(await client.store(), [callback.phone]);
  const revoked = lookup
    .suppressions?.(callback.phone, callback.skillId, Date.parse(callback.at))
    .find((s) => s.code === "consent_revoked");
  if (revoked) throw new InputError({ field: "phone", rule: `refused, nothing sent: ${revoked.message}` });
}
