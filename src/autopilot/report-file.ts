import path from "node:path";
import { ensureRealDirectory, kindByFirstLine, writeFileSafely } from "../core/safe-write.ts";
import type { DayReport } from "./types.ts";

/** What a day report file starts with: the autopilot replaces only a file it wrote. */
const DAY_REPORT = kindByFirstLine("autopilot day report", (line) =>
  line.startsWith('{"report":"cxo autopilot day"'),
);

/** Writes `<dir>/<date>-<campaign>.json` (one per campaign and day; a re-written day replaces it). */
export function writeDayReportFile(dir: string, report: DayReport): string {
  ensureRealDirectory(dir, { field: "autopilot.reportDir" });
  const file = path.join(dir, `${report.date}-${report.campaign.replace(/[^A-Za-z0-9_-]/g, "_")}.json`);
  writeFileSafely(file, `${JSON.stringify({ report: "cxo autopilot day", ...report })}\n`, {
    field: "autopilot.reportDir",
    kind: DAY_REPORT,
  });
  return file;
}
