import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The longest test files start first, so the last minutes of a run are not one long file alone
 * on one worker while the others sit idle. Vitest does this itself from the durations of the
 * previous run (its results cache), which a clean clone — CI — does not have; this list is the
 * files of 25 s and more of a whole run, longest first (2026-11-28, CXO_TEST_CPU_LOG's wall
 * times at load 12-24, other work beside the run: the order counts, not the figures; a file on
 * a moved clock ranked by its CPU), then 2026-11-27's list. A file
 * missing from it runs after them, in Vitest's own order. test/strategy/dial-window-property.test.ts
 * (15 s) had been missing and started among the last files. The two `cxo serve` autopilot files
 * moved down on 2026-11-28, evening: they step their clock now (15 s and 10 s alone, from 34 s and
 * 33 s).
 */
const SLOWEST_FIRST = [
  "test/package/package.test.ts",
  "test/consent/scope-all-killed.test.ts",
  "test/bench/week-serve.test.ts",
  "test/campaigns/diagnose/seed-and-cli.test.ts",
  "test/demo/cxone-demo.test.ts",
  "test/service/console-browser.test.ts",
  "test/strategy/collections-week.test.ts",
  "test/outcomes/parquet.test.ts",
  "test/callerid/cli.test.ts",
  "test/strategy/plan-properties.test.ts",
  "test/bench/week-bench.test.ts",
  "test/platform/cxone/doctor-cli.test.ts",
  "test/store/crash-safety.test.ts",
  "test/platform/cxone/cli.test.ts",
  "test/strategy/simulate.test.ts",
  "test/autopilot/autopilot-serve.test.ts",
  "test/autopilot/serve-process.test.ts",
  "test/emulator/cli.test.ts",
  "test/demo/npm-start.test.ts",
  "test/callerid/service.test.ts",
  "test/cli/waiting-note.test.ts",
  "test/emulator/cxone/docs-snippet.test.ts",
  "test/campaigns/watchdog/watch-cli.test.ts",
  "test/consent/scheduled-callbacks-cxone.test.ts",
  "test/cli/signals.test.ts",
  "test/docs/code-blocks.test.ts",
  "test/campaigns/segment/row-json.test.ts",
  "test/service/route-config.test.ts",
  "test/strategy/dial-window-property.test.ts",
  "test/store/open-race.test.ts",
  "test/dialer/pacing/cxo-first-day.test.ts",
  "test/callerid/health.test.ts",
  "test/cli/file-input-offline.test.ts",
  "test/store/audit.test.ts",
  "test/platform/cxone/data-safety.test.ts",
  "test/sdk/node-support.test.ts",
  "test/core/sdk-front-door.test.ts",
  "test/outcomes/history-formats.test.ts",
  "test/outcomes/cli.test.ts",
  "test/strategy/push-lease.test.ts",
  "test/platform/cxone/doctor.test.ts",
  "test/compliance/zone-clock.test.ts",
  "test/compliance/rnd-cli.test.ts",
  "test/autopilot/autopilot-kill.test.ts",
  "test/service/pacing-ratio-in-force.test.ts",
  "test/outcomes/parquet-file.test.ts",
  "test/service/chaos.test.ts",
  "test/core/sizes.test.ts",
  "test/store/outbox.test.ts",
  "test/sdk/close-mid-work.test.ts",
  "test/autopilot/through-the-day.test.ts",
  "test/consent/ledger-cxone.test.ts",
  "test/cli/tenants-serve.test.ts",
  "test/sdk/local-work-signal.test.ts",
  "test/compliance/cxone-dnc-sync.test.ts",
  "test/dialer/pacing/cxo-floor-days.test.ts",
  "test/cli/exit-contract.test.ts",
  "test/platform/cxone/conformance.test.ts",
  "test/service/idle-watch.test.ts",
  "test/emulator/outcomes.test.ts",
  "test/strategy/skill-drift.test.ts",
  "test/callerid/null-calibration.test.ts",
  "test/outcomes/hash-pin.test.ts",
  "test/platform/cxone/skill-dispositions-version.test.ts",
  "test/store/journal.test.ts",
  "test/cli/newcomer.test.ts",
  "test/store/leases.test.ts",
  "test/dialer/pacing/cxo-steer-boost.test.ts",
  "test/campaigns/diagnose/production-property.test.ts",
  "test/service/cxone-dnc-sync.test.ts",
  "test/service/access.test.ts",
  "test/dispositions/tag-file-rerun.test.ts",
  "test/dialer/pacing/cxo-spend.test.ts",
  "test/service/board-layout-browser.test.ts",
  "test/platform/cxone/moving-order.test.ts",
  "test/compliance/registry.test.ts",
  "test/sdk/tenants-isolation.test.ts",
  "test/dialer/pacing/ofcom-margin.test.ts",
  "test/service/sign-in-event-loop.test.ts",
  "test/service/pacing-live.test.ts",
  "test/dispositions/resume.test.ts",
  "test/outcomes/export.test.ts",
  "test/service/pacing-guard.test.ts",
  "test/dialer/pacing/cxo-steer.test.ts",
  "test/dialer/pacing/cxo-digest.test.ts",
  "test/docs/readme-links.test.ts",
  "test/dispositions/faults.test.ts",
  "test/service/dashboard-board-browser.test.ts",
  "test/strategy/push-refusals-cli.test.ts",
  "test/campaigns/segment/segment.test.ts",
  "test/strategy/push-cli.test.ts",
  "test/dialer/pacing/cxo-budget.test.ts",
  "test/campaigns/diagnose/seed-property.test.ts",
  "test/strategy/report-browser.test.ts",
  "test/cli/product.test.ts",
  "test/store/migrate.test.ts",
  "test/store/schema-guard.test.ts",
  "test/demo/ctrl-c.test.ts",
  "test/cli/tenants.test.ts",
  "test/interactions/cli.test.ts",
  "test/sdk/call-shape.test.ts",
  "test/service/console-instances.test.ts",
  "test/service/live-failover.test.ts",
  "test/sdk/request-options.test.ts",
  "test/service/tenants-board-browser.test.ts",
  "test/dispositions/two-processes.test.ts",
  "test/service/transport-policy.test.ts",
  "test/platform/cxone/scripted-tenant.test.ts",
  "test/dialer/settings/apply.test.ts",
];

export default class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const at = SLOWEST_FIRST.findIndex((file) => spec.moduleId.endsWith(file));
      return at < 0 ? SLOWEST_FIRST.length : at;
    };
    return sorted
      .map((spec, order) => ({ spec, order, rank: rank(spec) }))
      .sort((a, b) => a.rank - b.rank || a.order - b.order)
      .map(({ spec }) => spec);
  }
}
