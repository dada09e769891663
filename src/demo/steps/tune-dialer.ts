import { join } from "node:path";
import { applySettings } from "../../dialer/settings/apply.ts";
import type { LifecycleDeps } from "../../dialer/settings/lifecycle.ts";
import { loadSettingsFile, settingsOf } from "../../dialer/settings/settings-file.ts";
import { validateConfig } from "../../dialer/settings/validate.ts";
import { sweepDialRatio, sweepHtml } from "../../dialer/simulator/index.ts";
import { writeDemoFile } from "../demo-file.ts";
import type { DemoEnvironment } from "../environment.ts";
import { examplePath } from "../examples.ts";
import { type Narrator, percent } from "../narrator.ts";

/**
 * Step: change the predictive dialer safely. Validate locally (3% rule, trunks by Erlang B,
 * the simulator's abandonment upper bound) and on CXone; sweep the dial ratio to show where
 * the law bites; apply with If-Match and a waiter; then apply again while CXone fails the
 * operation, and watch the automatic rollback restore — and verify — the previous settings.
 */
export async function tuneDialerStep(env: DemoEnvironment, say: Narrator): Promise<void> {
  const file = examplePath("dialer.yaml");
  const config = loadSettingsFile(file);
  say.command("cxo dialer validate --config examples/dialer.yaml");
  const validation = await validateConfig(config, env.client.port.dialer);
  const { figures } = validation;
  say.ok(
    `${validation.ok ? "valid" : "NOT valid"}: ${validation.violations.length} violations, ${validation.warnings.length} warnings (server ${validation.server?.status ?? "not asked"})`,
  );
  say.figures([
    ["dials/s", figures.dialsPerSecond.toFixed(2)],
    [
      "busy channels (simulated)",
      `${figures.meanBusyChannels.toFixed(1)} of ${config.carrier.trunks} trunks`,
    ],
    ["trunk blocking (Erlang B)", percent(figures.trunkBlocking, 3)],
    [
      "predicted abandonment",
      `${percent(figures.predictedAbandonment.rate, 2)} (95% CI up to ${percent(figures.predictedAbandonment.ci95.high, 2)}, limit 3%)`,
    ],
  ]);
  if (!validation.ok) throw new Error("the example dialer config does not validate");

  const hours = env.fast ? 1 : 4;
  say.command(
    `cxo dialer simulate --config examples/dialer.yaml --sweep dial-ratio=1:4:0.25 --chart dial-ratio-sweep.html`,
  );
  const sweep = sweepDialRatio(
    config,
    { from: 1, to: 4, step: 0.25 },
    { mode: "predictive", hours, seed: 7 },
  );
  const chart = join(env.reportsDir, "dial-ratio-sweep.html");
  await writeDemoFile(chart, sweepHtml(sweep, "Abandonment and occupancy against dial ratio"));
  const current = sweep.points.find((point) => point.dialRatio === config.algorithm.dialRatio);
  say.ok(
    `recommended maximum dial ratio ${sweep.recommendedMaxRatio ?? "none"} (abandonment CI upper bound ≤ ${percent(sweep.target)}); chart: ${chart}`,
  );
  if (current)
    say.info(
      `at the file's ratio ${current.dialRatio}: occupancy ${percent(current.occupancy)}, abandonment ${percent(current.abandonment, 2)} (CI up to ${percent(current.ci95High, 2)}), ${Math.round(current.connectsPerHour)} connects/h`,
    );

  const deps: LifecycleDeps = {
    port: env.client.port.dialer,
    store: env.store,
    wait: { minDelayMs: 100, maxDelayMs: 1_000, maxWaitMs: 60_000 },
    note: (text) => say.info(text),
  };
  say.command("cxo dialer apply --config examples/dialer.yaml");
  const applied = await applySettings(deps, settingsOf(config));
  say.ok(
    `${applied.outcome}: version ${applied.snapshotVersionTag} → ${applied.versionTag} (${applied.changes.length} fields changed)`,
  );
  if (!applied.ok) throw new Error(`apply failed: ${applied.message}`);

  // A second change that CXone fails to activate (the emulator's fault injection).
  await fetch(`${env.emulator.url}/_emulator/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ failNextOperations: 1 }),
  });
  const gentler = {
    ...config,
    algorithm: { ...config.algorithm, dialRatio: Math.max(1, config.algorithm.dialRatio - 0.5) },
  };
  say.warn(`applying dial ratio ${gentler.algorithm.dialRatio}; CXone will fail the activation`);
  const failed = await applySettings(deps, settingsOf(gentler));
  const rollback = failed.rollback;
  say.ok(
    rollback?.outcome === "restored"
      ? `${failed.outcome}: operation ${failed.operationStatus}; snapshot ${failed.snapshotVersionTag} restored as ${rollback.versionTag} (If-Match ${rollback.ifMatch} from a fresh read, not the snapshot's), and verified`
      : `${failed.outcome}: ${failed.message}`,
  );
  if (failed.outcome !== "rolled_back")
    throw new Error(`expected an automatic rollback, got ${failed.outcome}`);
}
