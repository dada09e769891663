import { type Evaluation, startWatchdog } from "../../campaigns/index.ts";
import type { DemoEnvironment } from "../environment.ts";
import { type Narrator, percent } from "../narrator.ts";
import type { DemoDay } from "../run-demo.ts";

/** PUTs the emulator received for one campaign (its status changes), from its request log. */
async function statusChanges(env: DemoEnvironment, campaignId: string): Promise<number> {
  const response = await fetch(`${env.emulator.url}/_emulator/requests`);
  const { requests } = (await response.json()) as {
    requests: Array<{ method: string; path: string; status: number }>;
  };
  return requests.filter(
    (r) => r.method === "PUT" && r.path === `/api/v2/omnichannel/campaigns/${campaignId}` && r.status < 300,
  ).length;
}

function describe(evaluation: Evaluation): string {
  const rate = evaluation.primary ? percent(evaluation.primary.successRate) : "n/a";
  const calls = evaluation.primary?.callsInWindow ?? "?";
  return `primary success ${rate} over ${calls} calls → ${evaluation.verdict ?? "error"} (${evaluation.breaches} in a row)`;
}

/**
 * Step: the failover watchdog. Healthy samples first; then the primary's success rate is driven
 * below the threshold (the emulator's admin API stands in for a bad list or a carrier problem);
 * after K consecutive breaches over a real sample the watchdog pauses the primary and activates
 * the backup — once — and keeps watching, reporting the backup's health.
 */
export async function failoverStep(env: DemoEnvironment, say: Narrator, day: DemoDay): Promise<void> {
  const config = {
    primary: day.primaryCampaignId,
    backup: day.backupCampaignId,
    threshold: 0.15,
    windowMinutes: 30,
    intervalSeconds: env.fast ? 0.1 : 1.5,
    minSample: 30,
    breaches: 3,
    failBack: false,
  };
  say.command(
    `cxo campaigns watch --primary ${config.primary} --backup ${config.backup} --threshold 0.15 --window-min 30 --min-sample 30 --breaches 3`,
  );
  const before = {
    primary: await statusChanges(env, config.primary),
    backup: await statusChanges(env, config.backup),
  };
  // Healthy traffic: pin a good sample so the narration is deterministic.
  await forceMetrics(env, config.primary, { successRate: 0.27, callsInWindow: 180, activeCalls: 34 });
  const watchdog = startWatchdog({ client: env.client.port, store: env.store, config, mode: "manual" });
  await watchdog.ready;
  const tick = () => new Promise((resolve) => setTimeout(resolve, config.intervalSeconds * 1000));
  for (let i = 0; i < 2; i += 1) {
    say.info(describe(await watchdog.evaluateNow()));
    await tick();
  }
  say.warn("the primary's list goes bad: success rate drops to 8%");
  await forceMetrics(env, config.primary, { successRate: 0.08, callsInWindow: 150, activeCalls: 31 });
  let failedOver = false;
  // The failover happens inside the evaluation that saw the last breach: its line is said after
  // that evaluation's "breach (3 in a row)", in the order things happened.
  const failovers: string[] = [];
  watchdog.on("failover", (report) => {
    failedOver = true;
    failovers.push(
      `failover ${report.incident.id}: primary paused, backup activated (${report.steps.map((s) => s.step).join(" → ")})`,
    );
  });
  for (let i = 0; i < 6; i += 1) {
    const evaluation = await watchdog.evaluateNow();
    // Once the incident is open the primary is paused; what matters is the backup's health.
    if (!evaluation.backup) say.info(describe(evaluation));
    for (const line of failovers.splice(0)) say.ok(line);
    if (evaluation.backup)
      say.info(
        `incident open, primary paused — backup health: success ${percent(evaluation.backup.successRate)}, ${evaluation.backup.activeCalls} active calls`,
      );
    await tick();
  }
  await watchdog.stop();
  const after = {
    primary: (await statusChanges(env, config.primary)) - before.primary,
    backup: (await statusChanges(env, config.backup)) - before.backup,
  };
  say.figures([
    ["status changes sent", `primary ${after.primary} (pause), backup ${after.backup} (activate)`],
    ["incidents", String(watchdog.state().incidents.length)],
  ]);
  if (!failedOver || after.primary !== 1 || after.backup !== 1)
    throw new Error(
      `expected exactly one pause and one activation, saw ${after.primary} and ${after.backup}`,
    );
}

async function forceMetrics(
  env: DemoEnvironment,
  campaignId: string,
  metrics: { successRate: number; callsInWindow: number; activeCalls: number },
): Promise<void> {
  const response = await fetch(`${env.emulator.url}/_emulator/campaigns/${campaignId}/metrics`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(metrics),
  });
  if (!response.ok) throw new Error(`emulator refused forced metrics: ${response.status}`);
}
