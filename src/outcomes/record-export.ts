import type { Checkpoint, Operation, Store } from "../core/store/index.ts";

/**
 * The bookkeeping of a finished export, as one journal operation: the audit record (query +
 * compliance hash), the CRM event carrying the summary and that audit entry (through the
 * signed outbox: never a CXone credential), and the checkpoint marked complete, all in ONE
 * transaction. Its "effect" does nothing remote (the export only read from CXone); going
 * through the journal is what makes the three commit together, and a crash before the commit
 * leaves a pending row that the next export re-drives.
 */
export const EXPORT_CHECKPOINTS = "outcomes.export";
export const EXPORT_OPERATION = "outcomes.export";

export interface ExportRecordPayload {
  key: string;
  query: {
    campaignId: string;
    from: string;
    to: string;
    codes: string[];
    pageSize: number;
  };
  out: string;
  format: string;
  complianceHash: string;
  totalRecords: number;
  pages: number;
  bytes: number;
  /** The summary sent to the CRM (no credential can be in it: it is built from records and counts). */
  summary: Record<string, unknown>;
  /** Outbox destination for the summary, or null when no CRM is configured / --no-crm. */
  crmDestination: string | null;
  /** The final checkpoint, written with the audit record. */
  checkpoint: Record<string, unknown>;
}

export const exportRecordOperation: Operation<ExportRecordPayload, { recorded: true }> = {
  kind: EXPORT_OPERATION,
  effect: async () => ({ recorded: true }),
  finish(settled, payload) {
    const audit = {
      operation: EXPORT_OPERATION,
      target: payload.query.campaignId,
      query: payload.query,
      out: payload.out,
      format: payload.format,
      complianceHash: payload.complianceHash,
      totalRecords: payload.totalRecords,
      pages: payload.pages,
      bytes: payload.bytes,
    };
    const checkpoints: Checkpoint[] = [
      { namespace: EXPORT_CHECKPOINTS, key: payload.key, value: payload.checkpoint },
    ];
    if (!settled.ok) return { outcome: "failed", details: audit, checkpoints };
    return {
      outcome: "done",
      status: null,
      after: { complianceHash: payload.complianceHash, totalRecords: payload.totalRecords },
      details: audit,
      checkpoints,
      events: payload.crmDestination
        ? [
            {
              type: "outcomes.export.completed",
              destination: payload.crmDestination,
              orderKey: `outcomes:${payload.query.campaignId}`,
              data: { summary: payload.summary, audit },
            },
          ]
        : [],
    };
  },
};

/**
 * Records a finished export (NDJSON, CSV or a Parquet dataset) once: the idempotency key joins
 * the export's key and its hash, so a re-run of the same finished export records nothing new.
 */
export async function recordFinishedExport(
  store: Pick<Store, "journal">,
  payload: ExportRecordPayload,
): Promise<void> {
  await store.journal.run(exportRecordOperation, {
    target: payload.query.campaignId,
    payload,
    idempotencyKey: `outcomes-export-${payload.key}-${payload.complianceHash.slice(0, 16)}`,
  });
}
