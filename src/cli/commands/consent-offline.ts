import type { ConsentReport } from "../../compliance/revocation-report.ts";
import type { ConsentReportParams } from "../../compliance/revocation-report-of-client.ts";
import type { FanOutSummary } from "../../consent/fan-out.ts";
import type { CliContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";
import { withOfflineBook } from "../offline-consent.ts";
import { fanOutLines } from "./consent-output.ts";

/**
 * `cxo consent report|honour` on a data dir with no CXone connection configured: the
 * ledger is the store's, so it is read and reported without one, through the same offline book
 * as `consent revoke|import` (cli/offline-consent.ts).
 *
 * `report`: every entry with its deadline and honouring, the touches imported after it and the
 * scope-`all` entries a sibling lacks; CXone's calls, pushed lists' dials and scheduled callbacks
 * are not read (`checked.listing: "none"`, said on the last line).
 *
 * `honour` does its local part — the seller's units given the scope-`all` revocations another
 * holds, the fan-outs a killed run left finished — then says what waits for CXone and which
 * setting is missing, and exits 1: nothing could be sent.
 */
export async function offlineReport(ctx: CliContext, params: ConsentReportParams): Promise<ConsentReport> {
  return withOfflineBook(ctx, async (book) => {
    const { offlineConsentReport } = await import("../../compliance/revocation-report-of-client.ts");
    return withFlagNames({ from: "--from", to: "--to", campaigns: "--campaign" }, () =>
      offlineConsentReport(book, params, undefined),
    );
  });
}

export interface OfflineHonour {
  /** No CXone connection is configured: nothing was sent. */
  connection: false;
  /** The setting the connection lacks, and how to set it. */
  missing: { setting: string; message: string };
  sent: 0;
  /** Entries waiting for CXone: pending for a group, and recorded while no group was named. */
  waiting: { pending: number; noGroup: number };
  fanOuts: FanOutSummary;
}

export async function offlineHonour(ctx: CliContext): Promise<void> {
  const missing = await missingSetting(ctx);
  const done = await withOfflineBook(ctx, async (book) => {
    const [{ localHonour }, { countWaitingForCxone }] = await Promise.all([
      import("../../consent/client-book.ts"),
      import("../../consent/ledger-queue.ts"),
    ]);
    const fanOuts = await localHonour(book, book.actor, undefined);
    return { fanOuts, waiting: await countWaitingForCxone(await book.store()) };
  });
  const answer: OfflineHonour = { connection: false, missing, sent: 0, ...done };
  const { pending, noGroup } = answer.waiting;
  ctx.print(answer, () =>
    [
      `NOT SENT to CXone: no CXone connection is configured (${missing.message})`,
      `waiting for CXone's DNC group: ${pending} revocation entr(ies) pending${noGroup > 0 ? `, ${noGroup} recorded while no group was named (consent.cxoneDncGroup)` : ""}; cxo refuses every one of them now, and the first consent honour (or cxo serve) with a connection sends them`,
      ...fanOutLines({ sent: 0, alreadyInGroup: 0, entries: 0, fanOuts: answer.fanOuts }),
    ].join("\n"),
  );
  ctx.note(`consent honour: nothing sent to CXone: ${missing.message}`);
  process.exitCode = 1;
}

/** The connection setting the settings lack, as the config error names it. */
async function missingSetting(ctx: CliContext): Promise<{ setting: string; message: string }> {
  const [{ requirePlatformConnection }, { ConfigError }] = await Promise.all([
    import("../../core/config/connection.ts"),
    import("../../core/config/errors.ts"),
  ]);
  try {
    requirePlatformConnection(await ctx.settings());
  } catch (error) {
    if (error instanceof ConfigError) return { setting: error.setting, message: error.message };
    throw error;
  }
  return { setting: "cxone", message: "the CXone connection is incomplete" };
}
