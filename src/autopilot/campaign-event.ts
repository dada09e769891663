import type { Store } from "../core/store/index.ts";
import { localOperation } from "../core/store/local-operation.ts";

/**
 * A decision the autopilot took about one campaign (an attention item, a stop), journaled as a
 * local operation: its audit record (the payload as details) and its signed event to the
 * `campaigns` destination commit together.
 */
export async function journalCampaignEvent<P extends { campaign: string }>(
  store: Pick<Store, "journal">,
  kind: string,
  eventType: string,
  payload: P,
): Promise<void> {
  const op = localOperation<P>(kind, (given) => ({
    details: given,
    events: [{ type: eventType, destination: "campaigns", data: given }],
  }));
  await store.journal.run(op, { target: `campaign:${payload.campaign}`, payload });
}
