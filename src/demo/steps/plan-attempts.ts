import { join } from "node:path";
import { clockNowMs } from "../../core/clock/now.ts";
import { readOutcomeRecords } from "../../strategy/files.ts";
import { learn } from "../../strategy/learn.ts";
import type { ListRow } from "../../strategy/list-format.ts";
import { HourCounter } from "../../strategy/plan-hours.ts";
import { modelReportHtml } from "../../strategy/report-html.ts";
import { writeDemoFile } from "../demo-file.ts";
import type { DemoBase } from "../environment.ts";
import type { Narrator } from "../narrator.ts";
import type { DemoDay } from "../run-demo.ts";
/**
 * Step (issue 55 §5): the next attempts for the campaign's list. Learn when each state's
 * contacts answer from the outcomes just exported, plan each contact's next attempt at the best
 * hour the law allows in the called party's zone (compliance engine first, then Thompson
 * sampling), and say the lift the model expects over calling at any legal hour.
 */
export async function planAttemptsStep(env: DemoBase, say: Narrator, day: DemoDay): Promise<void> {
  const outcomes = join(env.reportsDir, "outcomes.ndjson");
  const modelFile = join(env.reportsDir, "strategy-model.json");
  say.command(
    `cxo strategy learn --campaign ${day.historyCampaignId} --history outcomes.ndjson --out strategy-model.json`,
  );
  const model = await learn(readOutcomeRecords(outcomes), {
    campaign: day.historyCampaignId,
    keys: ["state"],
  });
  await writeDemoFile(modelFile, `${JSON.stringify(model, null, 2)}\n`);
  say.ok(
    `learned from ${model.learnedFrom.records} attempts: ${model.segments.length} state segments × 168 local hours, RPC rate ${(model.priors.all.estimate * 100).toFixed(1)}% overall`,
  );

  const contacts = await env.client.port.campaigns
    .listContacts(day.contactListId, { pageSize: 200 })
    .toArray(200);
  const list: ListRow[] = contacts.map((c) => ({
    recordId: c.id,
    phone: c.phone,
    state: c.state,
    consent: c.consent.call,
  })) as ListRow[];
  const from = new Date(Math.ceil(clockNowMs() / 3_600_000) * 3_600_000).toISOString();
  // Four days: a weekday's hours are among them whenever the demo runs (from a Friday evening a
  // two-day horizon held only the weekend, which a skill open on weekdays never dials).
  const days = 4;
  say.command(
    `cxo strategy plan --list ${day.contactListId} --model strategy-model.json --history outcomes.ndjson --from ${from} --days ${days} --capacity 60 --out plan.ndjson --report strategy-report.html`,
  );
  // Through the SDK: the DNC entries and the registry copy of the compliance step hold here too.
  // The outcomes file is the attempts already made (counted toward every cap and each contact's
  // own rates) and the weeks the lift is measured on, held out from a twin of the model: the
  // model's own estimate against its average is its fit to the training data, not a promise.
  const { rows, summary } = await env.client.strategy.plan(list, model, {
    from,
    days,
    capacityPerHour: 60,
    seed: 1,
    history: { file: outcomes },
  });
  const lift = summary.expectedLift;
  await writeDemoFile(
    join(env.reportsDir, "plan.ndjson"),
    rows.map((r) => `${JSON.stringify(r)}\n`).join(""),
  );
  const planned = rows.reduce((a, r) => a + r.estimate, 0) / Math.max(1, rows.length);
  // The report's two clocks: the horizon's hours in UTC and the called party's local hours.
  const hours = new HourCounter(Date.parse(from), days);
  for (const r of rows) hours.add(r.attemptAt);
  const report = join(env.reportsDir, "strategy-report.html");
  // The report names the campaign, as the outcome report does (the model file knows its id only).
  const campaign = await env.client.port.campaigns.get(day.historyCampaignId).catch(() => undefined);
  await writeDemoFile(
    report,
    modelReportHtml(model, {
      ...(campaign?.name ? { campaignName: campaign.name } : {}),
      perHour: { attempts: hours.counts, capacity: 60, startMs: hours.startMs, localHours: hours.localHours },
      ruledOut: summary.ruledOutByRule,
      plan: summary,
      expectedLift: lift,
    }),
  );
  say.ok(
    `${rows.length} of ${list.length} contacts planned (${summary.unplannable} with no legal hour in ${days} days); the model's RPC rate in the planned hours ${(planned * 100).toFixed(1)}% per attempt`,
  );
  say.info(lift.headline);
  say.figures([
    ...rows
      .slice()
      .sort((a, b) => a.attemptAt.localeCompare(b.attemptAt))
      .slice(0, 4)
      .map((r): [string, string] => [
        `  ${r.phone}`,
        `${r.attemptAt} (${r.zone}), estimate ${(r.estimate * 100).toFixed(1)}%${r.ruledOut.length > 0 ? `, ${r.ruledOut.length} better hour(s) ruled out (${[...new Set(r.ruledOut.map((o) => o.rule))].join(", ")})` : ""}`,
      ]),
    ["plan / report", `${join(env.reportsDir, "plan.ndjson")}\n${" ".repeat(28)}${report}`],
  ]);
  for (const note of summary.notes) say.info(note);
}
