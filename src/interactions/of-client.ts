import { clockNowDate } from "../core/clock/now.ts";
import { InputError } from "../core/input-error.ts";
import type { ClientContext } from "../platform/client-context.ts";
import type { InteractionMetrics } from "./metrics.ts";
import type { SetDispositionInput, SetDispositionResult } from "./set-disposition.ts";
/**
 * `interactions.setDisposition`: the entry checked before the store and any re-drive, the
 * correction made with optimistic locking, and a do-not-call disposition recorded as a revocation.
 */
export async function setDispositionOfClient(
  client: ClientContext,
  metrics: InteractionMetrics,
  interactionId: string,
  input: SetDispositionInput,
  request: { signal: AbortSignal | undefined; idempotencyKey: string | undefined },
): Promise<SetDispositionResult> {
  // Bad input opens nothing: checked before the store and any re-drive.
  if (typeof input !== "object" || input === null)
    throw new InputError({ field: "input", rule: "must be an object ({ code, description, agent, … })" });
  const { setDispositionProblems } = await import("./entry-rules.ts");
  const timestamp = input.timestamp ?? clockNowDate().toISOString();
  const found = setDispositionProblems(interactionId, { ...input, timestamp });
  if (found.length > 0) throw new InputError(found);
  client.port.support.checkId?.("call", interactionId, "interactionId");
  // A platform that cannot correct a closed interaction says so before anything is read.
  const refusal = client.port.support.unsupported("interactions.replaceDispositions");
  if (refusal) throw refusal;
  const [{ redriveStale }, { setDisposition }] = await Promise.all([
    import("./redrive.ts"),
    import("./set-disposition.ts"),
  ]);
  const store = await client.storeFor("interactions", (s) =>
    redriveStale(s, client.port.interactions, metrics),
  );
  const result = await setDisposition(
    { port: client.port.interactions, store, metrics },
    interactionId,
    { ...input, timestamp },
    request,
  );
  await recordDncRequest(client, interactionId, input, request.signal);
  return result;
}

/** A do-not-call disposition set on an interaction is a revocation (issue 62 §1). */
async function recordDncRequest(
  client: ClientContext,
  interactionId: string,
  input: SetDispositionInput,
  signal?: AbortSignal,
) {
  const { dncRequestOf } = await import("../consent/dnc-dispositions.ts");
  if (!dncRequestOf({ code: input.code, name: input.description })) return;
  const [{ calledOfInteraction }, { recordIfDncRequest }] = await Promise.all([
    import("../consent/interaction-phone.ts"),
    import("../consent/dnc-request.ts"),
  ]);
  const { interaction } = await client.port.interactions.get(interactionId, signal);
  const called = await calledOfInteraction(client.port, interaction, signal);
  const result = await recordIfDncRequest(
    {
      store: await client.store(),
      actor: client.actor,
      cxoneGroupId: client.consent.cxoneDncGroup,
      agentDoNotCall: client.consent.agentDoNotCall,
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
  if (result.recorded && client.consent.cxoneDncGroup !== undefined && client.port.dncGroups) {
    const { honourInCxone } = await import("../consent/honour.ts");
    await honourInCxone(await client.store(), client.port.dncGroups, {
      actor: client.actor,
      groupId: client.consent.cxoneDncGroup,
      signal,
    });
  }
}
