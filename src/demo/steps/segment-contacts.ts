import { join } from "node:path";
import { contactWriter } from "../../campaigns/segment/contact-writer.ts";
import { addToDnc, defaultAsOf, importRegistry, recordAttempt } from "../../compliance/index.ts";
import { clockNowMs } from "../../core/clock/now.ts";
import { demoFileStream, writeDemoFile } from "../demo-file.ts";
import type { DemoBase } from "../environment.ts";
import { type Narrator, percent } from "../narrator.ts";
import type { DemoDay } from "../run-demo.ts";
import { checkReassignedStep } from "./check-reassigned.ts";

function top(table: Record<string, number>, n: number): Array<[string, number]> {
  return Object.entries(table)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n);
}

/**
 * Step: who may be called right now. Every contact of the campaign's list is checked against
 * the law in the CALLED party's local time (every candidate zone of the number, federal + state
 * rules, holidays, consent, the internal DNC list, frequency caps from the attempt history) —
 * not in the campaign's zone as the seed did.
 */
export async function segmentContactsStep(env: DemoBase, say: Narrator, day: DemoDay): Promise<void> {
  const sample = await env.client.port.campaigns
    .listContacts(day.contactListId, { pageSize: 50 })
    .toArray(50);
  const [blocked, dialled] = sample;
  if (blocked) {
    say.command(`cxo compliance dnc add ${blocked.phone} --reason "asked not to be called"`);
    await addToDnc(env.store, [blocked.phone], { reason: "asked not to be called", actor: "demo" });
  }
  if (dialled) {
    // Three earlier attempts today: enough to reach the campaign's own per-contact cap.
    for (const minutesAgo of [240, 120, 30])
      await recordAttempt(env.store, {
        phone: dialled.phone,
        contactId: dialled.id,
        campaignId: day.primaryCampaignId,
        at: new Date(clockNowMs() - minutesAgo * 60_000).toISOString(),
        outcome: "NO_ANSWER",
      });
    say.info(`recorded 3 earlier attempts to ${dialled.phone} (frequency caps count them)`);
  }

  // A copy of the National Do Not Call Registry, as a seller downloads it (one 10-digit number
  // a line): five of the list's numbers without recorded consent, and one with it, which the
  // rules let through (consent overrides a registry listing, not the calling hours).
  const unconsented = sample.slice(2).filter((c) => c.consent.call !== true);
  const consented = sample.slice(2).find((c) => c.consent.call === true);
  const listed = [...unconsented.slice(0, 5), ...(consented ? [consented] : [])];
  const registryFile = join(env.reportsDir, "national-dnc-sample.txt");
  await writeDemoFile(registryFile, listed.map((c) => `${c.phone.slice(2)}\n`).join(""));
  say.command("cxo compliance dnc import --registry national national-dnc-sample.txt");
  const imported = await importRegistry({
    dataDir: env.dataDir,
    registry: "national",
    files: [registryFile],
    mode: "full",
    // Dated as the narrated command dates it when no --as-of is given: by the file.
    asOf: defaultAsOf([registryFile]) as string,
  });
  say.info(
    `National DNC Registry copy of ${imported.asOf}: ${imported.numbers} numbers (a real copy: ~250M, imported per area code; older than 31 days, it refuses every call)`,
  );

  const out = join(env.reportsDir, "contacts-verdicts.ndjson");
  say.command(
    `cxo campaigns contacts ${day.contactListId} --campaign ${day.primaryCampaignId} --out contacts-verdicts.ndjson`,
  );
  const summary = await env.client.campaigns.segment(day.contactListId, {
    campaignId: day.primaryCampaignId,
    sink: contactWriter(demoFileStream(out), "ndjson", { closeOut: true }),
  });
  say.ok(
    `${summary.callable} of ${summary.total} contacts callable now (${percent(summary.callable / Math.max(1, summary.total))}), ${summary.notCallable} not`,
  );
  const reasons = top(summary.byReason, 6);
  // The registry's refusals are shown even when other reasons outnumber them.
  if (!reasons.some(([reason]) => reason === "national_dnc"))
    reasons.push(["national_dnc", summary.byReason.national_dnc ?? 0]);
  say.figures([
    ...reasons.map(([reason, count]): [string, number] => [`  ${reason}`, count]),
    ["checked", `${summary.contactsPerSec} contacts/s`],
    ["verdicts", out],
  ]);
  // Zones with callable contacts first: at this hour they are where the day's dialing can go.
  const zones = Object.entries(summary.byZone)
    .sort((a, b) => b[1].callable - a[1].callable || b[1].notCallable - a[1].notCallable)
    .slice(0, 6)
    .map(([zone, counts]) => `${zone} ${counts.callable}/${counts.callable + counts.notCallable}`);
  say.info(`callable by zone: ${zones.join(", ")}`);
  await checkReassignedStep(env, say, sample);
}
