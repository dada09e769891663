import { join } from "node:path";
import { tagFile } from "../../dispositions/bulk-tag.ts";
import { progressBar } from "../../dispositions/progress.ts";
import { openTaggingSession } from "../../dispositions/session.ts";
import { writeDemoCallsFile } from "../calls-file.ts";
import type { DemoEnvironment } from "../environment.ts";
import type { Narrator } from "../narrator.ts";

/** Step: tag a shift's worth of calls from a file, with a few bad rows caught before sending. */
export async function tagCallsStep(env: DemoEnvironment, say: Narrator, campaignId: string): Promise<void> {
  const wanted = env.fast ? 1_000 : 3_000;
  const response = await fetch(`${env.emulator.url}/_emulator/fixtures?calls=${wanted * 10}`);
  const fixtures = (await response.json()) as { calls: Array<{ id: string; campaignId: string }> };
  const callIds = fixtures.calls.filter((call) => call.campaignId === campaignId).map((call) => call.id);
  const matrix = await env.client.port.dispositions.getMatrix(campaignId);
  const file = await writeDemoCallsFile(join(env.outDir, "calls.csv"), callIds.slice(0, wanted), matrix);
  const reportFile = join(env.reportsDir, "tagging-problems.csv");
  say.info(`generated ${file.rows} rows (${file.invalidRows} deliberately wrong) in ${file.path}`);
  say.command(`cxo tag --campaign ${campaignId} --file calls.csv --report tagging-problems.csv`);

  const session = await openTaggingSession(env.client.port.dispositions, env.dataDir, {
    actor: "clientId" in env.client.connection ? env.client.connection.clientId : undefined,
  });
  try {
    const summary = await tagFile(session, {
      campaignId,
      file: file.path,
      concurrency: 32,
      reportFile,
      progress: (total) => progressBar(total, process.stderr.isTTY === true),
    });
    say.ok(
      `${summary.succeeded} calls tagged, ${summary.failed} failed, ${summary.invalid} invalid rows not sent`,
    );
    say.figures([
      ["throughput", `${summary.throughputPerSec} calls/s`],
      [
        "latency p50/p95/p99",
        `${summary.latencyMs.p50} / ${summary.latencyMs.p95} / ${summary.latencyMs.p99} ms`,
      ],
      ["problem report", reportFile],
    ]);
    for (const problem of summary.problems.slice(0, 4))
      say.warn(`row ${problem.row}: ${problem.field} ${problem.rule}`);
    if (summary.failed > 0) throw new Error(`${summary.failed} valid rows failed to tag`);
  } finally {
    await session.close();
  }
}
