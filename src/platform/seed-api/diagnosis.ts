import type { CampaignsPort } from "../ports/campaigns.ts";
import type { DiagnosisPort, ListRecordState, SkillState } from "../ports/diagnosis.ts";
import { WEEKDAYS } from "../weekdays.ts";

/**
 * `cxo why` on the seed API (issue 65): a campaign's `status` (`active`, `paused` = not running,
 * `stopped` = not active), its `complianceConfig.dialingRules` window in its zone, and its
 * contact list's contacts (zone, state, `consentFlags.outbound.call`). The seed API shows no
 * per-record attempts, expiry, call-request time, retry settings or abandonment cap: those are
 * `undefined`, and the evidence says so.
 */
export function seedDiagnosis(campaigns: CampaignsPort): DiagnosisPort {
  return {
    async skill(campaignId, signal): Promise<SkillState> {
      const campaign = await campaigns.get(campaignId, signal);
      const compliance = campaign.raw.complianceConfig as
        | { dialingRules?: Record<string, unknown> }
        | undefined;
      const rules = compliance?.dialingRules;
      const minute = (clock: unknown) => {
        const m = /^(\d{1,2}):(\d{2})/.exec(typeof clock === "string" ? clock : "");
        return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
      };
      const start = minute(rules?.startTime);
      const end = minute(rules?.endTime);
      const days: readonly unknown[] = Array.isArray(rules?.allowedDays) ? rules.allowedDays : WEEKDAYS;
      return {
        campaignId,
        timeZone: campaign.timeZone,
        active: campaign.status !== "stopped",
        running: campaign.status === "active",
        listIds: campaign.contactListId ? [campaign.contactListId] : [],
        maxAttempts: undefined,
        loadNonFresh: undefined,
        abandonCap: undefined,
        zoneHours: undefined,
        ...(start !== undefined && end !== undefined
          ? {
              window: {
                zone: campaign.timeZone,
                startMinute: start,
                endMinute: end,
                weekdays: days
                  .map((d) => (WEEKDAYS as readonly string[]).indexOf(String(d)) + 1)
                  .filter((d) => d > 0),
              },
            }
          : {}),
        evidence: `GET /api/v2/omnichannel/campaigns/${campaignId}: status ${campaign.status}, complianceConfig.dialingRules; the seed API shows no retry settings, abandonment cap or per-record attempts`,
      };
    },
    async records(_campaignId, listId, signal) {
      const records: ListRecordState[] = [];
      for await (const contact of campaigns.listContacts(listId, {}, signal))
        records.push({
          id: contact.id,
          phone: contact.phone,
          zone: contact.timeZone,
          state: contact.state,
          attempts: 0,
          finalized: false,
          consent: contact.consent.call === true,
        });
      return {
        listId,
        records,
        dialsLastHour: undefined,
        evidence: `GET /api/v2/omnichannel/contactlists/${listId}/contacts (timeZone, state, consentFlags.outbound.call)`,
      };
    },
  };
}
