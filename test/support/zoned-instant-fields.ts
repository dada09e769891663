/**
 * The public fields that take a date-time with a zone, by the entry of
 * test/core/zoned-instant-table.test.ts that asks them: each `Type.field` as the type that
 * declares it names it (what test/core/zoned-instant-fields.test.ts finds by walking the package's
 * exported types). The table test fails when its entries and these keys differ; the fields test
 * fails on a field found in no list here (nor on its allow list).
 *
 * A `to` is read by the same call, with the same rule, as its `from`: the entry asks the `from`.
 */
export const FIELDS_OF_ENTRY: Record<string, readonly string[]> = {
  "client.dialer.metrics from": ["DialerMetricsQuery.from", "DialerMetricsQuery.to"],
  "client.compliance.check at": ["ComplianceCheck.at"],
  "client.compliance.check lastTransactionAt": ["ComplianceCheck.lastTransactionAt"],
  "strategy.plan list row lastTransactionAt (listRowSchema)": ["ListRow.lastTransactionAt"],
  "compliance.evidence from (checkEvidenceParams)": ["EvidenceParams.from", "EvidenceParams.to"],
  "client.strategy.plan until": ["PlanOptions.until"],
  "client.callerId.health from": ["CallerIdHealthParams.from", "CallerIdHealthParams.to"],
  "client.consent.report from": ["ConsentReportParams.from", "ConsentReportParams.to"],
  // outcomes.list and export's query, and strategy.learn's `{ campaignId, from, to }` (read
  // through the client's outcomes.list).
  "outcomes.export from (parseExportQuery)": [
    "OutcomeQuery.from",
    "OutcomeQuery.to",
    "CampaignOutcomesSource.from",
    "CampaignOutcomesSource.to",
  ],
  "outcomes.exportChanges updatedSince": ["OutcomeChangesQuery.updatedSince"],
  "interactions.setDisposition timestamp": ["SetDispositionInput.timestamp"],
  "strategy.learn / plan from (parseAt)": ["LearnOptions.from", "LearnOptions.to", "PlanOptions.from"],
  "dialer.abandonment at (checkAbandonmentParams)": ["AbandonmentParams.at"],
  "campaigns.diagnose at (checkDiagnoseParams)": ["DiagnoseParams.at"],
  "cxo strategy learn --from (requireOffset)": [],
  "consent grant at": ["ConsentGrantParams.at"],
  "consent revocation at": ["ConsentRevokeParams.at"],
  "campaigns.scheduleCallback at": ["ScheduleParams.at"],
  CXO_CLOCK: [],
  "consent webhook occurredAt": [],
};
