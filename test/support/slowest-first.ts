import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The longest test files start first, so the last minutes of a run are not one long file alone
 * on one worker while the others sit idle. Vitest does this itself from the durations of the
 * previous run (its results cache), which a clean clone — CI — does not have; this list is the
 * slowest files of a whole run (8 s and more, 2026-11-25 on a quiet 2-core machine), longest
 * first. A file missing from it runs after them, in Vitest's own order. 2026-11-27: the files of
 * 4 s of CPU and more that it lacked joined it by their CPU (CXO_TEST_CPU_LOG, a run at load
 * 12-15): test/consent/ledger-cxone.test.ts (22 s in CI, 32 s of CPU) had been starting last.
 */
const SLOWEST_FIRST = [
  "test/consent/ledger-cxone.test.ts",
  "test/service/chaos.test.ts",
  "test/sdk/tenants-isolation.test.ts",
  "test/package/package.test.ts",
  "test/callerid/health.test.ts",
  "test/service/console-browser.test.ts",
  "test/sdk/local-work-signal.test.ts",
  "test/callerid/service.test.ts",
  "test/store/audit.test.ts",
  "test/store/crash-safety.test.ts",
  "test/store/outbox.test.ts",
  "test/outcomes/parquet.test.ts",
  "test/strategy/plan-properties.test.ts",
  "test/demo/npm-start.test.ts",
  "test/dialer/pacing/ofcom-margin.test.ts",
  "test/service/sign-in-event-loop.test.ts",
  "test/dialer/pacing/cxo-rolling-budget.test.ts",
  "test/docs/readme-links.test.ts",
  "test/dialer/pacing/cxo-budget.test.ts",
  "test/service/dashboard-board-browser.test.ts",
  "test/interactions/cli.test.ts",
  "test/service/pacing-card-browser.test.ts",
  "test/cli/product.test.ts",
  "test/strategy/report-browser.test.ts",
  "test/platform/cxone/doctor-cli.test.ts",
  "test/platform/cxone/data-safety.test.ts",
  "test/platform/cxone/doctor.test.ts",
  "test/cli/signals.test.ts",
  "test/dispositions/resume.test.ts",
  "test/outcomes/cli.test.ts",
  "test/outcomes/report-browser.test.ts",
  "test/platform/cxone/tagging-requests.test.ts",
  "test/platform/cxone/cli.test.ts",
  "test/platform/cxone/knobs.test.ts",
  "test/service/pacing-live.test.ts",
  "test/dispositions/faults.test.ts",
  "test/cli/newcomer.test.ts",
  "test/store/migrate.test.ts",
  "test/outcomes/export.test.ts",
  "test/store/schema-guard.test.ts",
  "test/campaigns/watchdog/watch-cli.test.ts",
  "test/store/journal.test.ts",
  "test/store/leases.test.ts",
  "test/cli/tenants-serve.test.ts",
  "test/outcomes/parquet-file.test.ts",
  "test/emulator/cli.test.ts",
  "test/service/tenants-board-browser.test.ts",
  "test/service/dashboard-browser.test.ts",
  "test/dialer/reports-browser.test.ts",
  "test/platform/cxone/user-errors.test.ts",
  "test/dialer/pacing-report-browser.test.ts",
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
