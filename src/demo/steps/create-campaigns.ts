import { changeCampaignStatus, createCampaign, resolveContactList } from "../../campaigns/index.ts";
import { campaignSpecSchema } from "../../campaigns/spec.ts";
import { loadInputFile } from "../../core/input-file.ts";
import type { DemoBase } from "../environment.ts";
import { examplePath } from "../examples.ts";
import type { Narrator } from "../narrator.ts";
import type { DemoDay } from "../run-demo.ts";

async function createFrom(env: DemoBase, file: string, contactListId: string) {
  const spec = resolveContactList(
    loadInputFile(examplePath(file), campaignSpecSchema, "--spec"),
    contactListId,
  );
  if ("problem" in spec) throw new Error(`${file}: ${spec.problem.field} ${spec.problem.rule}`);
  return createCampaign(env.client.port.campaigns, env.store, spec);
}

/**
 * Step: provision the day's predictive campaign and its backup from the example specs, then
 * run the same creation again to show that a spec is created once; start the primary dialing,
 * and ask twice to show that "already active" is success, not a second transition.
 */
export async function createCampaignsStep(env: DemoBase, say: Narrator, day: DemoDay): Promise<void> {
  const { contactListId } = day;
  say.command(`cxo campaigns create --spec examples/campaign.yaml --contact-list ${contactListId}`);
  const primary = await createFrom(env, "campaign.yaml", contactListId);
  say.ok(`created "${primary.campaign.name}" ${primary.campaign.id} (${primary.campaign.status})`);
  say.command(`cxo campaigns create --spec examples/campaign-backup.yaml --contact-list ${contactListId}`);
  const backup = await createFrom(env, "campaign-backup.yaml", contactListId);
  say.ok(`created "${backup.campaign.name}" ${backup.campaign.id} (${backup.campaign.status})`);

  const again = await createFrom(env, "campaign.yaml", contactListId);
  if (!again.alreadyCreated || again.campaign.id !== primary.campaign.id)
    throw new Error("creating the same spec twice made a second campaign");
  say.ok(
    `same spec again → no duplicate: already created (${again.source}), key ${again.idempotencyKey.slice(0, 32)}…`,
  );

  say.command(`cxo campaigns resume ${primary.campaign.id}`);
  const resumed = await changeCampaignStatus(
    env.client.port.campaigns,
    env.store,
    primary.campaign.id,
    "active",
  );
  const twice = await changeCampaignStatus(
    env.client.port.campaigns,
    env.store,
    primary.campaign.id,
    "active",
  );
  say.ok(
    `primary ${resumed.previous} → ${resumed.status}; asked again: ${twice.changed ? "changed?!" : "already active, nothing sent twice"}`,
  );
  if (twice.changed) throw new Error("a second resume made a second transition");

  day.primaryCampaignId = primary.campaign.id;
  day.backupCampaignId = backup.campaign.id;
}
