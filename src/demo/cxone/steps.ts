import { join } from "node:path";
import { startWatchdog } from "../../campaigns/index.ts";
import { LIVE_RULE_DEFAULTS } from "../../campaigns/watchdog/live-rules.ts";
import { clockNowMs } from "../../core/clock/now.ts";
import { applySettings } from "../../dialer/settings/apply.ts";
import { settingsMatch } from "../../dialer/settings/diff.ts";
import { previousVersion, readHistory } from "../../dialer/settings/history.ts";
import { type LifecycleDeps, snapshot } from "../../dialer/settings/lifecycle.ts";
import { restoreSettings } from "../../dialer/settings/restore.ts";
import { loadSettingsFile, settingsOf } from "../../dialer/settings/settings-file.ts";
import { validateConfig } from "../../dialer/settings/validate.ts";
import { tagFile } from "../../dispositions/bulk-tag.ts";
import { openTaggingSession } from "../../dispositions/session.ts";
import type { SkillLiveSnapshot } from "../../platform/ports/live.ts";
import type { PortOperation } from "../../platform/support.ts";
import { writeDemoFile } from "../demo-file.ts";
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
  await writeDemoFile(file, `${rows.join("\n")}\n`);
  say.info(`${live.length} live contacts of skill ${skill} (+1 deliberately wrong row) in ${file}`);
  say.command(`cxo tag --campaign ${skill} --file live-calls.csv`);
  const session = await openTaggingSession(env.client.port.dispositions, env.dataDir, {
    actor: "clientId" in env.client.connection ? env.client.connection.clientId : undefined,
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

/** One line of live figures: what each is, how old, and where it came from. */
export function liveNarration(snapshot: SkillLiveSnapshot, now = clockNowMs()): string[] {
  const age = (iso: string) => `${Math.max(0, Math.round((now - Date.parse(iso)) / 1000))} s old`;
  const n = (value: number | undefined) => (value === undefined ? "n/a" : String(value));
  const lines = [
    `live: ${n(snapshot.agentsLoggedIn)} agents logged in (${n(snapshot.agentsWorking)} working, ${n(snapshot.agentsAvailable)} available, ${n(snapshot.agentsInWrap)} in wrap-up), ${n(snapshot.contactsActive)} contacts active, ${n(snapshot.queued)} queued — ${age(snapshot.observedAt)}, from ${snapshot.source}`,
  ];
  const today = snapshot.today;
  if (today)
    lines.push(
      `today: ${n(today.dials)} dials, ${n(today.connects)} connects, ${n(today.rightPartyConnects)} right-party, abandon rate ${today.abandonRate === undefined ? "n/a" : percent(today.abandonRate)} — ${age(today.observedAt)}, from ${today.source}`,
    );
  return lines;
}

/**
 * The watchdog on the production platform: the success rate on complete data (its window ends
 * where the warehouse lag begins), then the live figures, then the failover forced for real —
 * the primary's agents log out (the emulator's admin API) and the live rule fails over.
 */
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
    live: { ...LIVE_RULE_DEFAULTS, breaches: 2 },
  };
  say.command(
    `cxo campaigns watch --primary ${config.primary} --backup ${config.backup} --window-min ${config.windowMinutes} --once`,
  );
  const watchdog = startWatchdog({ client: env.client.port, store: env.store, config, mode: "manual" });
  try {
    await watchdog.ready;
    const evaluation = await watchdog.evaluateNow();
    const p = evaluation.primary;
    say.ok(
      `success ${p && p.callsInWindow !== 0 ? percent(p.successRate) : "n/a"} over ${p?.callsInWindow ?? "?"} completed calls (from /contacts/completed, window ending 30 min ago where the warehouse lag begins: complete data only) → ${evaluation.verdict ?? "error"}`,
    );
    const live = env.client.port.live;
    const first = (await live.read([config.primary])).snapshots[0];
    if (!first) throw new Error(`no live figures for skill ${config.primary}`);
    for (const line of liveNarration(first)) say.info(line);

    say.command(
      `curl -XPOST ${env.emulator.url}/_emulator/skills/${config.primary}/live -d '{"agentsLoggedOut":true}'   # every agent of the primary logs out`,
    );
    const forced = await fetch(`${env.emulator.url}/_emulator/skills/${config.primary}/live`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ agentsLoggedOut: true }),
    });
    if (!forced.ok) throw new Error(`the emulator refused the forced logout: ${forced.status}`);
    const failovers: string[] = [];
    watchdog.on("failover", (report) => {
      failovers.push(
        `failover ${report.incident.id}: primary paused, backup activated (${report.steps.map((step) => step.step).join(" → ")}) — rule ${report.incident.trigger.rule}`,
      );
    });
    for (let reading = 1; reading <= 4 && failovers.length === 0; reading++) {
      const snapshot = (await live.read([config.primary])).snapshots[0];
      if (!snapshot) break;
      const judged = await watchdog.observeLive(snapshot);
      say.info(
        `live reading ${reading}: ${liveNarration(snapshot)[0]} → ${judged?.live?.rule ?? "no rule broken"} (${judged?.live?.streak ?? 0} in a row)`,
      );
    }
    for (const line of failovers) say.ok(line);
    if (failovers.length !== 1) throw new Error("the live rule did not fail the primary over");
  } finally {
    await watchdog.stop();
  }
}
