import { clockNowMs } from "../core/clock/now.ts";
import { InputError } from "../core/input-error.ts";
import type { AbandonmentParams } from "../dialer/abandonment/params.ts";
import type { AbandonmentReport } from "../dialer/abandonment/read-ledger.ts";
import type { ClientContext } from "../platform/client-context.ts";
/**
 * `abandonment`: the params checked, the campaign looked up in this tenant's store (another
 * tenant's, or one cxo did not create, is refused before anything is sent), then the ledger.
 */
export async function abandonmentOfClient(
  client: ClientContext,
  params: AbandonmentParams,
  signal: AbortSignal | undefined,
): Promise<AbandonmentReport> {
  const { checkAbandonmentParams } = await import("../dialer/abandonment/params.ts");
  const checked = checkAbandonmentParams(params, clockNowMs());
  const { findKnownCampaign } = await import("../campaigns/known-campaigns.ts");
  const store = await client.store();
  const known = await findKnownCampaign(store, checked.campaignId);
  if (!known)
    throw new InputError({
      field: "campaignId",
      rule: `must be a campaign of this tenant${client.tenant ? ` (${client.tenant})` : ""} created from this data dir: ${JSON.stringify(checked.campaignId)} is not one`,
    });
  const { readAbandonmentLedger } = await import("../dialer/abandonment/read-ledger.ts");
  return readAbandonmentLedger(known, store, client.port.outcomes, checked, signal);
}
