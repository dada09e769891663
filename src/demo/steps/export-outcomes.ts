import { join } from "node:path";
import { clockNowDate } from "../../core/clock/now.ts";
import { fileSize } from "../../core/counted.ts";
import { exportOutcomes, parseExportQuery, verifyExport } from "../../outcomes/index.ts";
import { listParts } from "../../outcomes/parquet/dataset.ts";
import type { DemoBase } from "../environment.ts";
import { counted, type Narrator, percent, unknownCodesLine } from "../narrator.ts";
import type { DemoDay } from "../run-demo.ts";

const seconds = (value: number | null) => (value === null ? "-" : value.toFixed(0));

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

/**
 * Step: pull the last 30 days of outcomes into files a BI team and a compliance officer can use — streamed
 * NDJSON with a SHA-256 compliance hash computed while streaming, a self-contained HTML
 * report, and the same records as a date-partitioned Parquet dataset for the warehouse — and push the summary to the CRM through the outbox (signed, retried, and without
 * the CXone bearer token the seed leaked).
 */
export async function exportOutcomesStep(env: DemoBase, say: Narrator, day: DemoDay): Promise<void> {
  const to = clockNowDate();
  const from = new Date(to.getTime() - 30 * 86_400_000);
  const query = parseExportQuery({
    campaign: day.historyCampaignId,
    from: from.toISOString(),
    to: to.toISOString(),
    pageSize: 5000,
  });
  const out = join(env.reportsDir, "outcomes.ndjson");
  const report = join(env.reportsDir, "outcomes-report.html");
  say.command(
    `cxo outcomes export --campaign ${query.campaignId} --from ${query.from} --to ${query.to} --out outcomes.ndjson --report outcomes-report.html`,
  );
  const summary = await exportOutcomes({
    client: env.client.port,
    store: env.store,
    query,
    out,
    report,
    crmDestination: "crm",
  });
  say.ok(
    `${counted(summary.totalRecords, "record")} in ${counted(summary.pages, "page")}, ${Math.round(summary.recordsPerSec)} records/s`,
  );
  const categories = Object.entries(summary.categories)
    .filter(([, count]) => count > 0)
    .map(([name, count]) => `${name} ${count}`)
    .join(", ");
  say.figures([
    ["conversion rate", percent(summary.conversionRate)],
    ["categories", categories],
    ["unknown codes", unknownCodesLine(summary.unknownCodes)],
    [
      "call duration p50/p90",
      `${seconds(summary.durationSeconds.p50)} / ${seconds(summary.durationSeconds.p90)} s`,
    ],
    ["compliance hash", summary.complianceHash],
    ["file / report", `${out}\n${" ".repeat(28)}${report}`],
  ]);

  say.command(`cxo outcomes verify outcomes.ndjson --hash ${summary.complianceHash.slice(0, 16)}…`);
  const verified = await verifyExport(out, summary.complianceHash);
  if (!verified.ok) throw new Error("the export does not match its own compliance hash");
  say.ok("re-hashed the file: it matches the hash recorded in the audit log");

  // The same window as a warehouse dataset: date-partitioned Parquet, the same compliance hash.
  const dataset = join(env.reportsDir, "outcomes-dataset");
  say.command(
    `cxo outcomes export --campaign ${query.campaignId} --from ${query.from} --to ${query.to} --out outcomes-dataset/`,
  );
  const parquet = await exportOutcomes({
    client: env.client.port,
    store: env.store,
    query,
    out: dataset,
    format: "parquet",
  });
  // The campaign's own dataset under the directory given (campaign=ID/date=…/part-….parquet).
  const readBack = await verifyExport(parquet.out, summary.complianceHash);
  const days = new Set((await listParts(parquet.out)).map((part) => part.day)).size;
  say.ok(
    `${parquet.out}: ${counted(readBack.records, "row")} │ ${counted(days, "day")} (date=… partitions) │ ${counted(parquet.parts ?? 0, "part")} │ ${fileSize(parquet.bytes)}, ${((parquet.bytes / summary.bytes) * 100).toFixed(1)} % of the NDJSON │ same compliance hash: ${readBack.ok ? "yes" : "NO"}`,
  );
  if (!readBack.ok) throw new Error("the Parquet dataset does not carry the NDJSON export's hash");

  const delivered = await waitFor(() => env.receiver.deliveredTo("crm").length > 0, 15_000);
  const crm = env.receiver.deliveredTo("crm")[0];
  if (!delivered || !crm) throw new Error("the CRM receiver got no summary");
  const everything = JSON.stringify(crm);
  const leaked =
    "authorization" in crm.headers ||
    /bearer /i.test(everything) ||
    everything.includes(env.settings.cxone.clientSecret ?? "never-empty-secret");
  say.ok(
    `CRM received the signed summary (${crm.type}); signature verified; CXone credentials in it: ${leaked ? "YES" : "none"}`,
  );
  if (leaked) throw new Error("a CXone credential reached the CRM");
}
