import { localOperation, readKvMap, type Store } from "../core/store/index.ts";

/**
 * An operator's "stop pacing automation" for one campaign: while stopped, the pacing loop (and
 * the production budget guard) leave the campaign's dialer settings as they are — the ratio last
 * applied stays in force until someone applies another or resumes the automation, which then
 * carries on from the window's budget in the store. Kept in the store (key-value namespace
 * `pacing.automation`), so the leader of several instances sees the decision of any of them;
 * each change is journaled and audited with who made it.
 */
export const AUTOMATION_NAMESPACE = "pacing.automation";

export interface AutomationSetting {
  state: "stopped" | "automatic";
  by: string;
  at: string;
  /** Why, when the automation itself handed over (e.g. its settings were changed outside it). */
  reason?: string;
}

export async function stoppedCampaigns(store: Pick<Store, "kv">): Promise<Map<string, AutomationSetting>> {
  const settings = await readKvMap<AutomationSetting | null>(store.kv, AUTOMATION_NAMESPACE);
  const stopped = new Map<string, AutomationSetting>();
  for (const [campaignId, setting] of settings)
    if (setting?.state === "stopped") stopped.set(campaignId, setting);
  return stopped;
}

export function setAutomation(
  store: Pick<Store, "journal">,
  campaignId: string,
  setting: AutomationSetting,
  idempotencyKey: string,
): Promise<null> {
  return store.journal.run(
    localOperation<{ campaignId: string; setting: AutomationSetting }>(
      setting.state === "stopped" ? "pacing.automation.stop" : "pacing.automation.resume",
      (p) => ({
        after: p.setting,
        checkpoints: [{ namespace: AUTOMATION_NAMESPACE, key: p.campaignId, value: p.setting }],
        events: [
          {
            type: "pacing.automation.changed",
            destination: "campaigns",
            orderKey: p.campaignId,
            data: { campaignId: p.campaignId, ...p.setting },
          },
        ],
      }),
    ),
    { target: campaignId, payload: { campaignId, setting }, idempotencyKey },
  );
}
