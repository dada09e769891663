import { InputError } from "../core/input-error.ts";
import { InteractionMetrics } from "../interactions/metrics.ts";
import type { SetDispositionInput, SetDispositionResult } from "../interactions/set-disposition.ts";
import type { VersionedInteraction } from "../platform/types.ts";
import { type CallScope, runCall } from "./call.ts";
import type { ClientRuntime, RequestOptions } from "./runtime.ts";

// The entry rules (with luxon) and the correction workflow (optimistic locking, merge, re-drive)
// are imported at first use, not with this file: every client builds this group, and most never
// read or correct an interaction.

export interface InteractionsGroup {
  /**
   * Adds or replaces one disposition on a closed interaction, keeping every other one: a
   * concurrent edit is re-read and kept, never overwritten (ETag / If-Match). Bad input is an
   * InputError whose fields are the input's (`code`, `agentId`, …); nothing is sent.
   */
  setDisposition(
    interactionId: string,
    input: SetDispositionInput,
    options?: RequestOptions,
  ): Promise<SetDispositionResult>;
  /** An interaction with its dispositions and current ETag (the raw read: no local rules). */
  get(interactionId: string, options?: RequestOptions): Promise<VersionedInteraction>;
  /** Counters of this client's set-disposition calls (patches, conflicts, outcomes). */
  readonly metrics: InteractionMetrics;
}

export function interactionsGroup(runtime: ClientRuntime): InteractionsGroup {
  const port = runtime.port.interactions;
  const metrics = new InteractionMetrics();
  return {
    metrics,
    get: (interactionId, options) =>
      runCall(runtime, options, async (signal) => {
        const { interactionIdProblem } = await import("../interactions/entry-rules.ts");
        const problem = interactionIdProblem(interactionId);
        if (problem) throw new InputError(problem);
        runtime.port.support.checkId?.("call", interactionId, "interactionId");
        return port.get(interactionId, signal);
      }),

    setDisposition: (interactionId, input, options) =>
      runCall(runtime, options, (_signal, call) => setOne(interactionId, input, call), { keyed: true }),
  };

  async function setOne(interactionId: string, input: SetDispositionInput, request: CallScope) {
    // Bad input opens nothing: checked before the store and any re-drive.
    if (typeof input !== "object" || input === null)
      throw new InputError({ field: "input", rule: "must be an object ({ code, description, agent, … })" });
    const { entryProblems, interactionIdProblem } = await import("../interactions/entry-rules.ts");
    const timestamp = input.timestamp ?? new Date().toISOString();
    const problems = [interactionIdProblem(interactionId), ...entryProblems({ ...input, timestamp })];
    const found = problems.filter((p): p is NonNullable<typeof p> => p !== null);
    if (found.length > 0) throw new InputError(found);
    runtime.port.support.checkId?.("call", interactionId, "interactionId");
    // A platform that cannot correct a closed interaction says so before anything is read.
    const refusal = runtime.port.support.unsupported("interactions.replaceDispositions");
    if (refusal) throw refusal;
    const [{ redriveStale }, { setDisposition }] = await Promise.all([
      import("../interactions/redrive.ts"),
      import("../interactions/set-disposition.ts"),
    ]);
    const store = await runtime.storeFor("interactions", (s) => redriveStale(s, port, metrics));
    const result = await setDisposition(
      { port, store, metrics },
      interactionId,
      { ...input, timestamp },
      request,
    );
    await recordDncRequest(interactionId, input, request.signal);
    return result;
  }

  /** A do-not-call disposition set on an interaction is a revocation (issue 62 §1). */
  async function recordDncRequest(interactionId: string, input: SetDispositionInput, signal?: AbortSignal) {
    const { dncRequestOf } = await import("../consent/dnc-dispositions.ts");
    if (!dncRequestOf({ code: input.code, name: input.description })) return;
    const [{ calledOfInteraction }, { recordIfDncRequest }] = await Promise.all([
      import("../consent/interaction-phone.ts"),
      import("../consent/dnc-request.ts"),
    ]);
    const { interaction } = await port.get(interactionId, signal);
    const called = await calledOfInteraction(runtime.port, interaction, signal);
    const result = await recordIfDncRequest(
      {
        store: await runtime.store(),
        actor: runtime.actor,
        cxoneGroupId: runtime.consent.cxoneDncGroup,
        agentDoNotCall: runtime.consent.agentDoNotCall,
      },
      {
        campaignId: called.campaignId ?? "",
        callId: interactionId,
        phone: called.phone,
        at: called.at,
        facts: { code: input.code, name: input.description },
        via: "cxo interactions",
      },
    );
    if (result.recorded && runtime.consent.cxoneDncGroup !== undefined && runtime.port.dncGroups) {
      const { honourInCxone } = await import("../consent/honour.ts");
      await honourInCxone(await runtime.store(), runtime.port.dncGroups, {
        actor: runtime.actor,
        groupId: runtime.consent.cxoneDncGroup,
        signal,
      });
    }
  }
}
