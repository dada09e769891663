import { writeDayReport } from "./day-report-write.ts";
import type { RunContext } from "./step-context.ts";
import type { DayReport } from "./types.ts";

/** From the evening time, once a day: the day report written (store, board, file) and said. */
export async function reportStep(ctx: RunContext): Promise<DayReport> {
  const { client, store, job, files, state, nowMs, signal } = ctx;
  const report = await writeDayReport(client, store, job, files.job, state, nowMs, signal);
  ctx.record(
    "report",
    true,
    `day report written: ${report.pushed} pushed, ${report.dialled} dialled, ${report.answered} answered`,
  );
  return report;
}
