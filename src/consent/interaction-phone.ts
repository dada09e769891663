import type { CxonePort } from "../platform/port.ts";
import type { Interaction } from "../platform/types.ts";
import { calledNumberOf } from "./called-number.ts";

/**
 * The number and time of an interaction, for a revocation said on it (issue 62 §1): the record's
 * own number where the platform sends one (the production platform's contact carries its
 * `toAddress` as the domain's `phoneNumber`), else its contact's, read from the campaign's
 * contact list (the seed API's interactions name a contact, not a number).
 */
export async function calledOfInteraction(
  port: Pick<CxonePort, "campaigns">,
  interaction: Interaction,
  signal?: AbortSignal,
): Promise<{ phone: string | undefined; at: string | undefined; campaignId: string | undefined }> {
  const raw = interaction.raw;
  const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
  const at = text(raw.startTime) ?? text(raw.contactStartDate) ?? text(raw.contactStart);
  const campaignId = text(raw.campaignId) ?? text(raw.skillId);
  const direct = calledNumberOf({ raw: { phoneNumber: raw.phoneNumber ?? raw.toAddress ?? raw.toAddr } });
  if (direct) return { phone: direct, at, campaignId };
  const contactId = text(raw.contactId);
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
