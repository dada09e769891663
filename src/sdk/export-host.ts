import type { Store } from "../core/store/index.ts";
import type { ExportSummary } from "../outcomes/export-run.ts";
import { exportIntoStoreOfClient } from "../outcomes/of-client.ts";
import type { ExportQuery } from "../outcomes/query.ts";
import type { ExportFormat } from "../outcomes/read-export.ts";
import { runCall } from "./call.ts";
import type { CxoneBaseClient } from "./client-types.ts";
import { runtimeOf } from "./internals.ts";
import type { ClientRuntime, RequestOptions } from "./runtime.ts";

/**
 * What `cxo serve`'s scheduled outcome exports (src/service/scheduled-exports.ts) are given of the
 * client they run on, and all they are given: one export, run as the SDK runs its own methods
 * (runCall: the caller's signal and deadline joined with the client's `close()`, on the client's
 * clock), inside the SDK, so the schedule never reads the port or the client's runtime. Unlike
 * `client.outcomes.export`, whose checkpoints and audit go into the client's store, the export's
 * go into the store given (the service's), as its resumable days do.
 */
export interface ExportHost {
  /**
   * The calls of `query` exported to `out` (outcomes/export.ts), checkpointed in `store`, with the
   * TSR fields the client's settings give the campaign (`compliance.tsr`) on every record.
   */
  exportOutcomes(
    store: Store,
    params: { query: ExportQuery; out: string; format: ExportFormat; resume?: boolean },
    options?: RequestOptions,
  ): Promise<ExportSummary>;
}

/** What the host needs of a client's runtime: its port, its TSR settings, and what its calls run with. */
export type ExportRuntime = Pick<ClientRuntime, "port" | "calls" | "clock" | "tsr" | "consent">;

/** The export host of a client made by `createClient` (TypeError for anything else). */
export function exportHostOf(client: CxoneBaseClient): ExportHost {
  return exportHostOver(runtimeOf(client));
}

/** The host over a client's runtime (exportHostOf's). */
export function exportHostOver(runtime: ExportRuntime): ExportHost {
  return {
    exportOutcomes: (store, params, options) =>
      runCall(runtime, options, (signal) => exportIntoStoreOfClient(runtime, store, params, signal)),
  };
}
