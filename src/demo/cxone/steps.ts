import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startWatchdog } from "../../campaigns/index.ts";
import { applySettings } from "../../dialer/settings/apply.ts";
import { settingsMatch } from "../../dialer/settings/diff.ts";
import { previousVersion, readHistory } from "../../dialer/settings/history.ts";
import { type LifecycleDeps, snapshot } from "../../dialer/settings/lifecycle.ts";
import { restoreSettings } from "../../dialer/settings/restore.ts";
import { loadSettingsFile, settingsOf } from "../../dialer/settings/settings-file.ts";
import { validateConfig } from "../../dialer/settings/validate.ts";
import { tagFile } from "../../dispositions/bulk-tag.ts";
import { openTaggingSession } from "../../dispositions/session.ts";
import type { PortOperation } from "../../platform/support.ts";
import { examplePath } from "../examples.ts";
import { type Narrator, percent } from "../narrator.ts";
import type { DemoDay } from "../run-demo.ts";
import type { CxoneDemoEnvironment } from "./environment.ts";

/**
 * The day's steps that differ on the production platform. What the platform cannot do is
 * skipped with one line saying why (the NotSupportedError's own words); everything else runs
 * through the same capabilities as on the seed API.
 */
export function skipped(env: CxoneDemoEnvironment, say: Narrator, operation: PortOperation): boolean {
  const refusal = env.client.port.support.unsupported(operation);
  if (refusal) say.warn(`skipped on this platform: ${refusal.message}`);
  return refusal !== undefined;
}

/** Dialer settings of the primary campaign's skill: validate (local rules), apply, roll back. */
export async function tuneSkillDialerStep(
  env: CxoneDemoEnvironment,
  say: Narrator,
  day: DemoDay,
): Promise<void> {
  const skill = day.primaryCampaignId;
  const config = loadSettingsFile(examplePath("dialer.yaml"));
  say.command(`cxo dialer validate --config examples/dialer.yaml --campaign ${skill}`);
  const validation = await validateConfig(config, env.client.port.dialer, undefined, { campaignId: skill });
  say.ok(
    `${validation.ok ? "valid" : "NOT valid"}: ${validation.violations.length} violations; policy checks ${validation.server?.checksPerformed.join(", ") ?? "not run"} (CXone has no policy service: local rules, labelled local:)`,
  );
  if (!validation.ok) throw new Error("the example dialer config does not validate");
  const deps: LifecycleDeps = {
    port: env.client.port.dialer,
    scope: { campaignId: skill },
    store: env.store,
    wait: { minDelayMs: 50, maxDelayMs: 500, maxWaitMs: 30_000 },
    note: (text) => say.info(text),
  };
  say.command(`cxo dialer apply --config examples/dialer.yaml --campaign ${skill}`);
  const applied = await applySettings(deps, settingsOf(config));
  say.ok(
    `${applied.outcome}: version ${applied.snapshotVersionTag} → ${applied.versionTag} (synchronous on this platform; tag = hash of the skill's parameters)`,
  );
  if (!applied.ok) throw new Error(`apply failed: ${applied.message}`);
  say.command(`cxo dialer rollback --campaign ${skill}`);
  const now = await snapshot(deps, "rollback: current version");
  const rows = await readHistory(env.store.kv, skill);
  const target = previousVersion(rows, now.versionTag, (s) => settingsMatch(s, now.settings));
  if (!target) throw new Error("no earlier version of the skill's settings in the history");
  const restored = await restoreSettings(deps, {
    target: target.settings,
    targetVersionTag: target.versionTag,
    trigger: "requested",
  });
  say.ok(
    `rollback to ${target.versionTag}: ${restored.outcome}${restored.outcome === "restored" ? `, now ${restored.versionTag}` : ""} (the snapshot is re-sent and verified; CXone keeps no settings history)`,
  );
  if (restored.outcome !== "restored") throw new Error(`rollback ${restored.outcome}`);
}

/** Tag the live contacts of the history skill from a file (CXone sets dispositions on live contacts). */
export async function tagLiveContactsStep(
  env: CxoneDemoEnvironment,
  say: Narrator,
  day: DemoDay,
): Promise<void> {
  const skill = day.historyCampaignId;
  const live = env.emulator.fixtures.activeContacts.filter((c) => String(c.skillId) === skill);
  const matrix = await env.client.port.dispositions.getMatrix(skill);
  const code = matrix.codes[0]!.id;
  const rows = [
    "callId,dispositionCodeId,notes",
    ...live.map((c) => `${c.contactId},${code},tagged from the demo`),
    `${live[0]?.contactId ?? 1},NOT_A_CODE,a bad row`,
  ];
  const file = join(env.outDir, "live-calls.csv");
  await writeFile(file, `${rows.join("\n")}\n`);
  say.info(`${live.length} live contacts of skill ${skill} (+1 deliberately wrong row) in ${file}`);
  say.command(`cxo tag --campaign ${skill} --file live-calls.csv`);
  const session = await openTaggingSession(env.client.port.dispositions, env.dataDir, {
    actor: env.client.connection.clientId,
  });
  try {
    const summary = await tagFile(session, { campaignId: skill, file, concurrency: 4 });
    say.ok(
      `${summary.succeeded} calls tagged, ${summary.failed} failed, ${summary.invalid} invalid rows not sent`,
    );
    if (summary.failed > 0) throw new Error(`${summary.failed} valid rows failed to tag`);
  } finally {
    await session.close();
  }
}

/** The watchdog on computed metrics (the emulator cannot force a success rate): two evaluations. */
export async function watchSkillStep(env: CxoneDemoEnvironment, say: Narrator, day: DemoDay): Promise<void> {
  const config = {
    primary: day.historyCampaignId,
    backup: day.backupCampaignId,
    threshold: 0.15,
    windowMinutes: 24 * 60,
    intervalSeconds: 1,
    minSample: 30,
    breaches: 3,
    failBack: false,
  };
  say.command(
    `cxo campaigns watch --primary ${config.primary} --backup ${config.backup} --window-min ${config.windowMinutes} --once`,
  );
  const watchdog = startWatchdog({ client: env.client.port, store: env.store, config, mode: "manual" });
  await watchdog.ready;
  const evaluation = await watchdog.evaluateNow();
  await watchdog.stop();
  const p = evaluation.primary;
  say.ok(
    `success ${p ? percent(p.successRate) : "n/a"} over ${p?.callsInWindow ?? "?"} completed calls (counted from /contacts/completed: CXone has no live campaign metrics) → ${evaluation.verdict ?? "error"}`,
  );
  say.info(
    "the failover itself is not forced here: the production emulator cannot drive a skill's success rate down",
  );
}
