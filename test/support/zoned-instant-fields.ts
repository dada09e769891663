/**
 * The public fields that take a date-time with a zone, by the entry of
 * test/core/zoned-instant-table.test.ts that asks them: each `Type.field` as the type that
 * declares it names it (what test/core/zoned-instant-fields.test.ts finds by walking the package's
 * exported types). The table test fails when its entries and these keys differ; the fields test
 * fails on a field found in no list here (nor on its allow list).
 *
 * A `to` is read by the same call, with the same rule, as its `from`: the entry asks the `from`.
 * The entries that take a Date as well as text (InstantInput) are DATE_ENTRY_NAMES: the table asks
 * each a valid Date and `new Date(NaN)`, and the fields test checks that the fields they ask are
 * exactly those whose type takes a Date.
 */
export const FIELDS_OF_ENTRY: Record<string, readonly string[]> = {
  "client.dialer.metrics from": ["DialerMetricsParams.from", "DialerMetricsParams.to"],
  "client.compliance.check at": ["ComplianceCheck.at"],
  "client.compliance.check lastTransactionAt": ["ComplianceCheck.lastTransactionAt"],
  "client.strategy.plan list row lastTransactionAt": ["ListRow.lastTransactionAt"],
  // The same column read from a list file (the CLI's --list), by the schema.
  "strategy list file row lastTransactionAt (listRowSchema)": [],
  "client.compliance.evidence from": ["EvidenceParams.from", "EvidenceParams.to"],
  "client.strategy.plan until": ["PlanOptions.until"],
  "client.strategy.plan from": ["PlanOptions.from"],
  "client.strategy.learn from": ["LearnOptions.from", "LearnOptions.to"],
  "client.strategy.learn source from": ["CampaignOutcomesSource.from", "CampaignOutcomesSource.to"],
  "client.callerId.health from": ["CallerIdHealthParams.from", "CallerIdHealthParams.to"],
  "client.consent.report from": ["ConsentReportParams.from", "ConsentReportParams.to"],
  "client.outcomes.list from": ["OutcomeQuery.from", "OutcomeQuery.to"],
  // The export reads the same query as the listing (its own call: its own entry).
  "client.outcomes.export from": [],
  "client.outcomes.exportChanges updatedSince": ["OutcomeChangesQuery.updatedSince"],
  "client.interactions.setDisposition timestamp": ["SetDispositionInput.timestamp"],
  "client.dialer.abandonment at": ["AbandonmentParams.at"],
  "client.campaigns.diagnose at": ["DiagnoseParams.at"],
  "cxo strategy learn --from (requireOffset)": [],
  "client.consent.grant at": ["ConsentGrantParams.at"],
  "client.consent.revoke at": ["ConsentRevokeParams.at"],
  "client.callbacks.schedule at": ["ScheduleParams.at"],
  CXO_CLOCK: [],
  "consent webhook occurredAt": [],
};

/** The entries whose field takes a Date as well as text (InstantInput): the table's DATE_ENTRIES. */
export const DATE_ENTRY_NAMES: readonly string[] = [
  "client.dialer.metrics from",
  "client.compliance.check at",
  "client.compliance.check lastTransactionAt",
  "client.compliance.evidence from",
  "client.strategy.plan until",
  "client.strategy.plan from",
  "client.strategy.learn from",
  "client.strategy.learn source from",
  "client.callerId.health from",
  "client.consent.report from",
  "client.outcomes.list from",
  "client.outcomes.export from",
  "client.outcomes.exportChanges updatedSince",
  "client.interactions.setDisposition timestamp",
  "client.dialer.abandonment at",
  "client.campaigns.diagnose at",
  "client.consent.grant at",
  "client.consent.revoke at",
  "client.callbacks.schedule at",
];

/** The public fields the Date-taking entries ask, by entry (FIELDS_OF_ENTRY's, for DATE_ENTRY_NAMES). */
export const FIELDS_OF_DATE_ENTRY: Record<string, readonly string[]> = Object.fromEntries(
  DATE_ENTRY_NAMES.map((name) => [name, FIELDS_OF_ENTRY[name] ?? []]),
);
