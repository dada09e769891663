import { InputError } from "../core/input-error.ts";
import { InteractionMetrics } from "../interactions/metrics.ts";
import type { SetDispositionInput, SetDispositionResult } from "../interactions/set-disposition.ts";
import type { VersionedInteraction } from "../platform/types.ts";
import { runCall } from "./call.ts";
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
      runCall(
        runtime,
        options,
        async (_signal, call) =>
          (await import("../interactions/of-client.ts")).setDispositionOfClient(
            runtime,
            metrics,
            interactionId,
            input,
            call,
          ),
        { keyed: true },
      ),
  };
}
