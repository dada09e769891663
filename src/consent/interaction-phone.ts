import type { CxonePort } from "../platform/port.ts";
import type { Interaction } from "../platform/types.ts";
import { calledNumberOf } from "./called-number.ts";

/**
 * The number and time of an interaction, for a revocation said on it (issue 62 §1): the number
 * the platform says it dialled (`calledNumber`; production: the contact's own), else its
 * contact's, read from the campaign's contact list (the seed API's interactions name a contact,
 * not a number).
 */
export async function calledOfInteraction(
  port: Pick<CxonePort, "campaigns">,
  interaction: Interaction,
  signal?: AbortSignal,
): Promise<{ phone: string | undefined; at: string | undefined; campaignId: string | undefined }> {
  const { startedAt: at, campaignId, contactId } = interaction;
  const direct = calledNumberOf(interaction.calledNumber);
  if (direct) return { phone: direct, at, campaignId };
  if (!contactId || !campaignId || /[;=]/.test(contactId)) return { phone: undefined, at, campaignId };
  const campaign = await port.campaigns.get(campaignId, signal);
  for await (const contact of port.campaigns.listContacts(
    campaign.contactListId,
    { filter: `id==${contactId}`, pageSize: 1 },
    signal,
  ))
    return { phone: contact.phone, at, campaignId };
  return { phone: undefined, at, campaignId };
}
