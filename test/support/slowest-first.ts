import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The longest test files start first, so the last minutes of a run are not one long file alone
 * on one worker while the others sit idle. Vitest does this itself from the durations of the
 * previous run (its results cache), which a clean clone — CI — does not have; this list is the
 * files of 4 s and more of a whole run, longest first (2026-11-27, CXO_TEST_CPU_LOG's wall
 * times at load 6-8, other work beside the run: the order counts, not the figures). A file
 * missing from it runs after them, in Vitest's own order. test/strategy/dial-window-property.test.ts
 * (15 s) had been missing and started among the last files.
 */
const SLOWEST_FIRST = [
  "test/package/package.test.ts",
  "test/consent/ledger-cxone.test.ts",
  "test/callerid/health.test.ts",
  "test/sdk/tenants-isolation.test.ts",
  "test/service/chaos.test.ts",
  "test/dialer/pacing/ofcom-margin.test.ts",
  "test/service/sign-in-event-loop.test.ts",
  "test/demo/npm-start.test.ts",
  "test/strategy/dial-window-property.test.ts",
  "test/strategy/plan-properties.test.ts",
  "test/platform/cxone/doctor-cli.test.ts",
  "test/platform/cxone/cli.test.ts",
  "test/outcomes/parquet.test.ts",
  "test/service/pacing-live.test.ts",
  "test/service/console-browser.test.ts",
  "test/store/crash-safety.test.ts",
  "test/store/audit.test.ts",
  "test/store/leases.test.ts",
  "test/dispositions/resume.test.ts",
  "test/store/journal.test.ts",
  "test/outcomes/history-formats.test.ts",
  "test/outcomes/export.test.ts",
  "test/store/outbox.test.ts",
  "test/sdk/local-work-signal.test.ts",
  "test/service/pacing-guard.test.ts",
  "test/dialer/pacing/cxo-steer.test.ts",
  "test/dialer/pacing/cxo-digest.test.ts",
  "test/docs/readme-links.test.ts",
  "test/dispositions/faults.test.ts",
  "test/service/dashboard-board-browser.test.ts",
  "test/strategy/push-refusals-cli.test.ts",
  "test/campaigns/segment/segment.test.ts",
  "test/campaigns/diagnose/production-property.test.ts",
  "test/platform/cxone/doctor.test.ts",
  "test/cli/newcomer.test.ts",
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
  "test/sdk/close-mid-work.test.ts",
  "test/campaigns/compliance/cxone-dnc-sync.test.ts",
  "test/sdk/call-shape.test.ts",
  "test/service/console-instances.test.ts",
  "test/service/live-failover.test.ts",
  "test/cli/signals.test.ts",
  "test/sdk/request-options.test.ts",
  "test/campaigns/compliance/zone-clock.test.ts",
  "test/service/tenants-board-browser.test.ts",
  "test/dispositions/two-processes.test.ts",
  "test/outcomes/hash-pin.test.ts",
  "test/outcomes/cli.test.ts",
  "test/service/transport-policy.test.ts",
  "test/callerid/service.test.ts",
  "test/platform/cxone/scripted-tenant.test.ts",
  "test/dialer/settings/apply.test.ts",
  "test/dispositions/tag-file-rerun.test.ts",
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
